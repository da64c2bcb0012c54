/**
 * The one ScaledObject of a service (KEDA allows one per Deployment): the service's bounds, its own triggers and
 * every layer's contributions, explicit HPA behavior and a fallback where KEDA allows one. Field names follow the
 * vendored KEDA 2.20.2 CRDs (components/objects/crds/keda); the emitted objects are validated against them by
 * `validateObjects`.
 */
import { Construct } from "constructs";
import { ApiObject } from "cdk8s";
import { InputError, type Problem } from "../../core";
import { LABELS } from "../tiers";
import { DEFAULT_BEHAVIOR, behaviorProblems } from "./behavior";
import { contributionProblems, type ScalingContribution } from "./contributions";
import { resolveTriggers } from "./triggers";
import { KEDA_API_VERSION, type HpaBehavior, type KedaTrigger } from "./types";

export interface ServiceScaledObjectProps {
  readonly service: string;
  readonly namespace: string;
  readonly region: string;
  /** Name of the workload to scale. @default service */
  readonly deploymentName?: string;
  /**
   * Kind of the workload: an Argo Rollout is scaled through its `scale` subresource like a Deployment (KEDA's
   * operator needs RBAC on `rollouts/scale`, see `addons.ts`). @default "Deployment"
   */
  readonly targetKind?: "Deployment" | "Rollout";
  /** The service's lower bound (`minReplicaCount`). No contribution raises it. */
  readonly minReplicas: number;
  /** The service's upper bound (`maxReplicaCount`). No contribution widens it. */
  readonly maxReplicas: number;
  /** The service's own triggers (cpu, memory, prometheus, Kafka lag). @default [] */
  readonly triggers?: readonly KedaTrigger[];
  /** Triggers other layers add after the service's own; their levels must lie within the bounds. @default [] */
  readonly contributions?: readonly ScalingContribution[];
  /** HPA behavior. @default DEFAULT_BEHAVIOR */
  readonly behavior?: HpaBehavior;
  /**
   * Replicas to hold while a scaler fails. KEDA rejects a fallback on a ScaledObject with CPU or memory triggers
   * and only applies it to AverageValue metrics, so it must be `undefined` then. @default none
   */
  readonly fallbackReplicas?: number;
  /** Consecutive scaler failures before the fallback applies. @default 3 */
  readonly fallbackFailureThreshold?: number;
  /** @default 30 (KEDA's, and what the calendar's timing model assumes) */
  readonly pollingIntervalSeconds?: number;
  /** @default 300 */
  readonly cooldownPeriodSeconds?: number;
  /** Extra labels; the region and service labels are always set. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

/** @throws InputError listing every problem with the bounds, the triggers, the contributions and the behavior. */
export class ServiceScaledObject extends Construct {
  public readonly apiObject: ApiObject;
  public readonly minReplicas: number;
  public readonly maxReplicas: number;

  constructor(scope: Construct, id: string, props: ServiceScaledObjectProps) {
    super(scope, id);
    const contributions = props.contributions ?? [];
    const behavior = props.behavior ?? DEFAULT_BEHAVIOR;
    const withFallback = props.fallbackReplicas !== undefined;
    const { triggers, problems: triggerProblems } = resolveTriggers(
      [...(props.triggers ?? []), ...contributions.flatMap((c) => c.triggers)],
      withFallback,
    );
    const problems: Problem[] = [
      ...boundsProblems(props.minReplicas, props.maxReplicas),
      ...triggerProblems,
      ...contributionProblems(contributions, props.maxReplicas),
      ...behaviorProblems(behavior),
    ];
    if (problems.length > 0) {
      throw new InputError(`ScaledObject ${props.namespace}/${props.service} (${props.region})`, problems);
    }
    this.minReplicas = props.minReplicas;
    this.maxReplicas = props.maxReplicas;

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
          ...(props.targetKind === "Rollout"
            ? { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout" }
            : { apiVersion: "apps/v1", kind: "Deployment" }),
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
                // A failing scaler never takes capacity away mid-window: keep the current replicas when higher.
                behavior: "currentReplicasIfHigher",
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

function boundsProblems(min: number, max: number): Problem[] {
  const problems: Problem[] = [];
  if (!Number.isInteger(min) || min < 0) {
    problems.push({ path: "minReplicas", value: min, rule: "must be an integer >= 0" });
  }
  if (!Number.isInteger(max) || max < Math.max(1, min)) {
    problems.push({
      path: "maxReplicas",
      value: max,
      rule: `must be an integer >= max(1, minReplicas ${min})`,
    });
  }
  return problems;
}
