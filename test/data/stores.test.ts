import { fakeCluster } from "../fixtures/data/cluster";
import { named, ofType, recorded, reset, setDataMocks, settle } from "../fixtures/data/mocks";

setDataMocks();

const { MskCluster } =
  require("../../components/data/kafka/msk-cluster") as typeof import("../../components/data/kafka/msk-cluster");
const { DataSecurityGroups } =
  require("../../components/data/network") as typeof import("../../components/data/network");
const { RedisReplicationGroup } =
  require("../../components/data/redis/replication-group") as typeof import("../../components/data/redis/replication-group");
const { AuroraShard } =
  require("../../components/data/postgres/aurora-shard") as typeof import("../../components/data/postgres/aurora-shard");

beforeEach(reset);

describe("MskCluster", () => {
  async function msk(args: Partial<import("../../components/data/kafka/msk-cluster").MskClusterArgs> = {}) {
    new MskCluster("m", { cluster: fakeCluster("eu-west-2"), securityGroupId: "sg-msk", ...args });
    await settle();
    return named("m-cluster").inputs;
  }

  it("spreads brokers over the 3 private subnets with public access disabled", async () => {
    const i = await msk();
    expect(i.numberOfBrokerNodes).toBe(3);
    expect(i.brokerNodeGroupInfo).toEqual({
      instanceType: "kafka.m7g.large",
      clientSubnets: ["subnet-eu-west-2a", "subnet-eu-west-2b", "subnet-eu-west-2c"],
      securityGroups: ["sg-msk"],
      storageInfo: { ebsStorageInfo: { volumeSize: 1000 } },
      connectivityInfo: { publicAccess: { type: "DISABLED" } },
    });
  });

  it("requires TLS in transit and in cluster, with the storage encrypted by its own rotating CMK", async () => {
    const i = await msk();
    expect(i.encryptionInfo).toEqual({
      encryptionAtRestKmsKeyArn: "arn:aws:kms:r:123456789012:key/m-kms-key",
      encryptionInTransit: { clientBroker: "TLS", inCluster: true },
    });
    expect(named("m-kms-key").inputs).toEqual({
      description: "MSK m storage",
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
  });

  it("authenticates with IAM only", async () => {
    expect((await msk()).clientAuthentication).toEqual({
      sasl: { iam: true, scram: false },
      unauthenticated: false,
    });
  });

  it("configures replication factor 3, min ISR 2 and no automatic topic creation", async () => {
    const i = await msk();
    expect(named("m-config").inputs.serverProperties).toBe(
      "auto.create.topics.enable=false\ndefault.replication.factor=3\nmin.insync.replicas=2\nunclean.leader.election.enable=false",
    );
    expect(i.configurationInfo).toEqual({
      arn: "arn:aws:kafka:r:123456789012:configuration/m-config/cfg",
      revision: 1,
    });
  });

  it("ships broker logs to CloudWatch and enables the Prometheus JMX and node exporters", async () => {
    const i = await msk();
    expect(i.loggingInfo).toEqual({
      brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: "m-broker-logs" } },
    });
    expect(named("m-broker-logs").inputs.retentionInDays).toBe(30);
    expect(i.openMonitoring).toEqual({
      prometheus: { jmxExporter: { enabledInBroker: true }, nodeExporter: { enabledInBroker: true } },
    });
    expect(i.enhancedMonitoring).toBe("PER_BROKER");
  });

  it("passes every override through", async () => {
    const i = await msk({
      brokerInstanceType: "kafka.t3.small",
      brokersPerAz: 2,
      storageGiB: 20,
      kafkaVersion: "3.9.x",
      logRetentionDays: 7,
      enhancedMonitoring: "DEFAULT",
      serverProperties: { "num.partitions": "6" },
    });
    expect([
      i.brokerNodeGroupInfo.instanceType,
      i.numberOfBrokerNodes,
      i.brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize,
      i.kafkaVersion,
      i.enhancedMonitoring,
    ]).toEqual(["kafka.t3.small", 6, 20, "3.9.x", "DEFAULT"]);
    expect(named("m-broker-logs").inputs.retentionInDays).toBe(7);
    expect(named("m-config").inputs.serverProperties).toContain("num.partitions=6");
    expect(named("m-config").inputs.kafkaVersions).toEqual(["3.9.x"]);
  });

  it("uses the region's explicit provider for every AWS child", async () => {
    await msk();
    for (const r of recorded.filter((r) => r.type.startsWith("aws:") && r.type !== "pulumi:providers:aws")) {
      expect(r.provider).toContain("aws-eu-west-2");
    }
  });

  it("rejects a min ISR that is not below the replication factor, before creating anything", () => {
    expect(
      () =>
        new MskCluster("bad", {
          cluster: fakeCluster("eu-west-2"),
          securityGroupId: "sg",
          serverProperties: { "min.insync.replicas": "3" },
        }),
    ).toThrow(
      "Invalid input in MskCluster bad (1 problem):\n" +
        '  - `serverProperties["min.insync.replicas"]`: got "3"; must be at least 1 and less than the replication factor 3',
    );
    expect(recorded.filter((r) => r.name.startsWith("bad"))).toEqual([]);
  });
});

describe("DataSecurityGroups", () => {
  it("admits only the node security group, each store on its own port", async () => {
    new DataSecurityGroups("sg", {
      cluster: fakeCluster("us-east-1"),
      stores: ["kafka", "redis", "postgres"],
    });
    await settle();
    const rules = ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => [
      r.name,
      r.inputs.referencedSecurityGroupId,
      r.inputs.fromPort,
      r.inputs.toPort,
      r.inputs.cidrIpv4,
    ]);
    expect(rules).toEqual([
      ["sg-msk-from-nodes", "sg-nodes-us-east-1", 9098, 9098, undefined],
      ["sg-redis-from-nodes", "sg-nodes-us-east-1", 6379, 6379, undefined],
      ["sg-postgres-from-nodes", "sg-nodes-us-east-1", 5432, 5432, undefined],
    ]);
    for (const g of ofType("aws:ec2/securityGroup:SecurityGroup")) {
      expect([g.inputs.vpcId, g.inputs.ingress, g.inputs.egress]).toEqual([
        "vpc-us-east-1",
        undefined,
        undefined,
      ]);
    }
  });

  it("admits the MSK Replicator group on 9098 and peer CIDRs on their store's port only", async () => {
    new DataSecurityGroups("sg", {
      cluster: fakeCluster("us-east-1"),
      stores: ["kafka", "redis"],
      mskReplicator: true,
      peerCidrBlocks: { kafka: ["10.20.0.0/19"] },
    });
    await settle();
    expect(named("sg-msk-from-peer-0").inputs).toMatchObject({
      cidrIpv4: "10.20.0.0/19",
      fromPort: 9098,
      toPort: 9098,
    });
    expect(recorded.filter((r) => r.name.startsWith("sg-redis-from-peer"))).toEqual([]);
    expect(named("sg-msk-from-replicator").inputs).toMatchObject({
      fromPort: 9098,
      referencedSecurityGroupId: "sg-msk-replicator-id",
    });
    expect(named("sg-msk-replicator-to-msk").inputs).toMatchObject({
      fromPort: 9098,
      referencedSecurityGroupId: "sg-msk-id",
    });
  });

  it("refuses a world-open CIDR", () => {
    expect(
      () =>
        new DataSecurityGroups("open", {
          cluster: fakeCluster("us-east-1"),
          stores: ["redis"],
          peerCidrBlocks: { redis: ["0.0.0.0/0"], postgres: ["10.1.0.0/19"] },
        }),
    ).toThrow(
      [
        "Invalid input in DataSecurityGroups open (2 problems):",
        '  - `peerCidrBlocks.redis[0]`: got "0.0.0.0/0"; must be an IPv4 CIDR with a prefix of /8 or longer (never 0.0.0.0/0)',
        '  - `peerCidrBlocks.postgres`: got ["10.1.0.0/19"]; the store has no security group here (stores: redis)',
      ].join("\n"),
    );
  });
});

describe("RedisReplicationGroup", () => {
  async function redis(
    args: Partial<import("../../components/data/redis/replication-group").RedisReplicationGroupArgs> = {},
  ) {
    new RedisReplicationGroup("r", {
      cluster: fakeCluster("eu-west-2"),
      securityGroupId: "sg-redis",
      idPrefix: "dev-euw2",
      ...args,
    });
    await settle();
    return named("r-group").inputs;
  }

  it("runs cluster mode, Multi-AZ, automatic failover and a replica per shard", async () => {
    const i = await redis();
    expect([
      i.clusterMode,
      i.multiAzEnabled,
      i.automaticFailoverEnabled,
      i.numNodeGroups,
      i.replicasPerNodeGroup,
      i.nodeType,
    ]).toEqual(["enabled", true, true, 2, 1, "cache.r7g.large"]);
    expect(named("r-params").inputs).toMatchObject({
      family: "redis7",
      parameters: [{ name: "cluster-enabled", value: "yes" }],
    });
  });

  it("encrypts at rest with a CMK and requires TLS", async () => {
    const i = await redis();
    expect([
      i.atRestEncryptionEnabled,
      i.kmsKeyId,
      i.transitEncryptionEnabled,
      i.transitEncryptionMode,
    ]).toEqual([true, "arn:aws:kms:r:123456789012:key/r-kms-key", true, "required"]);
  });

  it("authenticates through an RBAC user group: default user off, application user with IAM", async () => {
    const i = await redis();
    expect(i.authToken).toBeUndefined();
    expect(i.userGroupIds).toEqual(["dev-euw2-users"]);
    expect(named("r-default-user").inputs).toMatchObject({
      userName: "default",
      accessString: "off -@all",
      authenticationMode: { type: "no-password-required" },
    });
    expect(named("r-app-user").inputs).toMatchObject({
      userId: "dev-euw2-app",
      userName: "dev-euw2-app",
      authenticationMode: { type: "iam" },
    });
  });

  it("retains snapshots and takes windows from its arguments", async () => {
    let i = await redis();
    expect([i.snapshotRetentionLimit, i.snapshotWindow, i.maintenanceWindow]).toEqual([
      7,
      "03:00-04:00",
      "sun:05:00-sun:06:00",
    ]);
    reset();
    i = await redis({
      snapshotRetentionDays: 1,
      snapshotWindow: "01:00-02:00",
      maintenanceWindow: "mon:03:00-mon:04:00",
      shards: 1,
      replicasPerShard: 2,
      nodeType: "cache.t4g.small",
    });
    expect([
      i.snapshotRetentionLimit,
      i.snapshotWindow,
      i.maintenanceWindow,
      i.numNodeGroups,
      i.replicasPerNodeGroup,
      i.nodeType,
    ]).toEqual([1, "01:00-02:00", "mon:03:00-mon:04:00", 1, 2, "cache.t4g.small"]);
  });

  it("joins a Global Datastore as a secondary without setting what it inherits", async () => {
    const i = await redis({ globalReplicationGroupId: "ldgnf-global" });
    expect(i.globalReplicationGroupId).toBe("ldgnf-global");
    expect([
      i.numNodeGroups,
      i.nodeType,
      i.engineVersion,
      i.parameterGroupName,
      i.atRestEncryptionEnabled,
    ]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(ofType("aws:elasticache/parameterGroup:ParameterGroup")).toEqual([]);
  });

  it("rejects zero replicas per shard", () => {
    expect(
      () =>
        new RedisReplicationGroup("bad", {
          cluster: fakeCluster("eu-west-2"),
          securityGroupId: "sg",
          idPrefix: "x",
          replicasPerShard: 0,
        }),
    ).toThrow(
      "Invalid input in RedisReplicationGroup bad (1 problem):\n" +
        "  - `replicasPerShard`: got 0; must be from 1 to 5 so every shard can fail over to another AZ",
    );
  });
});

describe("AuroraShard", () => {
  async function shard(
    args: Partial<import("../../components/data/postgres/aurora-shard").AuroraShardArgs> = {},
  ) {
    new AuroraShard("pg", {
      cluster: fakeCluster("eu-west-2"),
      securityGroupId: "sg-pg",
      kmsKeyArn: "arn:kms:pg",
      ...args,
    });
    await settle();
    return named("pg-cluster").inputs;
  }

  it("lets RDS manage the master password so no secret enters the state", async () => {
    const i = await shard();
    expect([i.manageMasterUserPassword, i.masterPassword, i.masterPasswordWo]).toEqual([
      true,
      undefined,
      undefined,
    ]);
  });

  it("encrypts storage with the CMK, keeps 14 days of PITR backups, uses IAM auth and exports logs", async () => {
    const i = await shard();
    expect([
      i.storageEncrypted,
      i.kmsKeyId,
      i.backupRetentionPeriod,
      i.iamDatabaseAuthenticationEnabled,
      i.enabledCloudwatchLogsExports,
    ]).toEqual([true, "arn:kms:pg", 14, true, ["postgresql"]]);
    expect(named("pg-params").inputs.parameters).toEqual([{ name: "rds.force_ssl", value: "1" }]);
  });

  it("places a writer and a reader in different AZs with Performance Insights", async () => {
    await shard();
    const instances = ofType("aws:rds/clusterInstance:ClusterInstance").map((r) => [
      r.name,
      r.inputs.availabilityZone,
      r.inputs.promotionTier,
      r.inputs.performanceInsightsEnabled,
      r.inputs.performanceInsightsRetentionPeriod,
      r.inputs.publiclyAccessible,
    ]);
    expect(instances).toEqual([
      ["pg-writer", "az-of-subnet-eu-west-2a", 0, true, 7, false],
      ["pg-reader-1", "az-of-subnet-eu-west-2b", 1, true, 7, false],
    ]);
  });

  it("skips the final snapshot and deletion protection by default, and takes both in prod", async () => {
    let i = await shard();
    expect([i.deletionProtection, i.skipFinalSnapshot, i.finalSnapshotIdentifier]).toEqual([
      false,
      true,
      undefined,
    ]);
    reset();
    i = await shard({ deletionProtection: true });
    expect([i.deletionProtection, i.skipFinalSnapshot, i.finalSnapshotIdentifier]).toEqual([
      true,
      false,
      "pg-final",
    ]);
  });

  it("passes every sizing and retention override through", async () => {
    const i = await shard({
      readers: 2,
      instanceClass: "db.t4g.medium",
      engineVersion: "15.8",
      backupRetentionDays: 3,
      backupWindow: "01:00-01:30",
      maintenanceWindow: "sat:02:00-sat:03:00",
      performanceInsightsRetentionDays: 31,
    });
    expect([
      i.engineVersion,
      i.backupRetentionPeriod,
      i.preferredBackupWindow,
      i.preferredMaintenanceWindow,
    ]).toEqual(["15.8", 3, "01:00-01:30", "sat:02:00-sat:03:00"]);
    expect(named("pg-params").inputs.family).toBe("aurora-postgresql15");
    expect(
      ofType("aws:rds/clusterInstance:ClusterInstance").map((r) => [
        r.inputs.instanceClass,
        r.inputs.performanceInsightsRetentionPeriod,
      ]),
    ).toEqual([
      ["db.t4g.medium", 31],
      ["db.t4g.medium", 31],
      ["db.t4g.medium", 31],
    ]);
  });

  it("in a global database, the primary gets a generated write-only password and the secondary no credentials", async () => {
    let i = await shard({ role: "global-primary", globalClusterIdentifier: "g" });
    expect([
      i.manageMasterUserPassword,
      i.masterPasswordWoVersion,
      i.globalClusterIdentifier,
      i.masterUsername,
    ]).toEqual([undefined, 1, "g", "semester_admin"]);
    reset();
    i = await shard({ role: "global-secondary", globalClusterIdentifier: "g" });
    expect([i.manageMasterUserPassword, i.masterUsername, i.masterPasswordWo, i.databaseName]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(ofType("aws:rds/clusterInstance:ClusterInstance").map((r) => r.name)).toEqual([
      "pg-replica-0",
      "pg-replica-1",
    ]);
  });

  it("rejects zero readers", () => {
    expect(
      () =>
        new AuroraShard("bad", {
          cluster: fakeCluster("eu-west-2"),
          securityGroupId: "sg",
          kmsKeyArn: "k",
          readers: 0,
        }),
    ).toThrow(
      "Invalid input in AuroraShard bad (1 problem):\n" +
        "  - `readers`: got 0; must be from 1 to 15 so a writer failure has a replica in another AZ",
    );
  });
});
