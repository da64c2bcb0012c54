/**
 * The wiring analysis: what the offline plan proves beyond valid objects, per region — identity (every principal
 * that calls AWS has a role its pods can assume, allowing its calls and denying the neighbours), network (every
 * endpoint a binding hands out is reachable) and dependencies (every Ingress class, StorageClass and custom
 * resource has its controller, driver or CRD installed before it). A finding is mandatory: the plan fails.
 */
import { serviceBindings } from "./bindings";
import { dataPathChecks } from "./data-paths";
import { dependencyFindings } from "./dependencies";
import { identityChecks } from "./identity";
import { PlanIndex, type WiringInput } from "./model";
import { principals } from "./principals";
import { telemetryPathChecks } from "./telemetry-paths";
import { meshPathChecks } from "./mesh-paths";
import { chaosChecks, type GameDayContext } from "./chaos";
import { scheduledScalingChecks } from "./scheduled-scaling";
import type { ProvenPath, WiringFinding, WiringReport } from "./types";

export { findingMessage } from "./types";
export type { ProvenPath, WiringFinding, WiringReport } from "./types";

const order = (a: { region: string; subject: string; path: string }, b: typeof a) =>
  a.region.localeCompare(b.region) || a.subject.localeCompare(b.subject) || a.path.localeCompare(b.path);

export type { GameDayContext } from "./chaos";

export function analyseWiring(input: WiringInput & { readonly gameDays?: GameDayContext }): WiringReport {
  const idx = new PlanIndex(input);
  // Every service's binding, read back once: both the identity and the network checks start from it.
  const bindings = serviceBindings(idx);
  const parts = [
    identityChecks(idx, principals(idx, bindings)),
    dataPathChecks(idx, bindings),
    dependencyFindings(input, idx),
    telemetryPathChecks(idx),
    meshPathChecks(idx),
    chaosChecks(idx, input.gameDays),
    scheduledScalingChecks(idx),
  ];
  const proven: ProvenPath[] = parts.flatMap((p) => p.proven).sort(order);
  const findings: WiringFinding[] = parts.flatMap((p) => p.findings).sort(order);
  return { proven, findings };
}
