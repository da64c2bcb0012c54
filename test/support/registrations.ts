import * as pulumi from "@pulumi/pulumi";
import type { PlannedResource } from "../../cli/plan/record";
import { PlanRecorder } from "../../cli/plan/recorder";

/** A recorded resource with the `ignoreChanges` its registration carried to the engine. */
export type RegisteredResource = PlannedResource & { readonly ignoreChanges: readonly string[] };

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getIgnorechangesList(): string[];
}

interface MonitorLike {
  registerResource(req: RegisterRequest, callback: (err: unknown, res: unknown) => void): Promise<void>;
  newUrn(parent: string, type: string, name: string): string;
}

/**
 * Runs `build` under the offline plan's mocks, like `recordResources`, and also reads each registration
 * request's `ignoreChanges`: what the SDK sends the engine after every transformation has run (the mocks
 * themselves are not shown resource options).
 */
export async function recordWithIgnoreChanges(build: () => void): Promise<RegisteredResource[]> {
  const recorder = new PlanRecorder();
  await recorder.install("semester", "test");
  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;
  const ignored = new Map<string, string[]>();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    ignored.set(monitor.newUrn(req.getParent(), req.getType(), req.getName()), req.getIgnorechangesList());
    return register(req, callback);
  };
  build();
  await PlanRecorder.settle();
  return recorder.resources().map((r) => ({ ...r, ignoreChanges: ignored.get(r.urn) ?? [] }));
}
