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
export { calendarHorizonRuleGroup, CALENDAR_HORIZON_RULES } from "./calendar-horizon";
export type { CalendarHorizonAlert } from "./calendar-horizon";
export type { RegionObservabilityArgs, ServiceTelemetry } from "./region-observability";
// The parts, for programs that assemble a region themselves.
export { ObservabilityKey } from "./key";
export type { ObservabilityKeyArgs, KeyScope } from "./key";
export { RegionMetrics } from "./metrics/region-metrics";
export type { RegionMetricsArgs, RuleFile, AlertTopics } from "./metrics/region-metrics";
export { SnsAlertTopics } from "./metrics/alert-topics";
export type { SnsAlertTopicsArgs } from "./metrics/alert-topics";
export { scrapeConfig, scrapeJobs, scrapeInputFor } from "./metrics/scrape-config";
export type { ScrapeConfigInput, ScrapeJob } from "./metrics/scrape-config";
export { ampQueryPolicy, ampRemoteWritePolicy } from "./metrics/policies";
export { RegionCollectors } from "./collectors/region-collectors";
export type { RegionCollectorsArgs } from "./collectors/region-collectors";
export { instrumentationAnnotations } from "./collectors/instrumentation";
export { RegionLogs } from "./logs/region-logs";
export type { RegionLogsArgs } from "./logs/region-logs";
export { logGroupNames } from "./logs/log-groups";
export { KubePrometheusStack } from "./stack/kube-prometheus-stack";
export type { KubePrometheusStackArgs, InClusterStackArgs } from "./stack/kube-prometheus-stack";
export { inClusterEndpoint } from "./stack/endpoint";
export { dashboards, dashboardObjects, dashboardQueries } from "./dashboards/dashboards";
export type { DashboardsInput } from "./dashboards/dashboards";
export { sloRuleGroups } from "./slo/rules";
export type { SloRuleInput } from "./slo/rules";
export { BURN_RATE_WINDOWS, burnRateFactor } from "./slo/burn-rate";
export type { BurnRateWindow } from "./slo/burn-rate";
export { ruleFileYaml, prometheusRuleObject } from "./slo/rule-file";
export { alertmanagerConfig, alertmanagerYaml } from "./slo/alertmanager";
export type { AlertRoutingInput } from "./slo/alertmanager";
export { objectiveProblems } from "./slo/objectives";
