import { DEFAULT_SERVICES, SERVICE_NAMES } from "../../components/kubernetes";
import { InputError } from "../../components/core";
import { validateObjects } from "../../components/objects";
import {
  HTTP_DURATION_BUCKETS_SECONDS,
  INSTRUMENTATION_METRICS,
  SCRAPE_JOBS,
  availableReplicasQuery,
  latencyQuantileQuery,
  producedBy,
  requestRateQuery,
  scheduledReplicasQuery,
} from "../../components/telemetry";
import { observabilitySchema } from "../../components/observability/config";
import {
  dashboardObjects,
  dashboardQueries,
  dashboards,
  GRAFANA_DASHBOARD_LABEL,
} from "../../components/observability/dashboards/dashboards";
import {
  GRAFANA_SCHEMA_VERSION,
  METRICS_DATASOURCE_UID,
} from "../../components/observability/dashboards/model";
import type { Dashboard } from "../../components/observability/types";
import { metricNames } from "./promql-metrics";

const config = observabilitySchema.parse({});
const all = dashboards({ services: DEFAULT_SERVICES, config, region: "eu-west-2", environment: "prod" });
const byUid = (uid: string) => all.find((d) => d.uid === uid)!;

interface Panel {
  title: string;
  type: string;
  targets?: { expr: string; legendFormat: string; datasource: { uid: string } }[];
  fieldConfig?: { defaults: { thresholds: { steps: { value: number | null }[] } } };
}
const panels = (d: Dashboard) => (d.model.panels as Panel[]).filter((p) => p.type === "timeseries");
const panel = (d: Dashboard, title: string) => panels(d).find((p) => p.title === title)!;
const exprs = (p: Panel) => p.targets!.map((t) => t.expr);
const threshold = (p: Panel) => p.fieldConfig!.defaults.thresholds.steps[1]?.value;

const PREFIXES = [...Object.values(SCRAPE_JOBS).flatMap((j) => j.produces), ...INSTRUMENTATION_METRICS];

describe("dashboards", () => {
  it("builds one dashboard per service, the region's and the platform's, with unique files", () => {
    expect(all.map((d) => d.file)).toEqual([
      ...SERVICE_NAMES.map((s) => `service-${s}.json`),
      "region-overview.json",
      "platform.json",
    ]);
    for (const d of all) {
      expect(d.model.uid).toBe(d.uid);
      expect(d.model.schemaVersion).toBe(GRAFANA_SCHEMA_VERSION);
    }
  });

  it("builds none when dashboards are off", () => {
    const off = observabilitySchema.parse({ dashboards: { enabled: false } });
    expect(
      dashboards({ services: DEFAULT_SERVICES, config: off, region: "eu-west-2", environment: "prod" }),
    ).toEqual([]);
  });

  it.each(SERVICE_NAMES)(
    "gives %s rate, errors, duration, saturation and replicas vs the calendar",
    (service) => {
      const ns = DEFAULT_SERVICES[service].namespace;
      const d = byUid(`service-${service}`);
      expect(panels(d).map((p) => p.title)).toEqual([
        "Request rate",
        "Error ratio (5xx)",
        "Request duration p50 / p95 / p99",
        "Saturation (usage / requests)",
        "Replicas: scheduled, available, calendar",
      ]);
      expect(exprs(panel(d, "Request rate"))).toEqual([requestRateQuery(service, "2m")]);
      expect(exprs(panel(d, "Error ratio (5xx)"))).toEqual([
        `sum(rate(http_server_request_duration_seconds_count{job="${service}",http_response_status_code=~"5.."}[5m])) / sum(rate(http_server_request_duration_seconds_count{job="${service}"}[5m]))`,
      ]);
      expect(exprs(panel(d, "Request duration p50 / p95 / p99"))).toEqual(
        [0.5, 0.95, 0.99].map((q) => latencyQuantileQuery(service, q, "5m")),
      );
      expect(exprs(panel(d, "Saturation (usage / requests)"))).toEqual([
        `sum(rate(container_cpu_usage_seconds_total{namespace="${ns}",container="${service}"}[5m])) / sum(kube_pod_container_resource_requests{namespace="${ns}",container="${service}",resource="cpu"})`,
        `sum(container_memory_working_set_bytes{namespace="${ns}",container="${service}"}) / sum(kube_pod_container_resource_requests{namespace="${ns}",container="${service}",resource="memory"})`,
      ]);
      expect(exprs(panel(d, "Replicas: scheduled, available, calendar"))).toEqual([
        scheduledReplicasQuery(service, ns),
        availableReplicasQuery(service, ns),
        `max(keda_scaler_metrics_value{namespace="${ns}",scaledObject="${service}",scaler=~"cal-.*"})`,
      ]);
    },
  );

  it("annotates the calendar's windows from the ScaledObject's active cron scalers", () => {
    const d = byUid("service-ai-tutor");
    const list = (d.model.annotations as { list: Record<string, unknown>[] }).list;
    expect(list[0]).toMatchObject({ builtIn: 1, type: "dashboard" });
    expect(list[1]).toMatchObject({
      name: "Calendar windows",
      datasource: { uid: METRICS_DATASOURCE_UID },
      enable: true,
      expr: `max by (scaler) (keda_scaler_active{namespace="ai-tutor",scaledObject="ai-tutor",scaler=~"cal-.*"}) == 1`,
      step: "1m",
      tagKeys: "scaler",
      titleFormat: "Calendar window {{scaler}}",
    });
  });

  it("draws each service's objectives as thresholds, overrides included", () => {
    expect(threshold(panel(byUid("service-course-catalog"), "Request duration p50 / p95 / p99"))).toBe(0.25);
    expect(threshold(panel(byUid("service-course-catalog"), "Error ratio (5xx)"))).toBe(0.0005);
    expect(threshold(panel(byUid("service-analytics"), "Request duration p50 / p95 / p99"))).toBe(1);
    const tuned = dashboards({
      services: DEFAULT_SERVICES,
      config: observabilitySchema.parse({
        slo: { services: { enrollment: { latencyMs: 500, availability: 0.999 } } },
      }),
      region: "eu-west-2",
      environment: "prod",
    });
    const enrollment = tuned.find((d) => d.uid === "service-enrollment")!;
    expect(threshold(panel(enrollment, "Request duration p50 / p95 / p99"))).toBe(0.5);
    expect(threshold(panel(enrollment, "Error ratio (5xx)"))).toBe(0.001);
  });

  it("puts every service side by side on the region's dashboard, with burn rates from the raw histogram", () => {
    const d = byUid("region-overview");
    expect(panel(d, "Request rate").targets!.map((t) => t.legendFormat)).toEqual([...SERVICE_NAMES]);
    expect(exprs(panel(d, "Availability burn rate (1h)"))[0]).toBe(
      `(sum(rate(http_server_request_duration_seconds_count{job="course-catalog",http_response_status_code=~"5.."}[1h])) / sum(rate(http_server_request_duration_seconds_count{job="course-catalog"}[1h]))) / 0.0005`,
    );
    expect(exprs(panel(d, "Latency burn rate (1h)"))[0]).toBe(
      `(1 - sum(rate(http_server_request_duration_seconds_bucket{job="course-catalog",le="0.25"}[1h])) / sum(rate(http_server_request_duration_seconds_count{job="course-catalog"}[1h]))) / 0.01`,
    );
    expect(panel(d, "Replicas: available / scheduled").targets).toHaveLength(2 * SERVICE_NAMES.length);
  });

  it("shows Karpenter, KEDA and Kyverno on the platform dashboard", () => {
    const queries = dashboardQueries(byUid("platform"));
    for (const metric of [
      "karpenter_cluster_state_node_count",
      "karpenter_nodeclaims_created_total",
      "karpenter_scheduler_queue_depth",
      "karpenter_pods_provisioning_startup_duration_seconds_bucket",
      "keda_scaler_detail_errors_total",
      "keda_scaled_object_errors_total",
      "keda_scaler_metrics_value",
      "kyverno_admission_requests_total",
      "kyverno_policy_results_total",
      "kyverno_admission_review_duration_seconds_bucket",
    ])
      expect(queries.some((q) => metricNames(q).includes(metric))).toBe(true);
  });

  it("lists every panel and annotation query, and every metric they read is produced by a declared source", () => {
    const service = byUid("service-enrollment");
    const queries = dashboardQueries(service);
    expect(queries).toHaveLength(1 + 1 + 1 + 3 + 2 + 3);
    expect(queries[0]).toContain("keda_scaler_active");
    const unproduced = all
      .flatMap(dashboardQueries)
      .flatMap(metricNames)
      .filter((m) => !producedBy(m, PREFIXES));
    expect(unproduced).toEqual([]);
    // The check can fail: a metric no source declares is caught.
    expect(metricNames("sum(rate(made_up_total[5m]))").filter((m) => !producedBy(m, PREFIXES))).toEqual([
      "made_up_total",
    ]);
  });

  it("uses only latency thresholds that are histogram bucket boundaries", () => {
    for (const s of SERVICE_NAMES) {
      const t = threshold(panel(byUid(`service-${s}`), "Request duration p50 / p95 / p99"));
      expect(HTTP_DURATION_BUCKETS_SECONDS).toContain(t);
    }
  });
});

describe("dashboardObjects", () => {
  const objects = dashboardObjects(all, "observability");

  it("makes one valid ConfigMap per dashboard, labelled for Grafana's sidecar", () => {
    expect(validateObjects(objects)).toEqual([]);
    expect(objects.map((o) => o.metadata.name)).toEqual(all.map((d) => `grafana-dashboard-${d.uid}`));
    for (const [i, o] of objects.entries()) {
      expect(o.metadata.namespace).toBe("observability");
      expect((o.metadata.labels as Record<string, string>)[GRAFANA_DASHBOARD_LABEL.key]).toBe("1");
      expect(JSON.parse((o.data as Record<string, string>)[all[i]!.file]!)).toEqual(all[i]!.model);
    }
  });

  it("refuses duplicate and over-long uids, bad file names and a bad namespace, listing each", () => {
    const d = all[0]!;
    const long = "x".repeat(41);
    const bad: Dashboard[] = [
      d,
      { ...d, file: "other.json" },
      { ...d, uid: long, file: "x.yaml", model: { uid: long } },
    ];
    let error: unknown;
    try {
      dashboardObjects(bad, "Observability");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems.map((p) => `${p.path}: ${p.rule}`)).toEqual([
      "namespace: must be a DNS label",
      "dashboards[1].uid: used twice (dashboards[0])",
      "dashboards[2].uid: must be 1..40 letters, digits, - or _ (Grafana's limit)",
      "dashboards[2].file: must be a ConfigMap key ending in .json",
    ]);
  });

  it("refuses a model whose uid disagrees and one too large for a ConfigMap", () => {
    const d = all[0]!;
    expect(() => dashboardObjects([{ ...d, model: { ...d.model, uid: "other" } }], "observability")).toThrow(
      '`dashboards[0].model.uid`: got "other"; must equal the dashboard\'s uid service-course-catalog',
    );
    expect(() =>
      dashboardObjects([{ ...d, model: { ...d.model, blob: "x".repeat(1024 * 1024) } }], "observability"),
    ).toThrow(/must fit a ConfigMap \(1048576 bytes\)/);
  });
});
