/**
 * kube-prometheus-stack in one region's cluster, per profile:
 * - `amp`: kube-state-metrics, node-exporter and Grafana only (Prometheus, Alertmanager, the operator, its CRDs and
 *   the default rules off: AMP stores, evaluates and alerts). Grafana reads the region's workspace with SigV4 as
 *   service account `grafana`, bound through Pod Identity to a role with `grafanaQueryPolicy`.
 * - `in-cluster`: also the operator (with its CRDs), Prometheus (Semester's scrape jobs, the remote-write receiver
 *   for the OTel agent, retention covering the SLO window) and, given a config, Alertmanager; the PrometheusRule
 *   objects are applied after the release (their CRD and operator come with it).
 * The dashboards' ConfigMaps are applied after the release (Grafana's sidecar picks them up).
 *
 * Grafana runs one replica by default: its SQLite database is per pod, and two replicas without a shared database
 * would each keep their own sessions and users (a login on one is unknown to the other). Everything it shows is
 * provisioned from code, so a restart loses nothing. `grafanaReplicas` > 1 requires a `database` section in
 * `values.grafana["grafana.ini"]`.
 *
 * Admin credentials: never in values. By default the grafana chart generates a 40-character password into Secret
 * `kube-prometheus-stack-grafana` (`randAlphaNum 40`, reused on upgrade through `lookup`: grafana chart 12.11.1
 * `templates/_helpers.tpl` `grafana.password`), so neither the program nor its state holds it; read it with
 * `kubectl -n observability get secret kube-prometheus-stack-grafana`. With `adminPassword` (a Pulumi secret, e.g.
 * from `pulumi config set --secret`), it goes into Secret `grafana-admin` (applied before the release) and the
 * chart's `admin.existingSecret` points at it; the plan prints it as `[secret]`. The Secret is applied before the
 * release, so `dependsOn` must then include what creates the `observability` namespace.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterHandle } from "../../cluster";
import { InputError, type Environment, type Problem, type ResolvedKubeObject } from "../../core";
import { appliedResources, applyObjects, checkObjects } from "../../objects";
import { mergeValues } from "../../core";
import type { ObservabilityConfig } from "../config";
import { OBSERVABILITY_NAMESPACE, OBSERVABILITY_RELEASES, OBSERVABILITY_SERVICE_ACCOUNTS } from "../names";
import type { Dashboard, PromqlEndpoint } from "../types";
import { dashboardObjects } from "../dashboards/dashboards";
import { inClusterEndpoint } from "./endpoint";
import { GRAFANA_ADMIN_SECRET, kubePrometheusStackValues, type GrafanaSettings } from "./values";
import { observabilityRelease } from "../release";

/** @internal The pinned chart. */
export const KUBE_PROMETHEUS_STACK_CHART = {
  repository: "https://prometheus-community.github.io/helm-charts",
  chart: "kube-prometheus-stack",
  version: "88.5.3",
} as const;

export interface InClusterStackArgs {
  /** Prometheus scrape configs (`additionalScrapeConfigs`), one per `SCRAPE_JOBS` job the region runs. */
  readonly scrapeConfigs: readonly object[];
  /** PrometheusRule objects (the SLO rules), applied after the release. @default [] */
  readonly ruleObjects?: readonly ResolvedKubeObject[];
  /** Alertmanager's configuration; Alertmanager runs only when set. @default none (no Alertmanager) */
  readonly alertmanagerConfig?: object;
  /**
   * IAM policy (JSON) for Alertmanager's service account `alertmanager`, bound through Pod Identity: required when
   * `alertmanagerConfig` has `sns_configs` (Alertmanager signs SNS Publish with the default AWS chain).
   * @default none
   */
  readonly alertmanagerPublishPolicy?: pulumi.Input<string>;
  /** The OTel agent remote-writes to Prometheus: the receiver is always on. */
  readonly remoteWriteReceiver: true;
  /** Prometheus retention. @default - `<slo.windowDays + 1>d`, so the whole SLO window is queryable */
  readonly retention?: string;
  /** Prometheus replicas. @default 1 */
  readonly replicas?: number;
  /** A volume per Prometheus replica. @default none (emptyDir: the data lives as long as the pod) */
  readonly storage?: { readonly storageClassName: string; readonly size: string };
}

export interface KubePrometheusStackArgs {
  readonly cluster: ClusterHandle;
  readonly region: string;
  readonly environment: Environment;
  readonly config: ObservabilityConfig;
  /** The region's AMP workspace (profile `amp`; required there, refused in-cluster). @default none */
  readonly endpoint?: PromqlEndpoint;
  /** IAM policy (JSON) for Grafana's role (profile `amp` with dashboards on; refused otherwise). @default none */
  readonly grafanaQueryPolicy?: pulumi.Input<string>;
  /** Profile `in-cluster`'s Prometheus, rules and Alertmanager (required there, refused in `amp`). @default none */
  readonly inCluster?: InClusterStackArgs;
  /** The dashboards to provision (`dashboards()`); must be empty when `dashboards.enabled` is off. */
  readonly dashboards: readonly Dashboard[];
  /** Grafana's admin password, a Pulumi secret. @default - the chart generates one (see above) */
  readonly adminPassword?: pulumi.Input<string>;
  /** Grafana replicas. @default 1 */
  readonly grafanaReplicas?: number;
  /** Chart version. @default KUBE_PROMETHEUS_STACK_CHART.version */
  readonly chartVersion?: string;
  /** Values merged over Semester's (objects key by key, arrays replaced). @default {} */
  readonly values?: Readonly<Record<string, unknown>>;
  /** What the release waits for (the cluster's readiness, the metrics pipeline). @default [] */
  readonly dependsOn?: readonly pulumi.Resource[];
}

const DURATION = /^[0-9]+(ms|s|m|h|d|w|y)$/;

/** Every problem with the arguments (empty when they are fine). Pure; exported for tests. @internal */
export function kubePrometheusStackProblems(args: KubePrometheusStackArgs): Problem[] {
  const problems: Problem[] = [];
  const { config } = args;
  const grafana = config.dashboards.enabled;
  if (!config.metrics.enabled)
    problems.push({
      path: "config.metrics.enabled",
      value: false,
      rule: "must be true: the stack is part of the metrics pipeline",
      fix: "create no KubePrometheusStack when metrics are off",
    });
  if (args.region !== args.cluster.region)
    problems.push({
      path: "region",
      value: args.region,
      rule: `must be the cluster's region ${args.cluster.region}`,
    });
  if (!grafana && args.dashboards.length > 0)
    problems.push({
      path: "dashboards",
      value: `${args.dashboards.length} dashboards`,
      rule: "must be empty when `dashboards.enabled` is false (there is no Grafana to show them)",
    });
  const replicas = args.grafanaReplicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1)
    problems.push({ path: "grafanaReplicas", value: replicas, rule: "must be an integer >= 1" });
  else if (replicas > 1 && !hasGrafanaDatabase(args.values))
    problems.push({
      path: "grafanaReplicas",
      value: replicas,
      rule: "more than 1 needs a shared database: each replica's default SQLite would keep its own sessions and users",
      fix: 'set `values.grafana["grafana.ini"].database` (e.g. PostgreSQL), or 1 replica',
    });
  if (config.profile === "amp") {
    if (args.endpoint === undefined)
      problems.push({
        path: "endpoint",
        value: undefined,
        rule: "required for profile amp (Grafana's datasource)",
      });
    else if (args.endpoint.sigv4Region !== args.region)
      problems.push({
        path: "endpoint.sigv4Region",
        value: args.endpoint.sigv4Region,
        rule: `must be ${args.region}: Grafana signs for the region's own workspace`,
      });
    if (grafana && args.grafanaQueryPolicy === undefined)
      problems.push({
        path: "grafanaQueryPolicy",
        value: undefined,
        rule: "required for profile amp: Grafana's role must be allowed to query the workspace",
      });
    if (!grafana && args.grafanaQueryPolicy !== undefined)
      problems.push({
        path: "grafanaQueryPolicy",
        value: "set",
        rule: "only with `dashboards.enabled` (no Grafana)",
      });
    if (args.inCluster !== undefined)
      problems.push({ path: "inCluster", value: "set", rule: "only for profile in-cluster" });
  } else {
    if (args.endpoint !== undefined)
      problems.push({
        path: "endpoint",
        value: "set",
        rule: "only for profile amp: in-cluster, the stack's Prometheus is the endpoint (inClusterEndpoint)",
      });
    if (args.grafanaQueryPolicy !== undefined)
      problems.push({
        path: "grafanaQueryPolicy",
        value: "set",
        rule: "only for profile amp (no AWS query in-cluster)",
      });
    if (args.inCluster === undefined)
      problems.push({ path: "inCluster", value: undefined, rule: "required for profile in-cluster" });
    else problems.push(...inClusterProblems(args.inCluster));
  }
  return problems;
}

function inClusterProblems(ic: InClusterStackArgs): Problem[] {
  const problems: Problem[] = [];
  if (ic.remoteWriteReceiver !== true)
    problems.push({
      path: "inCluster.remoteWriteReceiver",
      value: ic.remoteWriteReceiver,
      rule: "must be true: the OTel agent pushes application metrics",
    });
  if (ic.scrapeConfigs.length === 0)
    problems.push({ path: "inCluster.scrapeConfigs", value: [], rule: "must list the region's scrape jobs" });
  const seen = new Map<string, number>();
  ic.scrapeConfigs.forEach((c, i) => {
    const job = (c as { job_name?: unknown }).job_name;
    if (typeof job !== "string" || job === "")
      problems.push({
        path: `inCluster.scrapeConfigs[${i}].job_name`,
        value: job,
        rule: "must be a non-empty string",
      });
    else if (seen.has(job))
      problems.push({
        path: `inCluster.scrapeConfigs[${i}].job_name`,
        value: job,
        rule: `used twice (scrapeConfigs[${seen.get(job)}]): Prometheus refuses the configuration`,
      });
    else seen.set(job, i);
  });
  (ic.ruleObjects ?? []).forEach((o, i) => {
    if (o.kind !== "PrometheusRule" || o.apiVersion !== "monitoring.coreos.com/v1")
      problems.push({
        path: `inCluster.ruleObjects[${i}]`,
        value: `${o.apiVersion} ${o.kind}`,
        rule: "must be a monitoring.coreos.com/v1 PrometheusRule",
      });
  });
  if (ic.retention !== undefined && !DURATION.test(ic.retention))
    problems.push({
      path: "inCluster.retention",
      value: ic.retention,
      rule: "must be a Prometheus duration, e.g. 31d",
    });
  const replicas = ic.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1)
    problems.push({ path: "inCluster.replicas", value: replicas, rule: "must be an integer >= 1" });
  if (
    ic.alertmanagerConfig !== undefined &&
    JSON.stringify(ic.alertmanagerConfig).includes('"sns_configs"') &&
    ic.alertmanagerPublishPolicy === undefined
  )
    problems.push({
      path: "inCluster.alertmanagerPublishPolicy",
      value: undefined,
      rule: "required when alertmanagerConfig has sns_configs: Alertmanager must be allowed to publish",
    });
  if (ic.alertmanagerConfig === undefined && ic.alertmanagerPublishPolicy !== undefined)
    problems.push({
      path: "inCluster.alertmanagerPublishPolicy",
      value: "set",
      rule: "only with alertmanagerConfig",
    });
  return problems;
}

function hasGrafanaDatabase(values: Readonly<Record<string, unknown>> | undefined): boolean {
  const grafana = values?.grafana as Record<string, unknown> | undefined;
  const ini = grafana?.["grafana.ini"] as Record<string, unknown> | undefined;
  return ini?.database !== undefined;
}

export class KubePrometheusStack extends pulumi.ComponentResource {
  public readonly release: k8s.helm.v3.Release;
  /** The dashboards' ConfigMaps (after the release); none without dashboards. */
  public readonly dashboardGroup?: k8s.yaml.ConfigGroup;
  /** The PrometheusRule objects (in-cluster, after the release). */
  public readonly ruleGroup?: k8s.yaml.ConfigGroup;
  /** The endpoint Grafana reads: `endpoint` (amp) or the in-cluster Prometheus. */
  public readonly endpoint: PromqlEndpoint;

  constructor(name: string, args: KubePrometheusStackArgs, opts?: pulumi.ComponentResourceOptions) {
    // Before super: bad arguments register nothing, not even the component.
    const problems = kubePrometheusStackProblems(args);
    if (problems.length > 0) throw new InputError(`KubePrometheusStack ${name}`, problems);
    super("semester:observability:KubePrometheusStack", name, {}, opts);
    const namespace = OBSERVABILITY_NAMESPACE;
    // Validated before any resource: a bad dashboard or object registers nothing.
    const dashboards = checkObjects(
      dashboardObjects(args.dashboards, namespace),
      `KubePrometheusStack ${name} dashboards`,
    );
    const rules =
      args.inCluster?.ruleObjects !== undefined && args.inCluster.ruleObjects.length > 0
        ? checkObjects(args.inCluster.ruleObjects, `KubePrometheusStack ${name} rules`)
        : undefined;

    const provider = args.cluster.kubernetesProvider;
    const config = args.config;
    const grafanaOn = config.dashboards.enabled;
    const adminSecret = grafanaOn && args.adminPassword !== undefined;
    const before: pulumi.Input<pulumi.Resource>[] = [...(args.dependsOn ?? [])];

    const grafana: GrafanaSettings = {
      enabled: grafanaOn,
      replicas: args.grafanaReplicas ?? 1,
      adminSecret,
      scrapeIntervalSeconds: config.metrics.scrapeIntervalSeconds,
    };
    let values: Record<string, unknown>;
    if (config.profile === "amp") {
      const endpoint = args.endpoint!;
      this.endpoint = endpoint;
      if (grafanaOn) {
        const binding = args.cluster.bindServiceAccount(`${name}-grafana`, {
          namespace,
          serviceAccount: OBSERVABILITY_SERVICE_ACCOUNTS.grafana,
          inlinePolicy: args.grafanaQueryPolicy!,
        });
        // The pod must start with its credentials: the association exists before the release.
        before.push(binding.association);
      }
      values = kubePrometheusStackValues({
        profile: "amp",
        grafana,
        queryUrl: endpoint.queryUrl,
        sigv4Region: endpoint.sigv4Region!,
      });
    } else {
      const ic = args.inCluster!;
      this.endpoint = inClusterEndpoint(namespace);
      if (ic.alertmanagerPublishPolicy !== undefined) {
        const binding = args.cluster.bindServiceAccount(`${name}-alertmanager`, {
          namespace,
          serviceAccount: OBSERVABILITY_SERVICE_ACCOUNTS.alertmanager,
          inlinePolicy: ic.alertmanagerPublishPolicy,
        });
        before.push(binding.association);
      }
      values = kubePrometheusStackValues({
        profile: "in-cluster",
        grafana,
        queryUrl: this.endpoint.queryUrl as string,
        scrapeConfigs: ic.scrapeConfigs,
        retention: ic.retention ?? `${config.slo.windowDays + 1}d`,
        replicas: ic.replicas ?? 1,
        ...(ic.storage !== undefined ? { storage: ic.storage } : {}),
        ...(ic.alertmanagerConfig !== undefined ? { alertmanagerConfig: ic.alertmanagerConfig } : {}),
      });
    }

    if (adminSecret) {
      const objects = checkObjects(
        [
          {
            apiVersion: "v1",
            kind: "Secret",
            metadata: { name: GRAFANA_ADMIN_SECRET, namespace },
            type: "Opaque",
            stringData: { "admin-user": "admin", "admin-password": pulumi.secret(args.adminPassword!) },
          },
        ],
        `KubePrometheusStack ${name} admin secret`,
      );
      // The namespace must exist: `dependsOn` carries what creates it (the release would, but comes after).
      const group = applyObjects(
        `${name}-grafana-admin`,
        { objects },
        { parent: this, provider, dependsOn: [...(args.dependsOn ?? [])] },
      );
      before.push(...appliedResources(group, objects.objects, `${name}-grafana-admin`));
    }

    this.release = observabilityRelease(
      name,
      OBSERVABILITY_RELEASES.kubePrometheusStack,
      { ...KUBE_PROMETHEUS_STACK_CHART, version: args.chartVersion ?? KUBE_PROMETHEUS_STACK_CHART.version },
      mergeValues(values, { ...(args.values ?? {}) }),
      { parent: this, provider, dependsOn: before },
    );

    if (dashboards.objects.length > 0) {
      this.dashboardGroup = applyObjects(
        `${name}-dashboards`,
        { objects: dashboards },
        { parent: this, provider, dependsOn: [this.release] },
      );
    }
    if (rules !== undefined) {
      // The operator and the monitoring.coreos.com CRDs come with the release.
      this.ruleGroup = applyObjects(
        `${name}-rules`,
        { objects: rules },
        { parent: this, provider, dependsOn: [this.release] },
      );
    }
    this.registerOutputs({ release: this.release });
  }
}
