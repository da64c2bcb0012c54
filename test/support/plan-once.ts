/** A stack's offline plan as `npm run plan` makes it, in this process: the plan, its files and its checks. */
import { checkPlan, type PlanChecks } from "../../cli/plan/check";
import { runPlan, type Plan } from "../../cli/plan/run";
import { planFiles } from "../../cli/plan/write";

/** The instant every plan test plans at, so the calendar's horizon and the plans' files are fixed. */
export const PLAN_NOW = Date.parse("2026-10-19T00:00:00Z");

export interface IsolatedPlan {
  readonly files: Map<string, string>;
  readonly checks: PlanChecks;
  readonly plan: Plan;
}

/**
 * Runs the plan as `npm run plan` would. Each run installs fresh mocks and records only its own registrations.
 * (jest.isolateModules is no help here: Pulumi requires modules lazily, so a run would mix two copies of the SDK.)
 */
export async function planOnce(stack: string, root?: string): Promise<IsolatedPlan> {
  const plan = await runPlan({ stack, now: PLAN_NOW, ...(root ? { root } : {}) });
  return { plan, files: planFiles(plan), checks: await checkPlan(plan) };
}
