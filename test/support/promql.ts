/** PromQL with Prometheus's own grammar, for tests of anything that emits expressions (the plan's own parser). */
export { metricNames, parsePromql, type PromqlParse } from "../../cli/plan/observability/promql";
