import { runPolicies, type PolicyRunResult } from "./policy-run";
import { formatProblem, validateObjects } from "../../components/objects";
import type { Plan } from "./run";
import { analyseWiring, type GameDayContext, type WiringReport } from "./wiring";
import type { RegionGameDays } from "../../components/chaos";
import { analyseObservability, type ObservabilityReport } from "./observability";
import { analyseResilience, type ResilienceReport } from "./resilience";
import { withInjectedSidecars } from "./mesh-injection";

export interface PlanChecks {
  /** Every object that does not validate against its upstream schema: `region: Kind ns/name: path: reason`. */
  readonly schemaProblems: string[];
  readonly policy: PolicyRunResult;
  /** What the plan proves about identity, network paths and dependencies, and every broken link. */
  readonly wiring: WiringReport;
  /** Every PromQL expression parses, every metric it reads is produced, every Helm value is one its chart reads. */
  readonly observability: ObservabilityReport;
  /** Zonal autoshift kept out of exams, pod priorities matching tiers. */
  readonly resilience: ResilienceReport;
}

/**
 * What the plan checks before it calls itself good: every Kubernetes object against its upstream schema
 * (CRDs and the Kubernetes API), then the CEL rules and the CrossGuard pack against everything recorded, then the
 * wiring (identity, network paths, dependencies) a real deploy needs, then the observability: PromQL, metric
 * provenance and Helm values against the vendored charts.
 */
export async function checkPlan(plan: Plan): Promise<PlanChecks> {
  const schemaProblems: string[] = [];
  const regions = [...new Set(plan.objects.map((o) => o.region))].sort();
  for (const region of regions) {
    const objects = plan.objects.filter((o) => o.region === region).map((o) => o.object);
    for (const problem of validateObjects(objects))
      schemaProblems.push(`${region}: ${formatProblem(problem)}`);
  }
  const policy = await runPolicies({
    resources: plan.resources,
    // Meshed workloads as admitted: with istiod's sidecar (mesh-injection.ts).
    objects: withInjectedSidecars(plan.objects, plan.config.mesh),
    config: plan.config.governance,
  });
  return {
    schemaProblems,
    policy,
    wiring: analyseWiring({ ...plan, gameDays: gameDayContext(plan) }),
    observability: analyseObservability(plan),
    resilience: analyseResilience(plan),
  };
}

/** What each region's GameDay slots were planned against, for the wiring's schedule checks. */
export function gameDayContext(plan: Pick<Plan, "platform" | "config">): GameDayContext {
  const constraints: Record<string, NonNullable<RegionGameDays["constraints"]>> = {};
  for (const [region, g] of Object.entries(plan.platform.gameDays ?? {}))
    if (g.constraints !== undefined) constraints[region] = g.constraints;
  return { constraints, governance: plan.config.governance };
}
