/**
 * The CQRS binding contract between the data tier (which publishes it) and the learning services (which read
 * it): the ConfigMap names, the namespace the data tier's own objects live in, and the env keys the platform
 * itself relies on. Applications read the rest of the keys; `data/binding-config-maps.ts` writes them all.
 */

/** Namespace of the data tier's in-cluster objects (shard map, role bootstrap Job). */
export const DATA_NAMESPACE = "semester-data";

/** The ConfigMap each bound access mode receives through `envFrom`. */
export const DATA_CONFIG_MAP_NAMES = {
  write: "semester-data-write",
  read: "semester-data-read",
} as const;

/** The env keys of the data bindings. */
export const DATA_ENV = {
  /** The region of the consumer (the cluster), not of the data. */
  region: "SEMESTER_DATA_REGION",
  /** Comma-separated MSK (or Strimzi) bootstrap brokers; KEDA's Kafka lag trigger reads it from the pod env. */
  kafkaBootstrapServers: "KAFKA_BOOTSTRAP_SERVERS",
  kafkaSecurityProtocol: "KAFKA_SECURITY_PROTOCOL",
  kafkaSaslMechanism: "KAFKA_SASL_MECHANISM",
  /** The brokers' region: MSK IAM tokens are signed for it. */
  kafkaAwsRegion: "KAFKA_AWS_REGION",
  kafkaTopics: "KAFKA_TOPICS",
  postgresDatabase: "POSTGRES_DATABASE",
  postgresPort: "POSTGRES_PORT",
  postgresAuth: "POSTGRES_AUTH",
  postgresUser: "POSTGRES_USER",
  postgresShardHosts: "POSTGRES_SHARD_HOSTS",
  postgresShardMap: "POSTGRES_SHARD_MAP",
  postgresWriteForwarding: "POSTGRES_WRITE_FORWARDING",
  redisEndpoint: "REDIS_ENDPOINT",
  redisPort: "REDIS_PORT",
  redisTls: "REDIS_TLS",
  redisAuth: "REDIS_AUTH",
  redisUser: "REDIS_USER",
  /** "false" in a Global Datastore secondary: it is read-only. */
  redisWritable: "REDIS_WRITABLE",
} as const;
