/**
 * A step simulation of an HPA (as KEDA creates it) over an Argo Rollout's `scale` subresource during a
 * traffic-routed canary, for the #4847 argument in README "Delivery". Independent of the product code.
 *
 * Modelled from upstream:
 * - Argo Rollouts `CalculateReplicaCountsForTrafficRoutedCanary`: canary = ceil(w × spec / 100); stable = spec
 *   (dynamicStableScale false) or ceil((100 − w) × spec / 100); `status.HPAReplicas` (the scale subresource's
 *   status replicas) = every ReplicaSet's pods.
 * - Kubernetes `GetExternalPerPodMetricReplicas` (KEDA's cron trigger: AverageValue, target 1, metric = the
 *   floor): proposal = status replicas when the usage ratio floor / status is within the tolerance band
 *   [1 − scaleDown, 1 + scaleUp], else ceil(floor / 1). Scale-up tolerance 0 (as shipped); scale-down varies.
 * - The scale-down stabilization window: the highest proposal of the last `windowSteps` steps.
 */
export interface SimArgs {
  readonly floor: number;
  /** Canary weights, one simulated phase each. */
  readonly weights: readonly number[];
  readonly dynamicStableScale: boolean;
  readonly scaleDownTolerance: number;
  /** HPA syncs per canary phase. @default 40 */
  readonly syncsPerPhase?: number;
  /** Scale-down stabilization window, in syncs. @default 20 (300 s at 15 s) */
  readonly windowSteps?: number;
}

export interface SimStep {
  readonly weight: number;
  readonly spec: number;
  readonly status: number;
}

const pods = (spec: number, weight: number, dynamic: boolean) =>
  Math.ceil((weight * spec) / 100) + (dynamic ? Math.ceil(((100 - weight) * spec) / 100) : spec);

export function simulateRolloutHpa(args: SimArgs): SimStep[] {
  const syncs = args.syncsPerPhase ?? 40;
  const windowSteps = args.windowSteps ?? 20;
  let spec = args.floor;
  const recommendations: number[] = [];
  const trace: SimStep[] = [];
  for (const weight of args.weights) {
    for (let i = 0; i < syncs; i++) {
      const status = pods(spec, weight, args.dynamicStableScale);
      const ratio = args.floor / status;
      const within = ratio >= 1 - args.scaleDownTolerance && ratio <= 1;
      const proposal = within ? status : args.floor;
      recommendations.push(proposal);
      const recent = recommendations.slice(-windowSteps);
      // Scale up at once (no up-window); scale down only to the highest recent recommendation.
      spec = proposal > spec ? proposal : Math.min(spec, Math.max(...recent));
      trace.push({ weight, spec, status });
    }
  }
  return trace;
}
