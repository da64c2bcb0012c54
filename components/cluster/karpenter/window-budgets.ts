/**
 * The calendar's protected windows as Karpenter disruption budgets: `nodes: "0"` with no `reasons`, so no
 * voluntary disruption of any reason (Empty, Drifted, Underutilized) starts while one is active.
 *
 * Relied on (kubernetes-sigs/karpenter `pkg/apis/v1/nodepool.go`, `Budget.IsActive`, v1.x): the schedule is parsed
 * as `TZ=UTC <schedule>` with robfig/cron's standard parser, and a budget is active at `now` when the schedule's next
 * hit after `now - duration` is not after `now`, i.e. from each hit for `duration`. The most restrictive active
 * budget wins. The CRD (`karpenter.sh_nodepools.yaml`) allows at most 50 budgets per NodePool, requires `duration`
 * with `schedule`, and spells a duration as hours and minutes (`1h30m`).
 */

/** @internal Karpenter's limit on budgets per NodePool (the CRD's `maxItems`). */
export const KARPENTER_MAX_BUDGETS = 50;

/** A window during which no node of the pool may be disrupted voluntarily: from each UTC `schedule` hit. */
export interface ZeroBudgetWindow {
  readonly schedule: string;
  readonly durationMinutes: number;
}

/** @internal The budgets a NodePool gets for the windows. */
export function zeroBudgets(windows: readonly ZeroBudgetWindow[]): {
  nodes: string;
  schedule: string;
  duration: string;
}[] {
  return windows.map((w) => ({
    nodes: "0",
    schedule: w.schedule,
    duration: karpenterDuration(w.durationMinutes),
  }));
}

/** @internal Whole minutes as the CRD spells a duration: `45m`, `2h`, `1h30m`. */
export function karpenterDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${h > 0 ? `${h}h` : ""}${m > 0 || h === 0 ? `${m}m` : ""}`;
}
