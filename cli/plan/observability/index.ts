/**
 * What the plan proves about observability: every PromQL expression it declares parses with Prometheus's grammar,
 * every metric an expression reads is produced in its region (`provenance.ts`), and every Helm release's values
 * are values its chart reads (`helm-values.ts`). A finding is mandatory: the plan exits non-zero.
 */
import { ChartCatalogue } from "./charts";
import { collectExpressions, EXTRACTORS, type Extractor, type ObservabilityInput } from "./expressions";
import { checkHelmValues, type HelmNotChecked } from "./helm-values";
import { metricNames, parsePromql } from "./promql";
import { produce, regionProducers } from "./provenance";

export { parsePromql, metricNames, type PromqlParse } from "./promql";
export {
  EXTRACTORS,
  collectExpressions,
  type ObservabilityInput,
  type PromqlExpression,
} from "./expressions";
export { ChartCatalogue, CHARTS_DIR } from "./charts";

export type ObservabilityCheck = "promql" | "provenance" | "helm";

export interface ObservabilityFinding {
  readonly check: ObservabilityCheck;
  readonly region: string;
  readonly source: string;
  /** The whole finding, region and source first. */
  readonly message: string;
}

/** One metric read the plan proves is produced. */
export interface ProvenRead {
  readonly region: string;
  readonly source: string;
  readonly metric: string;
  readonly via: string;
}

export interface ObservabilityReport {
  readonly findings: readonly ObservabilityFinding[];
  readonly proven: {
    /** Expressions declared, and how many of them parse. */
    readonly expressions: number;
    readonly parsed: number;
    /** Metric reads (expression × metric) proven produced. */
    readonly metricReads: number;
    /** Helm releases checked against their vendored chart, value paths proven read, releases passing their schema. */
    readonly helmReleases: number;
    readonly helmValuePaths: number;
    readonly helmSchemas: number;
  };
  readonly reads: readonly ProvenRead[];
  /** Values the check could not judge (a subchart's). */
  readonly notChecked: readonly HelmNotChecked[];
}

export interface ObservabilityOptions {
  readonly charts?: ChartCatalogue;
  readonly extractors?: readonly Extractor[];
}

let defaultCharts: ChartCatalogue | undefined;

export function analyseObservability(
  input: ObservabilityInput,
  options: ObservabilityOptions = {},
): ObservabilityReport {
  const charts = options.charts ?? (defaultCharts ??= new ChartCatalogue());
  const { expressions, unreadable } = collectExpressions(input, options.extractors ?? EXTRACTORS);
  const findings: ObservabilityFinding[] = unreadable.map((u) => ({
    check: "promql",
    region: u.region,
    source: u.source,
    message: `${u.region} ${u.source}: ${u.reason}`,
  }));
  const producers = regionProducers(input, expressions, charts);
  const reads: ProvenRead[] = [];
  let parsed = 0;
  for (const e of expressions) {
    const result = parsePromql(e.expr);
    if (!result.ok) {
      findings.push({
        check: "promql",
        region: e.region,
        source: e.source,
        message: `${e.region} ${e.source}: PromQL does not parse ${result.error}`,
      });
      continue;
    }
    parsed++;
    const p = producers.get(e.region)!;
    const hasRules = expressions.some((x) => x.region === e.region && x.alert !== undefined);
    for (const metric of metricNames(e.expr)) {
      const made = produce(metric, p, hasRules);
      if (made.ok) reads.push({ region: e.region, source: e.source, metric, via: made.via });
      else
        findings.push({
          check: "provenance",
          region: e.region,
          source: e.source,
          message: `${e.region} ${e.source} reads ${metric}, which nothing in ${e.region} produces (${made.missing})`,
        });
    }
  }
  const helm = checkHelmValues(input.resources, charts);
  for (const f of helm.findings)
    findings.push({
      check: "helm",
      region: f.region,
      source: f.source,
      message: `${f.region} ${f.source}: ${f.message}`,
    });
  findings.sort((a, b) => a.region.localeCompare(b.region) || a.message.localeCompare(b.message));
  return {
    findings,
    proven: {
      expressions: expressions.length,
      parsed,
      metricReads: reads.length,
      helmReleases: helm.releases,
      helmValuePaths: helm.valuePaths,
      helmSchemas: helm.schemaValidated,
    },
    reads,
    notChecked: helm.notChecked,
  };
}
