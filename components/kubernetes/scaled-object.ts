/**
 * KEDA scaling for one service: exactly one ScaledObject per Deployment (KEDA allows only one), carrying the
 * service's own triggers plus any extra triggers from outside (the calendar's cron triggers), explicit HPA
 * behavior and a fallback, and a TriggerAuthentication when a trigger authenticates through pod identity.
 *
 * Field names follow the vendored KEDA 2.20.2 CRDs (schema/crds/keda); the emitted objects are validated
 * against them by `validateObjects`.
 */
import { Construct } from "constructs";
import { ApiObject } from "cdk8s";
import type { HpaBehavior } from "../calendar/types";
import { LABELS } from "./tiers";

export const KEDA_API_VERSION = "keda.sh/v1alpha1";

/** A KEDA trigger as the ScaledObject CRD defines it (`spec.triggers[]`). Metadata values are strings in KEDA. */
export interface KedaTrigger {
  readonly type: string;
  /** Unique within the ScaledObject. */
  readonly name?: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly metricType?: "AverageValue" | "Value" | "Utilization";
  readonly authenticationRef?: { readonly name: string; readonly kind?: "TriggerAuthentication" };
  readonly useCachedMetrics?: boolean;
}

/** A cron trigger as the calendar emits it; numbers in metadata are turned into the strings KEDA requires. */
export interface CronTriggerInput {
  readonly type: "cron";
  readonly name: string;
  readonly metadata: {
    readonly timezone: string;
    readonly start: string;
    readonly end: string;
    readonly desiredReplicas: string | number;
  };
}

/** Scaling inputs that come from outside the service's config (the calendar module). */
export interface ExternalScaling {
  /** Triggers appended to the service's own. @default [] */
  readonly triggers?: readonly (KedaTrigger | CronTriggerInput)[];
  /** HPA behavior; each direction given replaces the default for that direction. @default DEFAULT_BEHAVIOR */
  readonly behavior?: HpaBehavior;
  /** Raises `minReplicaCount`/`maxReplicaCount` when the calendar needs more (never lowers them). @default none */
  readonly minReplicas?: number;
  readonly maxReplicas?: number;
}

/** Fast scale-up (double every 15 s, at least 4 pods), damped scale-down (10% a minute after 5 minutes calm). */
export const DEFAULT_BEHAVIOR: Required<HpaBehavior> = {
  scaleUp: {
    stabilizationWindowSeconds: 0,
    selectPolicy: "Max",
    policies: [
      { type: "Percent", value: 100, periodSeconds: 15 },
      { type: "Pods", value: 4, periodSeconds: 15 },
    ],
  },
  scaleDown: {
    stabilizationWindowSeconds: 300,
    selectPolicy: "Min",
    policies: [{ type: "Percent", value: 10, periodSeconds: 60 }],
  },
};

export interface ServiceScaledObjectProps {
  readonly service: string;
  readonly namespace: string;
  readonly region: string;
  /** Name of the Deployment to scale. @default service */
  readonly deploymentName?: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** The service's own triggers. */
  readonly triggers: readonly KedaTrigger[];
  readonly external?: ExternalScaling;
  /**
   * Replicas to hold while a scaler fails. KEDA rejects a fallback on a ScaledObject with CPU or memory triggers
   * and only applies it to AverageValue metrics, so it must be `undefined` then. @default none
   */
  readonly fallbackReplicas?: number;
  /** Consecutive scaler failures before the fallback applies. @default 3 */
  readonly fallbackFailureThreshold?: number;
  /** @default 30 */
  readonly pollingIntervalSeconds?: number;
  /** @default 300 */
  readonly cooldownPeriodSeconds?: number;
  /** Extra labels. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Trigger types KEDA forbids together with a fallback. */
export const NO_FALLBACK_TRIGGER_TYPES: readonly string[] = ["cpu", "memory"];

/** Normalises triggers (string metadata, explicit metricType under a fallback) and checks names are unique. */
export function resolveTriggers(
  own: readonly KedaTrigger[],
  extra: readonly (KedaTrigger | CronTriggerInput)[],
  withFallback: boolean,
): KedaTrigger[] {
  const all: KedaTrigger[] = [...own, ...extra].map((t) => {
    const metadata = Object.fromEntries(Object.entries(t.metadata).map(([k, v]) => [k, String(v)]));
    const out: KedaTrigger = { ...t, metadata };
    // KEDA's webhook requires every trigger of a ScaledObject with a fallback to be AverageValue.
    return withFallback && out.metricType === undefined ? { ...out, metricType: "AverageValue" } : out;
  });
  const problems: string[] = [];
  const seen = new Set<string>();
  all.forEach((t, i) => {
    if (t.name === undefined) return;
    if (seen.has(t.name)) problems.push(`trigger ${i} (\`${t.type}\`) reuses the name \`${t.name}\``);
    seen.add(t.name);
    if (withFallback && NO_FALLBACK_TRIGGER_TYPES.includes(t.type)) {
      problems.push(`trigger \`${t.name}\` is \`${t.type}\`, which KEDA does not allow with a fallback`);
    }
  });
  if (problems.length > 0) throw new Error(`Invalid KEDA triggers:\n- ${problems.join("\n- ")}`);
  return all;
}

export class ServiceScaledObject extends Construct {
  public readonly apiObject: ApiObject;
  public readonly minReplicas: number;
  public readonly maxReplicas: number;

  constructor(scope: Construct, id: string, props: ServiceScaledObjectProps) {
    super(scope, id);
    const ext = props.external ?? {};
    this.minReplicas = Math.max(props.minReplicas, ext.minReplicas ?? 0);
    this.maxReplicas = Math.max(props.maxReplicas, ext.maxReplicas ?? 0, this.minReplicas);
    const withFallback = props.fallbackReplicas !== undefined;
    const triggers = resolveTriggers(props.triggers, ext.triggers ?? [], withFallback);
    const behavior = {
      scaleUp: ext.behavior?.scaleUp ?? DEFAULT_BEHAVIOR.scaleUp,
      scaleDown: ext.behavior?.scaleDown ?? DEFAULT_BEHAVIOR.scaleDown,
    };

    this.apiObject = new ApiObject(this, "scaled-object", {
      apiVersion: KEDA_API_VERSION,
      kind: "ScaledObject",
      metadata: {
        name: props.service,
        namespace: props.namespace,
        labels: { ...props.labels, [LABELS.region]: props.region, [LABELS.service]: props.service },
      },
      spec: {
        scaleTargetRef: {
          apiVersion: "apps/v1",
          kind: "Deployment",
          name: props.deploymentName ?? props.service,
        },
        minReplicaCount: this.minReplicas,
        maxReplicaCount: this.maxReplicas,
        pollingInterval: props.pollingIntervalSeconds ?? 30,
        cooldownPeriod: props.cooldownPeriodSeconds ?? 300,
        ...(withFallback
          ? {
              fallback: {
                failureThreshold: props.fallbackFailureThreshold ?? 3,
                replicas: props.fallbackReplicas,
                behavior: "static",
              },
            }
          : {}),
        advanced: {
          restoreToOriginalReplicaCount: false,
          horizontalPodAutoscalerConfig: { name: `keda-hpa-${props.service}`, behavior },
        },
        triggers,
      },
    });
  }
}

export interface PodIdentityTriggerAuthProps {
  readonly name: string;
  readonly namespace: string;
  /** Which identity KEDA uses: its operator's (bound through Pod Identity) or the workload's. @default "keda" */
  readonly identityOwner?: "keda" | "workload";
  readonly labels?: Readonly<Record<string, string>>;
}

/** A TriggerAuthentication using KEDA's `aws` pod identity provider (EKS Pod Identity). */
export class PodIdentityTriggerAuthentication extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: PodIdentityTriggerAuthProps) {
    super(scope, id);
    this.name = props.name;
    new ApiObject(this, "trigger-authentication", {
      apiVersion: KEDA_API_VERSION,
      kind: "TriggerAuthentication",
      metadata: { name: props.name, namespace: props.namespace, labels: { ...props.labels } },
      spec: { podIdentity: { provider: "aws", identityOwner: props.identityOwner ?? "keda" } },
    });
  }
}
