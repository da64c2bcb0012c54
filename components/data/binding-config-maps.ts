/**
 * The CQRS contract as the data tier publishes it: per region, the write binding (home-region or forwarding
 * writers, Kafka, topic names) and the read binding (local readers, local Redis) as ConfigMaps in each namespace
 * that holds services; services take one of them with `envFrom`. One table says which env keys each binding
 * carries, so what the ConfigMaps hold can be checked against what the services need before anything exists.
 */
import * as pulumi from "@pulumi/pulumi";
import { DATA_CONFIG_MAP_NAMES, DATA_ENV, type ResolvedKubeObject, type Problem } from "../core";
import type { RequiredDataConfigMap } from "../kubernetes";
import type { KafkaBinding, ReadBinding, RegionBindings, WriteBinding } from "./cqrs";

type BindingKind = keyof typeof DATA_CONFIG_MAP_NAMES;
type KafkaBackend = KafkaBinding["backend"];

/** A binding ConfigMap: plain names; values may be Outputs (endpoints known after deploy). */
export type BindingConfigMap = ResolvedKubeObject & {
  readonly kind: "ConfigMap";
  readonly data: Readonly<Record<string, pulumi.Input<string>>>;
};

/** The services' side of the contract (see `kubernetes/data-access.ts`). */
export interface DataConsumers {
  /** Every namespace that receives both binding ConfigMaps. */
  readonly namespaces: readonly string[];
  /** The ConfigMaps services reference, with the keys the Kubernetes layer reads (`requiredDataConfigMaps`). */
  readonly required: readonly RequiredDataConfigMap[];
}

/** One env key: the bindings that carry it and its value there. */
interface BindingEnv<B> {
  readonly key: string;
  /** The only Kafka backend whose bindings carry it. @default every backend */
  readonly only?: KafkaBackend;
  /** Defined wherever `only` admits the binding. */
  readonly value: (binding: B) => pulumi.Input<string> | undefined;
}

/** Kafka and Postgres endpoints both bindings carry; Postgres points at writers or readers by binding. */
const BOTH: readonly BindingEnv<WriteBinding | ReadBinding>[] = [
  { key: DATA_ENV.region, value: (b) => b.region },
  { key: DATA_ENV.kafkaBootstrapServers, value: (b) => b.kafka.bootstrapServers },
  { key: DATA_ENV.kafkaSecurityProtocol, value: (b) => b.kafka.securityProtocol },
  { key: DATA_ENV.kafkaSaslMechanism, only: "msk", value: (b) => b.kafka.saslMechanism },
  // MSK IAM tokens are signed for the brokers' region, which is the home region for writes from a secondary.
  { key: DATA_ENV.kafkaAwsRegion, only: "msk", value: (b) => b.kafka.region },
  { key: DATA_ENV.kafkaTopics, value: (b) => JSON.stringify(b.kafka.topics) },
  { key: DATA_ENV.postgresDatabase, value: (b) => b.postgres.database },
  { key: DATA_ENV.postgresPort, value: (b) => String(b.postgres.port) },
  { key: DATA_ENV.postgresAuth, value: (b) => b.postgres.auth },
  { key: DATA_ENV.postgresUser, value: (b) => b.postgres.user },
  {
    key: DATA_ENV.postgresShardHosts,
    value: (b) => pulumi.jsonStringify(b.postgres.shards.map((s) => ({ shard: s.shard, host: s.host }))),
  },
  {
    key: DATA_ENV.postgresShardMap,
    value: (b) => `${b.postgres.shardMapConfigMap.namespace}/${b.postgres.shardMapConfigMap.name}`,
  },
  // Forwarded writes need the session setting the cluster parameter group pins (consistency_mode = session).
  { key: DATA_ENV.postgresWriteForwarding, value: (b) => String(b.postgres.writeForwarding) },
];

/** The local Redis, read binding only. */
const READ_ONLY: readonly BindingEnv<ReadBinding>[] = [
  { key: DATA_ENV.redisEndpoint, value: (b) => b.redis.configurationEndpoint },
  { key: DATA_ENV.redisPort, value: (b) => String(b.redis.port) },
  { key: DATA_ENV.redisTls, value: () => "true" },
  { key: DATA_ENV.redisAuth, value: (b) => b.redis.auth },
  { key: DATA_ENV.redisUser, value: (b) => b.redis.user },
  { key: DATA_ENV.redisWritable, value: (b) => String(b.redis.writable) },
];

const carries = (env: { readonly only?: KafkaBackend }, backend: KafkaBackend) =>
  env.only === undefined || env.only === backend;

/** The keys a binding ConfigMap carries with a Kafka backend. Pure. */
export function publishedKeys(kind: BindingKind, backend: KafkaBackend): string[] {
  return [...BOTH, ...(kind === "read" ? READ_ONLY : [])]
    .filter((e) => carries(e, backend))
    .map((e) => e.key);
}

/** The write and read binding ConfigMaps of one region in each namespace (sorted), read first. */
export function bindingConfigMaps(
  bindings: RegionBindings,
  namespaces: readonly string[],
): BindingConfigMap[] {
  const read = { ...dataOf(bindings.read, BOTH), ...dataOf(bindings.read, READ_ONLY) };
  const write = dataOf(bindings.write, BOTH);
  return [...namespaces]
    .sort()
    .flatMap((namespace) => [
      configMap(DATA_CONFIG_MAP_NAMES.read, namespace, read),
      configMap(DATA_CONFIG_MAP_NAMES.write, namespace, write),
    ]);
}

/**
 * What the services need and the bindings do not publish, as problems of the data tier's `consumers` argument: a
 * referenced ConfigMap in a namespace that receives none, or a key the Kubernetes layer reads (today
 * `KAFKA_BOOTSTRAP_SERVERS` for Kafka lag triggers) that the binding does not carry. Pure.
 */
export function bindingContractProblems(consumers: DataConsumers, backend: KafkaBackend): Problem[] {
  const kinds = Object.entries(DATA_CONFIG_MAP_NAMES) as [BindingKind, string][];
  return consumers.required.flatMap((wanted, i): Problem[] => {
    const at = `consumers.required[${i}]`;
    const kind = kinds.find(([, name]) => name === wanted.name)?.[0];
    if (kind === undefined) {
      return [
        {
          path: `${at}.name`,
          value: wanted.name,
          rule: `must be a binding ConfigMap (${Object.values(DATA_CONFIG_MAP_NAMES).join(", ")})`,
        },
      ];
    }
    const where = `${wanted.namespace}/${wanted.name}`;
    if (!consumers.namespaces.includes(wanted.namespace)) {
      return [
        {
          path: "consumers.namespaces",
          value: consumers.namespaces,
          rule: `must include "${wanted.namespace}": ${wanted.services.join(", ")} read ${where}`,
        },
      ];
    }
    const published = publishedKeys(kind, backend);
    return wanted.requiredKeys.flatMap((key, j) =>
      published.includes(key)
        ? []
        : [
            {
              path: `${at}.requiredKeys[${j}]`,
              value: key,
              rule: `must be a key the ${kind} binding publishes (${backend} backend) in ${where}, which ${wanted.services.join(", ")} read`,
            },
          ],
    );
  });
}

function dataOf<B extends WriteBinding | ReadBinding>(
  binding: B,
  table: readonly BindingEnv<B>[],
): Record<string, pulumi.Input<string>> {
  return Object.fromEntries(
    table
      .filter((e) => carries(e, binding.kafka.backend))
      .map((e) => {
        const value = e.value(binding);
        if (value === undefined)
          throw new Error(`the ${binding.kind} binding of ${binding.region} has no value for ${e.key}`);
        return [e.key, value];
      }),
  );
}

function configMap(
  name: string,
  namespace: string,
  data: Record<string, pulumi.Input<string>>,
): BindingConfigMap {
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
