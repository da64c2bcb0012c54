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

/** Where the writes of a region go: home when data is replicated one way from home, else the region itself. */
export function writeRegion(region: string, homeRegion: string, replicatedFromHome: boolean): string {
  return replicatedFromHome ? homeRegion : region;
}
