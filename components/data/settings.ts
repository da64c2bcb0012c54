/** Inputs and environment-dependent switches of the data tier, resolved and validated without Pulumi. */
import type { ClusterHandle } from "../cluster";
import { DataConfig, GLOBAL_DATABASE_CLASS, GLOBAL_DATASTORE_NODE } from "./config";
import { MAX_GLOBAL_DATASTORE_SECONDARIES } from "./redis/global-datastore";
import { type Environment, joinPath, type Problem } from "../core";
import type { DataConsumers } from "./binding-config-maps";
import type { StrimziMovedFrom } from "./kafka/strimzi-operator";
import type { ReadLoad } from "./scaling/plan";
import type { DataWindows } from "./data-windows";

export interface DataTierArgs {
  /** Environment name (`dev`, `staging`, `prod`, ...): `prod` turns cross-region replication and protection on. */
  readonly environment: Environment;
  /** The region holding the writers and primaries. */
  readonly homeRegion: string;
  /** The regional clusters, keyed by region. */
  readonly regions: Readonly<Record<string, ClusterHandle>>;
  /** The parsed `semester:data` section. */
  readonly config: DataConfig;
  /**
   * The services the binding ConfigMaps are for: the namespaces that receive them, and the ConfigMaps and keys the
   * services read (`requiredDataConfigMaps`), checked against what the bindings publish before anything exists.
   * @default none: no binding ConfigMaps (the shard map only)
   */
  readonly consumers?: DataConsumers;
  /** Where a deployed stack's Strimzi operator and objects were before the data tier owned them. @default none */
  readonly strimziMovedFrom?: StrimziMovedFrom;
  /**
   * What the read services of each region need over the calendar's horizon: Aurora readers and Redis replicas are
   * scheduled ahead of it (`postgres.scheduledReaders`, `redis.scheduledReplicas`).
   * @default none: the static counts only (the calendar is off)
   */
  readonly readLoad?: ReadLoad;
  /**
   * The stores' maintenance and backup windows per region, e.g. chosen on the region's planned load
   * (`chooseDataWindows`, as the platform does); Strimzi's maintenance time windows follow
   * `redis.maintenanceWindow`. @default - every region: the windows `config` pins, the others their static
   * defaults (`STATIC_WINDOWS`, moved to the next free slot where a pinned partner overlaps one)
   */
  readonly windows?: Readonly<Record<string, DataWindows>>;
}

/** The environment-dependent switches after `??` resolution. */
export interface DataTierSettings {
  readonly replicator: boolean;
  readonly globalDatastore: boolean;
  readonly globalDatabase: boolean;
  /** Secondaries forward writes to the home primary, so every region writes to its local shards. */
  readonly writeForwarding: boolean;
  readonly deletionProtection: boolean;
  /** Aurora shards that exist: `max(shards, previousShards)` while a reshard runs. */
  readonly deployedShards: number;
}

/** @internal What settings depend on: everything of `DataTierArgs` but the clusters themselves (only their regions). */
export type DataTierPlan = Omit<DataTierArgs, "regions"> & {
  readonly regions: Readonly<Record<string, { readonly region: string }>>;
};

/**
 * Where the plan's inputs sit, for problem paths: `DataTier`'s own arguments by default; the stack config loader
 * passes the stack keys (`semester:regions`, `semester:data`).
 * @internal
 */
export interface DataTierPaths {
  readonly regions: string;
  readonly config: string;
}

/** @internal Paths of `DataTier`'s arguments. */
export const DATA_TIER_ARG_PATHS: DataTierPaths = { regions: "regions", config: "config" };

/** The home region holds the primaries, so it must be one of the regions. `path` names the home region's key. */
export function homeRegionProblems(homeRegion: string, regions: readonly string[], path: string): Problem[] {
  if (regions.includes(homeRegion)) return [];
  return [{ path, value: homeRegion, rule: `must be one of the regions: ${regions.join(", ")}` }];
}

/**
 * Resolves the switches (`?? prod with 2+ regions`) and lists every problem with the switches, the regions and
 * the instance classes the global modes need (the home region is `homeRegionProblems`'s). Pure.
 */
export function resolveDataTier(
  args: DataTierPlan,
  paths: DataTierPaths = DATA_TIER_ARG_PATHS,
): { settings: DataTierSettings; problems: Problem[] } {
  const { config: c } = args;
  const regions = Object.keys(args.regions);
  const prod = args.environment === "prod";
  const multi = regions.length > 1;
  const globalDatabase = c.postgres.globalDatabase ?? (prod && multi);
  const settings: DataTierSettings = {
    replicator: c.kafka.replicator ?? (prod && multi && c.kafka.backend === "msk"),
    globalDatastore: c.redis.globalDatastore ?? (prod && multi),
    globalDatabase,
    writeForwarding: c.postgres.writeForwarding ?? globalDatabase,
    deletionProtection: c.postgres.deletionProtection ?? prod,
    deployedShards: Math.max(c.postgres.shards, c.postgres.previousShards ?? 0),
  };
  const problems: Problem[] = [];
  const add = (path: readonly (string | number)[], value: unknown, rule: string) =>
    problems.push({ path: joinPath(paths.config, path), value, rule });
  for (const [key, cluster] of Object.entries(args.regions)) {
    if (cluster.region !== key) {
      problems.push({
        path: joinPath(paths.regions, [key, "region"]),
        value: cluster.region,
        rule: `must equal its key "${key}"`,
      });
    }
  }
  if (settings.replicator && c.kafka.backend !== "msk")
    add(["kafka", "replicator"], true, 'needs kafka.backend "msk"');
  if (settings.replicator && !multi) add(["kafka", "replicator"], true, "needs at least 2 regions");
  if (settings.globalDatastore && !multi) add(["redis", "globalDatastore"], true, "needs at least 2 regions");
  if (settings.globalDatastore && regions.length > MAX_GLOBAL_DATASTORE_SECONDARIES + 1) {
    add(
      ["redis", "globalDatastore"],
      true,
      `supports at most ${MAX_GLOBAL_DATASTORE_SECONDARIES + 1} regions (a primary and ${MAX_GLOBAL_DATASTORE_SECONDARIES} secondaries), got ${regions.length}`,
    );
  }
  if (settings.globalDatastore && !GLOBAL_DATASTORE_NODE.test(c.redis.nodeType)) {
    add(
      ["redis", "nodeType"],
      c.redis.nodeType,
      "must be an M5/M6g/M7g/R5/R6g/R6gd/R7g/C7gn node of size large or above when redis.globalDatastore is on",
    );
  }
  if (settings.globalDatabase && !multi)
    add(["postgres", "globalDatabase"], true, "needs at least 2 regions");
  if (settings.writeForwarding && !settings.globalDatabase)
    add(
      ["postgres", "writeForwarding"],
      true,
      "needs postgres.globalDatabase (it forwards from secondaries)",
    );
  problems.push(...scheduledCountProblems(c, settings, regions.length, paths));
  if (settings.globalDatabase && !GLOBAL_DATABASE_CLASS.test(c.postgres.instanceClass)) {
    add(
      ["postgres", "instanceClass"],
      c.postgres.instanceClass,
      "must be a memory-optimized class (db.r5 or later, db.x2g) when postgres.globalDatabase is on",
    );
  }
  return { settings, problems };
}

/**
 * The scheduled counts' bounds against the static ones: the most readers (replicas) a schedule raises to is at
 * least the provisioned count, and a global primary keeps room for the readers AWS reserves for its secondaries
 * (at most 15 - s readers with s secondary regions).
 */
function scheduledCountProblems(
  c: DataConfig,
  settings: DataTierSettings,
  regionCount: number,
  paths: DataTierPaths,
): Problem[] {
  const problems: Problem[] = [];
  const readers = c.postgres.scheduledReaders;
  const replicas = c.redis.scheduledReplicas;
  const at = (path: readonly string[]) => joinPath(paths.config, path);
  if (readers.enabled && readers.maxReaders < c.postgres.readersPerShard) {
    problems.push({
      path: at(["postgres", "scheduledReaders", "maxReaders"]),
      value: readers.maxReaders,
      rule: `must be at least postgres.readersPerShard (${c.postgres.readersPerShard}): the schedule never goes below it`,
    });
  }
  const primaryRoom = 15 - (regionCount - 1);
  if (readers.enabled && settings.globalDatabase && readers.maxReaders > primaryRoom) {
    problems.push({
      path: at(["postgres", "scheduledReaders", "maxReaders"]),
      value: readers.maxReaders,
      rule: `must be at most ${primaryRoom} with a global database over ${regionCount} regions (a primary has at most 15 - ${regionCount - 1} readers)`,
    });
  }
  if (replicas.enabled && replicas.maxReplicas < c.redis.replicasPerShard) {
    problems.push({
      path: at(["redis", "scheduledReplicas", "maxReplicas"]),
      value: replicas.maxReplicas,
      rule: `must be at least redis.replicasPerShard (${c.redis.replicasPerShard}): the schedule never goes below it`,
    });
  }
  return problems;
}

/** `us-east-1` -> `use1`, `ap-northeast-1` -> `apne1`: short ids for names with length limits. */
export function shortRegion(region: string): string {
  const [area, direction = "", n = ""] = region.split("-");
  const d = direction
    .replace(/north/g, "n")
    .replace(/south/g, "s")
    .replace(/east/g, "e")
    .replace(/west/g, "w")
    .replace(/central/g, "c");
  return `${area}${d}${n}`;
}
