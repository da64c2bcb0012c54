import { parse } from "yaml";
import { InputError } from "../../components/core";
import { DEFAULT_ADDONS, DEFAULT_SERVICES, addonsSchema } from "../../components/kubernetes/config";
import { DEFAULT_OBSERVABILITY } from "../../components/observability/config";
import {
  scrapeConfig,
  scrapeInputFor,
  scrapeJobs,
  type ScrapeConfigInput,
} from "../../components/observability/metrics/scrape-config";
import { SCRAPE_JOBS } from "../../components/telemetry";

const input: ScrapeConfigInput = scrapeInputFor({
  config: DEFAULT_OBSERVABILITY,
  services: DEFAULT_SERVICES,
  addons: DEFAULT_ADDONS,
});

type Job = Record<string, any>;
const jobsOf = (yaml: string): Job[] => (parse(yaml) as { scrape_configs: Job[] }).scrape_configs;
const job = (jobs: Job[], name: string): Job => jobs.find((j) => j.job_name === name)!;

/** Prometheus anchors relabel regexes: `^(?:regex)$`. */
const matches = (regex: string, value: string) => new RegExp(`^(?:${regex})$`).test(value);

/** The `<scrape_config>` fields the managed collector's supported sections allow (AMP user guide). */
const MANAGED_COLLECTOR_JOB_FIELDS = new Set([
  "job_name",
  "honor_labels",
  "scheme",
  "metrics_path",
  "scrape_interval",
  "scrape_timeout",
  "authorization",
  "static_configs",
  "kubernetes_sd_configs",
  "relabel_configs",
  "metric_relabel_configs",
]);

describe("scrapeConfig (managed collector)", () => {
  const yaml = scrapeConfig(input);
  const doc = parse(yaml) as Record<string, any>;
  const jobs = jobsOf(yaml);

  it("parses as YAML with the configured global scrape interval and nothing else at the top", () => {
    expect(Object.keys(doc)).toEqual(["global", "scrape_configs"]);
    expect(doc.global).toEqual({ scrape_interval: "30s" });
  });

  it("has exactly the jobs of SCRAPE_JOBS, in order", () => {
    expect(jobs.map((j) => j.job_name)).toEqual(Object.keys(SCRAPE_JOBS));
  });

  it("uses only fields the managed collector accepts: no tls_config, Bearer with the service account token", () => {
    for (const j of jobs) {
      expect(Object.keys(j).filter((k) => !MANAGED_COLLECTOR_JOB_FIELDS.has(k))).toEqual([]);
      if (j.authorization !== undefined) {
        expect(j.authorization).toEqual({
          type: "Bearer",
          credentials_file: "/var/run/secrets/kubernetes.io/serviceaccount/token",
        });
      }
      for (const sd of j.kubernetes_sd_configs) expect(["endpoints", "pod", "node"]).toContain(sd.role);
    }
  });

  it("names no host but kubernetes.default.svc (the only name the collector resolves)", () => {
    const addresses = jobs
      .flatMap((j) => j.relabel_configs as Job[])
      .filter((r) => r.target_label === "__address__")
      .map((r) => r.replacement);
    expect(addresses).toEqual(["kubernetes.default.svc:443", "kubernetes.default.svc:443"]);
  });

  it("keeps exactly the metric prefixes each job produces", () => {
    for (const [name, { produces }] of Object.entries(SCRAPE_JOBS)) {
      if (name === "kubelet-cadvisor") continue;
      const keep = job(jobs, name).metric_relabel_configs;
      expect(keep).toEqual([
        { source_labels: ["__name__"], regex: produces.map((p) => `${p}.*`).join("|"), action: "keep" },
      ]);
    }
    expect(matches(job(jobs, "kube-state-metrics").metric_relabel_configs[0].regex, "kube_pod_info")).toBe(
      true,
    );
    expect(matches(job(jobs, "kube-state-metrics").metric_relabel_configs[0].regex, "go_goroutines")).toBe(
      false,
    );
  });

  it("keeps cAdvisor container series only for the services' namespaces, and machine series", () => {
    const [keep] = job(jobs, "kubelet-cadvisor").metric_relabel_configs;
    expect(keep.source_labels).toEqual(["__name__", "namespace"]);
    expect(matches(keep.regex, "container_cpu_usage_seconds_total;learning")).toBe(true);
    expect(matches(keep.regex, "container_memory_working_set_bytes;ai-tutor")).toBe(true);
    expect(matches(keep.regex, "container_cpu_usage_seconds_total;kube-system")).toBe(false);
    expect(matches(keep.regex, "container_cpu_usage_seconds_total;learning-x")).toBe(false);
    expect(matches(keep.regex, "machine_cpu_cores;")).toBe(true);
    expect(matches(keep.regex, "go_goroutines;learning")).toBe(false);
  });

  it("reaches the kubelet through the API server's node proxy", () => {
    const cadvisor = job(jobs, "kubelet-cadvisor");
    expect(cadvisor.scheme).toBe("https");
    expect(cadvisor.kubernetes_sd_configs).toEqual([{ role: "node" }]);
    expect(cadvisor.relabel_configs).toContainEqual({
      source_labels: ["__meta_kubernetes_node_name"],
      regex: "(.+)",
      target_label: "__metrics_path__",
      replacement: "/api/v1/nodes/$1/proxy/metrics/cadvisor",
    });
    expect(job(jobs, "kubelet").relabel_configs).toContainEqual({
      source_labels: ["__meta_kubernetes_node_name"],
      regex: "(.+)",
      target_label: "__metrics_path__",
      replacement: "/api/v1/nodes/$1/proxy/metrics",
    });
  });

  it("finds each chart's metrics endpoint by its default Service or port name", () => {
    const keepOf = (name: string) => job(jobs, name).relabel_configs[0];
    expect(keepOf("kube-state-metrics")).toEqual({
      source_labels: ["__meta_kubernetes_service_name", "__meta_kubernetes_endpoint_port_name"],
      regex: "kube-prometheus-stack-kube-state-metrics;http",
      action: "keep",
    });
    expect(job(jobs, "kube-state-metrics").honor_labels).toBe(true);
    expect(keepOf("node-exporter").regex).toBe("kube-prometheus-stack-prometheus-node-exporter;http-metrics");
    expect(keepOf("apiserver").regex).toBe("kubernetes;https");
    expect(job(jobs, "apiserver").kubernetes_sd_configs).toEqual([
      { role: "endpoints", namespaces: { names: ["default"] } },
    ]);
    expect(keepOf("karpenter").regex).toBe("karpenter;http-metrics");
    expect(job(jobs, "karpenter").kubernetes_sd_configs[0].namespaces.names).toEqual(["kube-system"]);
    expect(keepOf("keda-operator").regex).toBe("keda-operator;metrics");
    expect(job(jobs, "keda-operator").kubernetes_sd_configs).toEqual([
      { role: "pod", namespaces: { names: ["keda"] } },
    ]);
    expect(keepOf("aws-load-balancer-controller").regex).toBe("aws-load-balancer-controller;metrics-server");
    expect(job(jobs, "aws-load-balancer-controller").kubernetes_sd_configs[0].namespaces.names).toEqual([
      "kube-system",
    ]);
    for (const svc of [
      "kyverno-svc-metrics",
      "kyverno-background-controller-metrics",
      "kyverno-cleanup-controller-metrics",
      "kyverno-reports-controller-metrics",
    ]) {
      expect(matches(keepOf("kyverno").regex, svc)).toBe(true);
    }
    expect(matches(keepOf("kyverno").regex, "kyverno-svc")).toBe(false);
    expect(matches(keepOf("otel-collector").regex, "otel-agent-collector-monitoring;monitoring")).toBe(true);
    expect(matches(keepOf("otel-collector").regex, "otel-sampler-collector-monitoring;monitoring")).toBe(
      true,
    );
    expect(matches(keepOf("otel-collector").regex, "otel-agent-collector;otlp-http")).toBe(false);
  });

  it("takes the add-ons' namespaces and the configured interval from the stack", () => {
    const addons = addonsSchema.parse({
      keda: { namespace: "autoscaling" },
      kyverno: { namespace: "policy" },
    });
    const jobs2 = jobsOf(
      scrapeConfig(
        scrapeInputFor({
          config: { ...DEFAULT_OBSERVABILITY, metrics: { enabled: true, scrapeIntervalSeconds: 60 } },
          services: DEFAULT_SERVICES,
          addons,
        }),
      ),
    );
    expect(job(jobs2, "keda-operator").kubernetes_sd_configs[0].namespaces.names).toEqual(["autoscaling"]);
    expect(job(jobs2, "kyverno").kubernetes_sd_configs[0].namespaces.names).toEqual(["policy"]);
    const yaml60 = scrapeConfig({ ...input, scrapeIntervalSeconds: 60 });
    expect((parse(yaml60) as Record<string, any>).global).toEqual({ scrape_interval: "60s" });
  });
});

describe("scrapeJobs (in-cluster Prometheus)", () => {
  const jobs = scrapeJobs({ ...input, scraper: "prometheus", scrapeIntervalSeconds: 15 }) as Job[];

  it("has the same job names", () => {
    expect(jobs.map((j) => j.job_name)).toEqual(Object.keys(SCRAPE_JOBS));
  });

  it("scrapes the kubelet directly, verifying the API server by its service name", () => {
    const cadvisor = job(jobs, "kubelet-cadvisor");
    expect(cadvisor.metrics_path).toBe("/metrics/cadvisor");
    expect(cadvisor.tls_config).toEqual({
      ca_file: "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt",
      insecure_skip_verify: true,
    });
    expect(cadvisor.relabel_configs.some((r: Job) => r.target_label === "__address__")).toBe(false);
    expect(job(jobs, "apiserver").tls_config).toEqual({
      ca_file: "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt",
      server_name: "kubernetes",
    });
  });
});

describe("scrape input checks", () => {
  it("refuses a scrape interval under 30 s for the managed collector, naming the fix", () => {
    expect(() => scrapeConfig({ ...input, scrapeIntervalSeconds: 15 })).toThrow(
      new InputError("scrapeJobs", [
        {
          path: "scrapeIntervalSeconds",
          value: 15,
          rule: "the AMP managed collector refuses a scrape interval under 30 s",
          fix: "set semester:observability.metrics.scrapeIntervalSeconds to 30 or more, or use the in-cluster profile",
        },
      ]).message,
    );
  });

  it("refuses a namespace that is not a DNS label and an empty service namespace list", () => {
    expect(() => scrapeJobs({ ...input, serviceNamespaces: [], kedaNamespace: "KEDA" })).toThrow(
      [
        "Invalid input in scrapeJobs (2 problems):",
        "  - `serviceNamespaces`: got []; must name at least one namespace",
        '  - `kedaNamespace`: got "KEDA"; must be a Kubernetes namespace name (a DNS label)',
      ].join("\n"),
    );
  });
});
