/**
 * Semester's values for the OpenTelemetry Operator chart (open-telemetry/opentelemetry-helm-charts
 * `charts/opentelemetry-operator` 0.122.0; every path exists in its values.yaml and passes values.schema.json,
 * vendored in the shared chart store). Pure.
 */
import { COLLECTOR_IMAGE, COLLECTOR_VERSION } from "./distribution";

/** @internal The chart, pinned. */
export const OTEL_OPERATOR_CHART = {
  chart: "opentelemetry-operator",
  version: "0.122.0",
  repository: "https://open-telemetry.github.io/opentelemetry-helm-charts",
} as const;

/** @internal */
export interface OperatorValuesArgs {
  /** Enable the operator's Go auto-instrumentation (off by default upstream). */
  readonly go: boolean;
}

/** @internal
 * - HA: two replicas (leader election is on by default) and a PodDisruptionBudget keeping one; the webhook
 *   (collector CR validation and pod injection) is served by both.
 * - Webhook certificates without cert-manager: the chart's option 2, a self-signed CA and certificate generated
 *   by Helm, re-issued on every upgrade (`recreate`), valid ten years so a release left alone never outlives it.
 * - The operator creates the RBAC the collectors' processors need (`k8sattributes` reads pods, namespaces and
 *   replica sets) for the service accounts the collectors name.
 * - The default collector image is the contrib distribution (the collectors also set it explicitly).
 */
export function operatorValues(args: OperatorValuesArgs): Record<string, unknown> {
  return {
    replicaCount: 2,
    pdb: { create: true, minAvailable: 1 },
    priorityClassName: "system-cluster-critical",
    manager: {
      collectorImage: {
        repository: COLLECTOR_IMAGE.slice(0, COLLECTOR_IMAGE.lastIndexOf(":")),
        tag: COLLECTOR_VERSION,
      },
      createRbacPermissions: true,
      autoInstrumentation: { go: { enabled: args.go } },
    },
    admissionWebhooks: {
      certManager: { enabled: false },
      autoGenerateCert: { enabled: true, recreate: true, certPeriodDays: 3650 },
    },
  };
}
