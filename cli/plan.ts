import * as path from "node:path";
import { InputError } from "../components/core";
import { PLAN_USAGE, parsePlanArgs, type PlanArgs } from "./plan/args";
import { policyReport } from "./plan/policy-run";
import { checkPlan } from "./plan/check";
import { runPlan } from "./plan/run";
import { planSummary } from "./plan/summary";
import { observabilityReport, planFiles, wiringReport, writeFilesAtomically } from "./plan/write";

async function main(): Promise<number> {
  let args: PlanArgs | "help";
  try {
    args = parsePlanArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    console.error(`${error.message}\n\n${PLAN_USAGE}`);
    return 2;
  }
  if (args === "help") {
    console.log(PLAN_USAGE);
    return 0;
  }
  const { now } = args;
  const stack = args.stack ?? "dev";
  const outDir = args.out ?? path.join("dist", stack);
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
    files.set("observability-report.json", observabilityReport(checks.observability));
    writeFilesAtomically(outDir, files);
    console.log(planSummary(plan, checks, [...files.keys()], outDir));
    console.log(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    return checks.policy.mandatoryViolations > 0 ||
      checks.wiring.findings.length > 0 ||
      checks.observability.findings.length > 0 ||
      checks.resilience.findings.length > 0
      ? 1
      : 0;
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
