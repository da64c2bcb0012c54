/**
 * Which strategy a service rolls out with, and the Rollout's `spec.strategy` for it. Pure.
 *
 * Field names and rules follow the vendored Argo Rollouts v1.9.1 CRD (components/objects/crds/argo-rollouts) and
 * its validation (`pkg/apis/rollouts/validation/validation.go`): `scaleDownDelaySeconds` and
 * `dynamicStableScale` are refused on a canary without traffic routing; a step's analysis args may take
 * `valueFrom.podTemplateHashValue: Latest` (the new ReplicaSet's `rollouts-pod-template-hash`).
 */
import type { ServiceName, ServicesConfig } from "../config";
import type { DeliveryConfig, DeliveryKind } from "./config";

/** What other layers read about a service's delivery (the mesh's routes, the quotas). */
export interface DeliveryStrategy {
  readonly kind: DeliveryKind;
  /** The second Service the strategy routes to: `<svc>-canary` or `<svc>-preview`. */
  readonly secondService: string;
  /** The most pods a rollout may run relative to `spec.replicas` (for quotas). */
  readonly peakPodsFactor: number;
}

/** The part of a stack `deliveryStrategy` reads; `mesh` is read structurally (absent: no mesh). */
export interface DeliveryStrategyInput {
  readonly services: ServicesConfig;
  readonly delivery: DeliveryConfig;
  readonly mesh?: { readonly enabled?: boolean };
}

/** Surge of a canary without traffic routing (Argo's own default, kept explicit). */
export const BASIC_CANARY_MAX_SURGE_PERCENT = 25;

/** The strategy of one service: its own override, else its tier's, else canary. */
export function deliveryKind(name: ServiceName, input: Omit<DeliveryStrategyInput, "mesh">): DeliveryKind {
  const { delivery } = input;
  return delivery.services[name] ?? delivery.tiers[input.services[name].tier] ?? "canary";
}

/**
 * The shared contract: strategy kind, second Service, and peak pods. A traffic-routed canary keeps the stable
 * ReplicaSet fully scaled (`dynamicStableScale: false`) and reaches 100 % canary before the stable scales down,
 * so it peaks at twice the replicas, as blue-green does (a full preview beside the active). A canary without
 * the mesh shifts traffic by pod count within a 25 % surge.
 */
export function deliveryStrategy(name: ServiceName, input: DeliveryStrategyInput): DeliveryStrategy {
  const kind = deliveryKind(name, input);
  if (kind === "blueGreen") return { kind, secondService: `${name}-preview`, peakPodsFactor: 2 };
  const routed = input.mesh?.enabled === true;
  return {
    kind,
    secondService: `${name}-canary`,
    peakPodsFactor: routed ? 2 : 1 + BASIC_CANARY_MAX_SURGE_PERCENT / 100,
  };
}

/** The argument every Semester analysis takes: the pod-template hash of the ReplicaSet under test. */
export const CANARY_HASH_ARG = "canary-hash";

/** The AnalysisTemplate of a service. */
export function analysisTemplateName(name: string): string {
  return `${name}-slo`;
}

/** Seconds one analysis run takes (its measurements, `interval` apart). */
export function analysisSeconds(analysis: DeliveryConfig["analysis"]): number {
  return analysis.count * durationSeconds(analysis.interval);
}

/** `30s`, `5m`, `1h` in seconds (the schema's duration form). */
export function durationSeconds(text: string): number {
  const n = Number(text.slice(0, -1));
  const unit = text.slice(-1);
  return n * (unit === "h" ? 3600 : unit === "m" ? 60 : 1);
}

const analysisRef = (name: string) => ({
  templates: [{ templateName: analysisTemplateName(name) }],
  args: [{ name: CANARY_HASH_ARG, valueFrom: { podTemplateHashValue: "Latest" } }],
});

/** How the Rollout of one service shifts traffic. */
export interface RolloutStrategyArgs {
  readonly name: string;
  readonly kind: DeliveryKind;
  readonly delivery: DeliveryConfig;
  /** Istio routes traffic (`semester:mesh.enabled`): weights on the service's VirtualService route `primary`. */
  readonly trafficRouting: boolean;
}

/** The Rollout's `spec.strategy`. */
export function rolloutStrategy(args: RolloutStrategyArgs): Record<string, unknown> {
  const { name, delivery } = args;
  if (args.kind === "blueGreen") {
    return {
      blueGreen: {
        activeService: name,
        previewService: `${name}-preview`,
        // Promote on its own only when the preview passed its analysis; a failed one aborts.
        autoPromotionEnabled: true,
        prePromotionAnalysis: analysisRef(name),
        // Real traffic reaches the new version only after the switch: analyse it there too, while the previous
        // active is still up, so a failure switches back at once.
        postPromotionAnalysis: analysisRef(name),
        scaleDownDelaySeconds: delivery.scaleDownDelaySeconds + analysisSeconds(delivery.analysis),
        abortScaleDownDelaySeconds: delivery.abortScaleDownDelaySeconds,
      },
    };
  }
  const steps = delivery.steps.map((step) => ("analysis" in step ? { analysis: analysisRef(name) } : step));
  if (!args.trafficRouting) {
    // Without the mesh the Service selects every pod and traffic follows the pod ratio, so no stable/canary
    // Service (Argo would narrow `<svc>` to the stable pods and the canary would get no traffic).
    return {
      canary: {
        maxSurge: `${BASIC_CANARY_MAX_SURGE_PERCENT}%`,
        maxUnavailable: 0,
        steps,
      },
    };
  }
  return {
    canary: {
      stableService: name,
      canaryService: `${name}-canary`,
      trafficRouting: { istio: { virtualService: { name, routes: ["primary"] } } },
      // The stable keeps every pod until promotion: an abort shifts traffic back with no pod to start, and the
      // capacity a window needs is never lent to an unproven version.
      dynamicStableScale: false,
      scaleDownDelaySeconds: delivery.scaleDownDelaySeconds,
      abortScaleDownDelaySeconds: delivery.abortScaleDownDelaySeconds,
      steps,
    },
  };
}
