/**
 * A service's Deployment, as LearningService builds it, rendered as an Argo `Rollout` instead: the same name,
 * replicas, selector, `minReadySeconds`, `progressDeadlineSeconds` and the exact pod template (every
 * securityContext, probe and resource field), with the Deployment's `strategy` replaced by the Rollout's. The
 * Rollout CRD's `spec` has the Deployment's fields under the same names (vendored rollout-crd.yaml), so the
 * conversion rewrites the rendered object: JSON patches cannot do it, since cdk8s's typed `KubeDeployment`
 * re-applies its kind and drops unknown `strategy` fields after the patches.
 */
import type { ApiObject } from "cdk8s";
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

/** A rendered Deployment as a Rollout: same metadata and spec, the Rollout's strategy. Pure. */
export function deploymentToRollout(
  deployment: Record<string, unknown>,
  delivery: Pick<ServiceDelivery, "strategy">,
): Record<string, unknown> {
  const spec = { ...(deployment.spec as Record<string, unknown>) };
  delete spec.strategy;
  return {
    apiVersion: ROLLOUT_API_VERSION,
    kind: "Rollout",
    metadata: deployment.metadata,
    spec: {
      ...spec,
      strategy: delivery.strategy,
      // A version whose pods never become ready rolls back by itself instead of waiting for a human.
      progressDeadlineAbort: true,
    },
  };
}

/** Makes a Deployment's API object render as a Rollout (after all of its own patches). */
export function renderAsRollout(api: ApiObject, delivery: Pick<ServiceDelivery, "strategy">): void {
  const render = api.toJson.bind(api);
  api.toJson = () => deploymentToRollout(render() as Record<string, unknown>, delivery);
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
