/**
 * Every PromQL expression a plan declares, with where it comes from, by a list of extractors (one per place
 * expressions live): AMP rule group namespaces, PrometheusRule objects, KEDA `prometheus` triggers, Grafana
 * dashboard ConfigMaps, Argo Rollouts analysis templates. A recording rule also declares the series it records.
 */
import { parse as parseYaml } from "yaml";
import type { PlannedObject, PlannedResource } from "../record";
import { isRecord } from "../json";

type Obj = PlannedObject["object"];

/** What the checks read of a plan. */
export interface ObservabilityInput {
  readonly resources: readonly PlannedResource[];
  readonly objects: readonly PlannedObject[];
}

/** One expression the plan declares. */
export interface PromqlExpression {
  /** The region whose store evaluates it (`global` for a resource without a region). */
  readonly region: string;
  /** Where it is, e.g. `ScaledObject learning/course-catalog trigger request-rate`. */
  readonly source: string;
  readonly expr: string;
  /** The series it records, for a recording rule. */
  readonly record?: string;
  /** The alert it raises, for an alerting rule. */
  readonly alert?: string;
}

/** Something the plan declares that could not be read as expressions (not YAML, not JSON, no groups). */
export interface UnreadableSource {
  readonly region: string;
  readonly source: string;
  readonly reason: string;
}

export interface Extracted {
  readonly expressions: PromqlExpression[];
  readonly unreadable: UnreadableSource[];
}

export interface Extractor {
  /** What it reads, for the report. */
  readonly name: string;
  extract(input: ObservabilityInput): Extracted;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const objName = (o: Obj) => `${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`;

/** The rules of a Prometheus rule file (`groups[].rules[]`), each with its group and name in the source. */
function ruleFileExpressions(region: string, source: string, file: unknown): Extracted {
  const groups = isRecord(file) ? file.groups : undefined;
  if (!Array.isArray(groups))
    return { expressions: [], unreadable: [{ region, source, reason: "no `groups` list" }] };
  const expressions: PromqlExpression[] = [];
  for (const group of groups) {
    const g = isRecord(group) ? group : {};
    list(g.rules).forEach((rule, i) => {
      const r = isRecord(rule) ? rule : {};
      const record = str(r.record);
      const alert = str(r.alert);
      const label = record ?? alert ?? `#${i}`;
      const expr = r.expr;
      const where = `${source} group ${String(g.name)} rule ${label}`;
      expressions.push({
        region,
        source: where,
        expr: typeof expr === "string" ? expr : typeof expr === "number" ? String(expr) : "",
        ...(record !== undefined ? { record } : {}),
        ...(alert !== undefined ? { alert } : {}),
      });
    });
  }
  return { expressions, unreadable: [] };
}

function merge(parts: readonly Extracted[]): Extracted {
  return {
    expressions: parts.flatMap((p) => p.expressions),
    unreadable: parts.flatMap((p) => p.unreadable),
  };
}

function ofKind(input: ObservabilityInput, ...kinds: string[]): PlannedObject[] {
  return input.objects.filter((o) => kinds.includes(o.object.kind));
}

/** `aws:amp/ruleGroupNamespace:RuleGroupNamespace`: its `data` is a rule file in YAML. */
export const ampRuleGroups: Extractor = {
  name: "AMP rule group namespaces",
  extract(input) {
    return merge(
      input.resources
        .filter((r) => r.type === "aws:amp/ruleGroupNamespace:RuleGroupNamespace")
        .map((r) => {
          const region = r.region ?? "global";
          const source = `RuleGroupNamespace ${str(r.inputs.name) ?? r.name}`;
          let file: unknown;
          try {
            file = parseYaml(String(r.inputs.data ?? ""));
          } catch (error) {
            return {
              expressions: [],
              unreadable: [{ region, source, reason: `data is not YAML: ${(error as Error).message}` }],
            };
          }
          return ruleFileExpressions(region, source, file);
        }),
    );
  },
};

/** PrometheusRule objects (prometheus-operator): `spec.groups[].rules[]`. */
export const prometheusRules: Extractor = {
  name: "PrometheusRule objects",
  extract(input) {
    return merge(
      ofKind(input, "PrometheusRule").map((o) =>
        ruleFileExpressions(o.region, `PrometheusRule ${objName(o.object)}`, o.object.spec),
      ),
    );
  },
};

/** KEDA ScaledObjects and ScaledJobs: every `prometheus` trigger's `metadata.query`. */
export const kedaTriggers: Extractor = {
  name: "KEDA prometheus triggers",
  extract(input) {
    const expressions = ofKind(input, "ScaledObject", "ScaledJob").flatMap((o) => {
      const spec = isRecord(o.object.spec) ? o.object.spec : {};
      return list(spec.triggers).flatMap((t, i) => {
        const trigger = isRecord(t) ? t : {};
        if (trigger.type !== "prometheus") return [];
        const metadata = isRecord(trigger.metadata) ? trigger.metadata : {};
        return [
          {
            region: o.region,
            source: `${o.object.kind} ${objName(o.object)} trigger ${str(trigger.name) ?? `#${i}`}`,
            expr: str(metadata.query) ?? "",
          },
        ];
      });
    });
    return { expressions, unreadable: [] };
  },
};

/**
 * Grafana's built-in interval variables, which dashboards put where PromQL wants a duration (`[$__rate_interval]`),
 * replaced by a duration of the same kind before parsing. Other template variables belong inside label strings
 * (`job="$service"`), where they parse as they are.
 */
const GRAFANA_INTERVALS: readonly [RegExp, string][] = [
  [/\$\{?__(rate_interval|interval|range)\}?(?!_)/g, "5m"],
  [/\$\{?__(interval_ms|range_ms|range_s)\}?/g, "300"],
];

/** @internal A dashboard expression as Prometheus would receive it from Grafana. */
export function withGrafanaIntervals(expr: string): string {
  return GRAFANA_INTERVALS.reduce((e, [pattern, value]) => e.replace(pattern, value), expr);
}

/** Every `targets[].expr` (panels, nested rows) and `annotations.list[].expr` of a dashboard model. */
function dashboardExpressions(model: unknown, where: string, region: string): PromqlExpression[] {
  const out: PromqlExpression[] = [];
  const walk = (node: unknown, panel: string) => {
    if (Array.isArray(node)) {
      node.forEach((n) => walk(n, panel));
      return;
    }
    if (!isRecord(node)) return;
    const title = str(node.title);
    const here = Array.isArray(node.targets) && title !== undefined ? `panel "${title}"` : panel;
    list(node.targets).forEach((t, i) => {
      const target = isRecord(t) ? t : {};
      const expr = str(target.expr);
      if (expr !== undefined)
        out.push({
          region,
          source: `${where} ${here} target ${str(target.refId) ?? `#${i}`}`,
          expr: withGrafanaIntervals(expr),
        });
    });
    for (const [key, value] of Object.entries(node)) if (key !== "targets") walk(value, here);
  };
  const annotations = isRecord(model) && isRecord(model.annotations) ? model.annotations.list : [];
  list(annotations).forEach((a, i) => {
    const annotation = isRecord(a) ? a : {};
    const expr = str(annotation.expr);
    if (expr !== undefined)
      out.push({
        region,
        source: `${where} annotation "${str(annotation.name) ?? `#${i}`}"`,
        expr: withGrafanaIntervals(expr),
      });
  });
  walk(isRecord(model) ? { ...model, annotations: undefined } : model, "");
  return out;
}

/** ConfigMaps labelled `grafana_dashboard` (Grafana's sidecar convention): every data entry is a dashboard JSON. */
export const grafanaDashboards: Extractor = {
  name: "Grafana dashboard ConfigMaps",
  extract(input) {
    return merge(
      ofKind(input, "ConfigMap")
        .filter(
          (o) =>
            (o.object.metadata.labels as Record<string, unknown> | undefined)?.grafana_dashboard !==
            undefined,
        )
        .flatMap((o) => {
          const data = isRecord(o.object.data) ? o.object.data : {};
          return Object.entries(data).map(([key, value]): Extracted => {
            const where = `dashboard ConfigMap ${objName(o.object)} ${key}`;
            try {
              return {
                expressions: dashboardExpressions(JSON.parse(String(value)), where, o.region),
                unreadable: [],
              };
            } catch (error) {
              return {
                expressions: [],
                unreadable: [
                  { region: o.region, source: where, reason: `not JSON: ${(error as Error).message}` },
                ],
              };
            }
          });
        }),
    );
  },
};

/** Argo Rollouts AnalysisTemplates and ClusterAnalysisTemplates: `spec.metrics[].provider.prometheus.query`. */
export const analysisTemplates: Extractor = {
  name: "Argo Rollouts analysis templates",
  extract(input) {
    const expressions = ofKind(input, "AnalysisTemplate", "ClusterAnalysisTemplate").flatMap((o) => {
      const spec = isRecord(o.object.spec) ? o.object.spec : {};
      return list(spec.metrics).flatMap((m, i) => {
        const metric = isRecord(m) ? m : {};
        const provider = isRecord(metric.provider) ? metric.provider : {};
        const prometheus = isRecord(provider.prometheus) ? provider.prometheus : undefined;
        if (prometheus === undefined) return [];
        return [
          {
            region: o.region,
            source: `${o.object.kind} ${objName(o.object)} metric ${str(metric.name) ?? `#${i}`}`,
            expr: str(prometheus.query) ?? "",
          },
        ];
      });
    });
    return { expressions, unreadable: [] };
  },
};

/** The extractors the plan runs, in report order. */
export const EXTRACTORS: readonly Extractor[] = [
  ampRuleGroups,
  prometheusRules,
  kedaTriggers,
  grafanaDashboards,
  analysisTemplates,
];

/** Every expression the plan declares, sorted by region and source. */
export function collectExpressions(
  input: ObservabilityInput,
  extractors: readonly Extractor[] = EXTRACTORS,
): Extracted {
  const all = merge(extractors.map((e) => e.extract(input)));
  const order = (a: { region: string; source: string }, b: typeof a) =>
    a.region.localeCompare(b.region) || a.source.localeCompare(b.source);
  return { expressions: [...all.expressions].sort(order), unreadable: [...all.unreadable].sort(order) };
}
