/**
 * PromQL the dashboards read beyond the telemetry module's builders: the calendar's KEDA cron scalers, container
 * saturation, and the platform controllers. Each metric's name and labels are taken from its project's source at
 * the version Semester installs (cited per group); every prefix is one `SCRAPE_JOBS` declares. Pure.
 */
import { CALENDAR_TRIGGER_PREFIX } from "../../calendar";
import { KSM_METRICS } from "../../telemetry";

/** @internal The calendar's cron triggers, by name (`CALENDAR_TRIGGER_PREFIX`: no other trigger's name starts so). */
export const CALENDAR_TRIGGER_REGEX = `${CALENDAR_TRIGGER_PREFIX}.*`;

/*
 * KEDA 2.20.2 (kedacore/keda tag v2.20.2, pkg/metricscollector/prommetrics.go and pkg/scaling/scale_handler.go):
 * - `keda_scaler_active` (gauge, 1 while a scaler is active) and `keda_scaler_metrics_value` (gauge, the value the
 *   scaler hands the HPA) carry the labels `namespace`, `scaledObject`, `scaler`, `triggerIndex`, `metric`, `type`.
 *   `scaler` is the trigger's `name` when it has one (else the scaler's Go type, e.g. `cronScaler`).
 * - a cron scaler (pkg/scalers/cron_scaler.go) is active inside its window and reports `desiredReplicas` then, 0
 *   outside; the HPA scales to the largest trigger, so the max over the calendar's triggers is its level.
 * - `keda_scaler_detail_errors_total` (per scaler, same labels) and `keda_scaled_object_errors_total` (labels
 *   `namespace`, `scaledObject`) count failed metric reads.
 */

const scaledObject = (service: string, namespace: string) =>
  `namespace="${namespace}",scaledObject="${service}",scaler=~"${CALENDAR_TRIGGER_REGEX}"`;

/** @internal The replicas the calendar asks for now: the largest active cron trigger's `desiredReplicas` (0 between windows). */
export function calendarLevelQuery(service: string, namespace: string): string {
  return `max(keda_scaler_metrics_value{${scaledObject(service, namespace)}})`;
}

/** @internal One series per active calendar trigger, present only while its window is open (the annotation query). */
export function calendarWindowsQuery(service: string, namespace: string): string {
  return `max by (scaler) (keda_scaler_active{${scaledObject(service, namespace)}}) == 1`;
}

/** @internal Metric read failures per second, by ScaledObject and trigger. */
export const KEDA_SCALER_ERRORS = `sum by (namespace, scaledObject, scaler) (rate(keda_scaler_detail_errors_total[5m]))`;
/** @internal ScaledObject reconciliation errors per second. */
export const KEDA_SCALED_OBJECT_ERRORS = `sum by (namespace, scaledObject) (rate(keda_scaled_object_errors_total[5m]))`;
/** @internal What each scaler hands the HPA. */
export const KEDA_METRICS_VALUES = `max by (namespace, scaledObject, scaler) (keda_scaler_metrics_value)`;

/*
 * Saturation: the kubelet's cAdvisor series (`container_cpu_usage_seconds_total`, `container_memory_working_set_bytes`,
 * labels `namespace`, `pod`, `container`) against kube-state-metrics' `kube_pod_container_resource_requests`
 * (labels `namespace`, `pod`, `container`, `resource`), kube-state-metrics docs/metrics/workload/pod-metrics.md. A
 * learning service's container is named after the service (components/kubernetes/learning-service.ts).
 */
const container = (service: string, namespace: string) => `namespace="${namespace}",container="${service}"`;

/** @internal CPU used over CPU requested, summed over the service's pods (1 = at requests). */
export function cpuSaturationQuery(service: string, namespace: string, range = "5m"): string {
  return `sum(rate(container_cpu_usage_seconds_total{${container(service, namespace)}}[${range}])) / sum(kube_pod_container_resource_requests{${container(service, namespace)},resource="cpu"})`;
}

/** @internal Working-set memory over memory requested, summed over the service's pods. */
export function memorySaturationQuery(service: string, namespace: string): string {
  return `sum(container_memory_working_set_bytes{${container(service, namespace)}}) / sum(kube_pod_container_resource_requests{${container(service, namespace)},resource="memory"})`;
}

/*
 * Karpenter 1.14.1 (kubernetes-sigs/karpenter tag v1.14.1; the generated reference
 * aws/karpenter-provider-aws website/content/en/v1.14/reference/metrics.md):
 * `karpenter_cluster_state_node_count` (gauge), `karpenter_nodeclaims_created_total` (counter, label `nodepool`),
 * `karpenter_scheduler_queue_depth` (pods waiting to be scheduled), and
 * `karpenter_pods_provisioning_startup_duration_seconds` (histogram, pkg/controllers/metrics/pod/controller.go:
 * from when Karpenter first sees the pod schedulable until it runs: the node launch a pending pod waits for).
 */
export const KARPENTER_NODES = `sum(karpenter_cluster_state_node_count)`;
/** @internal */
export const KARPENTER_NODECLAIMS_CREATED = `sum by (nodepool) (increase(karpenter_nodeclaims_created_total[1h]))`;
/** @internal */
export const KARPENTER_QUEUE_DEPTH = `sum(karpenter_scheduler_queue_depth)`;
/** @internal Pending pods as the API server sees them (kube-state-metrics). */
export const PENDING_PODS = `sum(kube_pod_status_phase{phase="Pending"})`;
/** @internal */
export function karpenterLaunchLatencyQuery(q: number): string {
  return `histogram_quantile(${q}, sum by (le) (rate(karpenter_pods_provisioning_startup_duration_seconds_bucket[10m])))`;
}

/*
 * Kyverno 1.19 (chart 3.9.0; kyverno.io/docs/monitoring): `kyverno_admission_requests_total` (labels
 * `request_allowed`, `resource_kind`, `resource_request_operation`, ...), `kyverno_policy_results_total` (labels
 * `policy_name`, `rule_name`, `rule_result` PASS/FAIL/..., `rule_execution_cause`) and the histogram
 * `kyverno_admission_review_duration_seconds`.
 */
export const KYVERNO_ADMISSION_REQUESTS = `sum by (request_allowed) (rate(kyverno_admission_requests_total[5m]))`;
/** @internal */
export const KYVERNO_POLICY_RESULTS = `sum by (policy_name, rule_result) (rate(kyverno_policy_results_total[5m]))`;
/** @internal */
export const KYVERNO_ADMISSION_P95 = `histogram_quantile(0.95, sum by (le) (rate(kyverno_admission_review_duration_seconds_bucket[5m])))`;

/** @internal Deployments whose available replicas lag their desired count, per namespace (kube-state-metrics). */
export const UNAVAILABLE_REPLICAS = `sum by (namespace) (${KSM_METRICS.specReplicas} - ${KSM_METRICS.availableReplicas})`;
