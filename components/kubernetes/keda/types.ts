/**
 * The KEDA and HPA shapes Semester emits, as the vendored KEDA 2.20.2 ScaledObject CRD defines them
 * (`components/objects/crds/keda`): triggers (`spec.triggers[]`) and the HPA behavior KEDA passes on
 * (`spec.advanced.horizontalPodAutoscalerConfig.behavior`, autoscaling/v2 `HorizontalPodAutoscalerBehavior`).
 */

export const KEDA_API_VERSION = "keda.sh/v1alpha1";

/** A KEDA trigger (`spec.triggers[]`). Metadata values are strings in KEDA. */
export interface KedaTrigger {
  readonly type: string;
  /** Unique within the ScaledObject. */
  readonly name?: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly metricType?: "AverageValue" | "Value" | "Utilization";
  readonly authenticationRef?: { readonly name: string; readonly kind?: "TriggerAuthentication" };
  readonly useCachedMetrics?: boolean;
}

/**
 * KEDA's cron scaler: while `start`..`end` (cron specs in `timezone`) is active it asks for `desiredReplicas`
 * (a string, as all metadata; KEDA rejects "0"). The calendar's triggers take this shape.
 */
export interface KedaCronTrigger extends KedaTrigger {
  readonly type: "cron";
  readonly name: string;
  readonly metadata: {
    readonly timezone: string;
    readonly start: string;
    readonly end: string;
    readonly desiredReplicas: string;
  };
}

/** One HPA scaling policy (autoscaling/v2 `HPAScalingPolicy`). */
export interface HpaScalingPolicy {
  readonly type: "Pods" | "Percent";
  readonly value: number;
  readonly periodSeconds: number;
}

/** The rules of one direction (autoscaling/v2 `HPAScalingRules`). */
export interface HpaScalingRules {
  readonly stabilizationWindowSeconds?: number;
  readonly selectPolicy?: "Max" | "Min" | "Disabled";
  readonly policies?: readonly HpaScalingPolicy[];
  /** Kubernetes >= 1.33 (HPAConfigurableTolerance); absent means the cluster default (0.1). */
  readonly tolerance?: string;
}

/** The HPA behavior of a ScaledObject; a direction left out gets the Kubernetes default. */
export interface HpaBehavior {
  readonly scaleUp?: HpaScalingRules;
  readonly scaleDown?: HpaScalingRules;
}
