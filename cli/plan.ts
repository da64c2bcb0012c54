import * as path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError } from "../components/config/problems";
import { runPlan } from "./plan/run";
import { planSummary } from "./plan/summary";
import { planFiles, writeFilesAtomically } from "./plan/write";

const USAGE =
  "usage: npm run plan -- [--stack <name>] [--out <dir>]   (defaults: --stack dev, --out dist/<stack>)";

async function main(): Promise<number> {
  let values: { stack?: string; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { stack: { type: "string" }, out: { type: "string" }, help: { type: "boolean", short: "h" } },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const stack = values.stack ?? "dev";
  const outDir = values.out ?? path.join("dist", stack);
  const started = Date.now();
  try {
    process.stderr.write(`Planning stack "${stack}" offline (mock AWS account, no credentials needed)...\n`);
    const plan = await runPlan({ stack });
    const files = planFiles(plan);
    writeFilesAtomically(outDir, files);
    console.log(planSummary(plan, [...files.keys()], outDir));
    console.log(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 1;
    }
    console.error(`Plan failed: ${(error as Error).stack ?? String(error)}`);
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
