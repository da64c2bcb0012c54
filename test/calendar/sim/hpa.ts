/**
 * The Horizontal Pod Autoscaler controller, reduced to what a KEDA cron ScaledObject exercises, re-implemented
 * from kubernetes pkg/controller/podautoscaler (horizontal.go, replica_calculator.go) and the autoscaling/v2
 * defaults (pkg/apis/autoscaling/v2/defaults.go). No code is copied; names follow upstream so the two can be
 * read side by side.
 *
 * - reconcileAutoscaler: with spec replicas 0 and minReplicas > 0 autoscaling is disabled; above max -> max,
 *   below min -> min; otherwise the proposal is the maximum over the metrics, normalised by
 *   normalizeDesiredReplicas (no behavior) or normalizeDesiredReplicasWithBehaviors, and written when it differs
 *   from the current spec replicas; a written change is stored as a scale event (only when behavior is set).
 * - GetExternalPerPodMetricReplicas (AverageValue target): usage is the metric's milli-value; ratio =
 *   usage / (target * statusReplicas); inside the tolerance band [1 - down, 1 + up] the proposal is
 *   statusReplicas, else ceil(usage / target).
 * - Tolerances: the controller flag (0.1) for both directions, each overridden by behavior.scaleUp/scaleDown
 *   .tolerance when set (HPAConfigurableTolerance).
 * - stabilizeRecommendationWithBehaviors: up limit = min of recommendations newer than now - scaleUp window,
 *   down limit = max of those newer than now - scaleDown window, both seeded with the new recommendation; the
 *   current replicas are pushed into [up, down]; the raw recommendation is stored (reusing an entry older than
 *   both windows).
 * - convertDesiredReplicasWithBehaviorRate with calculateScaleUpLimitWithScalingRules /
 *   calculateScaleDownLimitWithBehaviors: per policy, the replicas at the start of its period are current -
 *   added + deleted within (now - periodSeconds, now]; Pods adds/removes `value`, Percent multiplies by
 *   (1 +- value/100) (ceil up, truncation down); selectPolicy Max picks the largest change, Min the smallest,
 *   Disabled none; the limit never moves past current, and min/max clamp last.
 * - Without behavior: stabilizeRecommendation (max over the downscale window, default 300 s) and
 *   convertDesiredReplicasWithRules (scale-up limit max(2 * current, 4)).
 */
import type { HpaBehavior, HpaScalingPolicy, HpaScalingRules } from "../../../components/kubernetes/keda";

// Globals are bound once: jest runs tests in a vm context where every global lookup (Math, Date, Infinity) is
// slow enough to dominate the simulator's inner loops.
const { ceil, trunc, min, max } = Math;

/** HPAScalingRules after API defaulting (every field present except a scale-down window left to the controller). */
export interface ResolvedRules {
  readonly stabilizationWindowSeconds: number;
  readonly selectPolicy: "Max" | "Min" | "Disabled";
  readonly policies: readonly HpaScalingPolicy[];
  readonly tolerance?: number;
}
export interface ResolvedBehavior {
  readonly scaleUp: ResolvedRules;
  readonly scaleDown: ResolvedRules;
}

/** Parse a resource.Quantity tolerance such as "0.05" or "50m". */
export function parseQuantity(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(q.trim());
  if (m === null) throw new Error(`invalid quantity ${JSON.stringify(q)}`);
  return Number(m[1]) / (m[2] === "m" ? 1000 : 1);
}

/**
 * defaults.go GenerateHPAScaleUpRules / GenerateHPAScaleDownRules, then maybeInitScaleDownStabilizationWindow:
 * scale-up defaults to window 0, Max, [4 Pods / 15 s, 100 % / 15 s]; scale-down to Max, [100 % / 15 s] and the
 * controller's downscale window. A field the user set wins; user policies replace the default list.
 */
export function resolveBehavior(b: HpaBehavior, downscaleStabilizationSeconds: number): ResolvedBehavior {
  const rules = (
    r: HpaScalingRules | undefined,
    window: number,
    policies: HpaScalingPolicy[],
  ): ResolvedRules => ({
    stabilizationWindowSeconds: r?.stabilizationWindowSeconds ?? window,
    selectPolicy: r?.selectPolicy ?? "Max",
    policies: r?.policies ?? policies,
    tolerance: r?.tolerance === undefined ? undefined : parseQuantity(r.tolerance),
  });
  return {
    scaleUp: rules(b.scaleUp, 0, [
      { type: "Pods", value: 4, periodSeconds: 15 },
      { type: "Percent", value: 100, periodSeconds: 15 },
    ]),
    scaleDown: rules(b.scaleDown, downscaleStabilizationSeconds, [
      { type: "Percent", value: 100, periodSeconds: 15 },
    ]),
  };
}

export interface Tolerances {
  readonly scaleDown: number;
  readonly scaleUp: number;
}

/** replica_calculator.go Tolerances.isWithin. */
export function isWithin(t: Tolerances, usageRatio: number): boolean {
  return 1.0 - t.scaleDown <= usageRatio && usageRatio <= 1.0 + t.scaleUp;
}

/**
 * GetExternalPerPodMetricReplicas with integer milli-values, as upstream: `usageMilli` summed over the metric's
 * series, `targetMilli` the AverageValue target.
 */
export function externalPerPodReplicas(
  statusReplicas: number,
  usageMilli: number,
  targetMilli: number,
  tolerances: Tolerances,
): number {
  const usageRatio = usageMilli / (targetMilli * statusReplicas);
  if (isWithin(tolerances, usageRatio)) return statusReplicas;
  return ceil(usageMilli / targetMilli);
}

/** A timestamped scale event (replicaChange > 0 for both directions; the list says which). */
export interface ScaleEvent {
  replicaChange: number;
  timestamp: number;
  outdated: boolean;
}

/** getReplicasChangePerPeriod: events strictly newer than now - periodSeconds. */
export function replicasChangePerPeriod(
  periodSeconds: number,
  events: readonly ScaleEvent[],
  now: number,
): number {
  const cutoff = now - periodSeconds * 1000;
  let sum = 0;
  for (const e of events) if (e.timestamp > cutoff) sum += e.replicaChange;
  return sum;
}

/** calculateScaleUpLimitWithScalingRules. */
export function scaleUpLimit(
  currentReplicas: number,
  upEvents: readonly ScaleEvent[],
  downEvents: readonly ScaleEvent[],
  rules: ResolvedRules,
  now: number,
): number {
  if (rules.selectPolicy === "Disabled") return currentReplicas;
  const pickMin = rules.selectPolicy === "Min";
  let result = pickMin ? 2147483647 : -2147483648;
  for (const p of rules.policies) {
    const added = replicasChangePerPeriod(p.periodSeconds, upEvents, now);
    const deleted = replicasChangePerPeriod(p.periodSeconds, downEvents, now);
    const periodStart = currentReplicas - added + deleted;
    // Percent rounds up so that a small replica count can still grow.
    const proposed = p.type === "Pods" ? periodStart + p.value : ceil(periodStart * (1 + p.value / 100));
    result = pickMin ? min(result, proposed) : max(result, proposed);
  }
  return result;
}

/** calculateScaleDownLimitWithBehaviors. */
export function scaleDownLimit(
  currentReplicas: number,
  upEvents: readonly ScaleEvent[],
  downEvents: readonly ScaleEvent[],
  rules: ResolvedRules,
  now: number,
): number {
  if (rules.selectPolicy === "Disabled") return currentReplicas;
  const pickMin = rules.selectPolicy === "Min"; // the smallest change is the highest floor
  let result = pickMin ? -2147483648 : 2147483647;
  for (const p of rules.policies) {
    const added = replicasChangePerPeriod(p.periodSeconds, upEvents, now);
    const deleted = replicasChangePerPeriod(p.periodSeconds, downEvents, now);
    const periodStart = currentReplicas - added + deleted;
    // int32(float64 * (1 - v/100)) truncates toward zero.
    const proposed = p.type === "Pods" ? periodStart - p.value : trunc(periodStart * (1 - p.value / 100));
    result = pickMin ? max(result, proposed) : min(result, proposed);
  }
  return result;
}

export interface HpaSpec {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** undefined = the HPA has no behavior (legacy normalisation). */
  readonly behavior?: HpaBehavior;
  /** --horizontal-pod-autoscaler-tolerance. @default 0.1 */
  readonly tolerance?: number;
  /** --horizontal-pod-autoscaler-downscale-stabilization. @default 300 */
  readonly downscaleStabilizationSeconds?: number;
  /** Whether behavior tolerances are honoured (HPAConfigurableTolerance). @default true */
  readonly configurableTolerance?: boolean;
}

/** One HPA object's controller state: recommendations and scale events, as the controller keeps them per key. */
export class HpaController {
  readonly recommendations: { recommendation: number; timestamp: number }[] = [];
  readonly upEvents: ScaleEvent[] = [];
  readonly downEvents: ScaleEvent[] = [];
  private readonly resolved?: ResolvedBehavior;
  readonly tolerances: Tolerances;
  private readonly downscaleWindowMs: number;
  /** The prenormalized proposal of the last metric-driven sync (the value stored as a recommendation). */
  lastProposal = 0;

  constructor(readonly spec: HpaSpec) {
    const base = spec.tolerance ?? 0.1;
    this.downscaleWindowMs = (spec.downscaleStabilizationSeconds ?? 300) * 1000;
    if (spec.behavior !== undefined) {
      this.resolved = resolveBehavior(spec.behavior, spec.downscaleStabilizationSeconds ?? 300);
    }
    const configurable = (spec.configurableTolerance ?? true) && this.resolved !== undefined;
    this.tolerances = {
      scaleUp: (configurable ? this.resolved?.scaleUp.tolerance : undefined) ?? base,
      scaleDown: (configurable ? this.resolved?.scaleDown.tolerance : undefined) ?? base,
    };
  }

  /**
   * One reconcileAutoscaler pass at `now` (epoch ms). `metricsMilli` are the external metric values (milli), each
   * with an AverageValue target of `targetMilli`. Returns the spec replicas after the pass.
   */
  sync(
    now: number,
    currentReplicas: number,
    statusReplicas: number,
    metricsMilli: readonly number[],
    targetMilli = 1000,
  ): number {
    const { minReplicas, maxReplicas } = this.spec;
    let desired: number;
    if (currentReplicas === 0 && minReplicas !== 0) return currentReplicas; // autoscaling disabled
    if (currentReplicas > maxReplicas) desired = maxReplicas;
    else if (currentReplicas < minReplicas) desired = minReplicas;
    else {
      // computeReplicasForMetrics: the largest proposal wins.
      let proposal = 0;
      for (const m of metricsMilli) {
        const r = externalPerPodReplicas(statusReplicas, m, targetMilli, this.tolerances);
        if (proposal === 0 || r > proposal) proposal = r;
      }
      this.lastProposal = proposal;
      desired =
        this.resolved === undefined
          ? this.normalize(now, currentReplicas, proposal)
          : this.normalizeWithBehaviors(now, currentReplicas, proposal, this.resolved);
    }
    if (desired !== currentReplicas) this.storeScaleEvent(now, currentReplicas, desired);
    return desired;
  }

  /** normalizeDesiredReplicas: stabilizeRecommendation then convertDesiredReplicasWithRules. */
  private normalize(now: number, current: number, prenormalized: number): number {
    const cutoff = now - this.downscaleWindowMs;
    let highest = prenormalized;
    let oldIndex = -1;
    this.recommendations.forEach((rec, i) => {
      if (rec.timestamp < cutoff) oldIndex = i;
      else if (rec.recommendation > highest) highest = rec.recommendation;
    });
    this.record(oldIndex, prenormalized, now);
    const upLimit = max(2 * current, 4);
    const maximumAllowed = min(this.spec.maxReplicas, upLimit);
    if (highest < this.spec.minReplicas) return this.spec.minReplicas;
    if (highest > maximumAllowed) return maximumAllowed;
    return highest;
  }

  private record(oldIndex: number, recommendation: number, now: number): void {
    const entry = { recommendation, timestamp: now };
    if (oldIndex >= 0) this.recommendations[oldIndex] = entry;
    else this.recommendations.push(entry);
  }

  /** normalizeDesiredReplicasWithBehaviors: stabilizeRecommendationWithBehaviors then the rate limits. */
  private normalizeWithBehaviors(
    now: number,
    current: number,
    prenormalized: number,
    b: ResolvedBehavior,
  ): number {
    const upCutoff = now - b.scaleUp.stabilizationWindowSeconds * 1000;
    const downCutoff = now - b.scaleDown.stabilizationWindowSeconds * 1000;
    let up = prenormalized;
    let down = prenormalized;
    let oldIndex = -1;
    this.recommendations.forEach((rec, i) => {
      if (rec.timestamp > upCutoff) up = min(rec.recommendation, up);
      if (rec.timestamp > downCutoff) down = max(rec.recommendation, down);
      if (rec.timestamp < upCutoff && rec.timestamp < downCutoff) oldIndex = i;
    });
    let stabilized = current;
    if (stabilized < up) stabilized = up;
    if (stabilized > down) stabilized = down;
    this.record(oldIndex, prenormalized, now);

    // convertDesiredReplicasWithBehaviorRate
    const { minReplicas, maxReplicas } = this.spec;
    if (stabilized > current) {
      let limit = scaleUpLimit(current, this.upEvents, this.downEvents, b.scaleUp, now);
      if (limit < current) limit = current;
      const maximumAllowed = min(maxReplicas, limit);
      if (stabilized > maximumAllowed) return maximumAllowed;
    } else if (stabilized < current) {
      let limit = scaleDownLimit(current, this.upEvents, this.downEvents, b.scaleDown, now);
      if (limit > current) limit = current;
      const minimumAllowed = max(minReplicas, limit);
      if (stabilized < minimumAllowed) return minimumAllowed;
    }
    return stabilized;
  }

  /**
   * How long (ms) the controller remembers anything: the longest stabilization window or policy period. After this
   * long with unchanged inputs and no scale change, every further sync with those inputs returns the same count.
   */
  memoryMs(): number {
    const r = this.resolved;
    if (r === undefined) return this.downscaleWindowMs;
    const longest = (rules: ResolvedRules): number =>
      max(rules.stabilizationWindowSeconds, ...rules.policies.map((p) => p.periodSeconds));
    return max(longest(r.scaleUp), longest(r.scaleDown)) * 1000;
  }

  /**
   * Stands for skipped steady syncs: each would have stored the same recommendation, and only the newest of equal
   * recommendations matters for the windowed min/max, so one entry at the last skipped sync is equivalent.
   */
  recordSkipped(timestamp: number, recommendation: number): void {
    this.recommendations.push({ recommendation, timestamp });
  }

  /** storeScaleEvent: nothing without behavior; otherwise reuse an event older than the longest policy period. */
  private storeScaleEvent(now: number, prev: number, next: number): void {
    if (this.resolved === undefined) return;
    const up = next > prev;
    const rules = up ? this.resolved.scaleUp : this.resolved.scaleDown;
    const events = up ? this.upEvents : this.downEvents;
    const longest = rules.policies.reduce((m, p) => max(m, p.periodSeconds), 0);
    const cutoff = now - longest * 1000;
    let oldIndex = -1;
    events.forEach((e, i) => {
      if (e.timestamp < cutoff) e.outdated = true;
      if (e.outdated) oldIndex = i;
    });
    const event: ScaleEvent = {
      replicaChange: up ? next - prev : prev - next,
      timestamp: now,
      outdated: false,
    };
    if (oldIndex >= 0) events[oldIndex] = event;
    else events.push(event);
  }
}
