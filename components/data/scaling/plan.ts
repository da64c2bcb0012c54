/**
 * Which stores of which regions get calendar-scheduled capacity, and with what schedule: per region the Aurora
 * readers of every shard and the Redis replicas per shard, from the replicas of the region's read services (the
 * read binding reads the local readers and the local Redis). A store AWS cannot scale on a schedule, or one the
 * stack turned off, gets no schedule but the reason, which the plan reports. Pure.
 */
import type { Segment } from "../../calendar";
import type { DataConfig } from "../config";
import type { DataTierSettings } from "../settings";
import { capacitySchedule, type CapacitySchedule } from "./capacity-schedule";
import { auroraUnsupported, redisUnsupported, type ScalingStore } from "./targets";

/** What the read services of each region need over the calendar's horizon. */
export interface ReadLoad {
  readonly horizon: { readonly from: number; readonly to: number };
  /** Per region, the summed replicas the read services must have Ready (lead and tail included). */
  readonly regions: Readonly<Record<string, readonly Segment[]>>;
}

export interface StoreScalingPlan {
  readonly region: string;
  readonly store: ScalingStore;
  /** What the count counts. */
  readonly unit: "readers per shard" | "replicas per shard";
  /** The store's clusters (Aurora shards) or node groups (Redis shards) the count applies to. */
  readonly shards: number;
  readonly staticCount: number;
  /** The schedule, when the store gets one. */
  readonly schedule?: CapacitySchedule;
  /** Why it gets none. */
  readonly skipped?: string;
}

export interface DataScalingArgs {
  readonly regions: readonly string[];
  readonly homeRegion: string;
  readonly config: DataConfig;
  readonly settings: Pick<DataTierSettings, "globalDatabase" | "globalDatastore" | "deployedShards">;
  readonly load: ReadLoad;
}

/** The plan of every store in every region, Postgres before Redis, regions in the tier's order. */
export function dataScalingPlan(args: DataScalingArgs): StoreScalingPlan[] {
  const { config: c, settings, load } = args;
  const readers = c.postgres.scheduledReaders;
  const replicas = c.redis.scheduledReplicas;
  return args.regions.flatMap((region): StoreScalingPlan[] => {
    const regionLoad = load.regions[region] ?? [];
    const role = !settings.globalDatabase
      ? "standalone"
      : region === args.homeRegion
        ? "global-primary"
        : "global-secondary";
    const aurora = {
      region,
      store: "aurora" as const,
      unit: "readers per shard" as const,
      shards: settings.deployedShards,
      staticCount: c.postgres.readersPerShard,
    };
    const redis = {
      region,
      store: "redis" as const,
      unit: "replicas per shard" as const,
      shards: c.redis.shards,
      staticCount: c.redis.replicasPerShard,
    };
    const auroraSkip = readers.enabled
      ? auroraUnsupported(role)
      : "off (`semester:data.postgres.scheduledReaders.enabled`)";
    const redisSkip = replicas.enabled
      ? redisUnsupported({ globalDatastore: settings.globalDatastore, nodeType: c.redis.nodeType })
      : "off (`semester:data.redis.scheduledReplicas.enabled`)";
    return [
      auroraSkip !== undefined
        ? { ...aurora, skipped: auroraSkip }
        : {
            ...aurora,
            schedule: capacitySchedule({
              load: regionLoad,
              servicesPerUnit: readers.serviceReplicasPerReader,
              staticCount: aurora.staticCount,
              maxCount: readers.maxReaders,
              leadMinutes: readers.leadMinutes,
              actionBudget: readers.actionBudget,
              horizon: load.horizon,
            }),
          },
      redisSkip !== undefined
        ? { ...redis, skipped: redisSkip }
        : {
            ...redis,
            schedule: capacitySchedule({
              load: regionLoad,
              servicesPerUnit: replicas.serviceReplicasPerReplica,
              staticCount: redis.staticCount,
              maxCount: replicas.maxReplicas,
              leadMinutes: replicas.leadMinutes,
              actionBudget: replicas.actionBudget,
              horizon: load.horizon,
            }),
          },
    ];
  });
}

/** The schedule of one store in one region, if it has one. */
export function storeSchedule(
  plans: readonly StoreScalingPlan[],
  region: string,
  store: ScalingStore,
): CapacitySchedule | undefined {
  return plans.find((p) => p.region === region && p.store === store)?.schedule;
}
