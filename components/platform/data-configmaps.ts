import * as pulumi from "@pulumi/pulumi";
import type { ReadBinding, RegionBindings, WriteBinding } from "../data/cqrs";

/** Names of the ConfigMaps that carry the CQRS bindings into every namespace that runs services. */
export const DATA_CONFIGMAPS = { write: "semester-data-write", read: "semester-data-read" } as const;

type Data = Record<string, pulumi.Input<string>>;

/** Kafka and Postgres endpoints both sides need; Postgres points at writers or readers by binding. */
function common(binding: WriteBinding | ReadBinding): Data {
  const { kafka, postgres } = binding;
  return {
    SEMESTER_DATA_REGION: binding.region,
    KAFKA_BOOTSTRAP_SERVERS: kafka.bootstrapServers,
    KAFKA_SECURITY_PROTOCOL: kafka.securityProtocol,
    ...(kafka.saslMechanism ? { KAFKA_SASL_MECHANISM: kafka.saslMechanism } : {}),
    // MSK IAM tokens are signed for the brokers' region, which is the home region for writes from a secondary.
    ...(kafka.backend === "msk" ? { KAFKA_AWS_REGION: kafka.region } : {}),
    KAFKA_TOPICS: JSON.stringify(kafka.topics),
    POSTGRES_DATABASE: postgres.database,
    POSTGRES_PORT: String(postgres.port),
    POSTGRES_AUTH: postgres.auth,
    POSTGRES_USER: postgres.user,
    POSTGRES_SHARD_HOSTS: pulumi.jsonStringify(
      postgres.shards.map((s) => ({ shard: s.shard, host: s.host })),
    ),
    POSTGRES_SHARD_MAP: `${postgres.shardMapConfigMap.namespace}/${postgres.shardMapConfigMap.name}`,
    // Forwarded writes need the session setting the cluster parameter group pins (consistency_mode = session).
    POSTGRES_WRITE_FORWARDING: String(postgres.writeForwarding),
  };
}

/**
 * The write binding (home-region writers, Kafka, topic names) and the read binding (local readers,
 * local Redis) as ConfigMaps in each namespace; services take one of them with `envFrom`. Values are
 * known only after deploy, so these objects hold Pulumi outputs and are validated by the offline plan.
 */
export function bindingConfigMaps(bindings: RegionBindings, namespaces: readonly string[]): object[] {
  const { read } = bindings;
  const readData: Data = {
    ...common(read),
    REDIS_ENDPOINT: read.redis.configurationEndpoint,
    REDIS_PORT: String(read.redis.port),
    REDIS_TLS: "true",
    REDIS_AUTH: read.redis.auth,
    REDIS_USER: read.redis.user,
    REDIS_WRITABLE: String(read.redis.writable),
  };
  return [...namespaces]
    .sort()
    .flatMap((namespace) => [
      configMap(DATA_CONFIGMAPS.read, namespace, readData),
      configMap(DATA_CONFIGMAPS.write, namespace, common(bindings.write)),
    ]);
}

function configMap(name: string, namespace: string, data: Data): object {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name,
      namespace,
      labels: { "app.kubernetes.io/part-of": "semester", "semester.dev/component": "data" },
    },
    data,
  };
}
