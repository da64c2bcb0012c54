/** The telemetry contract: metric names, labels, bucket boundaries, query builders and what each source produces. */
export {
  HTTP_SERVER_DURATION,
  HTTP_SERVER_DURATION_BUCKET,
  HTTP_SERVER_DURATION_COUNT,
  HTTP_DURATION_BUCKETS_SECONDS,
  TELEMETRY_LABELS,
  KSM_METRICS,
  ERROR_STATUS_REGEX,
  bucketLabel,
} from "./metrics";
export {
  requestRateQuery,
  errorRateQuery,
  fastRequestRateQuery,
  latencyQuantileQuery,
  availableReplicasQuery,
  scheduledReplicasQuery,
  type PromRange,
} from "./queries";
export { SCRAPE_JOBS, INSTRUMENTATION_METRICS, producedBy, type ScrapeJobName } from "./sources";
