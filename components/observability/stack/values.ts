/**
 * kube-prometheus-stack 88.5.3's values for each profile. Pure. Every path set exists in the vendored
 * `values.yaml` (/work/shared/charts/kube-prometheus-stack/88.5.3) except these subchart keys, which the
 * subcharts document in their own values.yaml (grafana chart 12.11.1, grafana-community/helm-charts
 * `charts/grafana/values.yaml`): `grafana.replicas`, `grafana.serviceAccount.name`, `grafana.plugins`,
 * `grafana."grafana.ini"`.
 *
 * Both profiles:
 * - every ServiceMonitor off (`kubernetesServiceMonitors`, each component's `serviceMonitor`/`prometheus.monitor`):
 *   the scrape jobs are Semester's own (`SCRAPE_JOBS`, run by the managed collector or passed to Prometheus as
 *   `additionalScrapeConfigs`), so a series' `job` label is the same in both profiles; in `amp` there is no
 *   operator, hence no ServiceMonitor CRD, and a ServiceMonitor would fail the release;
 * - the chart's default rules and dashboards off: they read the kube-prometheus recording rules and control-plane
 *   targets EKS does not expose; Semester's SLO rules and dashboards replace them;
 * - Grafana's datasource is Semester's (uid `METRICS_DATASOURCE_UID`), the chart's default one off; its dashboard
 *   sidecar reads only the observability namespace.
 */
import { OBSERVABILITY_NAMESPACE, OBSERVABILITY_SERVICE_ACCOUNTS } from "../names";
import { METRICS_DATASOURCE_UID } from "../dashboards/model";
import { GRAFANA_DASHBOARD_LABEL } from "../dashboards/dashboards";
import type * as pulumi from "@pulumi/pulumi";

/** @internal
 * Grafana 13 migrates a core Prometheus datasource with SigV4 to this plugin on start and deprecates SigV4 in the
 * core one (grafana.com/docs/grafana/v13.1/datasources/prometheus/configure/aws-authentication/), so the AMP
 * datasource is provisioned as the plugin, pre-installed at a pinned version (`GF_PLUGINS_PREINSTALL_SYNC`).
 */
export const AMP_DATASOURCE_PLUGIN = { id: "grafana-amazonprometheus-datasource", version: "3.3.5" } as const;

/** @internal The Secret `adminPassword` is stored in (keys `admin-user`, `admin-password`: the chart's defaults). */
export const GRAFANA_ADMIN_SECRET = "grafana-admin";

/** @internal */
export interface GrafanaSettings {
  readonly enabled: boolean;
  readonly replicas: number;
  /** Use `GRAFANA_ADMIN_SECRET` instead of the chart's generated password. */
  readonly adminSecret: boolean;
  readonly scrapeIntervalSeconds: number;
}

/** @internal */
export interface AmpValuesArgs {
  readonly profile: "amp";
  readonly grafana: GrafanaSettings;
  readonly queryUrl: pulumi.Input<string>;
  readonly sigv4Region: string;
}

/** @internal */
export interface InClusterValuesArgs {
  readonly profile: "in-cluster";
  readonly grafana: GrafanaSettings;
  readonly queryUrl: string;
  readonly scrapeConfigs: readonly object[];
  readonly retention: string;
  readonly replicas: number;
  readonly storage?: { readonly storageClassName: string; readonly size: string };
  readonly alertmanagerConfig?: object;
}

const NO_SERVICE_MONITORS = {
  kubernetesServiceMonitors: { enabled: false },
  "kube-state-metrics": { prometheus: { monitor: { enabled: false } } },
  "prometheus-node-exporter": { prometheus: { monitor: { enabled: false } } },
};

function grafanaValues(
  g: GrafanaSettings,
  datasource: Record<string, unknown>,
  extra: { alertmanager: boolean; plugins?: readonly string[]; ini?: Record<string, unknown> },
): Record<string, unknown> {
  if (!g.enabled) return { enabled: false };
  return {
    enabled: true,
    replicas: g.replicas,
    defaultDashboardsEnabled: false,
    serviceMonitor: { enabled: false },
    serviceAccount: { create: true, name: OBSERVABILITY_SERVICE_ACCOUNTS.grafana },
    ...(g.adminSecret
      ? {
          admin: {
            existingSecret: GRAFANA_ADMIN_SECRET,
            userKey: "admin-user",
            passwordKey: "admin-password",
          },
        }
      : {}),
    sidecar: {
      dashboards: {
        enabled: true,
        label: GRAFANA_DASHBOARD_LABEL.key,
        labelValue: GRAFANA_DASHBOARD_LABEL.value,
        searchNamespace: OBSERVABILITY_NAMESPACE,
        provider: { allowUiUpdates: false },
      },
      datasources: {
        enabled: true,
        defaultDatasourceEnabled: false,
        alertmanager: { enabled: extra.alertmanager },
      },
    },
    additionalDataSources: [
      {
        name: "Metrics",
        uid: METRICS_DATASOURCE_UID,
        access: "proxy",
        isDefault: true,
        editable: false,
        ...datasource,
      },
    ],
    ...(extra.plugins !== undefined ? { plugins: [...extra.plugins] } : {}),
    ...(extra.ini !== undefined ? { "grafana.ini": extra.ini } : {}),
  };
}

/** @internal The release's values for a profile (before the caller's `values` overrides). */
export function kubePrometheusStackValues(
  args: AmpValuesArgs | InClusterValuesArgs,
): Record<string, unknown> {
  const interval = `${args.grafana.scrapeIntervalSeconds}s`;
  switch (args.profile) {
    case "amp":
      return {
        crds: { enabled: false },
        defaultRules: { create: false },
        prometheusOperator: { enabled: false },
        prometheus: { enabled: false },
        alertmanager: { enabled: false },
        kubeStateMetrics: { enabled: true },
        nodeExporter: { enabled: true },
        ...NO_SERVICE_MONITORS,
        grafana: grafanaValues(
          args.grafana,
          {
            type: AMP_DATASOURCE_PLUGIN.id,
            url: args.queryUrl,
            jsonData: {
              httpMethod: "POST",
              timeInterval: interval,
              sigV4Auth: true,
              // The AWS SDK's default chain: EKS Pod Identity's container credentials for the grafana account.
              sigV4AuthType: "default",
              sigV4Region: args.sigv4Region,
            },
          },
          {
            alertmanager: false,
            plugins: [`${AMP_DATASOURCE_PLUGIN.id}@${AMP_DATASOURCE_PLUGIN.version}`],
            ini: { auth: { sigv4_auth_enabled: true } },
          },
        ),
      };
    case "in-cluster": {
      const alertmanager = args.alertmanagerConfig !== undefined;
      return {
        // The operator's CRDs (monitoring.coreos.com), installed by the chart's `crds` subchart before its templates.
        crds: { enabled: true },
        defaultRules: { create: false },
        prometheusOperator: { enabled: true, serviceMonitor: { selfMonitor: false } },
        prometheus: {
          enabled: true,
          serviceMonitor: { selfMonitor: false },
          prometheusSpec: {
            replicas: args.replicas,
            retention: args.retention,
            scrapeInterval: interval,
            // The OTel agent pushes application metrics here (`/api/v1/write`).
            enableRemoteWriteReceiver: true,
            additionalScrapeConfigs: [...args.scrapeConfigs],
            // Select every PrometheusRule, not only those labelled with this release.
            ruleSelectorNilUsesHelmValues: false,
            ruleSelector: {},
            ruleNamespaceSelector: {},
            ...(args.storage !== undefined
              ? {
                  storageSpec: {
                    volumeClaimTemplate: {
                      spec: {
                        storageClassName: args.storage.storageClassName,
                        accessModes: ["ReadWriteOnce"],
                        resources: { requests: { storage: args.storage.size } },
                      },
                    },
                  },
                }
              : {}),
          },
        },
        alertmanager: alertmanager
          ? {
              enabled: true,
              serviceMonitor: { selfMonitor: false },
              serviceAccount: { create: true, name: OBSERVABILITY_SERVICE_ACCOUNTS.alertmanager },
              config: args.alertmanagerConfig,
            }
          : { enabled: false },
        kubeStateMetrics: { enabled: true },
        nodeExporter: { enabled: true },
        ...NO_SERVICE_MONITORS,
        grafana: grafanaValues(
          args.grafana,
          {
            type: "prometheus",
            url: args.queryUrl,
            jsonData: { httpMethod: "POST", timeInterval: interval },
          },
          { alertmanager },
        ),
      };
    }
    default: {
      const never: never = args;
      throw new Error(`unknown profile ${String(never)}`);
    }
  }
}
