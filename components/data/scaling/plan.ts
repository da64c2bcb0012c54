/**
 * Which stores of which regions get calendar-scheduled capacity, and with what schedule: per region the Aurora
 * readers of every shard and the Redis replicas per shard, from the replicas of the region's read services (the
 * read binding reads the local readers and the local Redis). A store AWS cannot scale on a schedule, or one the
 * stack turned off, gets no schedule but the reason, which the plan reports. Pure.
 */
import type { Segment } from "../../calendar";
import type { DataConfig } from "../config";
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
  /** The tier's resolved switches (`DataTierSettings`) these depend on. */
  readonly settings: {
    readonly globalDatabase: boolean;
    readonly globalDatastore: boolean;
    readonly deployedShards: number;
  };
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
    const plan = (
      store: Omit<StoreScalingPlan, "schedule" | "skipped">,
      skipped: string | undefined,
      unit: {
        readonly per: number;
        readonly max: number;
        readonly leadMinutes: number;
        readonly actionBudget: number;
      },
    ): StoreScalingPlan =>
      skipped !== undefined
        ? { ...store, skipped }
        : {
            ...store,
            schedule: capacitySchedule({
              load: regionLoad,
              servicesPerUnit: unit.per,
              staticCount: store.staticCount,
              maxCount: unit.max,
              leadMinutes: unit.leadMinutes,
              actionBudget: unit.actionBudget,
              horizon: load.horizon,
            }),
          };
    return [
      plan(aurora, auroraSkip, {
        ...readers,
        per: readers.serviceReplicasPerReader,
        max: readers.maxReaders,
      }),
      plan(redis, redisSkip, {
        ...replicas,
        per: replicas.serviceReplicasPerReplica,
        max: replicas.maxReplicas,
      }),
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
