import type { PlannedResource } from "../../cli/plan/record";
import { PlanRecorder } from "../../cli/plan/recorder";

/** Runs `build` under the offline plan's mocks and returns every resource it registered. */
export async function recordResources(build: () => void): Promise<PlannedResource[]> {
  const recorder = new PlanRecorder();
  await recorder.install("semester", "test");
  build();
  await PlanRecorder.settle();
  return recorder.resources();
}

/** The single resource of a type (and optional name suffix); fails loudly when there is not exactly one. */
export function only(resources: readonly PlannedResource[], type: string, nameSuffix = ""): PlannedResource {
  const found = resources.filter((r) => r.type === type && r.name.endsWith(nameSuffix));
  if (found.length !== 1) {
    throw new Error(
      `expected one ${type} named *${nameSuffix}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`,
    );
  }
  return found[0]!;
}

export function ofType(resources: readonly PlannedResource[], type: string): PlannedResource[] {
  return resources.filter((r) => r.type === type);
}
