/**
 * Everything observability runs in one region, in the order a deploy needs it, and what the Kubernetes layer
 * takes from it:
 *   key -> metrics store (AMP workspace, managed collector, SLO rule groups, alert topics and routing; or the
 *   in-cluster Prometheus) -> kube-prometheus-stack (kube-state-metrics, node-exporter, Grafana with the
 *   dashboards) -> collectors (OpenTelemetry Operator, agent and tail-sampling gateway, Instrumentations)
 *   -> logs (Fluent Bit)
 * and back to the services: the PromQL endpoint their request-rate triggers read (with KEDA's query policy),
 * the latency-pressure contributions, the pod annotations that inject auto-instrumentation, the egress to the
 * agent, and the resources their objects must wait for (an Instrumentation must exist before a pod starts).
 */
import * as pulumi from "@pulumi/pulumi";
import type { ClusterHandle } from "../cluster";
import type { Environment } from "../core";
import {
  SERVICE_NAMES,
  type AddonsConfig,
  type ScalingContribution,
  type ServiceName,
  type ServicesConfig,
  type TelemetryEgress,
} from "../kubernetes";
import { instrumentationAnnotations } from "./collectors/instrumentation";
import {
  calendarHorizonRuleGroup,
  CALENDAR_HORIZON_RULES,
  type CalendarHorizonAlert,
} from "./calendar-horizon";
import { RegionCollectors } from "./collectors/region-collectors";
import { serviceLanguage, type ObservabilityConfig } from "./config";
import { dashboards } from "./dashboards/dashboards";
import { ObservabilityKey } from "./key";
import { logGroupNames, logsKeyPolicyStatement } from "./logs/log-groups";
import { RegionLogs } from "./logs/region-logs";
import { SnsAlertTopics } from "./metrics/alert-topics";
import {
  ampQueryPolicy,
  ampRemoteWritePolicy,
  metricsKeyPolicyStatements,
  WORKSPACE_LOG_GROUP_PREFIX,
} from "./metrics/policies";
import { RegionMetrics } from "./metrics/region-metrics";
import { scrapeInputFor, scrapeJobs } from "./metrics/scrape-config";
import { COLLECTOR_NAMES, OBSERVABILITY_NAMESPACE } from "./names";
import { latencyPressureContributions, regionPromql } from "./scaling";
import { alertmanagerConfig, alertmanagerPublishPolicy, alertmanagerYaml } from "./slo/alertmanager";
import { prometheusRuleObject, ruleFileYaml } from "./slo/rule-file";
import { sloRuleGroups } from "./slo/rules";
import { inClusterEndpoint } from "./stack/endpoint";
import { KubePrometheusStack, type InClusterStackArgs } from "./stack/kube-prometheus-stack";
import type { PromqlEndpoint } from "./types";

export interface RegionObservabilityArgs {
  readonly cluster: ClusterHandle;
  readonly environment: Environment;
  readonly services: ServicesConfig;
  readonly addons: AddonsConfig;
  /** `semester:observability`, validated by the stack rules (`observabilityProblems`). */
  readonly config: ObservabilityConfig;
  /** Tags of every AWS resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * The compiled calendar's horizon end and leads: an alert fires before it runs out (`calendar-horizon.ts`), in a
   * rule file (AMP) or PrometheusRule of its own, so a targeted refresh replaces it alone. Needs metrics on.
   * @default none (no calendar, or `semester:calendar.horizonAlert.enabled: false`)
   */
  readonly calendarHorizon?: Omit<CalendarHorizonAlert, "region">;
}

/** What the region's services take from observability (see `RegionWorkloadsArgs`). */
export interface ServiceTelemetry {
  /** The PromQL endpoint KEDA queries, with its query policy for KEDA's role; absent with metrics off. */
  readonly promql?: {
    readonly queryUrl: pulumi.Input<string>;
    readonly sigv4Region?: string;
    readonly queryPolicy?: pulumi.Input<string>;
  };
  readonly podAnnotations: Partial<Record<ServiceName, Record<string, string>>>;
  readonly telemetryEgress?: TelemetryEgress;
  /** What the services' objects wait for. */
  readonly readiness: pulumi.Input<pulumi.Resource>[];
}

/** The OTLP ports the agent listens on (gRPC, HTTP). */
const OTLP_PORTS = [4317, 4318] as const;

/** One region's observability. Every part is created only when `semester:observability` turns it on. */
export class RegionObservability extends pulumi.ComponentResource {
  public readonly key?: ObservabilityKey;
  public readonly metrics?: RegionMetrics;
  public readonly stack?: KubePrometheusStack;
  public readonly collectors?: RegionCollectors;
  public readonly logs?: RegionLogs;
  /** The region's PromQL endpoint; absent with metrics off. */
  public readonly endpoint?: PromqlEndpoint;
  public readonly services: ServiceTelemetry;
  /** The latency-pressure triggers of the region's request-rate-scaled services (none with metrics off). */
  public readonly contributions: Partial<Record<ServiceName, ScalingContribution[]>>;

  constructor(name: string, args: RegionObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("semester:observability:RegionObservability", name, {}, opts);
    const { cluster, config, services, environment } = args;
    const region = cluster.region;
    const amp = config.profile === "amp";
    const metricsOn = config.metrics.enabled;
    const ampMetrics = metricsOn && amp;
    // Routing exists whenever alerts are on (an alert rule added by hand still reaches the topics).
    const alertsOn = metricsOn && config.alerts.enabled;
    const child = { parent: this };

    if (metricsOn || config.logs.enabled || config.traces.enabled) {
      const logGroups = logGroupNames(environment, region);
      this.key = new ObservabilityKey(
        `${name}-key`,
        {
          cluster,
          statements: (scope) => {
            // One CloudWatch Logs statement for every group the key encrypts: the workspace's, the services'.
            const patterns = [
              ...(ampMetrics ? [`${WORKSPACE_LOG_GROUP_PREFIX}*`] : []),
              ...(config.logs.enabled ? [logGroups.application] : []),
            ];
            return [
              ...(patterns.length > 0
                ? [logsKeyPolicyStatement({ ...scope, logGroupPatterns: patterns })]
                : []),
              ...(ampMetrics ? metricsKeyPolicyStatements(scope) : []),
            ];
          },
          tags: args.tags,
        },
        child,
      );
    }
    const kmsKeyArn = this.key?.arn;
    const groups = metricsOn ? sloRuleGroups({ services, config, region, environment }) : [];
    const horizon =
      metricsOn && args.calendarHorizon !== undefined
        ? calendarHorizonRuleGroup({ ...args.calendarHorizon, region })
        : undefined;

    let queryPolicy: pulumi.Output<string> | undefined;
    let remoteWritePolicy: pulumi.Output<string> | undefined;
    let inCluster: InClusterStackArgs | undefined;
    if (ampMetrics) {
      this.metrics = new RegionMetrics(
        `${name}-metrics`,
        {
          cluster,
          region,
          environment,
          services,
          addons: args.addons,
          config,
          kmsKeyArn: kmsKeyArn!,
          ruleFiles: [
            ...(groups.length > 0 ? [{ name: `${name}-slo`, yaml: ruleFileYaml(groups) }] : []),
            ...(horizon !== undefined
              ? [{ name: `${name}-${CALENDAR_HORIZON_RULES.fileSuffix}`, yaml: ruleFileYaml([horizon]) }]
              : []),
          ],
          ...(alertsOn ? { alertmanagerYaml: (t) => alertmanagerYaml({ ...t, region }) } : {}),
          tags: args.tags,
        },
        child,
      );
      this.endpoint = this.metrics.endpoint;
      const workspaceArn = this.metrics.workspace.arn;
      queryPolicy = pulumi
        .all([workspaceArn, kmsKeyArn!])
        .apply(([w, k]) => ampQueryPolicy({ workspaceArn: w, kmsKeyArn: k }));
      remoteWritePolicy = pulumi
        .all([workspaceArn, kmsKeyArn!])
        .apply(([w, k]) => ampRemoteWritePolicy({ workspaceArn: w, kmsKeyArn: k }));
    } else if (metricsOn) {
      this.endpoint = inClusterEndpoint(OBSERVABILITY_NAMESPACE);
      const topics = alertsOn
        ? new SnsAlertTopics(
            `${name}-alerts`,
            {
              provider: cluster.awsProvider,
              accountId: cluster.accountId,
              kmsKeyArn: kmsKeyArn!,
              page: config.alerts.page,
              ticket: config.alerts.ticket,
              tags: args.tags,
            },
            child,
          )
        : undefined;
      inCluster = {
        scrapeConfigs: scrapeJobs(
          scrapeInputFor({ config, services, addons: args.addons, scraper: "prometheus" }),
        ),
        ruleObjects: [
          ...(groups.length > 0
            ? [prometheusRuleObject(groups, OBSERVABILITY_NAMESPACE, "semester-slo")]
            : []),
          ...(horizon !== undefined
            ? [prometheusRuleObject([horizon], OBSERVABILITY_NAMESPACE, CALENDAR_HORIZON_RULES.objectName)]
            : []),
        ],
        remoteWriteReceiver: true,
        ...(topics !== undefined
          ? {
              // The topic ARNs stay Outputs inside the values (Helm resolves nested inputs).
              alertmanagerConfig: alertmanagerConfig<pulumi.Output<string>>({
                pageTopicArn: topics.pageTopicArn,
                ticketTopicArn: topics.ticketTopicArn,
                region,
              }),
              alertmanagerPublishPolicy: pulumi
                .all([topics.pageTopicArn, topics.ticketTopicArn, kmsKeyArn!])
                .apply(([p, t, k]) => alertmanagerPublishPolicy({ topicArns: [p, t], kmsKeyArn: k })),
            }
          : {}),
      };
    }

    if (metricsOn) {
      this.stack = new KubePrometheusStack(
        `${name}-stack`,
        {
          cluster,
          region,
          environment,
          config,
          ...(amp
            ? {
                endpoint: this.endpoint,
                ...(config.dashboards.enabled ? { grafanaQueryPolicy: queryPolicy } : {}),
              }
            : {}),
          ...(inCluster !== undefined ? { inCluster } : {}),
          dashboards: dashboards({ services, config, region, environment }),
          dependsOn: [...cluster.readiness, ...(this.metrics ? [this.metrics] : [])],
        },
        child,
      );
    }

    const languages = [...new Set(SERVICE_NAMES.map((s) => serviceLanguage(config, s)))].sort();
    if (metricsOn || config.traces.enabled) {
      this.collectors = new RegionCollectors(
        `${name}-collectors`,
        {
          cluster,
          region,
          environment,
          config,
          languages,
          ...(metricsOn ? { endpoint: this.endpoint } : {}),
          ...(remoteWritePolicy !== undefined ? { remoteWritePolicy } : {}),
          ...(config.logs.enabled ? { logGroupNames: [logGroupNames(environment, region).application] } : {}),
          dependsOn: [...cluster.readiness, ...(this.stack ? [this.stack.release] : [])],
        },
        child,
      );
    }
    if (config.logs.enabled) {
      const namespaces = [...new Set(SERVICE_NAMES.map((s) => services[s].namespace))].sort();
      this.logs = new RegionLogs(
        `${name}-logs`,
        {
          cluster,
          region,
          environment,
          config,
          kmsKeyArn: kmsKeyArn!,
          namespaces,
          dependsOn: cluster.readiness,
        },
        child,
      );
    }

    const collectors = this.collectors;
    this.services = {
      ...(this.endpoint !== undefined
        ? {
            promql: {
              queryUrl: this.endpoint.queryUrl,
              ...(this.endpoint.sigv4Region !== undefined ? { sigv4Region: this.endpoint.sigv4Region } : {}),
              ...(queryPolicy !== undefined ? { queryPolicy } : {}),
            },
          }
        : {}),
      podAnnotations:
        collectors === undefined
          ? {}
          : Object.fromEntries(
              SERVICE_NAMES.map((s) => [s, instrumentationAnnotations(serviceLanguage(config, s))]),
            ),
      ...(collectors !== undefined
        ? {
            telemetryEgress: {
              namespace: OBSERVABILITY_NAMESPACE,
              podLabels: { "app.kubernetes.io/name": `${COLLECTOR_NAMES.agent}-collector` },
              ports: OTLP_PORTS,
            },
          }
        : {}),
      readiness: [...(collectors?.readiness ?? [])],
    };
    const target = regionPromql(config, region);
    this.contributions = target === undefined ? {} : latencyPressureContributions(services, config, target);
    this.registerOutputs({});
  }
}
