/** The command line of `npm run history`: every bad flag is a `Problem` of one `InputError`. */
import { isAwsRegion, throwIfProblems, type Problem } from "../../components/core";
import { readOptions } from "../options";

/** The source of problems with the command line (printed with the usage, exit code 2). */
export const HISTORY_CLI = "npm run history options";

export const HISTORY_USAGE = `Usage: npm run history -- --stack <name> --from <ISO instant> --to <ISO instant> --out <file.csv>
                           --endpoint <region>=<url> [--endpoint <region>=<url> ...]

  --stack     read stacks/Pulumi.<name>.yaml: its regions and services (and each service's namespace)
  --from      first minute exported, an ISO instant in whole minutes with a zone, e.g. 2026-09-07T00:00:00Z
  --to        end of the export, excluded (rows are [from, to), one per minute), same form
  --out       the CSV file to write (replaced atomically; nothing is written on an error)
  --endpoint  a region's PromQL endpoint, the root of its Prometheus HTTP API, once per region of the stack:
              the AMP workspace's query URL (the stack output of the region's metrics endpoint,
              https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>, signed with SigV4), or an
              in-cluster Prometheus reached through a port-forward (http://localhost:9090)`;

export interface HistoryArgs {
  readonly stack: string;
  /** Epoch ms, a whole minute. */
  readonly from: number;
  /** Epoch ms, a whole minute after `from` (excluded). */
  readonly to: number;
  readonly out: string;
  /** Endpoint per region, in the order given. */
  readonly endpoints: Readonly<Record<string, string>>;
}

const ISO_MINUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:00(\.0{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses the arguments; `"help"` for `--help`. Throws one `InputError` (source `HISTORY_CLI`) with every bad flag. */
export function parseHistoryArgs(argv: readonly string[]): HistoryArgs | "help" {
  const { values, lists, problems } = readOptions(argv, {
    stack: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    out: { type: "string" },
    endpoint: { type: "string", multiple: true },
    help: { type: "boolean", short: "h" },
  });
  if (values.help === true) return "help";
  const str = (k: "stack" | "from" | "to" | "out"): string | undefined => values[k] as string | undefined;
  const flagged = new Set(problems.map((p) => p.path));
  const problem = (path: string, value: unknown, rule: string, fix?: string): void => {
    problems.push({ path, value, rule, ...(fix !== undefined ? { fix } : {}) });
  };
  for (const required of ["stack", "from", "to", "out"] as const) {
    if ((str(required) ?? "") === "" && !flagged.has(`--${required}`))
      problem(`--${required}`, str(required), "required");
  }
  const stack = str("stack");
  if (stack !== undefined && stack !== "" && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(stack))
    problem("--stack", stack, "must be a stack name (letters, digits, '.', '_', '-')");
  const instant = (name: "from" | "to"): number => {
    const text = str(name);
    if (text === undefined || text === "") return NaN;
    const ms = ISO_MINUTE.test(text) ? Date.parse(text) : NaN;
    if (Number.isNaN(ms))
      problem(
        `--${name}`,
        text,
        "must be an ISO instant in whole minutes with a zone, e.g. 2026-09-07T00:00:00Z",
      );
    return ms;
  };
  const from = instant("from");
  const to = instant("to");
  if (from >= to) problem("--to", str("to"), `must be after --from (${str("from")})`);
  const endpoints: Record<string, string> = {};
  for (const given of lists.endpoint ?? [])
    endpointProblems(given, endpoints).forEach((p) => problems.push(p));
  if ((lists.endpoint ?? []).length === 0 && !flagged.has("--endpoint"))
    problem("--endpoint", undefined, "required, once per region of the stack: --endpoint <region>=<url>");
  throwIfProblems(HISTORY_CLI, problems);
  return { stack: stack!, from, to, out: str("out")!, endpoints };
}

/** Checks one `--endpoint <region>=<url>` and records it in `into`. */
function endpointProblems(given: string, into: Record<string, string>): Problem[] {
  const eq = given.indexOf("=");
  const region = eq < 0 ? "" : given.slice(0, eq);
  const url = eq < 0 ? "" : given.slice(eq + 1);
  const rule = (r: string): Problem[] => [{ path: "--endpoint", value: given, rule: r }];
  if (eq < 0)
    return rule(
      "must be <region>=<url>, e.g. eu-west-2=https://aps-workspaces.eu-west-2.amazonaws.com/workspaces/ws-...",
    );
  if (!isAwsRegion(region)) return rule(`must name an AWS region before '=' (got ${JSON.stringify(region)})`);
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (
    parsed === undefined ||
    !/^https?:$/.test(parsed.protocol) ||
    parsed.search !== "" ||
    parsed.hash !== ""
  )
    return rule("must give an http(s) URL without query or fragment after '='");
  if (into[region] !== undefined) return rule(`gives ${region} a second endpoint (first: ${into[region]})`);
  into[region] = url;
  return [];
}

/** The endpoints against the stack's regions: each region needs one, and no other region may have one. */
export function endpointCoverageProblems(
  endpoints: Readonly<Record<string, string>>,
  regions: readonly string[],
  stackFile: string,
): Problem[] {
  const missing = regions.filter((r) => endpoints[r] === undefined);
  const extra = Object.keys(endpoints).filter((r) => !regions.includes(r));
  return [
    ...missing.map((r) => ({
      path: "--endpoint",
      value: undefined,
      rule: `missing for ${r}: every region of ${stackFile} (${regions.join(", ")}) needs one`,
      fix: `add --endpoint ${r}=<its PromQL endpoint>`,
    })),
    ...extra.map((r) => ({
      path: "--endpoint",
      value: `${r}=${endpoints[r]}`,
      rule: `names ${r}, which ${stackFile} does not run (its regions: ${regions.join(", ")})`,
    })),
  ];
}
