/**
 * `npm run history -- --stack <name> --from <ISO> --to <ISO> --out <file.csv> --endpoint <region>=<url> ...`
 *
 * Exports per region and service, at one-minute resolution, the load, available replicas and p95 latency from
 * each region's PromQL endpoint (`time,region,service,load,replicas,p95_ms`, documented in the file's header
 * comment and in `cli/history/export.ts`). The endpoints come from `--endpoint`, since the Pulumi CLI (and so
 * `pulumi stack output`) is not part of the offline toolchain: pass each region's metrics endpoint output.
 * Everything is fetched before anything is written; the file lands through a temporary sibling and a rename.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "fs";
import { basename, dirname, join, resolve } from "path";
import { InputError, throwIfProblems } from "../components/core";
import { SERVICE_NAMES } from "../components/kubernetes";
import {
  HISTORY_CLI,
  HISTORY_USAGE,
  endpointCoverageProblems,
  parseHistoryArgs,
  type HistoryArgs,
} from "./history/args";
import { exportHistory, type HistoryDeps } from "./history/export";
import { ampRegion, type FetchLike, type RequestSigner } from "./history/promql";

export interface HistoryIo {
  /** Directory that holds `stacks/` and against which `--out` resolves. */
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly fetch: FetchLike;
  /** Loads the SigV4 signer (AMP endpoints); undefined when none is available. */
  readonly signer: () => Promise<RequestSigner | undefined>;
}

/** Writes `text` to `file` through a temporary sibling and a rename. */
function writeAtomically(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${basename(file)}.tmp-${process.pid}`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Runs the command; returns the exit code (0 ok, 1 failed, 2 usage). */
export async function runHistoryCli(argv: readonly string[], io: HistoryIo): Promise<number> {
  let args: HistoryArgs | "help";
  try {
    args = parseHistoryArgs(argv);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.stderr(`error: ${e.message}\n\n${HISTORY_USAGE}\n`);
    return 2;
  }
  if (args === "help") {
    io.stdout(`${HISTORY_USAGE}\n`);
    return 0;
  }
  try {
    const { readStackConfig, parseStackConfig, stackFile } = await import("../components/config");
    const file = stackFile(args.stack);
    const config = parseStackConfig(
      readStackConfig(io.cwd, args.stack, { source: HISTORY_CLI, path: "--stack" }),
      file,
    );
    const regions = config.regions.map((r) => r.region);
    try {
      throwIfProblems(HISTORY_CLI, endpointCoverageProblems(args.endpoints, regions, file));
    } catch (e) {
      io.stderr(`error: ${(e as Error).message}\n\n${HISTORY_USAGE}\n`);
      return 2;
    }
    // Only AMP needs a signer; an in-cluster Prometheus is asked without one.
    const signer = regions.some((r) => ampRegion(args.endpoints[r]!) !== undefined)
      ? await io.signer()
      : undefined;
    const deps: HistoryDeps = { fetch: io.fetch, ...(signer !== undefined ? { signer } : {}) };
    const csv = await exportHistory(
      {
        stack: args.stack,
        sources: regions.map((region) => ({ region, url: args.endpoints[region]! })),
        services: SERVICE_NAMES.map((name) => ({ name, namespace: config.services[name].namespace })),
        from: args.from,
        to: args.to,
      },
      deps,
    );
    writeAtomically(resolve(io.cwd, args.out), csv);
    const rows = csv.split("\n").filter((l) => l !== "" && !l.startsWith("#")).length - 1;
    io.stdout(
      `Wrote ${rows} rows (${regions.length} regions × ${SERVICE_NAMES.length} services) to ${args.out}\n`,
    );
    return 0;
  } catch (e) {
    io.stderr(`error: ${(e as Error).message}\nNothing was written to ${args.out}.\n`);
    return 1;
  }
}

if (require.main === module) {
  void (async () => {
    const { sigV4Signer } = await import("./history/signer");
    process.exitCode = await runHistoryCli(process.argv.slice(2), {
      cwd: process.cwd(),
      stdout: (t) => process.stdout.write(t),
      stderr: (t) => process.stderr.write(t),
      fetch: (url, init) => fetch(url, init),
      signer: async () => sigV4Signer(),
    });
  })();
}
