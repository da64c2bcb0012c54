import * as pulumi from "@pulumi/pulumi";
import type { ReadBinding, RegionBindings, WriteBinding } from "../data/cqrs";
import { DATA_CONFIG_MAP_NAMES, DATA_ENV } from "../core/cqrs";

type Data = Record<string, pulumi.Input<string>>;

/** Kafka and Postgres endpoints both sides need; Postgres points at writers or readers by binding. */
function common(binding: WriteBinding | ReadBinding): Data {
  const { kafka, postgres } = binding;
  return {
    [DATA_ENV.region]: binding.region,
    [DATA_ENV.kafkaBootstrapServers]: kafka.bootstrapServers,
    [DATA_ENV.kafkaSecurityProtocol]: kafka.securityProtocol,
    ...(kafka.saslMechanism ? { [DATA_ENV.kafkaSaslMechanism]: kafka.saslMechanism } : {}),
    // MSK IAM tokens are signed for the brokers' region, which is the home region for writes from a secondary.
    ...(kafka.backend === "msk" ? { [DATA_ENV.kafkaAwsRegion]: kafka.region } : {}),
    [DATA_ENV.kafkaTopics]: JSON.stringify(kafka.topics),
    [DATA_ENV.postgresDatabase]: postgres.database,
    [DATA_ENV.postgresPort]: String(postgres.port),
    [DATA_ENV.postgresAuth]: postgres.auth,
    [DATA_ENV.postgresUser]: postgres.user,
    [DATA_ENV.postgresShardHosts]: pulumi.jsonStringify(
      postgres.shards.map((s) => ({ shard: s.shard, host: s.host })),
    ),
    [DATA_ENV.postgresShardMap]: `${postgres.shardMapConfigMap.namespace}/${postgres.shardMapConfigMap.name}`,
    // Forwarded writes need the session setting the cluster parameter group pins (consistency_mode = session).
    [DATA_ENV.postgresWriteForwarding]: String(postgres.writeForwarding),
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
    [DATA_ENV.redisEndpoint]: read.redis.configurationEndpoint,
    [DATA_ENV.redisPort]: String(read.redis.port),
    [DATA_ENV.redisTls]: "true",
    [DATA_ENV.redisAuth]: read.redis.auth,
    [DATA_ENV.redisUser]: read.redis.user,
    [DATA_ENV.redisWritable]: String(read.redis.writable),
  };
  return [...namespaces]
    .sort()
    .flatMap((namespace) => [
      configMap(DATA_CONFIG_MAP_NAMES.read, namespace, readData),
      configMap(DATA_CONFIG_MAP_NAMES.write, namespace, common(bindings.write)),
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
