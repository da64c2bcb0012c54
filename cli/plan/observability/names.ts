/**
 * The observability contract the checks read: the telemetry module's sources and the observability module's names.
 */
export { INSTRUMENTATION_METRICS, SCRAPE_JOBS, producedBy } from "../../../components/telemetry";
export {
  COLLECTOR_NAMES,
  OBSERVABILITY_NAMESPACE,
  OBSERVABILITY_RELEASES,
  OBSERVABILITY_SERVICE_ACCOUNTS,
} from "../../../components/observability";
