/**
 * The IAM calls of the platform's data clients, derived from what the plan hands them: each service connects
 * with IAM to every store its binding names (Aurora `rds-db:connect` as the binding's user, MSK data-plane actions
 * on the cluster, its topics and its own consumer groups, ElastiCache `Connect` as the binding's user); KEDA's
 * operator reads consumer lag (describe only) for the Kafka-scaled services; ExternalDNS changes records in its
 * one zone. Neighbours: the master database user, another region's stores, another service's consumer group,
 * another hosted zone.
 */
import { mskResourceArn } from "../../../../components/platform";
import type { ServiceBinding } from "../bindings";
import { at, PlanIndex } from "../model";
import type { StoreEndpoint } from "../network";
import { mustAllow, mustDeny, type CallCheck } from "../types";

const arnParts = (arn: string) => {
  const [, partition = "aws", , region = "", account = ""] = arn.split(":");
  return { partition, region, account };
};

/** A store of the same type in another region (the neighbour), or undefined in a one-region plan. */
const elsewhere = (idx: PlanIndex, type: string, region: string) =>
  idx.ofType(type).find((r) => r.region !== region && r.outputs?.arn !== undefined);

function postgresChecks(idx: PlanIndex, b: ServiceBinding, stores: StoreEndpoint[]): CallCheck[] {
  const user = b.data.POSTGRES_USER ?? "";
  const master = idx
    .ofType("aws:rds/cluster:Cluster")
    .find((r) => typeof r.inputs.masterUsername === "string")?.inputs.masterUsername as string | undefined;
  const dbuser = (cluster: StoreEndpoint["resource"], name: string) => {
    const { partition, region, account } = arnParts(String(cluster.outputs?.arn));
    return `arn:${partition}:rds-db:${region}:${account}:dbuser:${String(cluster.outputs?.clusterResourceId)}/${name}`;
  };
  const checks = stores.flatMap((s) => [
    mustAllow(`connect to ${s.resource.name} as ${user}`, "rds-db:connect", dbuser(s.resource, user)),
    ...(master
      ? [mustDeny(`connect as the master user ${master}`, "rds-db:connect", dbuser(s.resource, master))]
      : []),
  ]);
  const other = stores[0] ? elsewhere(idx, "aws:rds/cluster:Cluster", stores[0].region) : undefined;
  if (other)
    checks.push(mustDeny(`another region's shard ${other.name}`, "rds-db:connect", dbuser(other, user)));
  return checks;
}

function kafkaChecks(
  idx: PlanIndex,
  b: ServiceBinding,
  store: StoreEndpoint,
  consumes: ScaledTopic | undefined,
): CallCheck[] {
  const cluster = String(store.resource.outputs?.arn);
  const topics = Object.values(JSON.parse(b.data.KAFKA_TOPICS ?? "{}") as Record<string, string>).sort();
  const data = b.write ? "kafka-cluster:WriteData" : "kafka-cluster:ReadData";
  const checks: CallCheck[] = [
    mustAllow("connect to the brokers", "kafka-cluster:Connect", cluster),
    ...topics.map((t) =>
      mustAllow(`${b.write ? "produce to" : "consume"} ${t}`, data, mskResourceArn(cluster, "topic", t)),
    ),
  ];
  const group = consumes?.group ?? (b.write ? undefined : b.service);
  if (consumes !== undefined && b.write) {
    checks.push(
      mustAllow(
        `consume ${consumes.topic}`,
        "kafka-cluster:ReadData",
        mskResourceArn(cluster, "topic", consumes.topic),
      ),
    );
  }
  if (group !== undefined) {
    checks.push(
      mustAllow(
        `commit offsets of its group ${group}`,
        "kafka-cluster:AlterGroup",
        mskResourceArn(cluster, "group", group),
      ),
      mustDeny(
        "another service's consumer group",
        "kafka-cluster:AlterGroup",
        mskResourceArn(cluster, "group", "payments"),
      ),
    );
  }
  const other = elsewhere(idx, "aws:msk/cluster:Cluster", store.region);
  if (other && topics[0] !== undefined) {
    const arn = String(other.outputs?.arn);
    checks.push(
      mustDeny(`${topics[0]} on ${other.region}'s brokers`, data, mskResourceArn(arn, "topic", topics[0])),
    );
  }
  return checks;
}

function redisChecks(idx: PlanIndex, b: ServiceBinding, store: StoreEndpoint): CallCheck[] {
  const group = String(store.resource.outputs?.arn);
  const user = idx
    .ofType("aws:elasticache/user:User", store.region)
    .find((u) => u.inputs.userId === b.data.REDIS_USER || u.inputs.userName === b.data.REDIS_USER);
  const checks = [mustAllow("connect to the read model", "elasticache:Connect", group)];
  if (user?.outputs?.arn)
    checks.push(
      mustAllow(`authenticate as ${b.data.REDIS_USER}`, "elasticache:Connect", String(user.outputs.arn)),
    );
  const other = elsewhere(idx, "aws:elasticache/replicationGroup:ReplicationGroup", store.region);
  if (other)
    checks.push(mustDeny(`${other.region}'s Redis`, "elasticache:Connect", String(other.outputs?.arn)));
  return checks;
}

/** The topic and group a service's own ScaledObject reads lag of (its Kafka trigger), if any. */
export interface ScaledTopic {
  readonly topic: string;
  readonly group: string;
}

export function scaledTopic(
  idx: PlanIndex,
  region: string,
  namespace: string,
  service: string,
): ScaledTopic | undefined {
  const so = idx
    .objects(region, "ScaledObject", namespace)
    .find((o) => at(o, "spec", "scaleTargetRef", "name") === service);
  const triggers = at(so, "spec", "triggers");
  const kafka = (Array.isArray(triggers) ? triggers : []).find((t) => at(t, "type") === "apache-kafka");
  const topic = at(kafka, "metadata", "topic");
  const group = at(kafka, "metadata", "consumerGroup");
  return typeof topic === "string" && typeof group === "string" ? { topic, group } : undefined;
}

/** The calls a bound service makes to its stores. */
export function serviceCallChecks(idx: PlanIndex, b: ServiceBinding): CallCheck[] {
  const byKind = (kind: string) => [
    ...new Map(
      b.endpoints.filter((e) => e.kind === kind && e.store).map((e) => [e.store!.resource.urn, e.store!]),
    ).values(),
  ];
  const consumes = scaledTopic(idx, b.region, b.namespace, b.service);
  const kafka = byKind("kafka")[0];
  const redis = byKind("redis")[0];
  return [
    ...postgresChecks(idx, b, byKind("postgres")),
    ...(kafka ? kafkaChecks(idx, b, kafka, consumes) : []),
    ...(redis ? redisChecks(idx, b, redis) : []),
  ];
}

/** The calls KEDA's operator makes to read the lag of each Kafka trigger (describe only, never data). */
export function kedaCallChecks(
  lag: readonly { store: StoreEndpoint; topic: string; group: string }[],
): CallCheck[] {
  return lag.flatMap(({ store, topic, group }) => {
    const cluster = String(store.resource.outputs?.arn);
    return [
      mustAllow(`connect to ${store.label}`, "kafka-cluster:Connect", cluster),
      mustAllow(`describe ${topic}`, "kafka-cluster:DescribeTopic", mskResourceArn(cluster, "topic", topic)),
      mustAllow(
        `read the offsets of ${group}`,
        "kafka-cluster:DescribeGroup",
        mskResourceArn(cluster, "group", group),
      ),
      mustDeny(`read ${topic}'s data`, "kafka-cluster:ReadData", mskResourceArn(cluster, "topic", topic)),
      mustDeny(
        "a group it does not scale on",
        "kafka-cluster:DescribeGroup",
        mskResourceArn(cluster, "group", "payments"),
      ),
    ];
  });
}

/** ExternalDNS: records in its zone only; listing is global (Route 53 has no resource-level list). */
export function externalDnsCallChecks(hostedZoneId: string): CallCheck[] {
  return [
    mustAllow(
      "publish the region's latency records",
      "route53:ChangeResourceRecordSets",
      `arn:aws:route53:::hostedzone/${hostedZoneId}`,
    ),
    mustAllow("find its zone", "route53:ListHostedZones", "*"),
    mustDeny(
      "another hosted zone",
      "route53:ChangeResourceRecordSets",
      "arn:aws:route53:::hostedzone/ZNEIGHBOUR00000000000",
    ),
  ];
}
