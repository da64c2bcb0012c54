/**
 * The chart of one region: PriorityClasses, the workload namespaces (PSS restricted, default-deny) and all six
 * learning services, each with exactly one KEDA ScaledObject.
 */
import { Construct } from "constructs";
import { ApiObject, Chart } from "cdk8s";
import {
  SERVICE_NAMES,
  ServiceConfig,
  ServiceName,
  ServicesConfig,
  serviceCallers,
  type DataAccess,
} from "./config";
import { latencyRecordAnnotations } from "./dns";
import {
  meshNetworkPolicies,
  meshObjects,
  sidecarResources,
  type MeshConfig,
  type MeshService,
} from "../mesh";
import { NodePlaceholder } from "./placeholder";
import { serviceScalingProblems } from "./scaling-rules";
import { DATA_ENV, throwIfProblems, type Environment } from "../core";
import type { DataEgress } from "./data-egress";
import { LearningNamespace } from "./namespace";
import { LearningService, SERVICE_PORT, ServicePeer, type TelemetryEgress } from "./learning-service";
import { requestRateQuery } from "../telemetry";
import { PriorityClasses } from "./priority-classes";
import {
  NO_FALLBACK_TRIGGER_TYPES,
  PodIdentityTriggerAuthentication,
  ServiceScaledObject,
  type KedaTrigger,
  type PodIdentityTriggerAuthProps,
  type ScalingContribution,
  type ServiceScaledObjectProps,
} from "./keda";
import { LABELS, serviceLabels, serviceReplicaBounds } from "./tiers";
import { serviceDelivery, type DeliveryConfig, type DeliveryObjective } from "./delivery";

export interface LearningChartProps {
  /** AWS region of the cluster. */
  readonly region: string;
  /** Environment name (label `semester.dev/environment`). */
  readonly environment: Environment;
  readonly services: ServicesConfig;
  /** What other layers (the calendar) add to each service's ScaledObject: triggers, never bounds. @default {} */
  readonly scaling?: Readonly<Partial<Record<ServiceName, readonly ScalingContribution[]>>>;
  /**
   * Node placeholders (calendar pre-provisioning): per service, the cron triggers of its placeholders'
   * ScaledObject; a service listed gets a `NodePlaceholder` (see `placeholder.ts`). @default {} (none)
   */
  readonly placeholders?: Readonly<Partial<Record<ServiceName, ScalingContribution>>>;
  /**
   * MSK bootstrap brokers (IAM, port 9098) of the region, written literally into Kafka lag triggers.
   * @default none: triggers read `KAFKA_BOOTSTRAP_SERVERS` from the service's data binding
   */
  readonly kafkaBootstrapServers?: string;
  /** CIDRs of the region's VPC. @default ["10.0.0.0/8"] */
  readonly vpcCidrs?: readonly string[];
  /** Zones of the region's cluster (statically stable services spread with `minDomains` = this). @default 3 */
  readonly availabilityZones?: number;
  /** Publish public hosts as this region's latency records through ExternalDNS. @default false */
  readonly latencyDns?: boolean;
  /**
   * The store endpoints each data binding hands its services, as egress allows (see `data-egress.ts`).
   * @default {} (no data egress)
   */
  readonly dataEgress?: Readonly<Partial<Record<Exclude<DataAccess, "none">, readonly DataEgress[]>>>;
  /**
   * The region of each binding's Kafka brokers: a lag trigger signs its MSK IAM token for the brokers' region,
   * which differs from the cluster's when writes go to the home region's brokers. @default the cluster's region
   */
  readonly kafkaRegions?: Readonly<Partial<Record<Exclude<DataAccess, "none">, string>>>;
  /**
   * The platform's PromQL endpoint, which `requestRate` triggers (and contributions referencing
   * `PROMQL_TRIGGER_AUTH`) query. With `sigv4Region` (AMP), every service namespace gets the TriggerAuthentication
   * `PROMQL_TRIGGER_AUTH` (KEDA's operator signs with its Pod Identity role). @default none (no requestRate triggers)
   */
  readonly promql?: PromqlTarget;
  /** Pod template annotations per service (auto-instrumentation). @default {} */
  readonly podAnnotations?: Readonly<Partial<Record<ServiceName, Readonly<Record<string, string>>>>>;
  /** Where every service's pods send telemetry (a NetworkPolicy egress allow). @default none */
  readonly telemetryEgress?: TelemetryEgress;
  /**
   * The service mesh (`semester:mesh`): when enabled, sidecar injection in the workload namespaces, the mesh's
   * objects (mTLS, authorization, traffic policy, the gateway and the region's public Ingress) and the services'
   * NetworkPolicies for it. @default none (no mesh)
   */
  readonly mesh?: LearningMesh;
  /**
   * Roll every service out as an Argo Rollout gated by its SLO analysis on `promql` (required then).
   * @default none (Deployments)
   */
  readonly delivery?: ChartDelivery;
}

/** What the chart needs for the mesh. */
export interface LearningMesh {
  readonly config: MeshConfig;
  /**
   * The second Service of each service's delivery strategy (`<svc>-canary`, `<svc>-preview`), which gets a
   * DestinationRule and a weight-0 destination in the route `primary`. @default {} (none)
   */
  readonly secondServices?: Readonly<Partial<Record<ServiceName, string>>>;
}

/** What the chart needs to render Rollouts. */
export interface ChartDelivery {
  readonly config: DeliveryConfig;
  /** Istio routes the services' traffic (`semester:mesh.enabled`). */
  readonly mesh: boolean;
  /** Each service's objective (`resolveObjective`), for its analysis thresholds. */
  readonly objectives: Readonly<Record<ServiceName, DeliveryObjective>>;
}

/** How KEDA reaches the PromQL endpoint. */
export interface PromqlTarget {
  /** Prometheus HTTP API root (KEDA's `serverAddress`). */
  readonly serverAddress: string;
  /** Sign with SigV4 for this region (AMP). @default none (no signing) */
  readonly sigv4Region?: string;
}

/** The TriggerAuthentication of every PromQL trigger on a SigV4 endpoint, one per service namespace. */
export const PROMQL_TRIGGER_AUTH = "semester-promql";

/**
 * A KEDA `prometheus` trigger on the platform's endpoint. By default an empty result is an error, so the fallback
 * applies; `emptyIsZero` reads it as 0 instead (a quantity with no series when nothing is wrong).
 */
export function promqlTrigger(
  promql: PromqlTarget,
  trigger: { name: string; query: string; threshold: number; emptyIsZero?: boolean },
): KedaTrigger {
  return {
    type: "prometheus",
    name: trigger.name,
    metricType: "AverageValue",
    metadata: {
      serverAddress: promql.serverAddress,
      query: trigger.query,
      threshold: String(trigger.threshold),
      ...(promql.sigv4Region !== undefined ? { awsRegion: promql.sigv4Region } : {}),
      ignoreNullValues: trigger.emptyIsZero === true ? "true" : "false",
    },
    ...(promql.sigv4Region !== undefined
      ? { authenticationRef: { name: PROMQL_TRIGGER_AUTH, kind: "TriggerAuthentication" as const } }
      : {}),
  };
}

/** The KEDA triggers a service's own config asks for. Pure; exported for tests. */
export function serviceTriggers(
  name: ServiceName,
  config: ServiceConfig,
  region: string,
  kafkaBootstrapServers: string | undefined,
  kafkaRegion: string = region,
  promql?: PromqlTarget,
): { triggers: KedaTrigger[]; auth?: string } {
  const s = config.scaling;
  const triggers: KedaTrigger[] = [];
  let auth: string | undefined;
  if (s.cpuUtilization !== null) {
    triggers.push({
      type: "cpu",
      name: "cpu",
      metricType: "Utilization",
      metadata: { value: String(s.cpuUtilization) },
    });
  }
  if (s.memoryUtilization !== null) {
    triggers.push({
      type: "memory",
      name: "memory",
      metricType: "Utilization",
      metadata: { value: String(s.memoryUtilization) },
    });
  }
  if (s.prometheus !== undefined) {
    triggers.push({
      type: "prometheus",
      name: "request-rate",
      metricType: "AverageValue",
      metadata: {
        serverAddress: s.prometheus.serverAddress,
        query: s.prometheus.query,
        threshold: String(s.prometheus.threshold),
      },
    });
  }
  if (s.requestRate !== undefined && promql !== undefined) {
    triggers.push(
      promqlTrigger(promql, {
        name: "request-rate",
        query: requestRateQuery(name),
        threshold: s.requestRate.perReplica,
      }),
    );
  }
  if (s.kafka !== undefined) {
    auth = `${name}-msk`;
    triggers.push({
      type: "apache-kafka",
      name: "consumer-lag",
      metricType: "AverageValue",
      metadata: {
        // KEDA resolves `<param>FromEnv` from the scale target's container env, envFrom ConfigMaps included.
        ...(hasLiteralBrokers(kafkaBootstrapServers)
          ? { bootstrapServers: kafkaBootstrapServers }
          : { bootstrapServersFromEnv: DATA_ENV.kafkaBootstrapServers }),
        consumerGroup: s.kafka.consumerGroup,
        topic: s.kafka.topic,
        lagThreshold: String(s.kafka.lagThreshold),
        sasl: "aws_msk_iam",
        tls: "enable",
        // The brokers' region, not the cluster's: MSK rejects a token signed for another region.
        awsRegion: kafkaRegion,
      },
      authenticationRef: { name: auth, kind: "TriggerAuthentication" },
    });
  }
  return { triggers, auth };
}

/**
 * Which fallback a service gets: its config's, else minReplicas when KEDA allows one, else none. A configured
 * fallback next to CPU/memory triggers is refused before this runs (`serviceScalingProblems`).
 */
export function resolveFallback(
  config: ServiceConfig,
  minReplicas: number,
  triggers: readonly KedaTrigger[],
): { replicas?: number } {
  if (triggers.some((t) => NO_FALLBACK_TRIGGER_TYPES.includes(t.type))) return {};
  return { replicas: config.scaling.fallbackReplicas ?? minReplicas };
}

/** Whether Kafka lag triggers name brokers literally rather than reading them from the data binding. */
function hasLiteralBrokers(kafkaBootstrapServers: string | undefined): kafkaBootstrapServers is string {
  return kafkaBootstrapServers !== undefined && kafkaBootstrapServers !== "";
}

/** What `serviceScaling` needs besides the service's own config: where it runs and what other layers add. */
export interface ServiceScalingArgs {
  readonly name: ServiceName;
  readonly config: ServiceConfig;
  readonly region: string;
  /** See `LearningChartProps.kafkaBootstrapServers`. @default none */
  readonly kafkaBootstrapServers?: string;
  /** See `LearningChartProps.kafkaRegions`. @default the region */
  readonly kafkaRegions?: LearningChartProps["kafkaRegions"];
  /** @default [] */
  readonly contributions?: readonly ScalingContribution[];
  /** See `LearningChartProps.promql`. @default none */
  readonly promql?: PromqlTarget;
  /** What KEDA scales: the service's Deployment, or its Rollout when delivery is on. @default "Deployment" */
  readonly workloadKind?: "Deployment" | "Rollout";
}

/**
 * The inputs of one service's ScaledObject (and its TriggerAuthentication) from the service's config and the
 * contributions: the bounds are the service's, the triggers its own then the contributions'. Pure: the chart and
 * `npm run calendar -- --stack` both build their ScaledObjects from it.
 */
export function serviceScaling(args: ServiceScalingArgs): {
  scaledObject: ServiceScaledObjectProps;
  triggerAuthentication?: PodIdentityTriggerAuthProps;
} {
  const { name, config, region } = args;
  const bounds = serviceReplicaBounds(config);
  const labels = serviceLabels(name, config, region);
  const kafkaRegion = config.dataAccess === "none" ? undefined : args.kafkaRegions?.[config.dataAccess];
  const own = serviceTriggers(name, config, region, args.kafkaBootstrapServers, kafkaRegion, args.promql);
  const fallback = resolveFallback(config, bounds.minReplicas, own.triggers);
  return {
    scaledObject: {
      service: name,
      namespace: config.namespace,
      region,
      minReplicas: bounds.minReplicas,
      maxReplicas: bounds.maxReplicas,
      triggers: own.triggers,
      contributions: args.contributions ?? [],
      fallbackReplicas: fallback.replicas,
      labels,
      ...(args.workloadKind === "Rollout" ? { targetKind: "Rollout" as const } : {}),
    },
    ...(own.auth !== undefined
      ? { triggerAuthentication: { name: own.auth, namespace: config.namespace, labels } }
      : {}),
  };
}

export class LearningChart extends Chart {
  public readonly region: string;
  /** The services by name. */
  public readonly services: Readonly<Record<ServiceName, LearningService>>;

  constructor(scope: Construct, id: string, props: LearningChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    // The chart's own arguments, before any object: every service's scaling rules (the stack loader runs the same).
    throwIfProblems(`LearningChart ${id}`, [
      ...SERVICE_NAMES.flatMap((name) =>
        serviceScalingProblems(name, props.services[name], `services.${name}`, {
          literalBrokers: hasLiteralBrokers(props.kafkaBootstrapServers),
          promqlEndpoint: props.promql !== undefined,
        }),
      ),
      ...(props.delivery?.config.enabled === true && props.promql === undefined
        ? [
            {
              path: "promql",
              value: undefined,
              rule: "required with delivery: every Rollout step is gated by an analysis on the PromQL endpoint",
            },
          ]
        : []),
    ]);
    const delivery = props.delivery?.config.enabled === true ? props.delivery : undefined;
    this.region = props.region;
    const base = {
      [LABELS.partOf]: "semester",
      [LABELS.managedBy]: "semester",
      [LABELS.region]: props.region,
      "semester.dev/environment": props.environment,
    };

    new PriorityClasses(this, "priority-classes", { labels: base });
    const mesh = props.mesh?.config.enabled === true ? props.mesh : undefined;
    const namespaces = [...new Set(SERVICE_NAMES.map((n) => props.services[n].namespace))].sort();
    for (const ns of namespaces) {
      new LearningNamespace(this, `namespace-${ns}`, {
        name: ns,
        labels: base,
        meshInjection: mesh !== undefined,
      });
      if (props.promql?.sigv4Region !== undefined) {
        new PodIdentityTriggerAuthentication(this, `promql-trigger-auth-${ns}`, {
          name: PROMQL_TRIGGER_AUTH,
          namespace: ns,
          labels: base,
        });
      }
    }

    const peer = (n: ServiceName): ServicePeer => ({
      service: n,
      namespace: props.services[n].namespace,
      port: props.services[n].port,
    });
    const services = {} as Record<ServiceName, LearningService>;
    for (const name of SERVICE_NAMES) {
      const config = props.services[name];
      const svc = new LearningService(this, name, {
        name,
        config,
        region: props.region,
        callers: serviceCallers(name, props.services).map(peer),
        callees: config.calls.map(peer),
        vpcCidrs: props.vpcCidrs,
        availabilityZones: props.availabilityZones,
        latencyDns: props.latencyDns,
        dataEgress: config.dataAccess === "none" ? [] : (props.dataEgress?.[config.dataAccess] ?? []),
        podAnnotations: props.podAnnotations?.[name],
        telemetryEgress: props.telemetryEgress,
        mesh: mesh !== undefined,
        ...(delivery !== undefined && props.promql !== undefined
          ? {
              delivery: serviceDelivery({
                name,
                services: props.services,
                delivery: delivery.config,
                mesh: delivery.mesh,
                region: props.region,
                labels: serviceLabels(name, config, props.region),
                objective: delivery.objectives[name],
                endpoint: {
                  address: props.promql.serverAddress,
                  ...(props.promql.sigv4Region !== undefined
                    ? { sigv4Region: props.promql.sigv4Region }
                    : {}),
                },
              }),
            }
          : {}),
      });
      services[name] = svc;

      const scaling = serviceScaling({
        name,
        config,
        region: props.region,
        kafkaBootstrapServers: props.kafkaBootstrapServers,
        kafkaRegions: props.kafkaRegions,
        contributions: props.scaling?.[name],
        promql: props.promql,
        workloadKind: svc.workloadKind,
      });
      if (scaling.triggerAuthentication !== undefined) {
        new PodIdentityTriggerAuthentication(this, `${name}-trigger-auth`, scaling.triggerAuthentication);
      }
      new ServiceScaledObject(this, `${name}-scaled-object`, scaling.scaledObject);
      const placeholders = props.placeholders?.[name];
      if (placeholders !== undefined) {
        new NodePlaceholder(this, `${name}-placeholder`, {
          service: name,
          namespace: config.namespace,
          region: props.region,
          labels: svc.labels,
          workload: ApiObject.of(svc.deployment).toJson() as Record<string, unknown>,
          contribution: placeholders,
          maxReplicas: scaling.scaledObject.maxReplicas,
          ...(mesh !== undefined ? { sidecar: sidecarResources(mesh.config) } : {}),
        });
      }
    }
    this.services = services;
    if (mesh !== undefined) {
      const meshServices = SERVICE_NAMES.map((name) => meshService(name, props, services[name], mesh));
      const objs = [
        ...meshObjects({
          region: props.region,
          mesh: mesh.config,
          services: meshServices,
          labels: base,
          ingressAnnotations: (props.latencyDns ?? false) ? latencyRecordAnnotations(props.region) : {},
        }),
        ...meshNetworkPolicies({
          vpcCidrs: props.vpcCidrs ?? ["10.0.0.0/8"],
          services: meshServices,
          labels: base,
        }),
      ];
      objs.forEach((o, i) => new ApiObject(this, `mesh-${o.kind}-${o.metadata.name}-${i}`, o));
    }
  }
}

/** One service as the mesh sees it: the callers are the same list its NetworkPolicy admits. */
function meshService(
  name: ServiceName,
  props: LearningChartProps,
  svc: LearningService,
  mesh: LearningMesh,
): MeshService {
  const config = props.services[name];
  return {
    name,
    namespace: config.namespace,
    tier: config.tier,
    port: config.port,
    servicePort: SERVICE_PORT,
    selector: svc.selector,
    labels: svc.labels,
    minReplicas: serviceReplicaBounds(config).minReplicas,
    writes: config.dataAccess === "write",
    ...(config.publicHost !== undefined ? { publicHost: config.publicHost } : {}),
    callers: serviceCallers(name, props.services).map((c) => ({
      name: c,
      namespace: props.services[c].namespace,
    })),
    ...(mesh.secondServices?.[name] !== undefined ? { secondService: mesh.secondServices[name] } : {}),
  };
}
