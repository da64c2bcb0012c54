/**
 * CQRS bindings: what a region's services connect to. Write services (exam submissions, enrollment commands) get
 * the write binding: the shard writers (in the home region when the shards are global databases), the Kafka
 * bootstrap they produce to and the topic names. Read services (catalog browsing, dashboards) get the read
 * binding: the local shard readers, the local Redis and the local Kafka for projections. Both authenticate with
 * IAM through the service's Pod Identity role; no binding carries a secret.
 */
import * as pulumi from "@pulumi/pulumi";
import type { TopicName } from "./kafka/catalog";

/**
 * The database users services connect as with IAM authentication (`rds-db:connect` on
 * `dbuser:<cluster resource id>/<user>`): writers on the write binding, readers on the read binding. The users are
 * created in the database out of band with `GRANT rds_iam`; this is the one place their names are decided.
 */
export const POSTGRES_IAM_USERS = { write: "semester_writer", read: "semester_reader" } as const;

/** @internal */
export interface PostgresShardEndpoint {
  readonly shard: number;
  readonly host: pulumi.Output<string>;
}

export interface PostgresBinding {
  readonly region: string;
  readonly database: string;
  readonly port: number;
  readonly auth: "iam";
  /** The database user to sign IAM tokens for (see {@link POSTGRES_IAM_USERS}). */
  readonly user: string;
  readonly shards: readonly PostgresShardEndpoint[];
  /**
   * The hosts are a global secondary's (reader endpoint) that forwards writes to the home primary; sessions run
   * with `apg_write_forward.consistency_mode` = session, so a session reads its own writes.
   */
  readonly writeForwarding: boolean;
  /** Where the shard map lives: ConfigMap in the cluster, SSM parameter in the region. */
  readonly shardMapConfigMap: { readonly namespace: string; readonly name: string };
  readonly shardMapParameter: string;
}

export interface KafkaBinding {
  readonly backend: "msk" | "strimzi";
  readonly region: string;
  readonly bootstrapServers: pulumi.Output<string>;
  /** MSK: `SASL_SSL` with `AWS_MSK_IAM`; Strimzi: `SSL` with a KafkaUser's client certificate. */
  readonly securityProtocol: "SASL_SSL" | "SSL";
  readonly saslMechanism?: "AWS_MSK_IAM";
  readonly topics: Readonly<Record<TopicName, string>>;
}

export interface RedisBinding {
  readonly region: string;
  /** Cluster-mode configuration endpoint (host). */
  readonly configurationEndpoint: pulumi.Output<string>;
  readonly port: number;
  readonly tls: true;
  readonly auth: "iam";
  /** The ElastiCache user to sign IAM tokens for. */
  readonly user: string;
  /** Whether this region's Redis accepts writes (false for a Global Datastore secondary). */
  readonly writable: boolean;
}

export interface WriteBinding {
  readonly kind: "write";
  readonly region: string;
  readonly postgres: PostgresBinding;
  readonly kafka: KafkaBinding;
}

export interface ReadBinding {
  readonly kind: "read";
  readonly region: string;
  readonly postgres: PostgresBinding;
  readonly redis: RedisBinding;
  readonly kafka: KafkaBinding;
}

export interface RegionBindings {
  readonly write: WriteBinding;
  readonly read: ReadBinding;
}

/** @internal What decides where writes go (see `DataTierSettings`). */
export interface WriteRouting {
  /** Shards are Aurora Global Databases with the primaries in the home region. */
  readonly globalDatabase: boolean;
  /** Secondaries forward writes to the primary, so writers connect locally. */
  readonly writeForwarding: boolean;
  /** MSK Replicator copies the home region's topics to the others, so producers write to the home brokers. */
  readonly replicator: boolean;
}

/**
 * The region each store of a region's write binding lives in. Postgres: local, unless the shards are global
 * databases without write forwarding (then the home writers). Kafka: the home brokers when topics are replicated
 * one way from home (a secondary's own topics are replicas), else local.
 */
export function writeTargets(
  region: string,
  homeRegion: string,
  routing: WriteRouting,
): { readonly postgres: string; readonly kafka: string } {
  return {
    postgres: routing.globalDatabase && !routing.writeForwarding ? homeRegion : region,
    kafka: routing.replicator ? homeRegion : region,
  };
}

/** @internal A store a region's services reach in another region: the network path the platform must build. */
export interface CrossRegionPath {
  /** Where the services run. */
  readonly from: string;
  /** Where the store is. */
  readonly to: string;
  readonly store: "postgres" | "kafka";
  readonly port: number;
}

/** @internal Every cross-region path the write bindings need, in region order (read bindings are always local). Pure. */
export function crossRegionPaths(
  regions: readonly string[],
  homeRegion: string,
  routing: WriteRouting,
  ports: { readonly postgres: number; readonly kafka: number },
): CrossRegionPath[] {
  return regions.flatMap((from) => {
    const targets = writeTargets(from, homeRegion, routing);
    return (["postgres", "kafka"] as const)
      .filter((store) => targets[store] !== from)
      .map((store) => ({ from, to: targets[store], store, port: ports[store] }));
  });
}
