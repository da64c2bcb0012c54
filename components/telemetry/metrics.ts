/**
 * The metric names and labels every layer that reads telemetry agrees on (scaling triggers, SLO rules,
 * dashboards, the history export, the plan's provenance check). Pure.
 *
 * Application metrics come from OpenTelemetry auto-instrumentation: the stable HTTP semantic conventions'
 * `http.server.request.duration` histogram (seconds), exported over OTLP to the region's collector, which
 * remote-writes it to the PromQL store. The collector's Prometheus translation names it
 * `http_server_request_duration_seconds` (`_bucket`, `_count`, `_sum`), turns attributes into labels with dots
 * replaced by underscores (`http.response.status_code` -> `http_response_status_code`) and sets `job` from the
 * resource's `service.name`; the collector drops `service.namespace`, so `job` is exactly the service's name.
 */

/** The HTTP server duration histogram, in seconds (OTel semconv `http.server.request.duration`). */
export const HTTP_SERVER_DURATION = "http_server_request_duration_seconds";
export const HTTP_SERVER_DURATION_BUCKET = `${HTTP_SERVER_DURATION}_bucket`;
export const HTTP_SERVER_DURATION_COUNT = `${HTTP_SERVER_DURATION}_count`;

/** Labels of the application metrics. */
export const TELEMETRY_LABELS = {
  /** The service's name (from the OTel resource's `service.name`, which the Instrumentation sets). */
  service: "job",
  /** The HTTP response status code (`http.response.status_code`). */
  statusCode: "http_response_status_code",
  /** Histogram bucket upper bound. */
  le: "le",
  /**
   * The ReplicaSet of the pod that served (its `rollouts-pod-template-hash` pod label, which the collector's
   * agent copies onto every data point): what tells a canary's requests from the stable's.
   */
  podTemplateHash: "rollouts_pod_template_hash",
} as const;

/**
 * The explicit bucket boundaries (seconds) the OTel SDKs use for `http.server.request.duration` by default
 * (semantic conventions' advice). A latency objective must sit on one of them: `histogram_quantile` and the
 * `le` ratio are exact only at a boundary.
 */
export const HTTP_DURATION_BUCKETS_SECONDS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/** The `le` label value Prometheus writes for a bucket boundary (`0.25`, `1`, `2.5`). */
export function bucketLabel(seconds: number): string {
  return String(seconds);
}

/** kube-state-metrics series the platform reads (scraped from kube-state-metrics). */
export const KSM_METRICS = {
  /** Available replicas of a Deployment (labels `namespace`, `deployment`). */
  availableReplicas: "kube_deployment_status_replicas_available",
  /** Desired replicas of a Deployment, what the HPA last set (labels `namespace`, `deployment`). */
  specReplicas: "kube_deployment_spec_replicas",
} as const;

/** The server-side 5xx status class: what counts as an error for availability. */
export const ERROR_STATUS_REGEX = "5..";
