/**
 * The data tier of one platform, built by one helper per part, each returning what the next needs: per region the
 * stores' security groups (`createStoreSecurityGroups`), Kafka (`createKafka`: MSK with its topics, or Strimzi's
 * operator and objects in the regional cluster; MSK Replicator across regions), Redis (`createRedis`: replication
 * groups, the Global Datastore) and Aurora shards (`createPostgres`: KMS keys, shards, Global Databases), all
 * primaries in the home region; then the shard map and the CQRS bindings (`createBindings`). It publishes the
 * binding ConfigMaps the Kubernetes layer applies, checked first against what the services read, and exposes the
 * ARNs and endpoints services' policies and bindings name.
 */
import * as pulumi from "@pulumi/pulumi";
export { resolveDataTier, shortRegion } from "./settings";
export type { DataTierArgs, DataTierSettings } from "./settings";
import { DataTierArgs, DataTierSettings, homeRegionProblems, resolveDataTier } from "./settings";
import { throwIfProblems, type ResolvedKubeObject } from "../core";
import { bindingContractProblems, type BindingConfigMap } from "./binding-config-maps";
import { createBindings } from "./create-bindings";
import { CrossRegionPath, crossRegionPaths, POSTGRES_IAM_USERS, RegionBindings } from "./cqrs";
import { resolveTopics } from "./kafka/catalog";
import { createKafka } from "./kafka/create-kafka";
import type { StrimziOperator } from "./kafka/strimzi-operator";
import { createStoreSecurityGroups, DataPorts } from "./network";
import { createPostgres } from "./postgres/create-postgres";
import { reshardPlan, ReshardPlan, reshardSummary, ShardMap, shardMap } from "./postgres/shard-map";
import type { ConfigMapObject } from "./publish";
import { createRedis } from "./redis/create-redis";
import { dataScalingPlan, type StoreScalingPlan } from "./scaling/plan";
import {
  chooseDataWindows,
  type DataWindows,
  pinnedWindows,
  windowPairProblems,
  windowSetProblems,
  windowTexts,
} from "./data-windows";
import { QUIET_WEEK } from "./window-chooser";

/** A shard's primary writer: where the database's roles are created (secondaries replicate them). */
export interface PostgresPrimary {
  readonly shard: number;
  /** The shard's component name, stable across deploys (the endpoint is known only after one). */
  readonly name: string;
  readonly writerEndpoint: pulumi.Output<string>;
  /** The Secrets Manager secret with the master credentials (see `AuroraShard.masterUserSecretArn`). */
  readonly masterUserSecretArn: pulumi.Output<string>;
  /** The shard's instances: the writer accepts connections once they exist. */
  readonly instances: readonly pulumi.Resource[];
}

export class DataTier extends pulumi.ComponentResource {
  public readonly settings: DataTierSettings;
  /** CQRS bindings per region. */
  public readonly bindings: Readonly<Record<string, RegionBindings>>;
  /** The shard-map ConfigMap per region. */
  public readonly configMapObjects: Readonly<Record<string, ConfigMapObject[]>>;
  /**
   * The binding ConfigMaps per region (`semester-data-write`, `semester-data-read` in each of the consumers'
   * namespaces): the CQRS contract as the services read it, checked against `consumers.required`.
   */
  public readonly bindingConfigMaps: Readonly<Record<string, readonly BindingConfigMap[]>>;
  /** Strimzi objects per region (empty with MSK). */
  public readonly strimziObjects: Readonly<Record<string, readonly ResolvedKubeObject[]>>;
  /** Strimzi's operator release and applied objects per region (none with MSK). */
  public readonly strimzi: Readonly<Record<string, StrimziOperator>>;
  public readonly shardMap: ShardMap;
  /** The moves from `previousShards` to `shards`, when they differ. */
  public readonly reshardPlan: ReshardPlan | undefined;
  /** The text the plan prints. */
  public readonly reshardSummary: string;
  /** What services' IAM policies name, per region. MSK cluster ARNs (no entry with Strimzi). */
  public readonly mskClusterArns: Readonly<Record<string, pulumi.Output<string>>>;
  /** Aurora cluster ARNs per region, by shard. */
  public readonly postgresClusterArns: Readonly<Record<string, readonly pulumi.Output<string>[]>>;
  /** Aurora cluster resource ids (`cluster-…`, the `dbuser:` part of `rds-db` ARNs) per region, by shard. */
  public readonly postgresClusterResourceIds: Readonly<Record<string, readonly pulumi.Output<string>[]>>;
  /** The database users of the write and read bindings. */
  public readonly postgresIamUsers: typeof POSTGRES_IAM_USERS;
  /**
   * The primary writers per region that owns any, by shard: with global databases the home region only (the
   * secondaries replicate everything at the storage level, roles included), else every region's own shards.
   */
  public readonly postgresPrimaries: Readonly<Record<string, readonly PostgresPrimary[]>>;
  /** ElastiCache replication group ARNs per region. */
  public readonly redisReplicationGroupArns: Readonly<Record<string, pulumi.Output<string>>>;
  /** ARNs of the IAM-authenticated ElastiCache application users per region. */
  public readonly redisUserArns: Readonly<Record<string, pulumi.Output<string>>>;
  /**
   * The stores a region's write binding reaches in another region (prod: the home MSK brokers). The platform
   * peers those VPCs; each store's security group already admits exactly the source region's private subnets.
   */
  public readonly crossRegionPaths: readonly CrossRegionPath[];
  /** Per region and store, the calendar-scheduled count or why there is none (empty without `readLoad`). */
  public readonly scaling: readonly StoreScalingPlan[];
  /** The stores' maintenance and backup windows per region, as their resources receive them. */
  public readonly windows: Readonly<Record<string, DataWindows>>;

  constructor(name: string, args: DataTierArgs, opts?: pulumi.ComponentResourceOptions) {
    super("semester:data:DataTier", name, {}, opts);
    const { settings, problems } = resolveDataTier(args);
    const pins = pinnedWindows(args.config);
    throwIfProblems(`DataTier ${name}`, [
      ...homeRegionProblems(args.homeRegion, Object.keys(args.regions), "homeRegion"),
      ...problems,
      ...windowPairProblems(pins, (key) => `config.${key}`),
      ...Object.entries(args.windows ?? {}).flatMap(([region, w]) =>
        windowSetProblems(w, (key) => `windows.${region}.${key}`),
      ),
    ]);
    const { config: c, homeRegion, environment } = args;
    const consumers = args.consumers ?? { namespaces: [], required: [] };
    throwIfProblems(`DataTier ${name}`, bindingContractProblems(consumers, c.kafka.backend));
    const regions = [
      homeRegion,
      ...Object.keys(args.regions)
        .filter((r) => r !== homeRegion)
        .sort(),
    ];
    const topics = resolveTopics(c.topics);
    this.settings = settings;
    this.shardMap = shardMap(c.postgres.buckets, c.postgres.shards);
    const previous = c.postgres.previousShards;
    this.reshardPlan =
      previous !== undefined && previous !== c.postgres.shards
        ? reshardPlan(c.postgres.buckets, previous, c.postgres.shards)
        : undefined;
    this.reshardSummary = reshardSummary(previous, this.shardMap);

    const resting = windowTexts(chooseDataWindows(QUIET_WEEK, pins));
    const windows = Object.fromEntries(regions.map((r) => [r, args.windows?.[r] ?? resting]));
    const tier = { regions, homeRegion, clusters: args.regions };
    const child = { parent: this };
    const paths = crossRegionPaths(regions, homeRegion, settings, {
      postgres: DataPorts.postgres,
      kafka: DataPorts.mskIam,
    });
    const securityGroups = createStoreSecurityGroups(
      name,
      {
        ...tier,
        msk: c.kafka.backend === "msk",
        mskReplicator: settings.replicator,
        crossRegionPaths: paths,
      },
      child,
    );
    const kafka = createKafka(
      name,
      {
        ...tier,
        config: c.kafka,
        topics,
        securityGroups,
        replicator: settings.replicator,
        strimziMovedFrom: args.strimziMovedFrom,
        windows,
      },
      child,
    );
    const scaling =
      args.readLoad === undefined
        ? []
        : dataScalingPlan({ regions, homeRegion, config: c, settings, load: args.readLoad });
    const redis = createRedis(
      name,
      {
        ...tier,
        environment,
        config: c.redis,
        securityGroups,
        globalDatastore: settings.globalDatastore,
        scaling,
        windows,
      },
      child,
    );
    const { shards } = createPostgres(
      name,
      { ...tier, environment, config: c.postgres, securityGroups, settings, scaling, windows },
      child,
    );
    const published = createBindings(
      name,
      {
        ...tier,
        environment,
        settings,
        shardMap: this.shardMap,
        previousShards: previous,
        postgres: c.postgres,
        kafka: kafka.bindings,
        redis: redis.groups,
        shards,
        namespaces: consumers.namespaces,
      },
      child,
    );

    const byRegion = <T>(pick: (region: string) => T): Record<string, T> =>
      Object.fromEntries(regions.map((r) => [r, pick(r)]));
    this.bindings = published.bindings;
    this.configMapObjects = byRegion((r) => [published.shardMapConfigMaps[r]!]);
    this.bindingConfigMaps = published.bindingConfigMaps;
    this.strimziObjects = kafka.strimziObjects;
    this.strimzi = kafka.strimzi;
    this.mskClusterArns = Object.fromEntries(Object.entries(kafka.mskClusters).map(([r, m]) => [r, m.arn]));
    this.postgresClusterArns = byRegion((r) => shards[r]!.map((s) => s.clusterArn));
    this.postgresClusterResourceIds = byRegion((r) => shards[r]!.map((s) => s.clusterResourceId));
    this.postgresIamUsers = POSTGRES_IAM_USERS;
    this.postgresPrimaries = Object.fromEntries(
      (settings.globalDatabase ? [homeRegion] : regions).map((r) => [
        r,
        shards[r]!.map((s, shard) => ({
          shard,
          name: `${name}-${r}-pg-${shard}`,
          writerEndpoint: s.writerEndpoint,
          masterUserSecretArn: s.masterUserSecretArn!,
          instances: s.instances,
        })),
      ]),
    );
    this.redisReplicationGroupArns = byRegion((r) => redis.groups[r]!.arn);
    this.redisUserArns = byRegion((r) => redis.groups[r]!.appUserArn);
    this.crossRegionPaths = paths;
    this.scaling = scaling;
    this.windows = windows;
    // What other stacks and tools read: the ARNs services' policies name and the endpoints the bindings carry.
    this.registerOutputs({
      bindings: this.bindings,
      mskClusterArns: this.mskClusterArns,
      postgresClusterArns: this.postgresClusterArns,
      postgresClusterResourceIds: this.postgresClusterResourceIds,
      redisReplicationGroupArns: this.redisReplicationGroupArns,
      redisUserArns: this.redisUserArns,
    });
  }
}
