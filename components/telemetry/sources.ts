/**
 * What each telemetry source produces, by metric name prefix: the plan's provenance check reads the scrape jobs,
 * instrumentation and recording rules a plan declares and refuses a query that reads a metric none of them
 * produces. The prefixes are the metric namespaces the components document (their `/metrics` endpoints). Pure.
 */
import { HTTP_SERVER_DURATION } from "./metrics";

/** The scrape jobs the managed collector (or the in-cluster Prometheus) runs, each with what it produces. */
export const SCRAPE_JOBS = {
  "kube-state-metrics": { produces: ["kube_"] },
  "node-exporter": { produces: ["node_"] },
  "kubelet-cadvisor": { produces: ["container_", "machine_"] },
  kubelet: { produces: ["kubelet_", "volume_manager_"] },
  apiserver: { produces: ["apiserver_", "etcd_", "rest_client_"] },
  "keda-operator": { produces: ["keda_"] },
  karpenter: { produces: ["karpenter_", "operator_"] },
  kyverno: { produces: ["kyverno_"] },
  "aws-load-balancer-controller": { produces: ["awslbc_", "controller_runtime_"] },
  "otel-collector": { produces: ["otelcol_"] },
} as const satisfies Readonly<Record<string, { readonly produces: readonly string[] }>>;
export type ScrapeJobName = keyof typeof SCRAPE_JOBS;

/** What OpenTelemetry auto-instrumentation of an HTTP service produces (through the collector). */
export const INSTRUMENTATION_METRICS: readonly string[] = [HTTP_SERVER_DURATION];

/** Whether `metric` is one of `prefixes` or starts with one (prefixes end in `_`). */
export function producedBy(metric: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => metric === p || metric.startsWith(p));
}
