import { fakeCluster } from "../fixtures/data/cluster";
import { ofType, recorded, reset, setDataMocks, settle, valueOf } from "../fixtures/data/mocks";

setDataMocks();

const { DataTier, resolveDataTier, shortRegion } =
  require("../../components/data/data-tier") as typeof import("../../components/data/data-tier");
const { dataAccessPolicies } =
  require("../../components/platform/data-access-policy") as typeof import("../../components/platform/data-access-policy");
const { dataSchema } =
  require("../../components/data/config") as typeof import("../../components/data/config");
const { DEFAULT_SERVICES } =
  require("../../components/kubernetes/config") as typeof import("../../components/kubernetes/config");

const PROD = ["us-east-1", "eu-west-2", "ap-northeast-1"];
const clusters = (regions: string[]) => Object.fromEntries(regions.map((r) => [r, fakeCluster(r)]));
const count = (type: string) => ofType(type).length;

describe("DataTier", () => {
  beforeAll(reset);
  let prod: InstanceType<typeof DataTier>;

  it("builds prod with per-region stores and every cross-region replication, primaries in the home region", async () => {
    const tier = new DataTier("b", {
      environment: "prod",
      homeRegion: "us-east-1",
      regions: clusters(PROD),
      config: dataSchema.parse({ postgres: { shards: 2 } }),
    });
    prod = tier;
    await settle();
    expect(tier.settings).toEqual({
      replicator: true,
      globalDatastore: true,
      globalDatabase: true,
      writeForwarding: true,
      deletionProtection: true,
      deployedShards: 2,
    });
    expect([
      count("aws:msk/cluster:Cluster"),
      count("aws:elasticache/replicationGroup:ReplicationGroup"),
      count("aws:rds/cluster:Cluster"),
      count("aws:msk/replicator:Replicator"),
      count("aws:elasticache/globalReplicationGroup:GlobalReplicationGroup"),
      count("aws:rds/globalCluster:GlobalCluster"),
      count("kafka:index/topic:Topic"),
      count("aws:ssm/parameter:Parameter"),
    ]).toEqual([3, 3, 6, 2, 1, 2, 21, 3]);
    const replicators = ofType("aws:msk/replicator:Replicator");
    expect(
      replicators.map((r) => [
        r.name,
        r.provider?.includes(`aws-${r.name.split("replicator-")[1].replace("-replicator", "")}`),
      ]),
    ).toEqual([
      ["b-msk-replicator-ap-northeast-1-replicator", true],
      ["b-msk-replicator-eu-west-2-replicator", true],
    ]);
    expect(replicators[0].inputs.replicationInfoList.consumerGroupReplications[0]).toMatchObject({
      synchroniseConsumerGroupOffsets: true,
      consumerGroupsToReplicates: [".*"],
    });
    expect(replicators[0].inputs.replicationInfoList.sourceKafkaClusterArn).toBe(
      "arn:aws:kafka:r:123456789012:cluster/b-us-east-1-msk-cluster/uuid-1",
    );
    const grg = ofType("aws:elasticache/globalReplicationGroup:GlobalReplicationGroup")[0];
    expect([grg.inputs.primaryReplicationGroupId, grg.provider?.includes("aws-us-east-1")]).toEqual([
      "b-us-east-1-redis-group-id",
      true,
    ]);
    const secondaries = ofType("aws:elasticache/replicationGroup:ReplicationGroup").filter(
      (r) => r.inputs.globalReplicationGroupId,
    );
    expect(secondaries.map((r) => r.name).sort()).toEqual([
      "b-ap-northeast-1-redis-group",
      "b-eu-west-2-redis-group",
    ]);
    const pg = ofType("aws:rds/cluster:Cluster");
    expect(pg.filter((r) => r.inputs.globalClusterIdentifier).length).toBe(6);
    // Secondaries forward writes; the primaries take them directly.
    expect(pg.map((r) => [r.name, r.inputs.enableGlobalWriteForwarding ?? false]).sort()).toEqual([
      ["b-ap-northeast-1-pg-0-cluster", true],
      ["b-ap-northeast-1-pg-1-cluster", true],
      ["b-eu-west-2-pg-0-cluster", true],
      ["b-eu-west-2-pg-1-cluster", true],
      ["b-us-east-1-pg-0-cluster", false],
      ["b-us-east-1-pg-1-cluster", false],
    ]);
    // The home MSK admits exactly the secondaries' private subnets on 9098; nothing else admits a CIDR.
    const peerRules = ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
      (r) => r.inputs.cidrIpv4 !== undefined,
    );
    expect(peerRules.map((r) => [r.name, r.inputs.cidrIpv4, r.inputs.fromPort])).toEqual([
      ["b-us-east-1-sg-msk-from-peer-0", "10.2.0.0/19", 9098],
      ["b-us-east-1-sg-msk-from-peer-1", "10.2.32.0/19", 9098],
      ["b-us-east-1-sg-msk-from-peer-2", "10.2.64.0/19", 9098],
      ["b-us-east-1-sg-msk-from-peer-3", "10.1.0.0/19", 9098],
      ["b-us-east-1-sg-msk-from-peer-4", "10.1.32.0/19", 9098],
      ["b-us-east-1-sg-msk-from-peer-5", "10.1.64.0/19", 9098],
    ]);
    expect(
      pg.every((r) => r.inputs.deletionProtection === true && r.inputs.skipFinalSnapshot === false),
    ).toBe(true);
  });

  it("binds prod writes to the local secondary (write forwarding) and the home Kafka, reads to the local readers and Redis", async () => {
    const tier = prod;
    const eu = tier.bindings["eu-west-2"];
    expect(await valueOf(eu.write.postgres.shards[0].host)).toBe("b-eu-west-2-pg-0-cluster.reader");
    expect([eu.write.postgres.region, eu.write.postgres.writeForwarding]).toEqual(["eu-west-2", true]);
    expect(await valueOf(tier.bindings["us-east-1"].write.postgres.shards[0].host)).toBe(
      "b-us-east-1-pg-0-cluster.writer",
    );
    expect(tier.bindings["us-east-1"].write.postgres.writeForwarding).toBe(false);
    expect(tier.crossRegionPaths).toEqual([
      { from: "ap-northeast-1", to: "us-east-1", store: "kafka", port: 9098 },
      { from: "eu-west-2", to: "us-east-1", store: "kafka", port: 9098 },
    ]);
    expect(await valueOf(eu.write.kafka.bootstrapServers)).toContain("b-us-east-1-msk-cluster");
    expect(await valueOf(eu.read.postgres.shards[1].host)).toBe("b-eu-west-2-pg-1-cluster.reader");
    expect(await valueOf(eu.read.redis.configurationEndpoint)).toBe("b-eu-west-2-redis-group.cfg");
    expect([
      eu.read.redis.writable,
      tier.bindings["us-east-1"].read.redis.writable,
      eu.read.redis.user,
    ]).toEqual([false, true, "prod-euw2-app"]);
    expect(eu.write.kafka.topics["enrollment-events"]).toBe("enrollment-events");
    const cm = tier.configMapObjects["eu-west-2"][0];
    const doc = JSON.parse(await valueOf(cm.data["shard-map.json"]));
    expect([
      cm.metadata,
      doc.hash,
      doc.buckets,
      doc.shards[1].writer,
      doc.shards[1].reader,
      doc.shards[1].ranges,
    ]).toEqual([
      {
        name: "data-shard-map",
        namespace: "semester-data",
        labels: { "app.kubernetes.io/part-of": "semester", "semester/data": "shard-map" },
      },
      "fnv1a-32",
      4096,
      "b-eu-west-2-pg-1-cluster.reader",
      "b-eu-west-2-pg-1-cluster.reader",
      [[2048, 4095]],
    ]);
  });

  it("exposes the ARNs services' IAM policies name; a secondary's write policy names its local shards and the home MSK", async () => {
    const tier = prod;
    expect([
      await valueOf(tier.mskClusterArns["eu-west-2"]),
      await valueOf(tier.postgresClusterResourceIds["eu-west-2"][1]),
      await valueOf(tier.redisReplicationGroupArns["eu-west-2"]),
      await valueOf(tier.redisUserArns["eu-west-2"]),
      tier.postgresIamUsers,
    ]).toEqual([
      "arn:aws:kafka:r:123456789012:cluster/b-eu-west-2-msk-cluster/uuid-1",
      "cluster-b-eu-west-2-pg-1-cluster",
      "arn:aws:elasticache:r:123456789012:replicationgroup:b-eu-west-2-redis-group",
      "arn:aws:elasticache:r:123456789012:user:b-eu-west-2-redis-app-user",
      { write: "semester_writer", read: "semester_reader" },
    ]);
    const policies = dataAccessPolicies(tier.bindings["eu-west-2"], tier, DEFAULT_SERVICES);
    const write = JSON.parse(await valueOf(policies["assessment-engine"]!));
    const read = JSON.parse(await valueOf(policies["course-catalog"]!));
    const resources = (doc: { Statement: { Sid: string; Resource: string[] }[] }, sid: string) =>
      doc.Statement.find((st) => st.Sid === sid)!.Resource;
    expect(resources(write, "PostgresConnect")).toEqual([
      "arn:aws:rds-db:r:123456789012:dbuser:cluster-b-eu-west-2-pg-0-cluster/semester_writer",
      "arn:aws:rds-db:r:123456789012:dbuser:cluster-b-eu-west-2-pg-1-cluster/semester_writer",
    ]);
    expect(resources(write, "KafkaCluster")).toEqual([
      "arn:aws:kafka:r:123456789012:cluster/b-us-east-1-msk-cluster/uuid-1",
    ]);
    expect(resources(read, "PostgresConnect")).toEqual([
      "arn:aws:rds-db:r:123456789012:dbuser:cluster-b-eu-west-2-pg-0-cluster/semester_reader",
      "arn:aws:rds-db:r:123456789012:dbuser:cluster-b-eu-west-2-pg-1-cluster/semester_reader",
    ]);
    expect(resources(read, "RedisConnect")).toEqual([
      "arn:aws:elasticache:r:123456789012:replicationgroup:b-eu-west-2-redis-group",
      "arn:aws:elasticache:r:123456789012:user:b-eu-west-2-redis-app-user",
    ]);
    expect(tier.bindings["eu-west-2"].write.postgres.user).toBe("semester_writer");
  });

  it("builds dev in one region with Strimzi, no cross-region replication and no deletion protection", async () => {
    reset();
    const tier = new DataTier("dev", {
      environment: "dev",
      homeRegion: "eu-west-2",
      regions: clusters(["eu-west-2"]),
      config: dataSchema.parse({
        kafka: { backend: "strimzi", storageGiB: 20 },
        redis: { nodeType: "cache.t4g.small", shards: 1 },
        postgres: { shards: 1, instanceClass: "db.t4g.medium" },
      }),
    });
    await settle();
    expect(tier.settings).toEqual({
      replicator: false,
      globalDatastore: false,
      globalDatabase: false,
      writeForwarding: false,
      deletionProtection: false,
      deployedShards: 1,
    });
    expect([
      count("aws:msk/cluster:Cluster"),
      count("aws:rds/globalCluster:GlobalCluster"),
      count("aws:rds/clusterInstance:ClusterInstance"),
    ]).toEqual([0, 0, 2]);
    expect(tier.strimziObjects["eu-west-2"].map((o) => o.kind).slice(0, 2)).toEqual([
      "Kafka",
      "KafkaNodePool",
    ]);
    expect(await valueOf(tier.bindings["eu-west-2"].write.kafka.bootstrapServers)).toBe(
      "events-kafka-bootstrap.kafka.svc:9093",
    );
    expect(ofType("aws:ec2/securityGroup:SecurityGroup").map((g) => g.name)).toEqual([
      "dev-eu-west-2-sg-redis",
      "dev-eu-west-2-sg-postgres",
    ]);
    expect(recorded.some((r) => r.inputs.cidrIpv4 === "0.0.0.0/0")).toBe(false);
  });

  it("hands each region's windows to its Aurora clusters, replication group and Strimzi's Kafka", async () => {
    reset();
    const eu = {
      "redis.maintenanceWindow": "tue:02:15-tue:03:15",
      "postgres.maintenanceWindow": "wed:01:00-wed:02:00",
      "redis.snapshotWindow": "04:00-05:00",
      "postgres.backupWindow": "05:00-05:30",
    };
    const tier = new DataTier("w", {
      environment: "dev",
      homeRegion: "eu-west-2",
      regions: clusters(["eu-west-2", "us-east-1"]),
      config: dataSchema.parse({
        kafka: { backend: "strimzi" },
        postgres: { shards: 1, backupWindow: "01:00-01:30" },
      }),
      windows: { "eu-west-2": eu },
    });
    await settle();
    const inputs = (type: string, region: string, keys: string[]) =>
      ofType(type)
        .filter((r) => r.name.startsWith(`w-${region}-`))
        .map((r) => keys.map((k) => r.inputs[k]));
    expect(
      inputs("aws:rds/cluster:Cluster", "eu-west-2", ["preferredMaintenanceWindow", "preferredBackupWindow"]),
    ).toEqual([["wed:01:00-wed:02:00", "05:00-05:30"]]);
    expect(
      inputs("aws:elasticache/replicationGroup:ReplicationGroup", "eu-west-2", [
        "maintenanceWindow",
        "snapshotWindow",
      ]),
    ).toEqual([["tue:02:15-tue:03:15", "04:00-05:00"]]);
    expect(
      (tier.strimziObjects["eu-west-2"][0]!.spec as { maintenanceTimeWindows: string[] })
        .maintenanceTimeWindows,
    ).toEqual(["* 15-59 2 ? * TUE", "* 0-14 3 ? * TUE"]);
    // A region the argument leaves out gets the pins and the static defaults.
    expect(tier.windows["us-east-1"]).toEqual({
      "redis.maintenanceWindow": "sun:05:00-sun:06:00",
      "postgres.maintenanceWindow": "sun:04:00-sun:05:00",
      "redis.snapshotWindow": "03:00-04:00",
      "postgres.backupWindow": "01:00-01:30",
    });
    expect(
      inputs("aws:rds/cluster:Cluster", "us-east-1", ["preferredMaintenanceWindow", "preferredBackupWindow"]),
    ).toEqual([["sun:04:00-sun:05:00", "01:00-01:30"]]);
  });

  it("refuses windows AWS would refuse before creating anything", () => {
    reset();
    expect(
      () =>
        new DataTier("bad", {
          environment: "dev",
          homeRegion: "eu-west-2",
          regions: clusters(["eu-west-2"]),
          config: dataSchema.parse({
            postgres: { maintenanceWindow: "sun:02:00-sun:03:00", backupWindow: "02:30-03:00" },
          }),
          windows: {
            "eu-west-2": {
              "redis.maintenanceWindow": "sun:05:00-sun:05:30",
              "postgres.maintenanceWindow": "sun:04:00-sun:05:00",
              "redis.snapshotWindow": "03:00-04:00",
              "postgres.backupWindow": "04:30-05:30",
            },
          },
        }),
    ).toThrow(
      [
        "Invalid input in DataTier bad (2 problems):",
        '  - `config.postgres.backupWindow`: got "02:30-03:00"; must not overlap postgres.maintenanceWindow "sun:02:00-sun:03:00"',
        '  - `windows.eu-west-2.redis.maintenanceWindow`: got "sun:05:00-sun:05:30"; must be at least 60 minutes long',
      ].join("\n"),
    );
    expect(recorded).toEqual([]);
  });

  it("keeps removed shards while a reshard runs and prints the plan", () => {
    const tier = new DataTier("rs", {
      environment: "staging",
      homeRegion: "eu-west-2",
      regions: clusters(["eu-west-2"]),
      config: dataSchema.parse({ postgres: { shards: 2, previousShards: 3 } }),
    });
    expect(tier.settings.deployedShards).toBe(3);
    expect(tier.reshardPlan?.moved).toBe(1365);
    expect(tier.reshardSummary.split("\n")[1]).toBe(
      "Reshard 3 -> 2: 1365 buckets move (33.3% of the keyspace, the minimum)",
    );
  });

  it("rejects global replication that AWS cannot build, listing every problem", () => {
    const args = {
      environment: "prod" as const,
      homeRegion: "us-west-2",
      regions: clusters(["us-east-1", "eu-west-2", "ap-northeast-1", "eu-central-1"]),
      config: dataSchema.parse({ redis: { nodeType: "cache.t4g.small" } }),
    };
    expect(resolveDataTier(args).problems).toEqual([
      {
        path: "config.redis.globalDatastore",
        value: true,
        rule: "supports at most 3 regions (a primary and 2 secondaries), got 4",
      },
      {
        path: "config.redis.nodeType",
        value: "cache.t4g.small",
        rule: "must be an M5/M6g/M7g/R5/R6g/R6gd/R7g/C7gn node of size large or above when redis.globalDatastore is on",
      },
    ]);
    expect(() => new DataTier("x", args)).toThrow(
      [
        "Invalid input in DataTier x (3 problems):",
        '  - `homeRegion`: got "us-west-2"; must be one of the regions: us-east-1, eu-west-2, ap-northeast-1, eu-central-1',
        "  - `config.redis.globalDatastore`: got true; supports at most 3 regions (a primary and 2 secondaries), got 4",
        '  - `config.redis.nodeType`: got "cache.t4g.small"; must be an M5/M6g/M7g/R5/R6g/R6gd/R7g/C7gn node of size large or above when redis.globalDatastore is on',
      ].join("\n"),
    );
  });

  it("shortens region names for length-limited ids", () => {
    expect(PROD.map(shortRegion)).toEqual(["use1", "euw2", "apne1"]);
  });
});
