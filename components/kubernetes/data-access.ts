/**
 * CQRS data access of a learning service: which data binding its container receives.
 *
 * - `write`: the write binding, ConfigMap `semester-data-write` (home-region Postgres writers, Kafka bootstrap
 *   servers and topic names).
 * - `read`: the read binding, ConfigMap `semester-data-read` (the region's local Postgres readers and Redis).
 * - `none`: no data binding.
 *
 * The Kubernetes layer only references the ConfigMaps (`envFrom`, not optional: a pod does not start without its
 * binding); the data tier emits them into every namespace that holds a service using them. The one key this
 * layer itself relies on is `KAFKA_BOOTSTRAP_SERVERS`: a Kafka lag trigger without literal brokers reads it
 * from the scale target's env, so each binding used by a Kafka-scaled service must carry it (by default both:
 * enrollment writes, analytics reads).
 */
import type { DataAccess, ServiceName, ServicesConfig } from "./config";
import { DATA_CONFIG_MAP_NAMES, DATA_ENV } from "../core";

/** The ConfigMap a service's container takes its env from, or `undefined` for `none`. */
export function dataConfigMapName(access: DataAccess): string | undefined {
  switch (access) {
    case "write":
    case "read":
      return DATA_CONFIG_MAP_NAMES[access];
    case "none":
      return undefined;
    default: {
      const unreachable: never = access;
      throw new Error(`unknown data access ${String(unreachable)}`);
    }
  }
}

/** One data ConfigMap the chart's Deployments reference. */
export interface RequiredDataConfigMap {
  readonly namespace: string;
  readonly name: string;
  /** Services whose containers reference it. */
  readonly services: readonly ServiceName[];
  /** Keys the Kubernetes layer itself reads from it (beyond what the applications read). */
  readonly requiredKeys: readonly string[];
}

/**
 * Every data ConfigMap the services reference, by namespace and name (sorted), with the keys the Kubernetes
 * layer needs in it: `KAFKA_BOOTSTRAP_SERVERS` when a service using it scales on Kafka lag and
 * `kafkaBootstrapServers` is not given literally. Pure; the data tier can check what it emits against it.
 */
export function requiredDataConfigMaps(
  services: ServicesConfig,
  kafkaBootstrapServers?: string,
): RequiredDataConfigMap[] {
  const byKey = new Map<
    string,
    { namespace: string; name: string; services: ServiceName[]; kafka: boolean }
  >();
  for (const [service, config] of Object.entries(services) as [ServiceName, ServicesConfig[ServiceName]][]) {
    const name = dataConfigMapName(config.dataAccess);
    if (name === undefined) continue;
    const key = `${config.namespace}/${name}`;
    const entry = byKey.get(key) ?? { namespace: config.namespace, name, services: [], kafka: false };
    entry.services.push(service);
    entry.kafka ||= config.scaling.kafka !== undefined;
    byKey.set(key, entry);
  }
  const literalBrokers = kafkaBootstrapServers !== undefined && kafkaBootstrapServers !== "";
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, e]) => ({
      namespace: e.namespace,
      name: e.name,
      services: e.services,
      requiredKeys: e.kafka && !literalBrokers ? [DATA_ENV.kafkaBootstrapServers] : [],
    }));
}
