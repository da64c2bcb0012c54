/** Observability: metrics, traces, logs, SLOs, alerts, dashboards, and the scaling they drive. */
export {
  observabilitySchema,
  OBSERVABILITY_PROFILES,
  INSTRUMENTED_LANGUAGES,
  DEFAULT_OBJECTIVES,
  DEFAULT_LANGUAGES,
  DEFAULT_OBSERVABILITY,
  resolveObjective,
  serviceLanguage,
} from "./config";
export type { ObservabilityConfig, ObservabilityProfile, InstrumentedLanguage, Objective } from "./config";
export {
  OBSERVABILITY_NAMESPACE,
  OBSERVABILITY_SERVICE_ACCOUNTS,
  OBSERVABILITY_RELEASES,
  COLLECTOR_NAMES,
  OTLP_AGENT_ENDPOINT,
  instrumentationName,
} from "./names";
export type { PromqlEndpoint, RuleGroup, RecordingRule, AlertingRule, Severity, Dashboard } from "./types";
export { observabilityProblems } from "./rules";
export {
  latencyPressureContributions,
  latencyPressureQuery,
  LATENCY_PRESSURE_SOURCE,
  regionPromql,
} from "./scaling";
export { RegionObservability } from "./region-observability";
export type { RegionObservabilityArgs, ServiceTelemetry } from "./region-observability";
