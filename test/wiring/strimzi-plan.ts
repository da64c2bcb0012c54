/**
 * The dev stack with the in-cluster Kafka backend, planned like `runPlan` does. A stack file cannot say it: the
 * default services scale enrollment and analytics on Kafka lag, which the config refuses on Strimzi, and a stack can
 * only add to the defaults, never drop a trigger; so the parsed config is changed here (those two scale on CPU).
 */
import * as pulumi from "@pulumi/pulumi";
import { PlanRecorder } from "../../cli/plan/recorder";
import { clusterObjects, withPlainStackTraces, type Plan } from "../../cli/plan/run";
import { parseStackConfig } from "../../components/config/load";
import type { SemesterConfig } from "../../components/config/schema";
import { readStackConfig, stackFile } from "../../components/config/stack-file";
import { definePlatform } from "../../components/program";

const NOW = Date.parse("2026-10-19T00:00:00Z");

export async function strimziPlan(
  change: (config: SemesterConfig) => SemesterConfig = (c) => c,
): Promise<Plan> {
  const raw = readStackConfig(process.cwd(), "dev");
  const parsed = parseStackConfig(raw, stackFile("dev"));
  const services = Object.fromEntries(
    Object.entries(parsed.services).map(([name, s]) => [
      name,
      s.scaling.kafka === undefined
        ? s
        : { ...s, scaling: { ...s.scaling, kafka: undefined, cpuUtilization: 70 } },
    ]),
  ) as SemesterConfig["services"];
  const config = change({
    ...parsed,
    services,
    data: { ...parsed.data, kafka: { ...parsed.data.kafka, backend: "strimzi" } },
  });
  const recorder = new PlanRecorder();
  await recorder.install("semester", "strimzi");
  pulumi.runtime.setAllConfig(raw);
  const platform = await withPlainStackTraces(async () => {
    const defined = definePlatform(config, { name: "semester-strimzi", now: NOW });
    await PlanRecorder.settle();
    return defined;
  });
  const resources = recorder.resources();
  return { stack: "strimzi", config, resources, objects: clusterObjects(resources), platform };
}
