/**
 * The platform dashboard of one region: Karpenter (nodes, pending pods, launch latency), KEDA (scaler errors and
 * the values scalers hand the HPA) and Kyverno (admission requests, policy results). Metric sources are cited in
 * `queries.ts`. Pure.
 */
import type { Environment } from "../../core";
import type { Dashboard } from "../types";
import { dashboardModel } from "./model";
import {
  KARPENTER_NODECLAIMS_CREATED,
  KARPENTER_NODES,
  KARPENTER_QUEUE_DEPTH,
  KEDA_METRICS_VALUES,
  KEDA_SCALED_OBJECT_ERRORS,
  KEDA_SCALER_ERRORS,
  KYVERNO_ADMISSION_P95,
  KYVERNO_ADMISSION_REQUESTS,
  KYVERNO_POLICY_RESULTS,
  PENDING_PODS,
  UNAVAILABLE_REPLICAS,
  karpenterLaunchLatencyQuery,
} from "./queries";

/** @internal */
export const PLATFORM_DASHBOARD_UID = "platform";

/** @internal */
export function platformDashboard(args: {
  readonly region: string;
  readonly environment: Environment;
}): Dashboard {
  const model = dashboardModel({
    uid: PLATFORM_DASHBOARD_UID,
    title: `Platform ${args.region} (${args.environment})`,
    description: "Karpenter, KEDA and Kyverno: capacity, scaling and admission.",
    tags: ["semester", "platform", args.environment, args.region],
    sections: [
      {
        title: "Karpenter",
        panels: [
          {
            title: "Nodes, and node claims created per hour",
            unit: "short",
            queries: [
              { expr: KARPENTER_NODES, legend: "nodes" },
              { expr: KARPENTER_NODECLAIMS_CREATED, legend: "created/h {{nodepool}}" },
            ],
          },
          {
            title: "Pending pods",
            unit: "short",
            queries: [
              { expr: PENDING_PODS, legend: "pending (API server)" },
              { expr: KARPENTER_QUEUE_DEPTH, legend: "waiting for Karpenter" },
              { expr: UNAVAILABLE_REPLICAS, legend: "unavailable replicas {{namespace}}" },
            ],
          },
          {
            title: "Launch latency (schedulable to running)",
            unit: "s",
            width: 24,
            queries: [0.5, 0.95].map((q) => ({
              expr: karpenterLaunchLatencyQuery(q),
              legend: `p${Math.round(q * 100)}`,
            })),
          },
        ],
      },
      {
        title: "KEDA",
        panels: [
          {
            title: "Scaler errors",
            unit: "short",
            queries: [
              { expr: KEDA_SCALER_ERRORS, legend: "{{namespace}}/{{scaledObject}} {{scaler}}" },
              { expr: KEDA_SCALED_OBJECT_ERRORS, legend: "{{namespace}}/{{scaledObject}}" },
            ],
          },
          {
            title: "Scaler metric values",
            unit: "short",
            queries: [{ expr: KEDA_METRICS_VALUES, legend: "{{namespace}}/{{scaledObject}} {{scaler}}" }],
          },
        ],
      },
      {
        title: "Kyverno",
        panels: [
          {
            title: "Admission requests",
            unit: "reqps",
            queries: [{ expr: KYVERNO_ADMISSION_REQUESTS, legend: "allowed={{request_allowed}}" }],
          },
          {
            title: "Policy results",
            unit: "short",
            queries: [{ expr: KYVERNO_POLICY_RESULTS, legend: "{{policy_name}} {{rule_result}}" }],
          },
          {
            title: "Admission review p95",
            unit: "s",
            width: 24,
            queries: [{ expr: KYVERNO_ADMISSION_P95, legend: "p95" }],
          },
        ],
      },
    ],
  });
  return {
    file: `${PLATFORM_DASHBOARD_UID}.json`,
    uid: PLATFORM_DASHBOARD_UID,
    title: model.title as string,
    model,
  };
}
