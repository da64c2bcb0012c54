/**
 * PromQL builders over the agreed metric names (`metrics.ts`): the same expression text wherever a layer reads
 * the same quantity, so a trigger, a rule and a dashboard never disagree. Pure.
 */
import {
  ERROR_STATUS_REGEX,
  HTTP_SERVER_DURATION_BUCKET,
  HTTP_SERVER_DURATION_COUNT,
  KSM_METRICS,
  TELEMETRY_LABELS,
  bucketLabel,
} from "./metrics";

/** A PromQL range, e.g. `2m`, `5m`, `1h`, `3d`. */
export type PromRange = string;

const svc = (service: string) => `${TELEMETRY_LABELS.service}="${service}"`;

/** Requests per second the service serves, summed over its pods. */
export function requestRateQuery(service: string, range: PromRange = "2m"): string {
  return `sum(rate(${HTTP_SERVER_DURATION_COUNT}{${svc(service)}}[${range}]))`;
}

/** Server errors (5xx) per second. */
export function errorRateQuery(service: string, range: PromRange): string {
  return `sum(rate(${HTTP_SERVER_DURATION_COUNT}{${svc(service)},${TELEMETRY_LABELS.statusCode}=~"${ERROR_STATUS_REGEX}"}[${range}]))`;
}

/** Requests per second answered within `seconds` (a bucket boundary, see `HTTP_DURATION_BUCKETS_SECONDS`). */
export function fastRequestRateQuery(service: string, seconds: number, range: PromRange): string {
  return `sum(rate(${HTTP_SERVER_DURATION_BUCKET}{${svc(service)},${TELEMETRY_LABELS.le}="${bucketLabel(seconds)}"}[${range}]))`;
}

/** The q-quantile of request duration in seconds (0 < q < 1). */
export function latencyQuantileQuery(service: string, q: number, range: PromRange = "5m"): string {
  return `histogram_quantile(${q}, sum by (${TELEMETRY_LABELS.le}) (rate(${HTTP_SERVER_DURATION_BUCKET}{${svc(service)}}[${range}])))`;
}

/** Available replicas of the service's Deployment. */
export function availableReplicasQuery(service: string, namespace: string): string {
  return `sum(${KSM_METRICS.availableReplicas}{namespace="${namespace}",deployment="${service}"})`;
}

/** Desired replicas of the service's Deployment (what the HPA, and so the calendar's triggers, asked for). */
export function scheduledReplicasQuery(service: string, namespace: string): string {
  return `sum(${KSM_METRICS.specReplicas}{namespace="${namespace}",deployment="${service}"})`;
}
