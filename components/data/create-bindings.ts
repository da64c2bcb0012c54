/**
 * The CQRS bindings of a data tier and what publishes them: per region the shard map (SSM parameter and
 * ConfigMap), the write and read bindings, and the binding ConfigMaps in the consumers' namespaces.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../core";
import { bindingConfigMaps, type BindingConfigMap } from "./binding-config-maps";
import type { PostgresConfig } from "./config";
import {
  type KafkaBinding,
  type PostgresBinding,
  POSTGRES_IAM_USERS,
  type RegionBindings,
  writeTargets,
} from "./cqrs";
import { DataPorts } from "./network";
import type { AuroraShard } from "./postgres/aurora-shard";
import type { ShardMap } from "./postgres/shard-map";
import { type ConfigMapObject, ShardMapPublication } from "./publish";
import type { RedisReplicationGroup } from "./redis/replication-group";
import type { DataTierSettings } from "./settings";
import type { TierRegions } from "./tier-regions";

/** @internal */
export interface BindingsArgs extends TierRegions {
  readonly environment: Environment;
  readonly settings: Pick<
    DataTierSettings,
    "globalDatabase" | "writeForwarding" | "replicator" | "globalDatastore"
  >;
  readonly shardMap: ShardMap;
  /** `postgres.previousShards`, while a reshard runs. */
  readonly previousShards: number | undefined;
  readonly postgres: Pick<PostgresConfig, "databaseName">;
  /** Each region's own brokers (`createKafka`). */
  readonly kafka: Readonly<Record<string, KafkaBinding>>;
  /** Each region's replication group (`createRedis`). */
  readonly redis: Readonly<Record<string, RedisReplicationGroup>>;
  /** Each region's shards (`createPostgres`). */
  readonly shards: Readonly<Record<string, readonly AuroraShard[]>>;
  /** The namespaces that receive both binding ConfigMaps. */
  readonly namespaces: readonly string[];
}

/** @internal */
export interface Bindings {
  readonly bindings: Readonly<Record<string, RegionBindings>>;
  /** The shard-map ConfigMap by region. */
  readonly shardMapConfigMaps: Readonly<Record<string, ConfigMapObject>>;
  /** The binding ConfigMaps by region, per namespace read then write. */
  readonly bindingConfigMaps: Readonly<Record<string, readonly BindingConfigMap[]>>;
}

/** @internal */
export function createBindings(name: string, args: BindingsArgs, opts: pulumi.ResourceOptions): Bindings {
  const { settings, shards } = args;
  const database = args.postgres.databaseName;
  const bindings: Record<string, RegionBindings> = {};
  const shardMapConfigMaps: Record<string, ConfigMapObject> = {};
  const configMaps: Record<string, BindingConfigMap[]> = {};
  for (const region of args.regions) {
    const targets = writeTargets(region, args.homeRegion, settings);
    const writes = targets.postgres;
    // A global secondary has no active writer endpoint; with write forwarding its reader endpoint takes writes.
    const forwarded = settings.writeForwarding && region !== args.homeRegion;
    const publication = new ShardMapPublication(
      `${name}-${region}-shard-map`,
      {
        provider: args.clusters[region]!.awsProvider,
        environment: args.environment,
        shardMap: args.shardMap,
        previousShards: args.previousShards,
        database,
        endpoints: shards[region]!.map((s, i) => ({
          shard: i,
          writer: forwarded ? shards[writes]![i]!.readerEndpoint : shards[writes]![i]!.writerEndpoint,
          reader: s.readerEndpoint,
        })),
      },
      opts,
    );
    shardMapConfigMaps[region] = publication.configMap;
    const pg = (
      from: string,
      kind: keyof typeof POSTGRES_IAM_USERS,
      pick: (s: AuroraShard) => pulumi.Output<string>,
      writeForwarding = false,
    ): PostgresBinding => ({
      region: from,
      database,
      port: DataPorts.postgres,
      auth: "iam",
      user: POSTGRES_IAM_USERS[kind],
      shards: shards[from]!.map((s, i) => ({ shard: i, host: pick(s) })),
      writeForwarding,
      shardMapConfigMap: {
        namespace: publication.configMap.metadata.namespace,
        name: publication.configMap.metadata.name,
      },
      shardMapParameter: publication.parameterName,
    });
    const redisGroup = args.redis[region]!;
    bindings[region] = {
      write: {
        kind: "write",
        region,
        postgres: forwarded
          ? pg(writes, "write", (s) => s.readerEndpoint, true)
          : pg(writes, "write", (s) => s.writerEndpoint),
        kafka: args.kafka[targets.kafka]!,
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
          writable: !settings.globalDatastore || region === args.homeRegion,
        },
        kafka: args.kafka[region]!,
      },
    };
    configMaps[region] = bindingConfigMaps(bindings[region], args.namespaces);
  }
  return { bindings, shardMapConfigMaps, bindingConfigMaps: configMaps };
}
