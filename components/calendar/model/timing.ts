/**
 * How long a scale-out takes, and which level to emit so the HPA's tolerance cannot stop short of the need.
 *
 * Relied on (kubernetes/kubernetes `pkg/controller/podautoscaler`):
 * - `replica_calculator.go` `GetExternalPerPodMetricReplicas`: usageRatio = metric / (target * currentReplicas);
 *   the replica count changes (to ceil(metric / target)) only when |1 - usageRatio| > tolerance. KEDA's cron
 *   metric is `desiredReplicas` against an AverageValue target of 1, so from c replicas a trigger level d acts only
 *   when |1 - d/c| > tolerance.
 * - `horizontal.go` `calculateScaleUpLimitWithScalingRules`: per policy, periodStartReplicas = current - replicas
 *   added within the policy's period (+ removed); Pods proposes start + value, Percent ceil(start * (1 + value/100));
 *   `Max` takes the largest proposal, `Min` the smallest. The HPA takes the largest proposal over its metrics.
 */
import type { TimingModel } from "../types";
import { KUBERNETES_DEFAULT_SCALE_UP, type HpaBehavior, type HpaScalingRules } from "../../kubernetes";
import type { Problem } from "../../core";

/** KEDA's and kube-controller-manager's defaults plus conservative start-up times. */
export const DEFAULT_TIMING: TimingModel = {
  kedaPollingSeconds: 30,
  hpaSyncSeconds: 15,
  podReadySeconds: 90,
  nodeProvisionSeconds: 120,
  nodeBatchSeconds: 10,
  preemptionSeconds: 5,
  hpaTolerance: 0.1,
};

/**
 * Where a ramp ends, which decides what follows the HPA's last step:
 * - `newNode`: the pods wait one Karpenter batch window and a node launch, then become Ready (no pre-provisioning);
 * - `preProvisionedNode`: the pods preempt placeholders on a node that already runs, then become Ready;
 * - `placeholderNode`: the placeholders wait one Karpenter batch window and the node's launch (pause pods need no
 *   readiness: the node is what they hold);
 * - `created`: every pod exists (how long placeholders must stay for the real pods to take their room).
 */
export const RAMP_ENDS = {
  newNode: "newNode",
  preProvisionedNode: "preProvisionedNode",
  placeholderNode: "placeholderNode",
  created: "created",
} as const;
export type RampEnd = (typeof RAMP_ENDS)[keyof typeof RAMP_ENDS];

/** Seconds from the HPA's last scale-up step to the ramp's end. */
function endSeconds(timing: TimingModel, end: RampEnd): number {
  switch (end) {
    case "newNode":
      return timing.nodeBatchSeconds + timing.nodeProvisionSeconds + timing.podReadySeconds;
    case "preProvisionedNode":
      return timing.preemptionSeconds + timing.podReadySeconds;
    case "placeholderNode":
      return timing.nodeBatchSeconds + timing.nodeProvisionSeconds;
    case "created":
      return 0;
    default: {
      const never: never = end;
      throw new Error(`unknown ramp end ${String(never)}`);
    }
  }
}

/** @internal Problems with a timing model (every field finite and >= 0, the sync period > 0). */
export function validateTiming(timing: TimingModel, path = "timing"): Problem[] {
  const problems: Problem[] = [];
  for (const [key, value] of Object.entries(timing)) {
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      problems.push({ path: `${path}.${key}`, value, rule: "must be a finite number >= 0" });
    }
  }
  if (timing.hpaSyncSeconds === 0)
    problems.push({ path: `${path}.hpaSyncSeconds`, value: 0, rule: "must be > 0" });
  return problems;
}

/**
 * The level to emit for a requirement of `required` replicas: the smallest L >= required with
 * L > (1 + tolerance) * (required - 1), capped at `maxReplicas`. From any current c < required the ratio L / c then
 * exceeds 1 + tolerance, so the HPA keeps scaling; it may stop inside the tolerance band below L, but every integer
 * in that band is >= required.
 * @internal
 */
export function toleranceSafeLevel(required: number, tolerance: number, maxReplicas: number): number {
  if (required <= 1 || tolerance <= 0) return Math.min(required, maxReplicas);
  const bound = (1 + tolerance) * (required - 1);
  // Treat a bound within 1e-9 of an integer as that integer: the next integer is then strictly above it.
  const floorBound = Math.floor(bound + 1e-9);
  return Math.min(Math.max(required, floorBound + 1), maxReplicas);
}

/** The replicas one HPA sync may reach from `current`, given scale-ups `events` (time s, pods added). */
function scaleUpLimit(
  current: number,
  now: number,
  events: readonly [number, number][],
  rules: HpaScalingRules,
): number {
  const policies = rules.policies ?? [];
  const useMin = rules.selectPolicy === "Min";
  let result = useMin ? Infinity : -Infinity;
  for (const p of policies) {
    const added = events.filter(([t]) => t > now - p.periodSeconds).reduce((sum, [, n]) => sum + n, 0);
    const start = current - added;
    const proposed = p.type === "Pods" ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    result = useMin ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/**
 * A memoised ramp model: `rampSeconds(from, to)` is the time from a trigger turning active until `to` replicas are
 * Ready when `from` are running. Worst case: KEDA notices after one polling interval, the HPA after one sync and its
 * scale-up stabilization window; then one sync per rate-limited step (simulated with the behavior's policies);
 * then what `end` says follows the last step (by default the pods need a new node and then become Ready). From 0,
 * KEDA's activation first makes 1 replica.
 */
export function createRampModel(
  timing: TimingModel,
  behavior: HpaBehavior,
  end: RampEnd = RAMP_ENDS.newNode,
): (from: number, to: number) => number {
  const rules = behavior.scaleUp ?? KUBERNETES_DEFAULT_SCALE_UP;
  const memo = new Map<string, number>();
  return (from: number, to: number): number => {
    if (to <= from) return 0;
    const key = `${from}:${to}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let now = timing.kedaPollingSeconds + timing.hpaSyncSeconds + (rules.stabilizationWindowSeconds ?? 0);
    let current = Math.max(from, 1);
    const events: [number, number][] = [];
    for (let steps = 0; current < to; steps++) {
      if (steps > 100_000) throw new Error(`createRampModel: scale-up from ${from} to ${to} never completes`);
      if (steps > 0) now += timing.hpaSyncSeconds;
      const next = Math.min(to, scaleUpLimit(current, now, events, rules));
      if (next > current) events.push([now, next - current]);
      current = Math.max(current, next);
    }
    const seconds = now + endSeconds(timing, end);
    memo.set(key, seconds);
    return seconds;
  };
}
