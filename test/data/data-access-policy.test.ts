import * as pulumi from "@pulumi/pulumi";
import type { KafkaBinding, PostgresBinding, ReadBinding, WriteBinding } from "../../components/data/cqrs";
import {
  dataAccessPolicy,
  kedaKafkaPolicy,
  mskResourceArn,
} from "../../components/platform/data-access-policy";

const CLUSTER =
  "arn:aws:kafka:us-east-1:111122223333:cluster/semester-msk/0a1b2c3d-4e5f-6789-abcd-ef0123456789-1";
const PG = (region: string, shard: number) =>
  `arn:aws:rds:${region}:111122223333:cluster:semester-pg-${shard}`;

const kafka = (backend: "msk" | "strimzi", region: string): KafkaBinding => ({
  backend,
  region,
  bootstrapServers: pulumi.output("b-1:9098"),
  securityProtocol: backend === "msk" ? "SASL_SSL" : "SSL",
  topics: { "learner-activity": "learner-activity", "enrollment-events": "enrollment-events" } as never,
});
const postgres = (region: string, user: string): PostgresBinding => ({
  region,
  database: "semester",
  port: 5432,
  auth: "iam",
  user,
  shards: [0, 1].map((shard) => ({ shard, host: pulumi.output(`pg-${shard}`) })),
  writeForwarding: false,
  shardMapConfigMap: { namespace: "semester-data", name: "data-shard-map" },
  shardMapParameter: "/semester/prod/shard-map",
});
const write = (backend: "msk" | "strimzi" = "msk"): WriteBinding => ({
  kind: "write",
  region: "eu-west-2",
  postgres: postgres("us-east-1", "semester_writer"),
  kafka: kafka(backend, "us-east-1"),
});
const read: ReadBinding = {
  kind: "read",
  region: "eu-west-2",
  postgres: postgres("eu-west-2", "semester_reader"),
  kafka: kafka("msk", "eu-west-2"),
  redis: {
    region: "eu-west-2",
    configurationEndpoint: pulumi.output("redis"),
    port: 6379,
    tls: true,
    auth: "iam",
    user: "prod-euw2-app",
    writable: false,
  },
};
const REDIS = {
  replicationGroupArn: "arn:aws:elasticache:eu-west-2:111122223333:replicationgroup:prod-euw2-redis",
  userArn: "arn:aws:elasticache:eu-west-2:111122223333:user:prod-euw2-app",
};
const TOPIC =
  "arn:aws:kafka:us-east-1:111122223333:topic/semester-msk/0a1b2c3d-4e5f-6789-abcd-ef0123456789-1";

describe("dataAccessPolicy", () => {
  it("lets write services produce to the catalog's topics and connect as the writer user to every shard", () => {
    const policy = dataAccessPolicy(
      write(),
      {
        mskClusterArn: CLUSTER,
        postgresClusterArns: [PG("us-east-1", 0), PG("us-east-1", 1)],
        postgresClusterResourceIds: ["cluster-AAAA", "cluster-BBBB"],
      },
      { service: "assessment-engine" },
    );
    expect(JSON.parse(policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "KafkaCluster",
          Effect: "Allow",
          Action: [
            "kafka-cluster:Connect",
            "kafka-cluster:DescribeCluster",
            "kafka-cluster:WriteDataIdempotently",
          ],
          Resource: [CLUSTER],
        },
        {
          Sid: "KafkaProduce",
          Effect: "Allow",
          Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"],
          Resource: [`${TOPIC}/enrollment-events`, `${TOPIC}/learner-activity`],
        },
        {
          Sid: "PostgresConnect",
          Effect: "Allow",
          Action: ["rds-db:connect"],
          Resource: [
            "arn:aws:rds-db:us-east-1:111122223333:dbuser:cluster-AAAA/semester_writer",
            "arn:aws:rds-db:us-east-1:111122223333:dbuser:cluster-BBBB/semester_writer",
          ],
        },
      ],
    });
  });

  it("lets a write service that scales on a topic consume it, as its own consumer groups only", () => {
    const policy = JSON.parse(
      dataAccessPolicy(
        write(),
        {
          mskClusterArn: CLUSTER,
          postgresClusterArns: [PG("us-east-1", 0), PG("us-east-1", 1)],
          postgresClusterResourceIds: ["cluster-AAAA", "cluster-BBBB"],
        },
        { service: "enrollment", consumes: "enrollment-events" },
      ),
    );
    const group =
      "arn:aws:kafka:us-east-1:111122223333:group/semester-msk/0a1b2c3d-4e5f-6789-abcd-ef0123456789-1";
    expect(policy.Statement.slice(2, 4)).toEqual([
      {
        Sid: "KafkaConsume",
        Effect: "Allow",
        Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"],
        Resource: [`${TOPIC}/enrollment-events`],
      },
      {
        Sid: "KafkaConsumerGroups",
        Effect: "Allow",
        Action: ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"],
        Resource: [`${group}/enrollment`, `${group}/enrollment-*`],
      },
    ]);
    expect(() =>
      dataAccessPolicy(
        write(),
        {
          mskClusterArn: CLUSTER,
          postgresClusterArns: [PG("us-east-1", 0), PG("us-east-1", 1)],
          postgresClusterResourceIds: ["a", "b"],
        },
        { service: "enrollment", consumes: "payroll" },
      ),
    ).toThrow(
      "Invalid input in dataAccessPolicy (write binding of eu-west-2) (1 problem):\n" +
        '  - `consumes`: got "payroll"; expected a topic of the data tier\'s catalog: enrollment-events, learner-activity',
    );
  });

  it("lets read services consume as their own consumer groups, connect as the reader user and to the local Redis", () => {
    const cluster = CLUSTER.replace(/us-east-1/g, "eu-west-2");
    const topic = TOPIC.replace(/us-east-1/g, "eu-west-2");
    const policy = dataAccessPolicy(
      read,
      {
        mskClusterArn: cluster,
        postgresClusterArns: [PG("eu-west-2", 0), PG("eu-west-2", 1)],
        postgresClusterResourceIds: ["cluster-CCCC", "cluster-DDDD"],
        redis: REDIS,
      },
      { service: "analytics" },
    );
    expect(JSON.parse(policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
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
          Resource: [`${topic}/enrollment-events`, `${topic}/learner-activity`],
        },
        {
          Sid: "KafkaConsumerGroups",
          Effect: "Allow",
          Action: ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"],
          Resource: [
            "arn:aws:kafka:eu-west-2:111122223333:group/semester-msk/0a1b2c3d-4e5f-6789-abcd-ef0123456789-1/analytics",
            "arn:aws:kafka:eu-west-2:111122223333:group/semester-msk/0a1b2c3d-4e5f-6789-abcd-ef0123456789-1/analytics-*",
          ],
        },
        {
          Sid: "PostgresConnect",
          Effect: "Allow",
          Action: ["rds-db:connect"],
          Resource: [
            "arn:aws:rds-db:eu-west-2:111122223333:dbuser:cluster-CCCC/semester_reader",
            "arn:aws:rds-db:eu-west-2:111122223333:dbuser:cluster-DDDD/semester_reader",
          ],
        },
        {
          Sid: "RedisConnect",
          Effect: "Allow",
          Action: ["elasticache:Connect"],
          Resource: [REDIS.replicationGroupArn, REDIS.userArn],
        },
      ],
    });
  });

  it("grants nothing on Kafka with Strimzi, whose clients authenticate with certificates", () => {
    const policy = JSON.parse(
      dataAccessPolicy(
        write("strimzi"),
        {
          postgresClusterArns: [PG("us-east-1", 0), PG("us-east-1", 1)],
          postgresClusterResourceIds: ["cluster-AAAA", "cluster-BBBB"],
        },
        { service: "assessment-engine" },
      ),
    );
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(["PostgresConnect"]);
  });

  it("refuses missing or malformed ARNs with the property, the value and the rule", () => {
    const pg = {
      postgresClusterArns: [PG("us-east-1", 0), PG("us-east-1", 1)],
      postgresClusterResourceIds: ["a", "b"],
    };
    const who = { service: "enrollment" };
    expect(() => dataAccessPolicy(write(), pg, who)).toThrow(
      "Invalid input in dataAccessPolicy (write binding of eu-west-2) (1 problem):\n" +
        "  - `mskClusterArn`: got missing; required: the binding uses MSK",
    );
    expect(() => dataAccessPolicy(read, { ...pg, mskClusterArn: CLUSTER }, who)).toThrow(
      "Invalid input in dataAccessPolicy (read binding of eu-west-2) (1 problem):\n" +
        "  - `redis`: got missing; required: the read binding names Redis",
    );
    expect(() =>
      dataAccessPolicy(write(), { ...pg, mskClusterArn: CLUSTER, postgresClusterResourceIds: ["a"] }, who),
    ).toThrow(
      "Invalid input in dataAccessPolicy (write binding of eu-west-2) (1 problem):\n" +
        "  - `postgresClusterResourceIds.length`: got 1; must be 2: one per shard the binding names",
    );
    expect(() =>
      mskResourceArn("arn:aws:kafka:us-east-1:111122223333:configuration/x/y", "topic", "t"),
    ).toThrow(
      "Invalid input in mskResourceArn (1 problem):\n" +
        '  - `mskClusterArn`: got "arn:aws:kafka:us-east-1:111122223333:configuration/x/y"; must end in cluster/<cluster name>/<cluster uuid>',
    );
  });
});

describe("kedaKafkaPolicy", () => {
  it("lets KEDA describe exactly the Kafka-scaled services' clusters, topics and groups, never data or *", async () => {
    const home = CLUSTER;
    const local = CLUSTER.replace(/us-east-1/g, "eu-west-2");
    const doc = JSON.parse(
      await new Promise<string>((resolve) =>
        kedaKafkaPolicy([
          { mskClusterArn: pulumi.output(home), topic: "enrollment-events", group: "enrollment" },
          { mskClusterArn: local, topic: "learner-activity", group: "analytics" },
        ]).apply(resolve),
      ),
    );
    const ids = (arn: string) => arn.replace(/cluster\//, "");
    expect(doc.Statement).toEqual([
      {
        Sid: "KafkaCluster",
        Effect: "Allow",
        Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"],
        Resource: [local, home],
      },
      {
        Sid: "KafkaLagTopics",
        Effect: "Allow",
        Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:DescribeTopicDynamicConfiguration"],
        Resource: [
          `${ids(local).replace(":kafka:eu-west-2:111122223333:", ":kafka:eu-west-2:111122223333:topic/")}/learner-activity`,
          `${TOPIC}/enrollment-events`,
        ],
      },
      {
        Sid: "KafkaLagGroups",
        Effect: "Allow",
        Action: ["kafka-cluster:DescribeGroup"],
        Resource: [mskResourceArn(local, "group", "analytics"), mskResourceArn(home, "group", "enrollment")],
      },
    ]);
    expect(JSON.stringify(doc)).not.toContain('"*"');
    expect(JSON.stringify(doc)).not.toContain("ReadData");
  });
});
