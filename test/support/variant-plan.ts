/**
 * A stack's offline plan with its parsed config changed in code, recorded as `runPlan` records a stack file: for
 * variants a stack file cannot say (or that a test should not need a file for).
 */
import * as pulumi from "@pulumi/pulumi";
import { PlanRecorder } from "../../cli/plan/recorder";
import { clusterObjects, withPlainStackTraces, type Plan } from "../../cli/plan/run";
import { parseStackConfig } from "../../components/config/load";
import type { SemesterConfig } from "../../components/config/schema";
import { readStackConfig, stackFile } from "../../components/config/stack-file";
import { definePlatform } from "../../components/program";

export async function variantPlan(
  stack: string,
  now: number,
  change: (config: SemesterConfig) => SemesterConfig,
): Promise<Plan> {
  const raw = readStackConfig(process.cwd(), stack);
  const config = change(parseStackConfig(raw, stackFile(stack)));
  const recorder = new PlanRecorder();
  await recorder.install("semester", stack);
  pulumi.runtime.setAllConfig(raw);
  const platform = await withPlainStackTraces(async () => {
    const defined = definePlatform(config, { name: `semester-${stack}`, now });
    await PlanRecorder.settle();
    return defined;
  });
  const resources = recorder.resources();
  return { stack, config, resources, objects: clusterObjects(resources), platform };
}
