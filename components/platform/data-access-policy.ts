/**
 * The IAM policy a service needs to use its CQRS binding. Every store authenticates with IAM, so a service's Pod
 * Identity role must be allowed to connect to exactly the stores its binding names:
 *
 * - MSK (SASL/IAM): `kafka-cluster:Connect`/`DescribeCluster` on the cluster; on the catalog's topics, writers
 *   `DescribeTopic`/`WriteData` (and `WriteDataIdempotently` on the cluster, since Kafka producers are idempotent
 *   by default), readers `DescribeTopic`/`ReadData`; consumers `DescribeGroup`/`AlterGroup` on their OWN groups
 *   only (`<service>` and `<service>-*`), and a writer that scales on a topic's lag may also consume that topic.
 *   Strimzi authenticates with client certificates, so it adds nothing here.
 * - Aurora (IAM database authentication): `rds-db:connect` on `dbuser:<cluster resource id>/<user>` of every
 *   shard the binding names (writers for `write`, readers for `read`).
 * - ElastiCache (IAM-enabled RBAC user): `elasticache:Connect` on the replication group and the user (`read`).
 *
 * ARN formats (AWS Service Authorization Reference and the MSK developer guide, "IAM access control"):
 * `arn:aws:kafka:<region>:<account>:{cluster,topic,group}/<cluster name>/<cluster uuid>[/<name>]`,
 * `arn:aws:rds-db:<region>:<account>:dbuser:<DbiResourceId>/<user>`,
 * `arn:aws:elasticache:<region>:<account>:{replicationgroup,user}:<id>`.
 */
import * as pulumi from "@pulumi/pulumi";
import { type ReadBinding, type RegionBindings, type WriteBinding, knownTopicProblems } from "../data";
import type { ServiceName, ServicesConfig } from "../kubernetes";
import { InputError, throwIfProblems } from "../core";

/** @internal The resolved ARNs one binding's policy names (plain strings: the function is pure). */
export interface DataAccessArns {
  /** ARN of the MSK cluster in the binding's Kafka region. Required when the binding's backend is MSK. */
  readonly mskClusterArn?: string;
  /** ARNs of the Aurora clusters in the binding's Postgres region, by shard (region and account come from here). */
  readonly postgresClusterArns: readonly string[];
  /** Resource ids (`cluster-…`) of the same clusters, by shard. */
  readonly postgresClusterResourceIds: readonly string[];
  /** ElastiCache replication group and user ARNs of the binding's region. Required for a read binding. */
  readonly redis?: { readonly replicationGroupArn: string; readonly userArn: string };
}

interface Statement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: string[];
  readonly Resource: string[];
}

/** Splits `arn:partition:service:region:account:resource`; throws `source`'s InputError on anything else. */
function parseArn(
  arn: string,
  what: string,
  source: string,
): { partition: string; region: string; account: string; resource: string } {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") {
    throw new InputError(source, [
      {
        path: what,
        value: arn,
        rule: "must be an ARN (arn:<partition>:<service>:<region>:<account>:<resource>)",
      },
    ]);
  }
  return { partition: parts[1]!, region: parts[3]!, account: parts[4]!, resource: parts.slice(5).join(":") };
}

/**
 * The MSK ARN of another resource type of the same cluster: `cluster/<name>/<uuid>` becomes `<type>/<name>/<uuid>/<leaf>`.
 * @internal
 */
export function mskResourceArn(clusterArn: string, type: "topic" | "group", leaf: string): string {
  const { resource } = parseArn(clusterArn, "mskClusterArn", "mskResourceArn");
  if (!/^cluster\/[^/]+\/[^/]+$/.test(resource)) {
    throw new InputError("mskResourceArn", [
      { path: "mskClusterArn", value: clusterArn, rule: "must end in cluster/<cluster name>/<cluster uuid>" },
    ]);
  }
  const prefix = clusterArn.slice(0, clusterArn.length - resource.length);
  return `${prefix}${type}/${resource.slice("cluster/".length)}/${leaf}`;
}

/** @internal Who uses a binding: the service (its consumer groups are named after it) and a topic it consumes, if any. */
export interface BindingUser {
  readonly service: string;
  /** A topic the service consumes (as its own groups) beyond what its binding grants. @default none */
  readonly consumes?: string;
}

/** The groups a service may use: `<service>` and `<service>-*` (see `ownsConsumerGroup`). */
function ownGroups(cluster: string, service: string): string[] {
  return [mskResourceArn(cluster, "group", service), mskResourceArn(cluster, "group", `${service}-*`)];
}

function kafkaStatements(
  binding: WriteBinding | ReadBinding,
  arns: DataAccessArns,
  user: BindingUser,
): Statement[] {
  if (binding.kafka.backend !== "msk") return [];
  const cluster = arns.mskClusterArn;
  if (cluster === undefined) {
    throw new InputError(policySource(binding), [
      { path: "mskClusterArn", value: undefined, rule: "required: the binding uses MSK" },
    ]);
  }
  const topics = Object.values(binding.kafka.topics)
    .sort()
    .map((t) => mskResourceArn(cluster, "topic", t));
  const groups: Statement = {
    Sid: "KafkaConsumerGroups",
    Effect: "Allow",
    Action: ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"],
    Resource: ownGroups(cluster, user.service),
  };
  if (binding.kind === "write") {
    const consumes = user.consumes;
    if (consumes !== undefined) {
      throwIfProblems(
        policySource(binding),
        knownTopicProblems(consumes, Object.values(binding.kafka.topics), "consumes"),
      );
    }
    const consume: Statement[] =
      consumes === undefined
        ? []
        : [
            {
              Sid: "KafkaConsume",
              Effect: "Allow",
              Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"],
              Resource: [mskResourceArn(cluster, "topic", consumes)],
            },
            groups,
          ];
    return [
      {
        Sid: "KafkaCluster",
        Effect: "Allow",
        Action: [
          "kafka-cluster:Connect",
          "kafka-cluster:DescribeCluster",
          "kafka-cluster:WriteDataIdempotently",
        ],
        Resource: [cluster],
      },
      {
        Sid: "KafkaProduce",
        Effect: "Allow",
        Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"],
        Resource: topics,
      },
      ...consume,
    ];
  }
  return [
    {
      Sid: "KafkaCluster",
      Effect: "Allow",
      Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"],
      Resource: [cluster],
    },
    {
      Sid: "KafkaConsume",
      Effect: "Allow",
      Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"],
      Resource: topics,
    },
    groups,
  ];
}

function postgresStatement(binding: WriteBinding | ReadBinding, arns: DataAccessArns): Statement {
  const { shards, user } = binding.postgres;
  const { postgresClusterArns: clusters, postgresClusterResourceIds: ids } = arns;
  throwIfProblems(
    policySource(binding),
    (["postgresClusterArns", "postgresClusterResourceIds"] as const).flatMap((key) =>
      arns[key].length === shards.length
        ? []
        : [
            {
              path: `${key}.length`,
              value: arns[key].length,
              rule: `must be ${shards.length}: one per shard the binding names`,
            },
          ],
    ),
  );
  return {
    Sid: "PostgresConnect",
    Effect: "Allow",
    Action: ["rds-db:connect"],
    Resource: shards.map(({ shard }) => {
      const { partition, region, account } = parseArn(
        clusters[shard]!,
        `postgresClusterArns[${shard}]`,
        policySource(binding),
      );
      return `arn:${partition}:rds-db:${region}:${account}:dbuser:${ids[shard]}/${user}`;
    }),
  };
}

/**
 * The IAM policy document (JSON) for one service with the given binding: write services get the write binding's
 * stores, read services the read binding's, each only its own consumer groups. Pure; throws when an ARN the
 * binding needs is missing or malformed.
 * @internal
 */
export function dataAccessPolicy(
  binding: WriteBinding | ReadBinding,
  arns: DataAccessArns,
  user: BindingUser,
): string {
  const statements = [...kafkaStatements(binding, arns, user), postgresStatement(binding, arns)];
  if (binding.kind === "read") {
    if (arns.redis === undefined) {
      throw new InputError(policySource(binding), [
        { path: "redis", value: undefined, rule: "required: the read binding names Redis" },
      ]);
    }
    statements.push({
      Sid: "RedisConnect",
      Effect: "Allow",
      Action: ["elasticache:Connect"],
      Resource: [arns.redis.replicationGroupArn, arns.redis.userArn],
    });
  }
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** Whose arguments a policy refuses: `dataAccessPolicy (write binding of eu-west-2)`. */
function policySource(binding: WriteBinding | ReadBinding): string {
  return `dataAccessPolicy (${binding.kind} binding of ${binding.region})`;
}

/** @internal The ARNs the data tier exposes per region (see `DataTier`). */
export interface DataTierArns {
  readonly mskClusterArns: Readonly<Record<string, pulumi.Input<string>>>;
  readonly postgresClusterArns: Readonly<Record<string, readonly pulumi.Input<string>[]>>;
  readonly postgresClusterResourceIds: Readonly<Record<string, readonly pulumi.Input<string>[]>>;
  readonly redisReplicationGroupArns: Readonly<Record<string, pulumi.Input<string>>>;
  readonly redisUserArns: Readonly<Record<string, pulumi.Input<string>>>;
}

/**
 * Each bound service's policy in a region, once the ARNs are known: a binding takes the ARNs of the regions it
 * points at (the write binding's Kafka may live in the home region).
 * @internal
 */
export function dataAccessPolicies(
  bindings: RegionBindings,
  tier: DataTierArns,
  services: ServicesConfig,
): Partial<Record<ServiceName, pulumi.Output<string>>> {
  const policy = (binding: WriteBinding | ReadBinding, who: BindingUser): pulumi.Output<string> => {
    const pg = binding.postgres.region;
    const redisRegion = binding.kind === "read" ? binding.redis.region : undefined;
    return pulumi
      .all([
        tier.mskClusterArns[binding.kafka.region],
        pulumi.all([...(tier.postgresClusterArns[pg] ?? [])]),
        pulumi.all([...(tier.postgresClusterResourceIds[pg] ?? [])]),
        redisRegion !== undefined ? tier.redisReplicationGroupArns[redisRegion] : undefined,
        redisRegion !== undefined ? tier.redisUserArns[redisRegion] : undefined,
      ])
      .apply(([mskClusterArn, postgresClusterArns, postgresClusterResourceIds, group, user]) =>
        dataAccessPolicy(
          binding,
          {
            mskClusterArn,
            postgresClusterArns,
            postgresClusterResourceIds,
            redis:
              group !== undefined && user !== undefined
                ? { replicationGroupArn: group, userArn: user }
                : undefined,
          },
          who,
        ),
      );
  };
  const out: Partial<Record<ServiceName, pulumi.Output<string>>> = {};
  for (const [service, config] of Object.entries(services) as [ServiceName, ServicesConfig[ServiceName]][]) {
    if (config.dataAccess === "none") continue;
    out[service] = policy(bindings[config.dataAccess], { service, consumes: config.scaling.kafka?.topic });
  }
  return out;
}

/** @internal One Kafka-scaled service as KEDA's operator sees it: the cluster it reads lag from, the topic, the group. */
export interface LagSource {
  readonly mskClusterArn: pulumi.Input<string>;
  readonly topic: string;
  readonly group: string;
}

/**
 * The KEDA operator's policy: read consumer lag with MSK IAM from exactly the Kafka-scaled services' clusters,
 * topics and groups (`Connect`/`DescribeCluster` on the clusters, `DescribeTopic` and its dynamic configuration on
 * the topics, `DescribeGroup` on the groups). Never `*`.
 * @internal
 */
export function kedaKafkaPolicy(sources: readonly LagSource[]): pulumi.Output<string> {
  return pulumi.all(sources.map((s) => pulumi.output(s.mskClusterArn))).apply((clusters) => {
    const uniq = (xs: string[]) => [...new Set(xs)].sort();
    return JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "KafkaCluster",
          Effect: "Allow",
          Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"],
          Resource: uniq(clusters),
        },
        {
          Sid: "KafkaLagTopics",
          Effect: "Allow",
          Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:DescribeTopicDynamicConfiguration"],
          Resource: uniq(sources.map((s, i) => mskResourceArn(clusters[i]!, "topic", s.topic))),
        },
        {
          Sid: "KafkaLagGroups",
          Effect: "Allow",
          Action: ["kafka-cluster:DescribeGroup"],
          Resource: uniq(sources.map((s, i) => mskResourceArn(clusters[i]!, "group", s.group))),
        },
      ],
    });
  });
}
