/**
 * One security group per data store, each admitting only the regional cluster's node security group on the
 * store's own port. No CIDR rule is ever open to the world: the only CIDRs allowed are explicit peer blocks per
 * store (a secondary region's private subnets, whose writers reach a home-region store over VPC peering, where
 * security-group references do not cross regions).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterHandle } from "../cluster";
import { throwIfProblems, type Problem } from "../core";
import type { CrossRegionPath } from "./cqrs";
import type { TierRegions } from "./tier-regions";

/** The port each store listens on, as the data tier configures it. */
export const DataPorts = {
  /** MSK brokers, TLS with SASL/IAM authentication. */
  mskIam: 9098,
  redis: 6379,
  postgres: 5432,
} as const;

/** @internal */
export type DataStore = "kafka" | "redis" | "postgres";

/** @internal */
export interface DataSecurityGroupsArgs {
  /** The regional cluster: its VPC, node security group (the only source admitted) and AWS provider. */
  readonly cluster: ClusterHandle;
  /** Stores that get a group. `kafka` only for MSK (Strimzi runs inside the cluster). */
  readonly stores: readonly DataStore[];
  /** Also create a group for MSK Replicator's network interfaces, admitted by the MSK group. @default false */
  readonly mskReplicator?: boolean;
  /**
   * Peer CIDR blocks admitted per store, on that store's port only (cross-region writers' private subnets).
   * @default {}
   */
  readonly peerCidrBlocks?: Readonly<Partial<Record<DataStore, readonly string[]>>>;
}

const CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(\d|[12]\d|3[0-2])$/;

/** Problems of the peer CIDR lists: each must be an IPv4 CIDR with a prefix of /8 or longer. @internal */
export function peerCidrProblems(
  blocks: Readonly<Partial<Record<DataStore, readonly string[]>>>,
  stores: readonly DataStore[],
): Problem[] {
  return Object.entries(blocks).flatMap(([store, cidrs]): Problem[] => [
    ...(stores.includes(store as DataStore)
      ? []
      : [
          {
            path: `peerCidrBlocks.${store}`,
            value: cidrs,
            rule: `the store has no security group here (stores: ${stores.join(", ")})`,
          },
        ]),
    ...(cidrs ?? []).flatMap((cidr, i) =>
      !CIDR.test(cidr) || Number(cidr.split("/")[1]) < 8
        ? [
            {
              path: `peerCidrBlocks.${store}[${i}]`,
              value: cidr,
              rule: "must be an IPv4 CIDR with a prefix of /8 or longer (never 0.0.0.0/0)",
            },
          ]
        : [],
    ),
  ]);
}

export class DataSecurityGroups extends pulumi.ComponentResource {
  /** Security group id per store. */
  public readonly groupIds: Readonly<Partial<Record<DataStore, pulumi.Output<string>>>>;
  /** The group MSK Replicator's interfaces use (when `mskReplicator`). */
  public readonly replicatorGroupId: pulumi.Output<string> | undefined;

  constructor(name: string, args: DataSecurityGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("semester:data:DataSecurityGroups", name, {}, opts);
    const peerCidrBlocks = args.peerCidrBlocks ?? {};
    const mskReplicator = args.mskReplicator ?? false;
    const problems = peerCidrProblems(peerCidrBlocks, args.stores);
    if (mskReplicator && !args.stores.includes("kafka")) {
      problems.push({
        path: "mskReplicator",
        value: true,
        rule: "needs the `kafka` store (MSK) in `stores`",
      });
    }
    throwIfProblems(`DataSecurityGroups ${name}`, problems);

    const child = { parent: this, provider: args.cluster.awsProvider };
    const ports: Record<DataStore, number> = {
      kafka: DataPorts.mskIam,
      redis: DataPorts.redis,
      postgres: DataPorts.postgres,
    };
    const groups: Partial<Record<DataStore, aws.ec2.SecurityGroup>> = {};
    for (const store of args.stores) {
      const port = ports[store];
      const role = store === "kafka" ? "msk" : store;
      const group = new aws.ec2.SecurityGroup(
        `${name}-${role}`,
        {
          vpcId: args.cluster.vpcId,
          description: `${role}: port ${port} from the cluster nodes only`,
          tags: { "semester:store": role },
        },
        child,
      );
      groups[store] = group;
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-${role}-from-nodes`,
        {
          securityGroupId: group.id,
          referencedSecurityGroupId: args.cluster.nodeSecurityGroupId,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          description: "cluster nodes and pods",
        },
        child,
      );
      (peerCidrBlocks[store] ?? []).forEach((cidr, i) => {
        new aws.vpc.SecurityGroupIngressRule(
          `${name}-${role}-from-peer-${i}`,
          {
            securityGroupId: group.id,
            cidrIpv4: cidr,
            ipProtocol: "tcp",
            fromPort: port,
            toPort: port,
            description: "cross-region writers (peered VPC)",
          },
          child,
        );
      });
    }

    let replicator: aws.ec2.SecurityGroup | undefined;
    if (mskReplicator && groups.kafka) {
      replicator = new aws.ec2.SecurityGroup(
        `${name}-msk-replicator`,
        {
          vpcId: args.cluster.vpcId,
          description: "MSK Replicator interfaces: to the MSK brokers only",
          tags: { "semester:store": "msk-replicator" },
        },
        child,
      );
      const port = DataPorts.mskIam;
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-msk-replicator-to-msk`,
        {
          securityGroupId: replicator.id,
          referencedSecurityGroupId: groups.kafka.id,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          description: "MSK brokers",
        },
        child,
      );
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-msk-from-replicator`,
        {
          securityGroupId: groups.kafka.id,
          referencedSecurityGroupId: replicator.id,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          description: "MSK Replicator",
        },
        child,
      );
    }

    this.groupIds = Object.fromEntries(Object.entries(groups).map(([k, g]) => [k, g.id]));
    this.replicatorGroupId = replicator?.id;
    this.registerOutputs({ groupIds: this.groupIds, replicatorGroupId: this.replicatorGroupId });
  }
}

/** @internal */
export interface StoreSecurityGroupsArgs extends TierRegions {
  /** Whether Kafka is MSK (a group per region) rather than Strimzi (in the cluster, none). */
  readonly msk: boolean;
  /** Also a group per region for MSK Replicator (`DataTierSettings.replicator`). */
  readonly mskReplicator: boolean;
  /** The stores each region's write binding reaches in another region (`crossRegionPaths`). */
  readonly crossRegionPaths: readonly CrossRegionPath[];
}

/**
 * Per region the stores' security groups, each store admitting the writers of every region whose write binding
 * reaches it (`crossRegionPaths`) by their private subnets' ranges: security-group references do not cross regions.
 * @internal
 */
export function createStoreSecurityGroups(
  name: string,
  args: StoreSecurityGroupsArgs,
  opts: pulumi.ResourceOptions,
): Record<string, DataSecurityGroups> {
  return Object.fromEntries(
    args.regions.map((region) => {
      const peerCidrBlocks = Object.fromEntries(
        (["kafka", "postgres"] as const).flatMap((store) => {
          const from = args.crossRegionPaths.filter((p) => p.to === region && p.store === store);
          return from.length > 0
            ? [[store, from.flatMap((p) => args.clusters[p.from]!.privateSubnetCidrs)]]
            : [];
        }),
      );
      const groups = new DataSecurityGroups(
        `${name}-${region}-sg`,
        {
          cluster: args.clusters[region]!,
          stores: args.msk ? ["kafka", "redis", "postgres"] : ["redis", "postgres"],
          mskReplicator: args.mskReplicator,
          peerCidrBlocks,
        },
        opts,
      );
      return [region, groups];
    }),
  );
}
