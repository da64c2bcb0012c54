/**
 * Names the observability parts, the plan's checks and the README share: the namespace everything runs in, the
 * service accounts that call AWS (each bound through Pod Identity to its own role) and the release names.
 */

/**
 * Namespace of the OpenTelemetry Operator and collectors, Fluent Bit, kube-state-metrics, node-exporter and
 * Grafana. Governance excludes it like the other platform namespaces: node-exporter and Fluent Bit need host
 * access, and the charts' pods carry no team/tier labels.
 */
export const OBSERVABILITY_NAMESPACE = "observability";

/** Service accounts that call AWS, in `OBSERVABILITY_NAMESPACE`. */
export const OBSERVABILITY_SERVICE_ACCOUNTS = {
  /** The node agent collectors (DaemonSet): remote-write application metrics to the workspace. */
  otelAgent: "otel-agent",
  /** The tail-sampling gateway (StatefulSet): export sampled traces to X-Ray's OTLP endpoint. */
  otelSampler: "otel-sampler",
  /** Fluent Bit (DaemonSet): write container logs to the region's log groups. */
  fluentBit: "fluent-bit",
  /** Grafana: query the workspace. */
  grafana: "grafana",
  /** Alertmanager (in-cluster profile only): publish alerts to the region's SNS topics. */
  alertmanager: "alertmanager",
} as const;

/** Helm release names (also the Pulumi child suffixes). */
export const OBSERVABILITY_RELEASES = {
  otelOperator: "opentelemetry-operator",
  fluentBit: "aws-for-fluent-bit",
  kubePrometheusStack: "kube-prometheus-stack",
} as const;

/** Names of the OpenTelemetryCollector objects (the operator names their workloads `<name>-collector`). */
export const COLLECTOR_NAMES = { agent: "otel-agent", sampler: "otel-sampler" } as const;

/** The OTLP endpoints services export to: the node's agent, reached through its Service. */
export const OTLP_AGENT_ENDPOINT = `http://${COLLECTOR_NAMES.agent}-collector.${OBSERVABILITY_NAMESPACE}.svc:4318`;

/**
 * The Instrumentation object of a language (one per language the services use, in `OBSERVABILITY_NAMESPACE`).
 * A pod opts in with the operator's annotation `instrumentation.opentelemetry.io/inject-<language>:
 * "observability/semester-<language>"` (`go` also needs `otel-go-auto-target-exe`).
 */
export function instrumentationName(language: string): string {
  return `semester-${language}`;
}
