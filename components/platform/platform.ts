import * as pulumi from "@pulumi/pulumi";
import type { SemesterConfig } from "../config/schema";
import { RegionalCluster } from "../cluster/regional-cluster";

export interface PlatformArgs {
  /** The validated stack configuration (see `loadStackConfig`). */
  readonly config: SemesterConfig;
  /** Prefix of every region's cluster name, e.g. `semester-prod`. @default the component's name */
  readonly clusterNamePrefix?: string;
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
}

/**
 * The whole platform of one stack: a RegionalCluster per configured region, each serving the learners
 * of its part of the world. Later layers (data tier, workloads, governance, calendar scaling) attach
 * to the clusters through `regions`.
 */
export class Platform extends pulumi.ComponentResource {
  /** The regional clusters, keyed by region. */
  public readonly regions: Readonly<Record<string, RegionalCluster>>;
  public readonly homeRegion: string;

  constructor(name: string, args: PlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("semester:platform:Platform", name, {}, opts);
    const { config } = args;
    const prefix = args.clusterNamePrefix ?? name;
    const regions: Record<string, RegionalCluster> = {};
    for (const region of config.regions) {
      regions[region.region] = new RegionalCluster(
        `${name}-${region.region}`,
        {
          ...config.cluster,
          region: region.region as RegionalCluster["region"],
          environment: config.environment,
          vpcCidr: region.vpcCidr,
          availabilityZones: region.availabilityZones,
          natGateways: region.natGateways,
          clusterName: `${prefix}-${region.region}`,
          tags: { ...config.tags, "semester.dev/environment": config.environment },
        },
        { parent: this },
      );
    }
    this.regions = regions;
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
        },
      ]),
    );
  }
}
