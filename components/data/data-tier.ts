/**
 * The data tier of one platform: per region a Kafka (MSK or Strimzi), a Redis replication group and N Aurora
 * shards behind dedicated security groups; across regions (prod by default) MSK Replicator, a Redis Global
 * Datastore and an Aurora Global Database per shard, all with the primary in the home region. Exposes per region
 * the CQRS bindings and the objects the Kubernetes layer applies, plus the shard map and any reshard plan.
 */
import * as pulumi from "@pulumi/pulumi";
export { resolveDataTier, shortRegion } from "./settings";
export type { DataTierArgs, DataTierSettings } from "./settings";
import { DataTierArgs, DataTierSettings, homeRegionProblems, resolveDataTier, shortRegion } from "./settings";
import {
  CrossRegionPath,
  crossRegionPaths,
  KafkaBinding,
  PostgresBinding,
  POSTGRES_IAM_USERS,
  RegionBindings,
  writeTargets,
} from "./cqrs";
import { resolveTopics, TopicName } from "./kafka/catalog";
import { MskCluster } from "./kafka/msk-cluster";
import { MskReplicator } from "./kafka/replicator";
import { strimziBootstrap, strimziObjects } from "./kafka/strimzi";
import type { ResolvedKubeObject } from "../core/kube-object";
import { throwIfProblems } from "../core/problem";
import { KafkaTopics } from "./kafka/topics";
import { DataKey } from "./keys";
import { DataPorts, DataSecurityGroups } from "./network";
import { AuroraGlobalDatabase } from "./postgres/global-database";
import { AuroraShard } from "./postgres/aurora-shard";
import { reshardPlan, ReshardPlan, reshardSummary, ShardMap, shardMap } from "./postgres/shard-map";
import { ConfigMapObject, ShardMapPublication } from "./publish";
import { RedisGlobalDatastore } from "./redis/global-datastore";
import { RedisReplicationGroup } from "./redis/replication-group";

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
  /** Strimzi objects per region (empty with MSK). */
  public readonly strimziObjects: Readonly<Record<string, ResolvedKubeObject[]>>;
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

  constructor(name: string, args: DataTierArgs, opts?: pulumi.ComponentResourceOptions) {
    super("semester:data:DataTier", name, {}, opts);
    const { settings, problems } = resolveDataTier(args);
    throwIfProblems(`DataTier ${name}`, [
      ...homeRegionProblems(args.homeRegion, Object.keys(args.regions), "homeRegion"),
      ...problems,
    ]);
    const { config: c, homeRegion, environment } = args;
    const regions = [
      homeRegion,
      ...Object.keys(args.regions)
        .filter((r) => r !== homeRegion)
        .sort(),
    ];
    const msk = c.kafka.backend === "msk";
    const topics = resolveTopics(c.topics);
    const topicNames = Object.fromEntries(topics.map((t) => [t.name, t.name])) as Record<TopicName, string>;
    this.settings = settings;
    this.shardMap = shardMap(c.postgres.buckets, c.postgres.shards);
    const previous = c.postgres.previousShards;
    this.reshardPlan =
      previous !== undefined && previous !== c.postgres.shards
        ? reshardPlan(c.postgres.buckets, previous, c.postgres.shards)
        : undefined;
    this.reshardSummary = reshardSummary(previous, this.shardMap);

    const at = (region: string) => `${name}-${region}`;
    const paths = crossRegionPaths(regions, homeRegion, settings, {
      postgres: DataPorts.postgres,
      kafka: DataPorts.mskIam,
    });
    const sgs: Record<string, DataSecurityGroups> = {};
    const pgKeys: Record<string, DataKey> = {};
    for (const region of regions) {
      const cluster = args.regions[region];
      sgs[region] = new DataSecurityGroups(
        `${at(region)}-sg`,
        {
          cluster,
          stores: msk ? ["kafka", "redis", "postgres"] : ["redis", "postgres"],
          mskReplicator: settings.replicator,
          // Security-group references do not cross regions: admit the writers' private subnets by range.
          peerCidrBlocks: Object.fromEntries(
            (["kafka", "postgres"] as const).flatMap((store) => {
              const from = paths.filter((p) => p.to === region && p.store === store);
              return from.length > 0
                ? [[store, from.flatMap((p) => args.regions[p.from].privateSubnetCidrs)]]
                : [];
            }),
          ),
        },
        { parent: this },
      );
      pgKeys[region] = new DataKey(
        `${at(region)}-pg-kms`,
        { description: `Aurora shards of ${name} in ${region}`, provider: cluster.awsProvider },
        { parent: this },
      );
    }

    // Kafka.
    const kafka: Record<string, KafkaBinding> = {};
    const mskClusters: Record<string, MskCluster> = {};
    const strimzi: Record<string, ResolvedKubeObject[]> = {};
    for (const region of regions) {
      const cluster = args.regions[region];
      if (msk) {
        const m = new MskCluster(
          `${at(region)}-msk`,
          {
            cluster,
            securityGroupId: sgs[region].groupIds.kafka!,
            brokerInstanceType: c.kafka.brokerInstanceType,
            brokersPerAz: c.kafka.brokersPerAz,
            storageGiB: c.kafka.storageGiB,
            kafkaVersion: c.kafka.kafkaVersion,
            logRetentionDays: c.kafka.logRetentionDays,
          },
          { parent: this },
        );
        mskClusters[region] = m;
        new KafkaTopics(
          `${at(region)}-topics`,
          { region, bootstrapBrokers: m.bootstrapBrokersSaslIam, topics, brokerCount: m.brokerCount },
          { parent: this },
        );
        kafka[region] = {
          backend: "msk",
          region,
          bootstrapServers: m.bootstrapBrokersSaslIam,
          securityProtocol: "SASL_SSL",
          saslMechanism: "AWS_MSK_IAM",
          topics: topicNames,
        };
        strimzi[region] = [];
      } else {
        const s = c.kafka.strimzi;
        strimzi[region] = strimziObjects({
          region,
          namespace: s.namespace,
          clusterName: s.clusterName,
          kafkaVersion: s.kafkaVersion,
          brokersPerZone: c.kafka.brokersPerAz,
          storageGiB: c.kafka.storageGiB,
          storageClass: s.storageClass,
          zones: s.zones?.[region],
          topics,
        });
        kafka[region] = {
          backend: "strimzi",
          region,
          bootstrapServers: pulumi.output(strimziBootstrap(s.namespace, s.clusterName)),
          securityProtocol: "SSL",
          topics: topicNames,
        };
      }
    }
    if (settings.replicator) {
      const home = args.regions[homeRegion];
      for (const region of regions.slice(1)) {
        const target = args.regions[region];
        new MskReplicator(
          `${name}-msk-replicator-${region}`,
          {
            provider: target.awsProvider,
            source: {
              clusterArn: mskClusters[homeRegion].arn,
              subnetIds: home.privateSubnetIds,
              securityGroupId: sgs[homeRegion].replicatorGroupId!,
            },
            target: {
              clusterArn: mskClusters[region].arn,
              subnetIds: target.privateSubnetIds,
              securityGroupId: sgs[region].replicatorGroupId!,
            },
            topics: topics.map((t) => t.name),
          },
          { parent: this },
        );
      }
    }

    // Redis: the home group first, then the Global Datastore, then the secondaries that join it.
    const redis: Record<string, RedisReplicationGroup> = {};
    let globalRedis: RedisGlobalDatastore | undefined;
    for (const region of regions) {
      const cluster = args.regions[region];
      const secondary = settings.globalDatastore && region !== homeRegion;
      redis[region] = new RedisReplicationGroup(
        `${at(region)}-redis`,
        {
          cluster,
          securityGroupId: sgs[region].groupIds.redis!,
          idPrefix: `${environment}-${shortRegion(region)}`,
          nodeType: c.redis.nodeType,
          shards: c.redis.shards,
          replicasPerShard: c.redis.replicasPerShard,
          snapshotRetentionDays: c.redis.snapshotRetentionDays,
          maintenanceWindow: c.redis.maintenanceWindow,
          snapshotWindow: c.redis.snapshotWindow,
          engineVersion: c.redis.engineVersion,
          globalReplicationGroupId: secondary ? globalRedis!.globalReplicationGroupId : undefined,
        },
        { parent: this },
      );
      if (region === homeRegion && settings.globalDatastore) {
        globalRedis = new RedisGlobalDatastore(
          `${name}-redis-global`,
          {
            provider: cluster.awsProvider,
            primaryReplicationGroupId: redis[region].replicationGroupId,
            idSuffix: `semester-${environment}`,
          },
          { parent: this },
        );
      }
    }

    // Postgres: per shard a global database (prod), the home primary, then the secondaries.
    const globals = settings.globalDatabase
      ? Array.from(
          { length: settings.deployedShards },
          (_, i) =>
            new AuroraGlobalDatabase(
              `${name}-pg-${i}`,
              {
                provider: args.regions[homeRegion].awsProvider,
                identifier: `semester-${environment}-pg-${i}`,
                engineVersion: c.postgres.engineVersion,
                deletionProtection: settings.deletionProtection,
              },
              { parent: this },
            ),
        )
      : [];
    const shards: Record<string, AuroraShard[]> = {};
    for (const region of regions) {
      const cluster = args.regions[region];
      shards[region] = Array.from({ length: settings.deployedShards }, (_, i) => {
        const role = !settings.globalDatabase
          ? "standalone"
          : region === homeRegion
            ? "global-primary"
            : "global-secondary";
        return new AuroraShard(
          `${at(region)}-pg-${i}`,
          {
            cluster,
            securityGroupId: sgs[region].groupIds.postgres!,
            kmsKeyArn: pgKeys[region].keyArn,
            role,
            globalClusterIdentifier: globals[i]?.globalClusterIdentifier,
            instanceClass: c.postgres.instanceClass,
            readers: c.postgres.readersPerShard,
            engineVersion: c.postgres.engineVersion,
            backupRetentionDays: c.postgres.backupRetentionDays,
            backupWindow: c.postgres.backupWindow,
            maintenanceWindow: c.postgres.maintenanceWindow,
            deletionProtection: settings.deletionProtection,
            performanceInsightsRetentionDays: c.postgres.performanceInsightsRetentionDays,
            databaseName: c.postgres.databaseName,
            masterUsername: c.postgres.masterUsername,
            writeForwarding: role === "global-secondary" && settings.writeForwarding,
          },
          { parent: this, dependsOn: role === "global-secondary" ? shards[homeRegion][i].instances : [] },
        );
      });
    }

    // Publication and bindings.
    const bindings: Record<string, RegionBindings> = {};
    const configMaps: Record<string, ConfigMapObject[]> = {};
    for (const region of regions) {
      const targets = writeTargets(region, homeRegion, settings);
      const writes = targets.postgres;
      // A global secondary has no active writer endpoint; with write forwarding its reader endpoint takes writes.
      const forwarded = settings.writeForwarding && region !== homeRegion;
      const publication = new ShardMapPublication(
        `${at(region)}-shard-map`,
        {
          provider: args.regions[region].awsProvider,
          environment,
          shardMap: this.shardMap,
          previousShards: previous,
          database: c.postgres.databaseName,
          endpoints: shards[region].map((s, i) => ({
            shard: i,
            writer: forwarded ? shards[writes][i].readerEndpoint : shards[writes][i].writerEndpoint,
            reader: s.readerEndpoint,
          })),
        },
        { parent: this },
      );
      configMaps[region] = [publication.configMap];
      const pg = (
        from: string,
        kind: keyof typeof POSTGRES_IAM_USERS,
        pick: (s: AuroraShard) => pulumi.Output<string>,
        writeForwarding = false,
      ): PostgresBinding => ({
        region: from,
        database: c.postgres.databaseName,
        port: DataPorts.postgres,
        auth: "iam",
        user: POSTGRES_IAM_USERS[kind],
        shards: shards[from].map((s, i) => ({ shard: i, host: pick(s) })),
        writeForwarding,
        shardMapConfigMap: {
          namespace: publication.configMap.metadata.namespace,
          name: publication.configMap.metadata.name,
        },
        shardMapParameter: publication.parameterName,
      });
      const redisGroup = redis[region];
      bindings[region] = {
        write: {
          kind: "write",
          region,
          postgres: forwarded
            ? pg(writes, "write", (s) => s.readerEndpoint, true)
            : pg(writes, "write", (s) => s.writerEndpoint),
          kafka: kafka[targets.kafka],
        },
        read: {
          kind: "read",
          region,
          postgres: pg(region, "read", (s) => s.readerEndpoint),
          redis: {
            region,
            configurationEndpoint: redisGroup.configurationEndpoint,
            port: DataPorts.redis,
            tls: true,
            auth: "iam",
            user: redisGroup.appUserId,
            writable: !settings.globalDatastore || region === homeRegion,
          },
          kafka: kafka[region],
        },
      };
    }
    this.bindings = bindings;
    this.configMapObjects = configMaps;
    this.strimziObjects = strimzi;
    const byRegion = <T>(pick: (region: string) => T): Record<string, T> =>
      Object.fromEntries(regions.map((r) => [r, pick(r)]));
    this.mskClusterArns = Object.fromEntries(Object.entries(mskClusters).map(([r, m]) => [r, m.arn]));
    this.postgresClusterArns = byRegion((r) => shards[r].map((s) => s.clusterArn));
    this.postgresClusterResourceIds = byRegion((r) => shards[r].map((s) => s.clusterResourceId));
    this.postgresIamUsers = POSTGRES_IAM_USERS;
    this.postgresPrimaries = Object.fromEntries(
      (settings.globalDatabase ? [homeRegion] : regions).map((r) => [
        r,
        shards[r].map((s, shard) => ({
          shard,
          name: `${at(r)}-pg-${shard}`,
          writerEndpoint: s.writerEndpoint,
          masterUserSecretArn: s.masterUserSecretArn!,
          instances: s.instances,
        })),
      ]),
    );
    this.redisReplicationGroupArns = byRegion((r) => redis[r].arn);
    this.redisUserArns = byRegion((r) => redis[r].appUserArn);
    this.crossRegionPaths = paths;
    this.registerOutputs({ settings: this.settings, reshardSummary: this.reshardSummary });
  }
}
