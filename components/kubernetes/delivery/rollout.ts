/**
 * A service's Deployment, as LearningService builds it, rendered as an Argo `Rollout` instead: the same name,
 * replicas, selector, `minReadySeconds`, `progressDeadlineSeconds` and the exact pod template (every
 * securityContext, probe and resource field), with the Deployment's `strategy` replaced by the Rollout's. The
 * Rollout CRD's `spec` has the Deployment's fields under the same names (vendored rollout-crd.yaml), so the
 * conversion is three patches applied after every other patch of the object.
 */
import { JsonPatch } from "cdk8s";
import type { KubeObject } from "../../core";
import type { ServicesConfig, ServiceName } from "../config";
import { analysisTemplate, type AnalysisEndpoint, type DeliveryObjective } from "./analysis";
import type { DeliveryConfig } from "./config";
import { deliveryStrategy, rolloutStrategy } from "./strategy";

export const ROLLOUT_API_VERSION = "argoproj.io/v1alpha1";

/** What LearningService needs to render a service as a Rollout. */
export interface ServiceDelivery {
  /** The Rollout's `spec.strategy`. */
  readonly strategy: Record<string, unknown>;
  /** The second Service the strategy routes to, when it needs one. */
  readonly secondService?: string;
  /** The service's AnalysisTemplate. */
  readonly analysisTemplate: KubeObject;
}

/** The patches that turn the rendered Deployment into a Rollout. */
export function rolloutPatches(delivery: ServiceDelivery): JsonPatch[] {
  return [
    JsonPatch.replace("/apiVersion", ROLLOUT_API_VERSION),
    JsonPatch.replace("/kind", "Rollout"),
    JsonPatch.replace("/spec/strategy", delivery.strategy),
    // A version whose pods never become ready rolls back by itself instead of waiting for a human.
    JsonPatch.add("/spec/progressDeadlineAbort", true),
  ];
}

/** What `serviceDelivery` needs besides the service. */
export interface ServiceDeliveryArgs {
  readonly name: ServiceName;
  readonly services: ServicesConfig;
  readonly delivery: DeliveryConfig;
  /** Istio routes the service's traffic. */
  readonly mesh: boolean;
  readonly region: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly objective: DeliveryObjective;
  readonly endpoint: AnalysisEndpoint;
}

/** A service's Rollout strategy, second Service and AnalysisTemplate. Pure. */
export function serviceDelivery(args: ServiceDeliveryArgs): ServiceDelivery {
  const { name, delivery } = args;
  const contract = deliveryStrategy(name, {
    services: args.services,
    delivery,
    mesh: { enabled: args.mesh },
  });
  const needsSecond = contract.kind === "blueGreen" || args.mesh;
  return {
    strategy: rolloutStrategy({ name, kind: contract.kind, delivery, trafficRouting: args.mesh }),
    ...(needsSecond ? { secondService: contract.secondService } : {}),
    analysisTemplate: analysisTemplate({
      service: name,
      namespace: args.services[name].namespace,
      labels: args.labels,
      objective: args.objective,
      analysis: delivery.analysis,
      endpoint: args.endpoint,
    }),
  };
}
