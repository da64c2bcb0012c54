import * as pulumi from "@pulumi/pulumi";
import { RegionalCluster } from "../cluster";
import { type RegionConfig, type SemesterConfig, stackFile } from "../config";
import { DataTier } from "../data";
import { kyvernoObjects } from "../governance";
import {
  requiredDataConfigMaps,
  RegionWorkloads,
  deliveryStrategy,
  SERVICE_NAMES,
  type LearningChartProps,
  type ServiceName,
  type ScalingContribution,
} from "../kubernetes";
import type { App } from "cdk8s";
import { hideFromOutputWalks } from "../core";
import { meshEnabled, sidecarResources } from "../mesh";
import { calendarScaling, startOfUtcDay, type CalendarScaling } from "./calendar-scaling";
import { VpcPeering } from "../network";
import { RegionObservability, resolveObjective } from "../observability";
import { dataAccessPolicies, kedaKafkaPolicy } from "./data-access-policy";
import { bindingNetwork } from "./data-egress";
import { databaseRoles } from "./database-roles";
import { readLoad } from "./read-load";
import { objectsChart } from "./objects-chart";
import {
  blastZoneChart,
  RegionResilience,
  regionPracticeRuns,
  strictestPublicObjective,
} from "../resilience";
import { changeFreezeConfigMap, changeFreezeWindows } from "./change-freeze";
import { calendarZeroBudgets } from "./disruption-budgets";
import { criticalSpans } from "./critical-spans";
import { regionGameDays } from "./game-days";
import { gameDayReservations, type RegionGameDays } from "../chaos";
import { windowTexts } from "../data";
import { regionMaintenance, type RegionMaintenance } from "./maintenance-windows";

export interface PlatformArgs {
  /** The validated stack configuration (see `loadStackConfig`). */
  readonly config: SemesterConfig;
  /** Prefix of every region's cluster name, e.g. `semester-prod`. @default the component's name */
  readonly clusterNamePrefix?: string;
  /**
   * Start of the calendar's scheduling horizon, epoch ms.
   * @default `semester:calendar.now`, else the start of the current UTC day (two plans of a day agree)
   */
  readonly now?: number;
  /** Directory the calendar and profile paths are relative to. @default process.cwd() (the project) */
  readonly root?: string;
  /** The stack file `config` came from, for messages. @default `stacks/Pulumi.<pulumi stack>.yaml` */
  readonly stackFile?: string;
}

/** What a platform team reads per region after a deploy. */
export interface RegionOutputs {
  readonly clusterName: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  readonly kubeconfig: pulumi.Output<string>;
  readonly oidcIssuerUrl: pulumi.Output<string>;
  readonly podIdentity: {
    readonly agent: "eks-pod-identity-agent";
    readonly karpenterNodeRoleArn: pulumi.Output<string>;
  };
  /** The region's PromQL endpoint (`npm run history -- --endpoint <region>=<url>`); absent with metrics off. */
  readonly promqlEndpoint?: pulumi.Input<string>;
}

/**
 * The whole platform of one stack: per region a cluster, the learning services with their add-ons,
 * calendar-driven scaling and governance policies; and the data tier across regions. Its config has passed every
 * stack rule (`parseStackConfig`), so no component below refuses its arguments; the calendar, the one input read
 * here, is compiled first, so a bad calendar stops the program before any resource exists.
 */
export class Platform extends pulumi.ComponentResource {
  /** The regional clusters, keyed by region. */
  public readonly regions: Readonly<Record<string, RegionalCluster>>;
  public readonly workloads: Readonly<Record<string, RegionWorkloads>>;
  /** Each region's observability (metrics, traces, logs, SLOs, dashboards), keyed by region. */
  public readonly observability: Readonly<Record<string, RegionObservability>>;
  public readonly data: DataTier;
  /** The compiled calendar, when calendar scaling is on. */
  public readonly calendar: CalendarScaling | undefined;
  public readonly homeRegion: string;
  /** Each region's SLO alarms and zonal autoshift, keyed by region (none with autoshift off). */
  public readonly resilience: Readonly<Record<string, RegionResilience>>;
  /** Each region's GameDays (FIS templates, Chaos Mesh, schedules), keyed by region; empty with gameDays off. */
  public readonly gameDays: Readonly<Record<string, RegionGameDays>>;
  /** Each region's data-tier maintenance and backup windows and the warnings about them, keyed by region. */
  public readonly maintenance: Readonly<Record<string, RegionMaintenance>>;

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("semester:platform:Platform", name, {}, opts);
    const { config } = args;
    const prefix = args.clusterNamePrefix ?? name;
    const configuredNow = config.calendar.now ? Date.parse(config.calendar.now) : undefined;
    const now = args.now ?? configuredNow ?? startOfUtcDay(Date.now());
    const source = args.stackFile ?? stackFile(pulumi.getStack());
    this.calendar = config.calendar.enabled
      ? calendarScaling(config, now, args.root ?? process.cwd(), source)
      : undefined;
    // The spans learners must not be disturbed in: node disruption and data-tier maintenance keep clear of them.
    const spans = this.calendar && criticalSpans(this.calendar.schedule, config.services);
    // The data tier's windows at the region's quietest planned load, clear of its critical spans.
    this.maintenance = regionMaintenance(config, this.calendar?.schedule, source, spans);
    for (const m of Object.values(this.maintenance))
      for (const w of m.warnings) void pulumi.log.warn(w, this);
    const policies = kyvernoObjects(config.governance);
    // One strategy per service, read by the mesh (second Service routes) and the quotas (peak pods).
    const strategies = config.delivery.enabled
      ? mapServices((s) =>
          deliveryStrategy(s, { services: config.services, delivery: config.delivery, mesh: config.mesh }),
        )
      : undefined;
    const workloadArgs = (region: RegionConfig) => ({
      environment: config.environment,
      services: config.services,
      scaling: calendarContributions(this.calendar, region.region),
      placeholders: this.calendar?.placeholders[region.region] ?? {},
      vpcCidrs: [region.vpcCidr],
      availabilityZones: region.availabilityZones,
      dataEgress: bindingNetwork(config, region.region).egress,
      kafkaRegions: bindingNetwork(config, region.region).kafkaRegions,
      dns: config.dns,
      extraCharts: [
        (app: App) => objectsChart(app, "governance", policies),
        ...(config.resilience.blastZones.enabled
          ? [
              (app: App, r: string) =>
                blastZoneChart(app, r, {
                  services: config.services,
                  config: config.resilience.blastZones,
                  ...(strategies !== undefined
                    ? { peakPodsFactor: mapServices((s) => strategies[s].peakPodsFactor) }
                    : {}),
                  ...(meshEnabled(config) ? { sidecar: sidecarResources(config.mesh) } : {}),
                }),
            ]
          : []),
      ],
      mesh: {
        config: config.mesh,
        ...(strategies !== undefined
          ? { secondServices: mapServices((s) => strategies[s].secondService) }
          : {}),
      },
    });

    // The calendar drives the nodes too: no voluntary Karpenter disruption during a region's critical spans.
    const zeroBudgets = calendarZeroBudgets(spans, config);
    const regions: Record<string, RegionalCluster> = {};
    for (const region of config.regions) {
      regions[region.region] = new RegionalCluster(
        `${name}-${region.region}`,
        {
          ...config.cluster,
          // In-cluster Kafka (Strimzi) needs persistent volumes; a stack may still say otherwise either way.
          ebsCsiDriver: config.cluster.ebsCsiDriver ?? config.data.kafka.backend === "strimzi",
          region: region.region as RegionalCluster["region"],
          environment: config.environment,
          vpcCidr: region.vpcCidr,
          availabilityZones: region.availabilityZones,
          natGateways: region.natGateways,
          clusterName: `${prefix}-${region.region}`,
          tags: { project: "semester", environment: config.environment, ...config.tags },
          zeroBudgetWindows: zeroBudgets[region.region]?.windows ?? [],
        },
        { parent: this },
      );
    }

    const namespaces = [...new Set(Object.values(config.services).map((s) => s.namespace))];
    const data = new DataTier(
      `${name}-data`,
      {
        environment: config.environment,
        homeRegion: config.homeRegion,
        regions,
        config: config.data,
        consumers: { namespaces, required: requiredDataConfigMaps(config.services) },
        windows: Object.fromEntries(
          Object.entries(this.maintenance).map(([region, m]) => [region, windowTexts(m.windows)]),
        ),
        // The operator and Kafka objects were the platform's own children before the data tier owned them.
        strimziMovedFrom: { parent: this, namePrefix: name },
        // Readers and replicas scheduled ahead of the read services' windows.
        ...(this.calendar !== undefined
          ? { readLoad: readLoad(this.calendar.schedule, config.services) }
          : {}),
      },
      { parent: this },
    );

    // Writers in a secondary region reach home-region stores (prod: the MSK brokers) over peering.
    const peered = new Set<string>();
    for (const path of data.crossRegionPaths) {
      const pair = `${path.from}-${path.to}`;
      if (peered.has(pair)) continue;
      peered.add(pair);
      new VpcPeering(
        `${name}-peering-${pair}`,
        { requester: regions[path.from]!, accepter: regions[path.to]! },
        { parent: this },
      );
    }

    const workloads: Record<string, RegionWorkloads> = {};
    const observability: Record<string, RegionObservability> = {};
    for (const region of config.regions) {
      const cluster = regions[region.region]!;
      const roles = databaseRoles(`${name}-${region.region}`, cluster, region, config, data, this);
      const obs = new RegionObservability(
        `${name}-${region.region}-observability`,
        {
          cluster,
          environment: config.environment,
          services: config.services,
          addons: config.addons,
          config: config.observability,
          tags: { project: "semester", environment: config.environment, ...config.tags },
          ...(this.calendar !== undefined && config.calendar.horizonAlert.enabled
            ? {
                calendarHorizon: {
                  horizonEnd: this.calendar.schedule.horizon.to,
                  warningDays: config.calendar.horizonAlert.warningDays,
                  criticalDays: config.calendar.horizonAlert.criticalDays,
                },
              }
            : {}),
        },
        { parent: this },
      );
      observability[region.region] = obs;
      const telemetry = obs.services;
      const base = workloadArgs(region);
      workloads[region.region] = new RegionWorkloads(
        `${name}-${region.region}-workloads`,
        {
          ...base,
          scaling: mergeContributions(base.scaling, obs.contributions),
          ...(telemetry.promql !== undefined ? { promql: telemetry.promql } : {}),
          podAnnotations: telemetry.podAnnotations,
          ...(telemetry.telemetryEgress !== undefined ? { telemetryEgress: telemetry.telemetryEgress } : {}),
          ...(config.delivery.enabled && telemetry.promql !== undefined
            ? { delivery: chartDelivery(config) }
            : {}),
          cluster,
          addons: config.addons,
          dataPolicies: dataAccessPolicies(data.bindings[region.region]!, data, config.services),
          kedaPolicy: lagPolicy(config, data, region.region),
          objectsDependOn: [...roles.servicesDependOn, ...telemetry.readiness],
          extraObjects: [
            ...(data.configMapObjects[region.region] ?? []),
            ...(data.bindingConfigMaps[region.region] ?? []),
            // The change freeze's windows, for the CrossGuard policy (the program itself reads no clock).
            ...(this.calendar !== undefined
              ? [
                  changeFreezeConfigMap(
                    changeFreezeWindows(this.calendar.schedule, config.services, region.region),
                  ),
                ]
              : []),
          ],
        },
        { parent: this },
      );
    }

    // Zonal autoshift needs the public ALB's alarms: only where a public service exists.
    const resilience: Record<string, RegionResilience> = {};
    const objective = strictestPublicObjective(config.services, config.observability);
    if (config.resilience.autoshift.enabled && objective !== undefined) {
      for (const region of config.regions) {
        const cluster = regions[region.region]!;
        const practice = regionPracticeRuns(
          this.calendar?.schedule,
          region.region,
          config.resilience.autoshift,
          now,
          (horizon) => gameDayReservations(config.gameDays, config.environment, horizon),
        );
        resilience[region.region] = new RegionResilience(
          `${name}-${region.region}-resilience`,
          {
            provider: cluster.awsProvider,
            region: region.region,
            clusterName: cluster.clusterName,
            partition: cluster.partition,
            accountId: cluster.accountId,
            clusterZonalShift: cluster.settings.zonalShift,
            ingressGroup: `semester-${region.region}`,
            publicIngresses: workloads[region.region]!.publicIngresses,
            objective,
            windowDays: config.observability.slo.windowDays,
            minRequestsPerHour:
              config.resilience.alarms.minRequestsPerHour ?? config.observability.slo.minRequestsPerHour,
            practiceRuns: { allowedWindows: practice.allowedWindows, blockedDates: practice.blockedDates },
            exams: practice.exams,
            horizon: practice.horizon,
            tags: { project: "semester", environment: config.environment, ...config.tags },
          },
          { parent: this },
        );
      }
    }
    this.resilience = resilience;

    // GameDays stop on the region's SLO alarm, so they come after it (the stack rules require it to exist).
    const gameDays: Record<string, RegionGameDays> = {};
    const policyNames = policies.map((p) => String((p.metadata as { name: string }).name));
    for (const region of config.regions) {
      const alarms = resilience[region.region];
      const chaos = regionGameDays(
        `${name}-${region.region}-game-days`,
        {
          config,
          cluster: regions[region.region]!,
          calendar: this.calendar,
          data,
          governancePolicies: policyNames,
          ...(alarms !== undefined
            ? {
                stopConditionAlarmArn: alarms.stopConditionAlarmArn,
                practiceRunWindows: alarms.allowedWindows,
              }
            : {}),
          objectsDependOn: [workloads[region.region]!.configGroup],
        },
        this,
      );
      if (chaos !== undefined) gameDays[region.region] = chaos;
    }

    this.regions = regions;
    this.workloads = workloads;
    this.observability = observability;
    this.data = data;
    this.gameDays = gameDays;
    hideFromOutputWalks(this, [
      "regions",
      "workloads",
      "data",
      "calendar",
      "observability",
      "resilience",
      "gameDays",
      "maintenance",
    ]);
    this.homeRegion = config.homeRegion;
    this.registerOutputs({ homeRegion: this.homeRegion });
  }

  /** Per-region outputs for the stack's exports (the kubeconfig stays a secret). */
  outputs(): Record<string, RegionOutputs> {
    return Object.fromEntries(
      Object.entries(this.regions).map(([region, cluster]) => [
        region,
        {
          clusterName: cluster.clusterName,
          endpoint: cluster.endpoint,
          kubeconfig: cluster.kubeconfig,
          oidcIssuerUrl: cluster.oidcIssuerUrl,
          podIdentity: {
            agent: "eks-pod-identity-agent",
            karpenterNodeRoleArn: cluster.karpenterNodeRoleArn,
          },
          ...(this.observability[region]?.endpoint !== undefined
            ? { promqlEndpoint: this.observability[region]!.endpoint!.queryUrl }
            : {}),
        },
      ]),
    );
  }
}

/**
 * Delivery as the charts take it: the stack's section, whether the mesh routes traffic, and each service's
 * objective for its analysis thresholds (the same objectives the SLO rules use).
 */
function chartDelivery(config: SemesterConfig): NonNullable<LearningChartProps["delivery"]> {
  return {
    config: config.delivery,
    mesh: meshEnabled(config),
    objectives: mapServices((s) => resolveObjective(config.observability, s, config.services[s].tier)),
  };
}

/** A value per service. */
function mapServices<T>(value: (service: ServiceName) => T): Record<ServiceName, T> {
  return Object.fromEntries(SERVICE_NAMES.map((s) => [s, value(s)])) as Record<ServiceName, T>;
}

/** The calendar's contributions in a region, per service (none when the calendar is off). */
function calendarContributions(
  calendar: CalendarScaling | undefined,
  region: string,
): Partial<Record<ServiceName, readonly ScalingContribution[]>> {
  const byService = calendar?.byRegion[region] ?? {};
  return Object.fromEntries(Object.entries(byService).map(([service, c]) => [service, [c]]));
}

/** Each service's contributions from every layer, in order (the calendar's cron triggers, then the SLO's). */
function mergeContributions(
  ...layers: readonly Partial<Record<ServiceName, readonly ScalingContribution[]>>[]
): Partial<Record<ServiceName, readonly ScalingContribution[]>> {
  const out: Partial<Record<ServiceName, ScalingContribution[]>> = {};
  for (const layer of layers)
    for (const [service, contributions] of Object.entries(layer) as [
      ServiceName,
      readonly ScalingContribution[],
    ][])
      out[service] = [...(out[service] ?? []), ...contributions];
  return out;
}

/** KEDA's policy in a region: the brokers each Kafka-scaled service's binding points at. `undefined` if none. */
function lagPolicy(config: SemesterConfig, data: DataTier, region: string) {
  const sources = Object.values(config.services).flatMap((s) => {
    if (s.scaling.kafka === undefined || s.dataAccess === "none") return [];
    const kafkaRegion = data.bindings[region]![s.dataAccess].kafka.region;
    const mskClusterArn = data.mskClusterArns[kafkaRegion];
    return mskClusterArn === undefined
      ? []
      : [{ mskClusterArn, topic: s.scaling.kafka.topic, group: s.scaling.kafka.consumerGroup }];
  });
  return sources.length > 0 ? kedaKafkaPolicy(sources) : undefined;
}
