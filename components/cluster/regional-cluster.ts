import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { type AwsRegion, throwIfProblems, type Environment } from "../core";
import { Vpc } from "../network";
import type { ClusterSettings } from "./config";
import { resolveClusterSettings, type ResolvedClusterSettings } from "./defaults";
import { clusterSettingsProblems, nodePoolBudgetProblems, regionLayoutProblems } from "./rules";
import { createControlPlane } from "./control-plane";
import { installEbsCsiDriver } from "./ebs-csi";
import { createEksAddons } from "./eks-addons";
import type { ClusterHandle, ServiceAccountBinding, ServiceAccountBindingArgs } from "./handle";
import { managedPolicy, serviceRole } from "./iam";
import { installKarpenter } from "./karpenter/install";
import { DISCOVERY_TAG } from "./karpenter/node-objects";
import type { ZeroBudgetWindow } from "./karpenter/window-budgets";
import { kubeconfig } from "./kubeconfig";
import { bindServiceAccount } from "./pod-identity";
import { createSystemNodeGroup } from "./system-node-group";

export interface RegionalClusterArgs extends ClusterSettings {
  /** The AWS region; the component creates its own explicit provider for it. */
  readonly region: AwsRegion;
  readonly environment: Environment;
  /** The VPC's range, disjoint from every other region's. */
  readonly vpcCidr: string;
  /** Zones to span. @default 3 */
  readonly availabilityZones?: number;
  /** @default "perZone" */
  readonly natGateways?: "perZone" | "single";
  /** The EKS cluster's name. @default the component's name */
  readonly clusterName?: string;
  /** Tags on every AWS resource of the region (as the provider's default tags). @default {} */
  readonly tags?: Record<string, string>;
  /**
   * Windows (UTC cron and duration) in which no Karpenter node may be disrupted voluntarily, appended to every
   * NodePool's budgets; `Platform` compiles them from the region's critical calendar spans.
   * @default [] — the pools' own budgets only
   */
  readonly zeroBudgetWindows?: readonly ZeroBudgetWindow[];
}

/**
 * One region of the platform: a VPC over three zones, an EKS cluster with a private endpoint and
 * encrypted secrets, a managed system node group, Karpenter for workload nodes, Pod Identity, and a
 * Kubernetes provider bound to the cluster for every later layer.
 */
export class RegionalCluster extends pulumi.ComponentResource implements ClusterHandle {
  public readonly region: AwsRegion;
  public readonly awsProvider: aws.Provider;
  public readonly kubernetesProvider: k8s.Provider;
  public readonly settings: ResolvedClusterSettings;
  public readonly clusterName: pulumi.Output<string>;
  public readonly partition: pulumi.Output<string>;
  public readonly accountId: pulumi.Output<string>;
  public readonly endpoint: pulumi.Output<string>;
  public readonly kubeconfig: pulumi.Output<string>;
  public readonly oidcIssuerUrl: pulumi.Output<string>;
  public readonly vpcId: pulumi.Output<string>;
  public readonly vpcCidr: string;
  public readonly privateSubnetIds: pulumi.Output<string>[];
  public readonly privateSubnetCidrs: readonly string[];
  public readonly privateRouteTableIds: pulumi.Output<string>[];
  public readonly nodeSecurityGroupId: pulumi.Output<string>;
  public readonly karpenterNodeRoleArn: pulumi.Output<string>;
  public readonly readiness: pulumi.Resource[];
  private readonly cluster: aws.eks.Cluster;

  constructor(name: string, args: RegionalClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("semester:cluster:RegionalCluster", name, {}, opts);
    const settings = resolveClusterSettings(args, args.environment);
    const zoneCount = args.availabilityZones ?? 3;
    const natGateways = args.natGateways ?? "perZone";
    const clusterName = args.clusterName ?? name;
    const zeroBudgetWindows = args.zeroBudgetWindows ?? [];
    throwIfProblems(`RegionalCluster ${name}`, [
      ...clusterSettingsProblems(settings, ""),
      ...nodePoolBudgetProblems(
        settings.karpenter.nodePools,
        zeroBudgetWindows.length,
        "",
        "zeroBudgetWindows",
      ),
      ...regionLayoutProblems(
        { region: args.region, availabilityZones: zoneCount, natGateways },
        args.environment,
        "",
      ),
    ]);

    this.region = args.region;
    const tags = { ...args.tags };
    this.awsProvider = new aws.Provider(
      `${name}-aws`,
      { region: args.region, defaultTags: { tags } },
      { parent: this },
    );
    const child: pulumi.CustomResourceOptions = { parent: this, provider: this.awsProvider };
    const invoke: pulumi.InvokeOutputOptions = { parent: this, provider: this.awsProvider };

    const zones = aws
      .getAvailabilityZonesOutput(
        { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
        invoke,
      )
      .names.apply((names) => names.slice(0, zoneCount));
    const partition = aws.getPartitionOutput({}, invoke).partition;
    const accountId = aws.getCallerIdentityOutput({}, invoke).accountId;

    const vpc = new Vpc(
      `${name}-network`,
      {
        region: args.region,
        cidrBlock: args.vpcCidr,
        availabilityZones: Array.from({ length: zoneCount }, (_, i) => zones.apply((z) => z[i]!)),
        natGateways,
        privateSubnetTags: { "kubernetes.io/role/internal-elb": "1", [DISCOVERY_TAG]: clusterName },
        publicSubnetTags: { "kubernetes.io/role/elb": "1" },
      },
      { parent: this, providers: { aws: this.awsProvider } },
    );

    const controlPlane = createControlPlane(
      name,
      { clusterName, settings, privateSubnetIds: vpc.privateSubnetIds, partition, tags },
      child,
    );
    const cluster = controlPlane.cluster;
    this.cluster = cluster;

    const systemNodeRole = serviceRole(
      `${name}-system-node`,
      "ec2.amazonaws.com",
      [
        "AmazonEKSWorkerNodePolicy",
        "AmazonEKS_CNI_Policy",
        "AmazonEC2ContainerRegistryReadOnly",
        "AmazonSSMManagedInstanceCore",
      ].map((policy) => managedPolicy(partition, policy)),
      child,
    );
    const nodeGroup = createSystemNodeGroup(
      name,
      {
        cluster,
        nodeRole: systemNodeRole,
        privateSubnetIds: vpc.privateSubnetIds,
        settings: settings.systemNodeGroup,
        tags,
      },
      child,
    );
    const addons = createEksAddons(name, cluster, settings.addonVersions, nodeGroup, child);

    this.kubeconfig = pulumi.secret(
      pulumi
        .all([cluster.name, cluster.endpoint, cluster.certificateAuthority.data])
        .apply(([n, endpoint, ca]) =>
          kubeconfig({ clusterName: n, region: args.region, endpoint, certificateAuthority: ca }),
        ),
    );
    this.kubernetesProvider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig: this.kubeconfig, enableServerSideApply: true },
      { parent: this, dependsOn: [nodeGroup] },
    );

    const karpenter = installKarpenter(
      name,
      {
        region: args.region,
        clusterName,
        cluster,
        partition,
        accountId,
        availabilityZones: zones,
        settings: settings.karpenter,
        kubernetesProvider: this.kubernetesProvider,
        dependsOn: [nodeGroup, addons.podIdentityAgent, addons.coreDns],
        tags,
        zeroBudgetWindows,
      },
      child,
    );

    // Persistent volumes only when asked for: no driver, key, role or StorageClass otherwise.
    const ebsCsi = settings.ebsCsiDriver
      ? installEbsCsiDriver(
          name,
          {
            region: args.region,
            clusterName,
            cluster,
            partition,
            accountId,
            version: settings.addonVersions.ebsCsiDriver,
            kmsDeletionWindowDays: settings.kmsDeletionWindowDays,
            kubernetesProvider: this.kubernetesProvider,
            dependsOn: [nodeGroup, addons.podIdentityAgent],
            tags,
          },
          child,
        )
      : undefined;

    this.settings = settings;
    this.clusterName = cluster.name;
    this.partition = partition;
    this.accountId = accountId;
    this.endpoint = cluster.endpoint;
    this.oidcIssuerUrl = cluster.identities.apply((ids) => ids[0]?.oidcs?.[0]?.issuer ?? "");
    this.vpcId = vpc.vpcId;
    this.vpcCidr = args.vpcCidr;
    this.privateSubnetIds = vpc.privateSubnetIds;
    this.privateSubnetCidrs = vpc.privateSubnetCidrs;
    this.privateRouteTableIds = vpc.privateRouteTableIds;
    this.nodeSecurityGroupId = cluster.vpcConfig.clusterSecurityGroupId;
    this.karpenterNodeRoleArn = karpenter.nodeRole.arn;
    this.readiness = [
      nodeGroup,
      addons.coreDns,
      addons.podIdentityAgent,
      karpenter.controller,
      karpenter.nodeObjects,
      ...(ebsCsi ? [ebsCsi.addon, ebsCsi.storageClass] : []),
    ];
    this.registerOutputs({
      clusterName: this.clusterName,
      endpoint: this.endpoint,
      kubeconfig: this.kubeconfig,
      oidcIssuerUrl: this.oidcIssuerUrl,
      vpcId: this.vpcId,
      nodeSecurityGroupId: this.nodeSecurityGroupId,
    });
  }

  /** Binds a service account to a new IAM role through Pod Identity; children are named `${name}-...`. */
  bindServiceAccount(name: string, args: ServiceAccountBindingArgs): ServiceAccountBinding {
    return bindServiceAccount(name, this.cluster.name, args, { parent: this, provider: this.awsProvider });
  }
}
