/** PromQL with Prometheus's own grammar, for tests of anything that emits expressions (the plan's own parser). */
export { metricNames, parsePromql, type PromqlParse } from "../../cli/plan/observability/promql";

import { parsePromql } from "../../cli/plan/observability/promql";

/** The grammar's complaints about `expr` (none when it parses). */
export function promqlSyntaxErrors(expr: string): string[] {
  const parsed = parsePromql(expr);
  return parsed.ok ? [] : [parsed.error];
}
