/**
 * Redis of a data tier: per region a cluster-mode replication group; with `globalDatastore`, the home group first,
 * then the Global Datastore on it, then the other regions' groups joining it as read-only secondaries.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../../core";
import type { RedisConfig } from "../config";
import type { DataSecurityGroups } from "../network";
import { shortRegion } from "../settings";
import type { TierRegions } from "../tier-regions";
import { storeSchedule, type StoreScalingPlan } from "../scaling/plan";
import type { DataWindows } from "../data-windows";
import { RedisGlobalDatastore } from "./global-datastore";
import { RedisReplicationGroup } from "./replication-group";

/** @internal */
export interface RedisArgs extends TierRegions {
  readonly environment: Environment;
  readonly config: RedisConfig;
  /** Each region's store security groups (Redis's). */
  readonly securityGroups: Readonly<Record<string, DataSecurityGroups>>;
  /** Join every region into one Global Datastore (`DataTierSettings.globalDatastore`). */
  readonly globalDatastore: boolean;
  /** The calendar-scheduled stores (`dataScalingPlan`). @default [] */
  readonly scaling?: readonly StoreScalingPlan[];
  /** The windows per region (`DataTier.windows`). */
  readonly windows: Readonly<Record<string, DataWindows>>;
}

/** @internal */
export interface Redis {
  /** The replication group by region. */
  readonly groups: Readonly<Record<string, RedisReplicationGroup>>;
  /** The Global Datastore, when on. */
  readonly globalDatastore: RedisGlobalDatastore | undefined;
}

/** @internal */
export function createRedis(name: string, args: RedisArgs, opts: pulumi.ResourceOptions): Redis {
  const { config: c, environment } = args;
  const groups: Record<string, RedisReplicationGroup> = {};
  let globalDatastore: RedisGlobalDatastore | undefined;
  for (const region of args.regions) {
    const cluster = args.clusters[region]!;
    const secondary = args.globalDatastore && region !== args.homeRegion;
    groups[region] = new RedisReplicationGroup(
      `${name}-${region}-redis`,
      {
        cluster,
        securityGroupId: args.securityGroups[region]!.groupIds.redis!,
        idPrefix: `${environment}-${shortRegion(region)}`,
        nodeType: c.nodeType,
        shards: c.shards,
        replicasPerShard: c.replicasPerShard,
        snapshotRetentionDays: c.snapshotRetentionDays,
        maintenanceWindow: args.windows[region]!["redis.maintenanceWindow"],
        snapshotWindow: args.windows[region]!["redis.snapshotWindow"],
        engineVersion: c.engineVersion,
        globalReplicationGroupId: secondary ? globalDatastore!.globalReplicationGroupId : undefined,
        replicaSchedule: storeSchedule(args.scaling ?? [], region, "redis"),
      },
      opts,
    );
    if (region === args.homeRegion && args.globalDatastore) {
      globalDatastore = new RedisGlobalDatastore(
        `${name}-redis-global`,
        {
          provider: cluster.awsProvider,
          primaryReplicationGroupId: groups[region].replicationGroupId,
          idSuffix: `semester-${environment}`,
        },
        opts,
      );
    }
  }
  return { groups, globalDatastore };
}
