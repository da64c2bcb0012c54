/**
 * What each service's data binding hands it, read back from the plan: the ConfigMaps its Deployment takes with
 * `envFrom`, parsed into the store endpoints (Postgres shard hosts, Redis, Kafka brokers) and the identities it
 * authenticates as. The network and identity checks both start here, so they check the same endpoints.
 */
import type { PlannedObject } from "../record";
import { at, PlanIndex } from "./model";
import { envFromConfigMaps, storeEndpoint, type StoreEndpoint } from "./network";
import { DATA_CONFIG_MAP_NAMES, DATA_ENV } from "../../../components/core";

type Obj = PlannedObject["object"];

/** One endpoint of a binding. `store` is undefined when the host names nothing the plan creates. */
export interface BoundEndpoint {
  readonly kind: "postgres" | "redis" | "kafka";
  readonly host: string;
  readonly port: number;
  readonly store: StoreEndpoint | undefined;
  /** Strimzi's in-cluster bootstrap: the brokers are pods in `namespace` labelled `strimzi.io/cluster`. */
  readonly inCluster?: { readonly namespace: string; readonly cluster: string };
}

export interface ServiceBinding {
  readonly region: string;
  readonly service: string;
  readonly namespace: string;
  /** `semester-data-write` or `semester-data-read`. */
  readonly configMap: string;
  readonly write: boolean;
  readonly data: Readonly<Record<string, string>>;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly serviceAccount: string | undefined;
  readonly endpoints: readonly BoundEndpoint[];
}

const STRIMZI_BOOTSTRAP = /^([a-z0-9-]+)-kafka-bootstrap\.([a-z0-9-]+)\.svc(\.cluster\.local)?$/;

function parseEndpoints(idx: PlanIndex, data: Readonly<Record<string, string>>): BoundEndpoint[] {
  const out: BoundEndpoint[] = [];
  const pgPort = Number(data[DATA_ENV.postgresPort] ?? 5432);
  let shards: { host?: unknown }[] = [];
  try {
    shards = JSON.parse(data[DATA_ENV.postgresShardHosts] ?? "[]") as { host?: unknown }[];
  } catch {
    shards = [];
  }
  for (const s of shards) {
    const host = String(s.host);
    out.push({ kind: "postgres", host, port: pgPort, store: storeEndpoint(idx, host, pgPort) });
  }
  if (data[DATA_ENV.redisEndpoint] !== undefined) {
    const port = Number(data[DATA_ENV.redisPort] ?? 6379);
    out.push({
      kind: "redis",
      host: data[DATA_ENV.redisEndpoint],
      port,
      store: storeEndpoint(idx, data[DATA_ENV.redisEndpoint], port),
    });
  }
  for (const broker of (data[DATA_ENV.kafkaBootstrapServers] ?? "").split(",").filter(Boolean)) {
    const [host = "", port = "0"] = broker.split(":");
    const strimzi = STRIMZI_BOOTSTRAP.exec(host);
    out.push({
      kind: "kafka",
      host,
      port: Number(port),
      store: strimzi ? undefined : storeEndpoint(idx, host, Number(port)),
      ...(strimzi ? { inCluster: { cluster: strimzi[1]!, namespace: strimzi[2]! } } : {}),
    });
  }
  return out;
}

/** The data binding of every workload (Deployment or Rollout) in every region that takes one. */
export function serviceBindings(idx: PlanIndex): ServiceBinding[] {
  const out: ServiceBinding[] = [];
  for (const region of idx.regions()) {
    for (const deployment of idx.workloads(region)) {
      for (const { name, data } of envFromConfigMaps(idx, region, deployment)) {
        if (name !== DATA_CONFIG_MAP_NAMES.write && name !== DATA_CONFIG_MAP_NAMES.read) continue;
        out.push({
          region,
          service: deployment.metadata.name,
          namespace: deployment.metadata.namespace ?? "default",
          configMap: name,
          write: name === DATA_CONFIG_MAP_NAMES.write,
          data: data ?? {},
          podLabels: podLabels(deployment),
          serviceAccount: at(deployment, "spec", "template", "spec", "serviceAccountName") as
            string | undefined,
          endpoints: data === undefined ? [] : parseEndpoints(idx, data),
        });
      }
    }
  }
  return out;
}

export function podLabels(workload: Obj): Record<string, string> {
  return (at(workload, "spec", "template", "metadata", "labels") ?? {}) as Record<string, string>;
}
