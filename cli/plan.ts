import * as path from "node:path";
import { parseArgs } from "node:util";
import { InputError } from "../components/core/problem";
import { policyReport } from "./plan/policy-run";
import { checkPlan } from "./plan/check";
import { runPlan } from "./plan/run";
import { planSummary } from "./plan/summary";
import { planFiles, wiringReport, writeFilesAtomically } from "./plan/write";

const USAGE =
  "usage: npm run plan -- [--stack <name>] [--out <dir>] [--now <ISO instant>]\n" +
  "  defaults: --stack dev, --out dist/<stack>, --now the stack's semester:calendar.now, else today 00:00 UTC";

function parseNow(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const instant = Date.parse(text);
  if (Number.isNaN(instant) || !/(Z|[+-]\d\d:\d\d)$/.test(text)) {
    throw new InputError("the command line", [
      { path: "--now", value: text, rule: "expected an ISO instant with a zone, e.g. 2026-11-24T00:00:00Z" },
    ]);
  }
  return instant;
}

async function main(): Promise<number> {
  let values: { stack?: string; out?: string; now?: string; help?: boolean };
  let now: number | undefined;
  try {
    ({ values } = parseArgs({
      options: {
        stack: { type: "string" },
        out: { type: "string" },
        now: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
    now = parseNow(values.now);
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
    const plan = await runPlan({ stack, ...(now !== undefined ? { now } : {}) });
    process.stderr.write(`Recorded ${plan.resources.length} resources; checking schemas and policies...\n`);
    const checks = await checkPlan(plan);
    if (checks.schemaProblems.length > 0) {
      console.error(
        `Plan failed: ${checks.schemaProblems.length} Kubernetes object(s) do not validate against their upstream schema:\n  - ` +
          checks.schemaProblems.join("\n  - "),
      );
      return 1;
    }
    const files = planFiles(plan);
    files.set("policy-report.json", policyReport(checks.policy));
    files.set("wiring-report.json", wiringReport(checks.wiring));
    writeFilesAtomically(outDir, files);
    console.log(planSummary(plan, checks, [...files.keys()], outDir));
    console.log(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    return checks.policy.mandatoryViolations > 0 || checks.wiring.findings.length > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof InputError) {
      console.error(error.message);
      return 1;
    }
    console.error(`Plan failed: ${(error as Error).message}`);
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
