/**
 * The Prometheus scrape configuration of a region: one job per entry of `SCRAPE_JOBS`, for the AMP managed
 * collector (the `amp` profile) or, the same jobs, for the in-cluster Prometheus's `additionalScrapeConfigs`
 * (the `in-cluster` profile). Pure.
 *
 * What the managed collector accepts (AMP user guide, "Using an AWS managed collector" > "Scraper
 * configuration" and "Scraper limitations",
 * https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-collector-how-to.html): the sections `global`,
 * `scrape_config`, `static_config`, `relabel_config`, `metric_relabel_configs` and `kubernetes_sd_config` only;
 * no scrape interval under 30 s; the only host name it resolves is `kubernetes.default.svc`; `authorization`
 * only as Bearer with `credentials_file: /var/run/secrets/kubernetes.io/serviceaccount/token`. So targets are
 * found by Kubernetes service discovery (pod IPs, node IPs), the kubelet is reached through the API server's node
 * proxy (as AMP's default configuration does), and no `tls_config` is written for the collector.
 *
 * Every job keeps only the metric names `SCRAPE_JOBS` says it produces (`metric_relabel_configs`), so the plan's
 * provenance check and what is stored (and billed) are the same set; cAdvisor's `container_*` series are kept
 * only for the learning services' namespaces (their workload saturation); RED metrics come from OpenTelemetry,
 * not from scraping.
 */
import { stringify } from "yaml";
import { InputError, isDnsLabel, type Problem } from "../../core";
import { SERVICE_NAMES, type AddonsConfig, type ServicesConfig } from "../../kubernetes";
import { SCRAPE_JOBS, type ScrapeJobName } from "../../telemetry";
import type { ObservabilityConfig } from "../config";
import { COLLECTOR_NAMES, OBSERVABILITY_NAMESPACE, OBSERVABILITY_RELEASES } from "../names";

/** @internal Who runs the jobs: the AMP managed collector, or a Prometheus inside the cluster. */
export type Scraper = "managed-collector" | "prometheus";

/** @internal The shortest scrape interval the AMP managed collector accepts, seconds. */
export const MANAGED_COLLECTOR_MIN_INTERVAL_SECONDS = 30;

/** @internal The managed collector's interval floor, defined once: `RegionMetrics` and the stack rules call it. */
export function managedCollectorIntervalProblems(seconds: number, path: string): Problem[] {
  if (seconds >= MANAGED_COLLECTOR_MIN_INTERVAL_SECONDS) return [];
  return [
    {
      path,
      value: seconds,
      rule: `the AMP managed collector refuses a scrape interval under ${MANAGED_COLLECTOR_MIN_INTERVAL_SECONDS} s`,
      fix: `set semester:observability.metrics.scrapeIntervalSeconds to ${MANAGED_COLLECTOR_MIN_INTERVAL_SECONDS} or more, or use the in-cluster profile`,
    },
  ];
}

export interface ScrapeConfigInput {
  /** `scrape_interval`, seconds (`semester:observability.metrics.scrapeIntervalSeconds`). */
  readonly scrapeIntervalSeconds: number;
  /** Namespaces of the learning services: cAdvisor's container series are kept for these only. */
  readonly serviceNamespaces: readonly string[];
  /** KEDA's namespace (`semester:addons.keda.namespace`). */
  readonly kedaNamespace: string;
  /** Kyverno's namespace (`semester:addons.kyverno.namespace`). */
  readonly kyvernoNamespace: string;
  /** The AWS Load Balancer Controller's namespace (`semester:addons.awsLoadBalancerController.namespace`). */
  readonly loadBalancerControllerNamespace: string;
  /** Karpenter's namespace (`components/cluster/karpenter/install.ts` installs it there). @default "kube-system" */
  readonly karpenterNamespace?: string;
  /** Who scrapes. @default "managed-collector" */
  readonly scraper?: Scraper;
}

/** One Prometheus `scrape_config`, in the configuration file's own (snake_case) shape. */
export type ScrapeJob = Readonly<Record<string, unknown>> & { readonly job_name: ScrapeJobName };

const TOKEN_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/token";
const CA_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";
const BEARER = { authorization: { type: "Bearer", credentials_file: TOKEN_FILE } } as const;

/**
 * Service and port names of the charts' defaults (each cited), with the release names Semester installs.
 * kube-prometheus-stack 88.5.3 names its subcharts `<release>-<chart>` (`kube-state-metrics`,
 * `prometheus-node-exporter`, Chart.yaml dependencies): kube-state-metrics serves port `http` (8080),
 * node-exporter `http-metrics` (9100, values.yaml `prometheus-node-exporter.service.portName`).
 */
const KSM_SERVICE = `${OBSERVABILITY_RELEASES.kubePrometheusStack}-kube-state-metrics`;
const NODE_EXPORTER_SERVICE = `${OBSERVABILITY_RELEASES.kubePrometheusStack}-prometheus-node-exporter`;

/** The scrape configuration input of a stack: namespaces from the services and add-ons. */
export function scrapeInputFor(args: {
  readonly config: ObservabilityConfig;
  readonly services: ServicesConfig;
  readonly addons: AddonsConfig;
  readonly scraper?: Scraper;
}): ScrapeConfigInput {
  return {
    scrapeIntervalSeconds: args.config.metrics.scrapeIntervalSeconds,
    serviceNamespaces: [...new Set(SERVICE_NAMES.map((s) => args.services[s].namespace))].sort(),
    kedaNamespace: args.addons.keda.namespace,
    kyvernoNamespace: args.addons.kyverno.namespace,
    loadBalancerControllerNamespace: args.addons.awsLoadBalancerController.namespace,
    ...(args.scraper !== undefined ? { scraper: args.scraper } : {}),
  };
}

/** @internal What is wrong with a scrape input (empty when it is fine). */
export function scrapeInputProblems(input: ScrapeConfigInput): Problem[] {
  const problems: Problem[] = [];
  const scraper = input.scraper ?? "managed-collector";
  if (!Number.isInteger(input.scrapeIntervalSeconds) || input.scrapeIntervalSeconds < 10) {
    problems.push({
      path: "scrapeIntervalSeconds",
      value: input.scrapeIntervalSeconds,
      rule: "must be an integer number of seconds, at least 10",
    });
  } else if (scraper === "managed-collector") {
    problems.push(...managedCollectorIntervalProblems(input.scrapeIntervalSeconds, "scrapeIntervalSeconds"));
  }
  if (input.serviceNamespaces.length === 0) {
    problems.push({
      path: "serviceNamespaces",
      value: [],
      rule: "must name at least one namespace",
    });
  }
  const namespaces: [string, unknown][] = [
    ...input.serviceNamespaces.map((n, i): [string, unknown] => [`serviceNamespaces[${i}]`, n]),
    ["kedaNamespace", input.kedaNamespace],
    ["kyvernoNamespace", input.kyvernoNamespace],
    ["loadBalancerControllerNamespace", input.loadBalancerControllerNamespace],
    ["karpenterNamespace", input.karpenterNamespace ?? "kube-system"],
  ];
  for (const [path, value] of namespaces) {
    if (!isDnsLabel(value)) {
      problems.push({ path, value, rule: "must be a Kubernetes namespace name (a DNS label)" });
    }
  }
  return problems;
}

/** Keeps the metric names a job produces (`SCRAPE_JOBS`): prefixes ending in `_` match names starting with them. */
function keepProduced(job: ScrapeJobName): Record<string, unknown> {
  const prefixes: readonly string[] = SCRAPE_JOBS[job].produces;
  return { source_labels: ["__name__"], regex: prefixes.map((p) => `${p}.*`).join("|"), action: "keep" };
}

/** Keeps endpoints of one Service (and, when given, one of its ports). */
function keepService(service: string, port?: string): Record<string, unknown> {
  return port === undefined
    ? { source_labels: ["__meta_kubernetes_service_name"], regex: service, action: "keep" }
    : {
        source_labels: ["__meta_kubernetes_service_name", "__meta_kubernetes_endpoint_port_name"],
        regex: `${service};${port}`,
        action: "keep",
      };
}

/** Keeps the named container port of the pods with `app.kubernetes.io/name` = `app`. */
function keepPodPort(app: string, port: string): Record<string, unknown> {
  return {
    source_labels: [
      "__meta_kubernetes_pod_label_app_kubernetes_io_name",
      "__meta_kubernetes_pod_container_port_name",
    ],
    regex: `${app};${port}`,
    action: "keep",
  };
}

const POD_LABELS = [
  { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
  { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
];
const NODE_LABEL = { source_labels: ["__meta_kubernetes_node_name"], target_label: "node" };

function endpoints(namespace: string): Record<string, unknown>[] {
  return [{ role: "endpoints", namespaces: { names: [namespace] } }];
}
function pods(namespace: string): Record<string, unknown>[] {
  return [{ role: "pod", namespaces: { names: [namespace] } }];
}

/**
 * The kubelet's endpoint `path` (`/metrics`, `/metrics/cadvisor`) per node: through the API server's node proxy
 * for the managed collector (AMP's default configuration; the access entry AMP creates allows `nodes/proxy`),
 * directly on the node's kubelet port for an in-cluster Prometheus (whose ClusterRole in kube-prometheus-stack
 * grants `nodes/metrics`, not `nodes/proxy`). The kubelet's serving certificate is not signed for its IP, so
 * the in-cluster job skips verification as kube-prometheus-stack's own kubelet ServiceMonitor does.
 */
function kubeletJob(job: ScrapeJobName, path: string, scraper: Scraper): Record<string, unknown> {
  const viaProxy = scraper === "managed-collector";
  return {
    job_name: job,
    scheme: "https",
    ...BEARER,
    ...(viaProxy ? {} : { tls_config: { ca_file: CA_FILE, insecure_skip_verify: true }, metrics_path: path }),
    kubernetes_sd_configs: [{ role: "node" }],
    relabel_configs: [
      NODE_LABEL,
      ...(viaProxy
        ? [
            { target_label: "__address__", replacement: "kubernetes.default.svc:443" },
            {
              source_labels: ["__meta_kubernetes_node_name"],
              regex: "(.+)",
              target_label: "__metrics_path__",
              replacement: `/api/v1/nodes/$1/proxy${path}`,
            },
          ]
        : []),
    ],
  };
}

/** The scrape jobs, in `SCRAPE_JOBS` order. Throws an `InputError` naming `scrapeJobs` for a bad input. */
export function scrapeJobs(input: ScrapeConfigInput): ScrapeJob[] {
  const problems = scrapeInputProblems(input);
  if (problems.length > 0) throw new InputError("scrapeJobs", problems);
  const scraper = input.scraper ?? "managed-collector";
  const serviceNamespaces = [...input.serviceNamespaces].sort().join("|");

  const jobs: { readonly [J in ScrapeJobName]: Record<string, unknown> } = {
    // kube-state-metrics labels its series with the object's namespace: honor them over the target's.
    "kube-state-metrics": {
      job_name: "kube-state-metrics",
      honor_labels: true,
      kubernetes_sd_configs: endpoints(OBSERVABILITY_NAMESPACE),
      relabel_configs: [keepService(KSM_SERVICE, "http")],
    },
    "node-exporter": {
      job_name: "node-exporter",
      kubernetes_sd_configs: endpoints(OBSERVABILITY_NAMESPACE),
      relabel_configs: [
        keepService(NODE_EXPORTER_SERVICE, "http-metrics"),
        { source_labels: ["__meta_kubernetes_endpoint_node_name"], target_label: "node" },
      ],
    },
    "kubelet-cadvisor": kubeletJob("kubelet-cadvisor", "/metrics/cadvisor", scraper),
    kubelet: kubeletJob("kubelet", "/metrics", scraper),
    // The `kubernetes` Service in `default` fronts the control plane's endpoints (AMP's sample configuration).
    apiserver: {
      job_name: "apiserver",
      scheme: "https",
      ...BEARER,
      ...(scraper === "prometheus" ? { tls_config: { ca_file: CA_FILE, server_name: "kubernetes" } } : {}),
      kubernetes_sd_configs: endpoints("default"),
      relabel_configs: [keepService("kubernetes", "https")],
    },
    // KEDA chart 2.20.2 templates/manager/deployment.yaml: the operator serves `metrics` (values.yaml
    // `prometheus.operator.port`, 8080) only with `prometheus.operator.enabled: true` (off by default).
    "keda-operator": {
      job_name: "keda-operator",
      kubernetes_sd_configs: pods(input.kedaNamespace),
      relabel_configs: [keepPodPort("keda-operator", "metrics"), ...POD_LABELS],
    },
    // Karpenter chart 1.14.1: Service `karpenter` (the release name), port `http-metrics`
    // (values.yaml `controller.metrics.port`, 8080).
    karpenter: {
      job_name: "karpenter",
      kubernetes_sd_configs: endpoints(input.karpenterNamespace ?? "kube-system"),
      relabel_configs: [keepService("karpenter", "http-metrics"), ...POD_LABELS],
    },
    // Kyverno chart 3.9.0: each controller's `metricsService` (created by default, port 8000), named
    // `kyverno-svc-metrics` (admission) and `kyverno-<controller>-controller-metrics`.
    kyverno: {
      job_name: "kyverno",
      kubernetes_sd_configs: endpoints(input.kyvernoNamespace),
      relabel_configs: [
        keepService("kyverno-svc-metrics|kyverno-(?:background|cleanup|reports)-controller-metrics"),
        ...POD_LABELS,
      ],
    },
    // aws-load-balancer-controller chart 3.5.0 templates/deployment.yaml: container port `metrics-server`
    // (8080 unless `metricsBindAddr`); the chart creates no metrics Service unless its ServiceMonitor is on.
    "aws-load-balancer-controller": {
      job_name: "aws-load-balancer-controller",
      kubernetes_sd_configs: pods(input.loadBalancerControllerNamespace),
      relabel_configs: [keepPodPort("aws-load-balancer-controller", "metrics-server"), ...POD_LABELS],
    },
    // The OpenTelemetry Operator gives every collector a `<name>-collector-monitoring` Service, port
    // `monitoring` (8888), for the collector's own telemetry.
    "otel-collector": {
      job_name: "otel-collector",
      kubernetes_sd_configs: endpoints(OBSERVABILITY_NAMESPACE),
      relabel_configs: [
        keepService(
          `(?:${COLLECTOR_NAMES.agent}|${COLLECTOR_NAMES.sampler})-collector-monitoring`,
          "monitoring",
        ),
        ...POD_LABELS,
      ],
    },
  };

  return (Object.keys(SCRAPE_JOBS) as ScrapeJobName[]).map((name) => {
    const job = jobs[name];
    const keep =
      name === "kubelet-cadvisor"
        ? // machine_* has no namespace; container_* only for the services' namespaces.
          {
            source_labels: ["__name__", "namespace"],
            regex: `machine_.*;.*|container_.*;(?:${serviceNamespaces})`,
            action: "keep",
          }
        : keepProduced(name);
    return { ...job, job_name: name, metric_relabel_configs: [keep] };
  });
}

/** The scrape configuration file (YAML): `global.scrape_interval` and the jobs of `scrapeJobs`. */
export function scrapeConfig(input: ScrapeConfigInput): string {
  const jobs = scrapeJobs(input);
  return stringify(
    { global: { scrape_interval: `${input.scrapeIntervalSeconds}s` }, scrape_configs: jobs },
    { lineWidth: 0 },
  );
}
