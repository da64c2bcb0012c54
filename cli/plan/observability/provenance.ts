/**
 * Metric provenance: every metric an expression reads must be produced, in the expression's region, by a source the
 * plan declares there:
 * - a scrape job (the AMP scraper's `scrapeConfiguration` job names; in-cluster, the Prometheus release's
 *   `additionalScrapeConfigs` and the components kube-prometheus-stack scrapes itself), through `SCRAPE_JOBS`'
 *   metric prefixes; any job also produces Prometheus's own per-target series (`up`, `scrape_*`);
 * - OpenTelemetry auto-instrumentation (`INSTRUMENTATION_METRICS`), when the region has `Instrumentation` objects
 *   and the agent collector has a metrics pipeline exporting with `prometheusremotewrite`;
 * - a recording rule declared in the region (its `record` name); any rule also produces `ALERTS`.
 * Histogram series (`_bucket`, `_count`, `_sum`) are produced with their base name.
 */
import { parse as parseYaml } from "yaml";
import type { PlannedResource } from "../record";
import type { ChartCatalogue } from "./charts";
import type { ObservabilityInput, PromqlExpression } from "./expressions";
import { HELM_RELEASE, chartName, coalesce } from "./helm-values";
import { INSTRUMENTATION_METRICS, SCRAPE_JOBS, producedBy } from "../../../components/telemetry";
import { COLLECTOR_NAMES, OBSERVABILITY_RELEASES } from "../../../components/observability";
import { isRecord } from "../json";
import { at } from "../wiring/model";

/** Series every scrape target gets from Prometheus itself. */
const PER_TARGET_SERIES = [
  "up",
  "scrape_duration_seconds",
  "scrape_samples_scraped",
  "scrape_samples_post_metric_relabeling",
  "scrape_series_added",
];
/** Series the rule evaluator writes for alerting rules. */
const RULE_SERIES = ["ALERTS", "ALERTS_FOR_STATE"];
const HISTOGRAM_SUFFIX = /_(bucket|count|sum)$/;

/** What produces metrics in one region. */
export interface RegionProducers {
  /** Scrape job names, with where each is declared. */
  readonly scrapeJobs: ReadonlyMap<string, string>;
  /** Why instrumentation metrics are (or are not) produced. */
  readonly instrumentation:
    { readonly ok: true; readonly via: string } | { readonly ok: false; readonly missing: string };
  /** Recording rule names, with the rule's source. */
  readonly records: ReadonlyMap<string, string>;
}

function jobNames(scrapeConfigs: unknown): string[] {
  return (Array.isArray(scrapeConfigs) ? scrapeConfigs : [])
    .map((c) => at(c, "job_name"))
    .filter((j): j is string => typeof j === "string");
}

/**
 * The components kube-prometheus-stack scrapes through its own ServiceMonitors, with the job each yields (the
 * Service's name), when enabled in the coalesced values (upstream chart's `templates/exporters/*` and
 * `templates/prometheus/servicemonitors.yaml`).
 */
const KPS_EXPORTERS: readonly { readonly enabled: readonly string[]; readonly jobs: readonly string[] }[] = [
  { enabled: ["kubeStateMetrics", "enabled"], jobs: ["kube-state-metrics"] },
  { enabled: ["nodeExporter", "enabled"], jobs: ["node-exporter"] },
  { enabled: ["kubelet", "enabled"], jobs: ["kubelet", "kubelet-cadvisor"] },
  { enabled: ["kubeApiServer", "enabled"], jobs: ["apiserver"] },
];

function inClusterJobs(release: PlannedResource, charts: ChartCatalogue): string[] {
  const chart = charts.get(
    chartName(String(release.inputs.chart ?? "")),
    String(release.inputs.version ?? ""),
  );
  const values = coalesce(chart?.values ?? {}, release.inputs.values ?? {});
  const additional = at(values, "prometheus", "prometheusSpec", "additionalScrapeConfigs");
  const listed = typeof additional === "string" ? (parseYaml(additional) as unknown) : additional;
  return [
    ...jobNames(listed),
    ...KPS_EXPORTERS.filter((e) => at(values, ...e.enabled) === true).flatMap((e) => e.jobs),
  ];
}

/** Whether a collector's config (v1beta1 object, or v1alpha1 YAML string) has a metrics pipeline exporting with remote write. */
function remoteWritesMetrics(config: unknown): boolean {
  const c = typeof config === "string" ? (parseYaml(config) as unknown) : config;
  const pipelines = at(c, "service", "pipelines");
  if (!isRecord(pipelines)) return false;
  const exporters = at(c, "exporters");
  return Object.entries(pipelines).some(
    ([name, p]) =>
      (name === "metrics" || name.startsWith("metrics/")) &&
      (Array.isArray(at(p, "exporters")) ? (at(p, "exporters") as unknown[]) : []).some(
        (e) =>
          typeof e === "string" &&
          (e === "prometheusremotewrite" || e.startsWith("prometheusremotewrite/")) &&
          isRecord(exporters) &&
          e in exporters,
      ),
  );
}

/** What produces metrics in each region of the plan. */
export function regionProducers(
  input: ObservabilityInput,
  expressions: readonly PromqlExpression[],
  charts: ChartCatalogue,
): Map<string, RegionProducers> {
  const regions = new Set<string>([
    ...input.objects.map((o) => o.region),
    ...input.resources.map((r) => r.region ?? "global"),
  ]);
  const out = new Map<string, RegionProducers>();
  for (const region of regions) {
    const scrapeJobs = new Map<string, string>();
    for (const s of input.resources.filter(
      (r) => r.type === "aws:amp/scraper:Scraper" && (r.region ?? "global") === region,
    )) {
      let doc: unknown;
      try {
        doc = parseYaml(String(s.inputs.scrapeConfiguration ?? ""));
      } catch {
        doc = undefined;
      }
      for (const job of jobNames(at(doc, "scrape_configs"))) scrapeJobs.set(job, `AMP scraper ${s.name}`);
    }
    for (const r of input.resources.filter(
      (x) =>
        x.type === HELM_RELEASE &&
        (x.region ?? "global") === region &&
        chartName(String(x.inputs.chart ?? "")) === OBSERVABILITY_RELEASES.kubePrometheusStack,
    )) {
      for (const job of inClusterJobs(r, charts))
        scrapeJobs.set(job, `Helm release ${String(r.inputs.name)}`);
    }
    const objects = input.objects.filter((o) => o.region === region).map((o) => o.object);
    const instrumentations = objects.filter((o) => o.kind === "Instrumentation");
    const agent = objects.find(
      (o) => o.kind === "OpenTelemetryCollector" && o.metadata.name === COLLECTOR_NAMES.agent,
    );
    const instrumentation: RegionProducers["instrumentation"] =
      instrumentations.length === 0
        ? { ok: false, missing: "no Instrumentation" }
        : agent === undefined
          ? { ok: false, missing: `no OpenTelemetryCollector ${COLLECTOR_NAMES.agent}` }
          : !remoteWritesMetrics(at(agent, "spec", "config"))
            ? {
                ok: false,
                missing: `OpenTelemetryCollector ${COLLECTOR_NAMES.agent} has no metrics pipeline exporting with prometheusremotewrite`,
              }
            : {
                ok: true,
                via: `Instrumentation ${instrumentations.map((i) => i.metadata.name).join(", ")} and OpenTelemetryCollector ${COLLECTOR_NAMES.agent}`,
              };
    const records = new Map<string, string>();
    for (const e of expressions)
      if (e.region === region && e.record !== undefined) records.set(e.record, e.source);
    out.set(region, { scrapeJobs, instrumentation, records });
  }
  return out;
}

/** How a metric is produced in a region (`via`), or why nothing produces it (`missing`). */
export function produce(
  metric: string,
  p: RegionProducers,
  hasRules: boolean,
): { ok: true; via: string } | { ok: false; missing: string } {
  const base = metric.replace(HISTOGRAM_SUFFIX, "");
  const record = p.records.get(metric);
  if (record !== undefined) return { ok: true, via: `recording rule ${record}` };
  if (INSTRUMENTATION_METRICS.includes(base) || INSTRUMENTATION_METRICS.includes(metric)) {
    return p.instrumentation.ok
      ? { ok: true, via: p.instrumentation.via }
      : { ok: false, missing: p.instrumentation.missing };
  }
  if (PER_TARGET_SERIES.includes(metric)) {
    const first = [...p.scrapeJobs.keys()][0];
    return first !== undefined
      ? { ok: true, via: `scrape job ${first}` }
      : { ok: false, missing: "no scrape job" };
  }
  if (RULE_SERIES.includes(metric))
    return hasRules ? { ok: true, via: "the rule evaluator" } : { ok: false, missing: "no alerting rule" };
  const jobs = Object.entries(SCRAPE_JOBS).filter(([, j]) => producedBy(metric, j.produces));
  const present = jobs.find(([job]) => p.scrapeJobs.has(job));
  if (present !== undefined)
    return { ok: true, via: `scrape job ${present[0]} (${p.scrapeJobs.get(present[0])})` };
  if (jobs.length > 0) return { ok: false, missing: `no scrape job ${jobs.map(([j]) => j).join(" or ")}` };
  return { ok: false, missing: "no scrape job, instrumentation or recording rule produces it" };
}
