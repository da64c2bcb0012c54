import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { analyseObservability, CHARTS_DIR, ChartCatalogue } from "../../cli/plan/observability";
import { withGrafanaIntervals } from "../../cli/plan/observability/expressions";
import { checkHelmValues } from "../../cli/plan/observability/helm-values";
import type { PlannedObject, PlannedResource } from "../../cli/plan/record";
import { metricNames, parsePromql } from "../support/promql";

const REGION = "eu-west-2";
const charts = new ChartCatalogue();

function resource(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  region = REGION,
): PlannedResource {
  return {
    type,
    name,
    urn: `urn:pulumi:test::semester::${type}::${name}`,
    parent: null,
    region,
    custom: true,
    inputs,
  };
}
function object(o: Record<string, unknown>, region = REGION): PlannedObject {
  return { region, object: o as PlannedObject["object"] };
}

const scaledObject = (query: string) =>
  object({
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name: "course-catalog", namespace: "learning" },
    spec: {
      scaleTargetRef: { name: "course-catalog" },
      triggers: [
        { type: "cpu", metadata: { value: "70" } },
        { type: "prometheus", name: "request-rate", metadata: { query, threshold: "50" } },
      ],
    },
  });
const instrumentation = object({
  apiVersion: "opentelemetry.io/v1alpha1",
  kind: "Instrumentation",
  metadata: { name: "semester-java", namespace: "observability" },
  spec: {},
});
const agent = (exporters: string[]) =>
  object({
    apiVersion: "opentelemetry.io/v1beta1",
    kind: "OpenTelemetryCollector",
    metadata: { name: "otel-agent", namespace: "observability" },
    spec: {
      config: {
        exporters: { "prometheusremotewrite/amp": { endpoint: "https://aps" }, otlphttp: {} },
        service: { pipelines: { metrics: { receivers: ["otlp"], exporters } } },
      },
    },
  });
const scraper = (jobs: string[]) =>
  resource("aws:amp/scraper:Scraper", "semester-prod-eu-west-2-scraper", {
    scrapeConfiguration: `global:\n  scrape_interval: 30s\nscrape_configs:\n${jobs.map((j) => `  - job_name: ${j}\n`).join("")}`,
  });
const ruleGroups = (data: string) =>
  resource("aws:amp/ruleGroupNamespace:RuleGroupNamespace", "semester-prod-eu-west-2-slo", {
    name: "slo",
    data,
  });
const release = (chart: string, version: string, values: Record<string, unknown>, name = chart) =>
  resource("kubernetes:helm.sh/v3:Release", `semester-prod-eu-west-2-${name}`, {
    name,
    namespace: "ns",
    chart,
    version,
    values,
  });

const REQUEST_RATE = 'sum(rate(http_server_request_duration_seconds_count{job="course-catalog"}[2m]))';

describe("parsePromql (Prometheus's lezer grammar)", () => {
  it("accepts the expressions the telemetry module builds", () => {
    expect(parsePromql(REQUEST_RATE)).toEqual({ ok: true });
    expect(
      parsePromql(
        'histogram_quantile(0.95, sum by (le) (rate(http_server_request_duration_seconds_bucket{job="a"}[5m])))',
      ),
    ).toEqual({ ok: true });
  });

  it("reports the first error with its offset and the text around it", () => {
    expect(parsePromql("sum(rate(x[2m])")).toEqual({
      ok: false,
      at: 15,
      error: "at 15: sum(rate(x[2m])⟨here⟩",
    });
    expect(parsePromql("sum(x)) + y")).toEqual({ ok: false, at: 6, error: "at 6: sum(x)⟨here⟩) + y" });
    expect(parsePromql("  ")).toEqual({ ok: false, at: 0, error: "at 0: empty expression" });
  });
});

describe("metricNames (from the syntax tree)", () => {
  it("reads vector and range selectors' identifiers and __name__ equality matchers, not functions or labels", () => {
    expect(
      metricNames('sum by (job) (rate(a_count{job="x"}[5m])) / on(job) {__name__="b"} > bool c offset 5m'),
    ).toEqual(["a_count", "b", "c"]);
    expect(metricNames('{__name__=~"a.*"}')).toEqual([]);
    expect(metricNames('label_replace(up, "dst", "$1", "src", "(.*)")')).toEqual(["up"]);
  });
});

describe("analyseObservability: PromQL and provenance", () => {
  it("names an expression that does not parse, where it is and where it breaks", () => {
    const r = analyseObservability({ resources: [], objects: [scaledObject("sum(rate(x[2m])")] }, { charts });
    expect(r.findings.map((f) => f.message)).toEqual([
      "eu-west-2 ScaledObject learning/course-catalog trigger request-rate: PromQL does not parse at 15: sum(rate(x[2m])⟨here⟩",
    ]);
  });

  it("names a metric nothing in the region produces, and why (no Instrumentation)", () => {
    const r = analyseObservability(
      { resources: [], objects: [scaledObject(REQUEST_RATE), agent(["prometheusremotewrite/amp"])] },
      { charts },
    );
    expect(r.findings.map((f) => f.message)).toEqual([
      "eu-west-2 ScaledObject learning/course-catalog trigger request-rate reads http_server_request_duration_seconds_count, which nothing in eu-west-2 produces (no Instrumentation)",
    ]);
  });

  it("maps histogram suffixes to the instrumentation's base name once the agent remote-writes metrics", () => {
    const r = analyseObservability(
      {
        resources: [],
        objects: [scaledObject(REQUEST_RATE), instrumentation, agent(["prometheusremotewrite/amp"])],
      },
      { charts },
    );
    expect(r.findings).toEqual([]);
    expect(r.reads).toEqual([
      {
        region: REGION,
        source: "ScaledObject learning/course-catalog trigger request-rate",
        metric: "http_server_request_duration_seconds_count",
        via: "Instrumentation semester-java and OpenTelemetryCollector otel-agent",
      },
    ]);
  });

  it("refuses instrumentation metrics when the agent's metrics pipeline does not remote-write", () => {
    const r = analyseObservability(
      { resources: [], objects: [scaledObject(REQUEST_RATE), instrumentation, agent(["otlphttp"])] },
      { charts },
    );
    expect(r.findings.map((f) => f.message)).toEqual([
      expect.stringContaining(
        "(OpenTelemetryCollector otel-agent has no metrics pipeline exporting with prometheusremotewrite)",
      ),
    ]);
  });

  it("lets a recording rule of the region satisfy a read, and only in that region", () => {
    const data = [
      "groups:",
      "  - name: slo-course-catalog",
      "    rules:",
      "      - record: slo:sli_error:ratio_rate5m",
      "        expr: sum(rate(kube_pod_info[5m]))",
      "      - alert: Burn",
      "        expr: slo:sli_error:ratio_rate5m > 0.01",
    ].join("\n");
    const here = analyseObservability(
      { resources: [ruleGroups(data), scraper(["kube-state-metrics"])], objects: [] },
      { charts },
    );
    expect(here.findings).toEqual([]);
    expect(here.reads.map((x) => `${x.metric} <- ${x.via}`)).toEqual([
      "slo:sli_error:ratio_rate5m <- recording rule RuleGroupNamespace slo group slo-course-catalog rule slo:sli_error:ratio_rate5m",
      "kube_pod_info <- scrape job kube-state-metrics (AMP scraper semester-prod-eu-west-2-scraper)",
    ]);
    const elsewhere = analyseObservability(
      {
        resources: [
          ruleGroups(data),
          scraper(["kube-state-metrics"]),
          { ...ruleGroups(data.replace(/.*record.*\n.*\n/, "")), region: "us-east-1", name: "us" },
        ],
        objects: [],
      },
      { charts },
    );
    expect(elsewhere.findings.map((f) => f.message)).toEqual([
      "us-east-1 RuleGroupNamespace slo group slo-course-catalog rule Burn reads slo:sli_error:ratio_rate5m, which nothing in us-east-1 produces (no scrape job, instrumentation or recording rule produces it)",
    ]);
  });

  it("names the scrape job a metric needs when the region's scraper does not run it", () => {
    const r = analyseObservability(
      {
        resources: [
          ruleGroups(
            "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: keda_scaler_errors_total > 0\n",
          ),
          scraper(["kube-state-metrics"]),
        ],
        objects: [],
      },
      { charts },
    );
    expect(r.findings.map((f) => f.message)).toEqual([
      "eu-west-2 RuleGroupNamespace slo group g rule A reads keda_scaler_errors_total, which nothing in eu-west-2 produces (no scrape job keda-operator)",
    ]);
  });

  it("reads dashboard targets and annotations, with Grafana's interval variables as durations", () => {
    const dashboard = {
      annotations: { list: [{ name: "windows", expr: "broken(" }] },
      panels: [
        {
          title: "Load",
          targets: [{ refId: "A", expr: 'sum(rate(kube_x{job="$service"}[$__rate_interval]))' }],
        },
      ],
    };
    const cm = object({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "dash", namespace: "observability", labels: { grafana_dashboard: "1" } },
      data: { "service.json": JSON.stringify(dashboard) },
    });
    const r = analyseObservability(
      { resources: [scraper(["kube-state-metrics"])], objects: [cm] },
      { charts },
    );
    expect(r.findings.map((f) => f.message)).toEqual([
      'eu-west-2 dashboard ConfigMap observability/dash service.json annotation "windows": PromQL does not parse at 6: broken⟨here⟩(',
    ]);
    expect(r.reads.map((x) => x.source)).toEqual([
      'dashboard ConfigMap observability/dash service.json panel "Load" target A',
    ]);
    expect(withGrafanaIntervals("rate(x[$__rate_interval]) * $__range_s")).toBe("rate(x[5m]) * 300");
  });
});

describe("checkHelmValues against the vendored charts", () => {
  const keda = (values: Record<string, unknown>) => [release("keda", "2.20.2", values)];

  it("accepts value paths the chart has, free-form maps and label maps", () => {
    const r = checkHelmValues(
      keda({
        operator: { replicaCount: 2 },
        podAnnotations: { keda: { a: "b" } },
        nodeSelector: { "semester.dev/pool": "system" },
      }),
      charts,
    );
    expect(r.findings).toEqual([]);
    expect(r.releases).toBe(1);
  });

  it("names a value path the chart does not have", () => {
    const r = checkHelmValues(keda({ operator: { replicaCnt: 2 } }), charts);
    expect(r.findings).toEqual([
      {
        region: REGION,
        source: "Helm release ns/keda (keda 2.20.2)",
        message:
          "value `operator.replicaCnt` is not in the chart's values.yaml (nor under a free-form map): Helm ignores it",
      },
    ]);
  });

  it("names a release whose chart version is not vendored, and lists one whose chart never was as not checked", () => {
    const r = checkHelmValues(
      [
        release("oci://quay.io/strimzi-helm/strimzi-kafka-operator", "1.2.0", {}, "strimzi"),
        release("keda", "9.9.9", {}),
      ],
      charts,
    );
    expect(r.findings.map((f) => f.message)).toEqual([
      "chart keda 9.9.9 is not vendored in cli/plan/charts (vendored: 2.20.2), so its values cannot be checked; vendor its Chart.yaml, values.yaml and values.schema.json",
    ]);
    expect(r.notChecked.map((n) => [n.path, n.reason])).toEqual([
      [
        "(all values)",
        "chart oci://quay.io/strimzi-helm/strimzi-kafka-operator is not vendored in cli/plan/charts",
      ],
    ]);
  });

  it("validates the coalesced values against values.schema.json", () => {
    const r = checkHelmValues([release("external-dns", "1.19.0", { policy: "delete-everything" })], charts);
    expect(r.findings.map((f) => f.message)).toEqual([
      expect.stringMatching(
        /^values do not pass values\.schema\.json: \/policy must be equal to one of the allowed values/,
      ),
    ]);
    expect(checkHelmValues([release("external-dns", "1.19.0", { policy: "sync" })], charts).findings).toEqual(
      [],
    );
  });

  it("skips leaves only known after deploy", () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const r = checkHelmValues(
      [release("external-dns", "1.19.0", { policy: unknown, txtOwnerId: "[secret]" })],
      charts,
    );
    expect(r.findings).toEqual([]);
  });

  it("reports a subchart's values the parent does not describe as not checked, not as findings", () => {
    const r = checkHelmValues(
      [release("kube-prometheus-stack", "88.5.3", { grafana: { serviceAccount: { name: "grafana" } } })],
      charts,
    );
    expect(r.findings).toEqual([]);
    // kube-prometheus-stack's values.yaml describes grafana.serviceAccount, not its `name`: the subchart's.
    expect(r.notChecked.map((n) => n.path)).toEqual(["grafana.serviceAccount.name"]);
  });
});

describe("the vendored charts", () => {
  it("match the sha256 in cli/plan/charts/SOURCES.md, file by file", () => {
    const sources = fs.readFileSync(path.join(CHARTS_DIR, "SOURCES.md"), "utf8");
    const rows = sources.split("\n").filter((l) => /^\| [a-z]/.test(l) && !l.startsWith("| chart "));
    expect(rows.length).toBe(18);
    for (const row of rows) {
      const cells = row.split("|").map((c) => c.trim());
      const [chart, version] = [cells[1]!, cells[2]!];
      const files = ["Chart.yaml", "values.yaml", "values.schema.json"];
      files.forEach((file, i) => {
        const p = path.join(CHARTS_DIR, chart, version, file);
        const want = cells[8 + i];
        if (want === "—") expect(fs.existsSync(p)).toBe(false);
        else expect(crypto.createHash("sha256").update(fs.readFileSync(p)).digest("hex")).toBe(want);
      });
    }
  });
});
