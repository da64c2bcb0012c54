/**
 * The observability contract the checks read: the telemetry module's sources and the observability module's names.
 * One file, so that switching to the observability module's index (written at integration) is one edit.
 */
export { INSTRUMENTATION_METRICS, SCRAPE_JOBS, producedBy } from "../../../components/telemetry";
// eslint-disable-next-line semester/module-boundaries -- components/observability/index.ts is written at integration; import these from it then
export {
  COLLECTOR_NAMES,
  OBSERVABILITY_NAMESPACE,
  OBSERVABILITY_RELEASES,
  OBSERVABILITY_SERVICE_ACCOUNTS,
} from "../../../components/observability/names";
