/**
 * Everything that runs inside one regional cluster: the region's cdk8s charts are rendered with `toJson()` and,
 * with the extra objects, validated against their upstream schemas and registered through `applyObjects` (one
 * v1 `k8s.yaml.ConfigGroup`, expanded client-side) on the cluster's own provider, after the add-ons.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { App, Chart } from "cdk8s";
import type { ClusterHandle, ServiceAccountBinding } from "../cluster";
import { AddonsConfig, SERVICE_NAMES, ServiceName, ServicesConfig, type DataAccess } from "./config";
import { PlatformAddons } from "./addons";
import { ALB_CONTROLLER_SERVICE_ACCOUNT, albControllerPolicy } from "./alb-controller-policy";
import { DnsConfig, EXTERNAL_DNS_SERVICE_ACCOUNT, externalDnsIamPolicy } from "./dns";
import type { DataEgress } from "./data-egress";
import {
  LearningChart,
  type LearningChartProps,
  type LearningMesh,
  type PromqlTarget,
} from "./learning-chart";
import { DeliveryController, ROLLOUTS_SERVICE_ACCOUNT } from "./delivery";
import { GATEWAY_OBJECT, ISTIO_INGRESS, MeshReleases } from "../mesh";
import type { ScalingContribution } from "./keda";
import { applyObjects, bindLateValues, checkObjects, lateBoundToken } from "../objects";
import {
  type KubeObject,
  type ResolvedKubeObject,
  InputError,
  hideFromOutputWalks,
  type Environment,
} from "../core";

export interface RegionWorkloadsArgs {
  readonly cluster: ClusterHandle;
  /** Environment name (dev, staging, prod). */
  readonly environment: Environment;
  readonly services: ServicesConfig;
  readonly addons: AddonsConfig;
  /** What other layers (the calendar) add to each service's ScaledObject: triggers, never bounds. @default {} */
  readonly scaling?: Readonly<Partial<Record<ServiceName, readonly ScalingContribution[]>>>;
  /** Node placeholders' triggers per service (calendar pre-provisioning). @default {} (none) */
  readonly placeholders?: LearningChartProps["placeholders"];
  /**
   * MSK bootstrap brokers (IAM) of this region, written literally into Kafka lag triggers.
   * @default none: triggers read `KAFKA_BOOTSTRAP_SERVERS` from the service's data binding (see `data-access.ts`)
   */
  readonly kafkaBootstrapServers?: string;
  /** CIDRs of the region's VPC, for NetworkPolicy allows. @default ["10.0.0.0/8"] */
  readonly vpcCidrs?: readonly string[];
  /** Zones of the region's cluster (`semester:regions[].availabilityZones`), for static stability's spread. @default 3 */
  readonly availabilityZones?: number;
  /**
   * Further charts rendered into the same ConfigGroup (the governance policies). Each is called with a cdk8s App
   * and the region and returns its chart.
   */
  readonly extraCharts?: readonly ((app: App, region: string) => Chart)[];
  /**
   * Further objects registered through the same ConfigGroup, after the rendered ones: objects whose values may
   * be Pulumi Outputs (the data tier's shard map and `semester-data-write`/`semester-data-read` ConfigMaps, for
   * example). They are schema-validated with the rendered objects before anything registers; an Output value is
   * checked only for being an allowed field (its value is known after deploy, and the offline plan validates it
   * on the recorded inputs). They are not part of `objects`. `kind`, `apiVersion`, `metadata.name` and
   * `metadata.namespace` must be plain values (they name the resource). @default []
   */
  readonly extraObjects?: readonly ResolvedKubeObject[];
  /**
   * Global traffic: ExternalDNS writes each public host as this region's latency record in the zone, and the
   * public Ingresses carry the region's annotations (see `dns.ts`).
   * @default none (no ExternalDNS, Ingresses unchanged)
   */
  readonly dns?: DnsConfig;
  /**
   * IAM policy documents (JSON) that let each service use its CQRS binding's stores (see
   * `platform/data-access-policy.ts`), by service. A service with a policy here gets it on its Pod Identity role,
   * next to its own `aws` policies.
   * @default {} (services get only their `aws` policies)
   */
  readonly dataPolicies?: Readonly<Partial<Record<ServiceName, pulumi.Input<string>>>>;
  /**
   * The store endpoints each data binding hands its services, as NetworkPolicy egress (see `data-egress.ts`).
   * @default {} (no data egress)
   */
  readonly dataEgress?: Readonly<Partial<Record<Exclude<DataAccess, "none">, readonly DataEgress[]>>>;
  /** The region of each binding's Kafka brokers, for lag triggers' IAM signing. @default the cluster's region */
  readonly kafkaRegions?: Readonly<Partial<Record<Exclude<DataAccess, "none">, string>>>;
  /**
   * The KEDA operator's IAM policy (JSON) for reading consumer lag with MSK IAM: the clusters, topics and groups
   * of the Kafka-scaled services (see `platform/data-access-policy.ts` `kedaKafkaPolicy`). Required when a
   * service scales on Kafka lag. @default none
   */
  readonly kedaPolicy?: pulumi.Input<string>;
  /**
   * Resources the ConfigGroup waits for besides the cluster and the add-ons, e.g. the namespaces its objects live
   * in and the Job that creates the database roles the services sign in as (see `platform/database-roles.ts`).
   * @default []
   */
  readonly objectsDependOn?: readonly pulumi.Input<pulumi.Resource>[];
  /**
   * The region's PromQL endpoint (`semester:observability.metrics`): `requestRate` triggers and the
   * contributions' PromQL triggers query it. `queryPolicy` (IAM JSON) goes on KEDA's operator role when the
   * endpoint signs with SigV4 (AMP). @default none (no requestRate triggers)
   */
  readonly promql?: {
    readonly queryUrl: pulumi.Input<string>;
    readonly sigv4Region?: string;
    readonly queryPolicy?: pulumi.Input<string>;
  };
  /** Pod template annotations per service (auto-instrumentation). @default {} */
  readonly podAnnotations?: LearningChartProps["podAnnotations"];
  /** Where the services' pods send telemetry (NetworkPolicy egress). @default none */
  readonly telemetryEgress?: LearningChartProps["telemetryEgress"];
  /**
   * The service mesh (`semester:mesh`): its Helm releases install after the add-ons and before the objects (the
   * injection webhook must exist before the first service pod). @default none (no mesh)
   */
  readonly mesh?: LearningMesh;
  /**
   * Progressive delivery (`semester:delivery`): the services render as Argo Rollouts, the Argo Rollouts
   * controller is installed after the add-ons, and its service account gets `promql.queryPolicy` when the
   * endpoint signs with SigV4. Requires `promql`. @default none (Deployments, no controller)
   */
  readonly delivery?: LearningChartProps["delivery"];
}

/** The token the charts write for the PromQL endpoint; bound to `promql.queryUrl` before the objects apply. */
const PROMQL_URL = lateBoundToken("promql-url");

/**
 * The PromQL endpoint as contributions' triggers must name it (`ScalingContribution`s are rendered into the
 * charts, before the endpoint's URL is known): RegionWorkloads binds it to `promql.queryUrl`.
 */
export function regionPromqlTarget(sigv4Region?: string): PromqlTarget {
  return { serverAddress: PROMQL_URL, ...(sigv4Region !== undefined ? { sigv4Region } : {}) };
}

/**
 * Renders the region's objects (pure: no Pulumi). Throws the chart's InputError for arguments it refuses, and
 * one error listing every schema problem (a bug: the charts emit what the vendored schemas accept).
 */
export function renderRegionObjects(
  args: Omit<RegionWorkloadsArgs, "cluster" | "addons">,
  region: string,
): KubeObject[] {
  const objs = renderCharts(args, region);
  checkObjects(objs, objectsContext(region));
  return objs;
}

const objectsContext = (region: string) => `Kubernetes objects for ${region}`;

function renderCharts(args: Omit<RegionWorkloadsArgs, "cluster" | "addons">, region: string): KubeObject[] {
  const app = new App();
  const charts: Chart[] = [
    new LearningChart(app, `learning-${region}`, {
      region,
      environment: args.environment,
      services: args.services,
      scaling: args.scaling,
      placeholders: args.placeholders,
      kafkaBootstrapServers: args.kafkaBootstrapServers,
      vpcCidrs: args.vpcCidrs,
      availabilityZones: args.availabilityZones,
      dataEgress: args.dataEgress,
      kafkaRegions: args.kafkaRegions,
      latencyDns: args.dns !== undefined,
      promql:
        args.promql !== undefined
          ? {
              serverAddress: PROMQL_URL,
              ...(args.promql.sigv4Region ? { sigv4Region: args.promql.sigv4Region } : {}),
            }
          : undefined,
      podAnnotations: args.podAnnotations,
      telemetryEgress: args.telemetryEgress,
      mesh: args.mesh,
      delivery: args.delivery,
    }),
    ...(args.extraCharts ?? []).map((make) => make(app, region)),
  ];
  return charts.flatMap((c) => c.toJson() as KubeObject[]);
}

export class RegionWorkloads extends pulumi.ComponentResource {
  /**
   * Every rendered and validated object registered in the cluster, in the order rendered (the plan writes
   * these). `extraObjects` follow them in the ConfigGroup but are not listed here.
   */
  public readonly objects: readonly KubeObject[];
  public readonly addons: PlatformAddons;
  /** The mesh's releases, when `mesh` is enabled. */
  public readonly mesh: MeshReleases | undefined;
  public readonly configGroup: k8s.yaml.ConfigGroup;
  /**
   * The applied Ingress of every public service (one ALB per region: IngressGroup `semester-<region>`), in service
   * order: what waits for the ALB (pulumi-kubernetes awaits an Ingress until its status has a load balancer).
   */
  public readonly publicIngresses: readonly pulumi.Output<pulumi.CustomResource>[];
  /** The Argo Rollouts controller, when delivery is on. */
  public readonly deliveryController: DeliveryController | undefined;
  /** Pod Identity bindings by service account (`<namespace>/<name>`). */
  public readonly bindings: Readonly<Record<string, ServiceAccountBinding>>;

  constructor(name: string, args: RegionWorkloadsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("semester:kubernetes:RegionWorkloads", name, {}, opts);
    const region = args.cluster.region;
    // Validate before registering anything: the arguments, then the rendered objects and the extras in one pass.
    const kafkaScaled = SERVICE_NAMES.filter((s) => args.services[s].scaling.kafka !== undefined);
    if (kafkaScaled.length > 0 && args.kedaPolicy === undefined) {
      throw new InputError(`RegionWorkloads ${name}`, [
        {
          path: "kedaPolicy",
          value: undefined,
          rule: `required: ${kafkaScaled.join(", ")} scale on Kafka lag, which KEDA's operator reads with MSK IAM`,
        },
      ]);
    }
    this.objects = renderCharts(args, region);
    const bound = bindLateValues(this.objects, args.promql ? { "promql-url": args.promql.queryUrl } : {});
    const objects = checkObjects([...bound, ...(args.extraObjects ?? [])], objectsContext(region));

    const bindings: Record<string, ServiceAccountBinding> = {};
    for (const svc of SERVICE_NAMES) {
      const cfg = args.services[svc];
      const dataPolicy = args.dataPolicies?.[svc];
      if (cfg.aws === undefined && dataPolicy === undefined) continue;
      // One role per service account (EKS allows one Pod Identity association each): the service's own policies
      // keep their names; the data policy is an extra role policy.
      bindings[`${cfg.namespace}/${svc}`] = args.cluster.bindServiceAccount(`${name}-${svc}`, {
        namespace: cfg.namespace,
        serviceAccount: svc,
        managedPolicyArns: cfg.aws?.managedPolicyArns,
        inlinePolicy: cfg.aws?.inlinePolicy,
        ...(dataPolicy !== undefined ? { inlinePolicies: [dataPolicy] } : {}),
      });
    }
    // One role for KEDA's operator (one Pod Identity association per account): MSK lag and PromQL queries.
    const kedaLag = kafkaScaled.length > 0 ? args.kedaPolicy : undefined;
    const kedaQuery = args.promql?.sigv4Region !== undefined ? args.promql.queryPolicy : undefined;
    if (kedaLag !== undefined || kedaQuery !== undefined) {
      bindings[`${args.addons.keda.namespace}/keda-operator`] = args.cluster.bindServiceAccount(
        `${name}-keda-operator`,
        {
          namespace: args.addons.keda.namespace,
          serviceAccount: "keda-operator",
          ...(kedaLag !== undefined ? { inlinePolicy: kedaLag } : {}),
          ...(kedaQuery !== undefined ? { inlinePolicies: [kedaQuery] } : {}),
        },
      );
    }
    // The load balancer controller always gets its own role: upstream's policy narrowed to this cluster, its VPC
    // and region (see alb-controller-policy.ts), plus any managed policies the stack adds.
    const alb = args.addons.awsLoadBalancerController;
    const albBinding = args.cluster.bindServiceAccount(`${name}-aws-load-balancer-controller`, {
      namespace: alb.namespace,
      serviceAccount: ALB_CONTROLLER_SERVICE_ACCOUNT,
      managedPolicyArns: alb.iamPolicyArns,
      inlinePolicy: pulumi
        .all([args.cluster.partition, args.cluster.accountId, args.cluster.clusterName, args.cluster.vpcId])
        .apply(([partition, accountId, clusterName, vpcId]) =>
          albControllerPolicy({ partition, region, accountId, clusterName, vpcId }),
        ),
    });
    bindings[`${alb.namespace}/${ALB_CONTROLLER_SERVICE_ACCOUNT}`] = albBinding;
    let externalDnsAssociation: pulumi.Resource | undefined;
    if (args.dns !== undefined) {
      const binding = args.cluster.bindServiceAccount(`${name}-external-dns`, {
        namespace: args.addons.externalDns.namespace,
        serviceAccount: EXTERNAL_DNS_SERVICE_ACCOUNT,
        inlinePolicy: externalDnsIamPolicy(args.dns.hostedZoneId),
      });
      bindings[`${args.addons.externalDns.namespace}/${EXTERNAL_DNS_SERVICE_ACCOUNT}`] = binding;
      externalDnsAssociation = binding.association;
    }
    // The Argo Rollouts controller runs the analyses: it signs its AMP queries with its own Pod Identity role.
    const delivery = args.delivery?.config.enabled === true ? args.delivery.config : undefined;
    let rolloutsAssociation: pulumi.Resource | undefined;
    const rolloutsQuery = args.promql?.sigv4Region !== undefined ? args.promql.queryPolicy : undefined;
    if (delivery !== undefined && rolloutsQuery !== undefined) {
      const binding = args.cluster.bindServiceAccount(`${name}-argo-rollouts`, {
        namespace: delivery.controller.namespace,
        serviceAccount: ROLLOUTS_SERVICE_ACCOUNT,
        inlinePolicy: rolloutsQuery,
      });
      bindings[`${delivery.controller.namespace}/${ROLLOUTS_SERVICE_ACCOUNT}`] = binding;
      rolloutsAssociation = binding.association;
    }
    this.bindings = bindings;

    this.addons = new PlatformAddons(
      `${name}-addons`,
      {
        addons: args.addons,
        provider: args.cluster.kubernetesProvider,
        clusterName: args.cluster.clusterName,
        region,
        vpcId: args.cluster.vpcId,
        dependsOn: args.cluster.readiness,
        dns: args.dns,
        // The pod reads its credentials at start: the association exists before the release.
        releaseDependsOn: {
          awsLoadBalancerController: [albBinding.association],
          ...(externalDnsAssociation ? { externalDns: [externalDnsAssociation] } : {}),
        },
      },
      { parent: this },
    );

    this.mesh =
      args.mesh?.config.enabled === true
        ? new MeshReleases(
            `${name}-mesh`,
            {
              mesh: args.mesh.config,
              provider: args.cluster.kubernetesProvider,
              dependsOn: [...args.cluster.readiness, ...Object.values(this.addons.releases)],
            },
            { parent: this },
          )
        : undefined;

    // After every add-on (Kyverno last), before the Rollouts that need its CRDs.
    const lastAddon = this.addons.releases.kyverno;
    this.deliveryController =
      delivery !== undefined
        ? new DeliveryController(
            `${name}-delivery`,
            {
              controller: delivery.controller,
              provider: args.cluster.kubernetesProvider,
              dependsOn: [lastAddon, ...(rolloutsAssociation !== undefined ? [rolloutsAssociation] : [])],
            },
            { parent: this },
          )
        : undefined;

    this.configGroup = applyObjects(
      `${name}-objects`,
      { objects, resourcePrefix: region, transformations: [keepScaledReplicas] },
      {
        parent: this,
        provider: args.cluster.kubernetesProvider,
        dependsOn: [
          ...args.cluster.readiness,
          ...Object.values(this.addons.releases),
          ...Object.values(this.mesh?.releases ?? {}),
          ...(this.deliveryController !== undefined ? [this.deliveryController.release] : []),
          ...(args.objectsDependOn ?? []),
        ],
      },
    );
    // ConfigGroup keys carry the resource prefix on the namespace part: `<prefix>-<namespace>/<name>`. With the
    // mesh the region has one public Ingress (ALB -> ingress gateway), else one per public service.
    const ingress = (namespace: string, objectName: string) =>
      this.configGroup.getResource("networking.k8s.io/v1/Ingress", `${region}-${namespace}`, objectName);
    const publicServices = SERVICE_NAMES.filter((s) => args.services[s].publicHost !== undefined);
    this.publicIngresses =
      this.mesh !== undefined
        ? publicServices.length > 0
          ? [ingress(ISTIO_INGRESS, GATEWAY_OBJECT)]
          : []
        : publicServices.map((s) => ingress(args.services[s].namespace, s));
    hideFromOutputWalks(this, [
      "objects",
      "bindings",
      "addons",
      "mesh",
      "configGroup",
      "publicIngresses",
      "deliveryController",
    ]);
    this.registerOutputs({ objectCount: this.objects.length });
  }
}

/**
 * KEDA owns `spec.replicas` once a Deployment (or Rollout) runs; a later deploy must not reset it to the initial
 * count.
 * @internal
 */
export function keepScaledReplicas(obj: Record<string, unknown>, opts: pulumi.CustomResourceOptions): void {
  if (obj.kind === "Deployment" || obj.kind === "Rollout")
    opts.ignoreChanges = [...(opts.ignoreChanges ?? []), "spec.replicas"];
}
