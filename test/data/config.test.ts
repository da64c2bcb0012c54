import { parseStackConfig } from "../../components/config/load";
import { InputError } from "../../components/core/problem";
import { DATA_DEFAULTS, dataSchema } from "../../components/data/config";

/** A dev stack in two regions: the data section is the only thing under test. */
const STACK = {
  "semester:environment": "dev",
  "semester:homeRegion": "eu-west-2",
  "semester:regions": JSON.stringify([
    { region: "eu-west-2", vpcCidr: "10.40.0.0/16" },
    { region: "us-east-1", vpcCidr: "10.41.0.0/16" },
  ]),
  "semester:cluster": JSON.stringify({ kubernetesVersion: "1.35" }),
};
const SOURCE = "stacks/Pulumi.test.yaml";

/** The stack's parsed `semester:data` section. */
const parseData = (data: unknown) =>
  parseStackConfig({ ...STACK, "semester:data": JSON.stringify(data) }, SOURCE).data;

const messageOf = (data: unknown): string => {
  try {
    parseData(data);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error("expected the config to be rejected");
};

describe("semester:data config", () => {
  it("fills every documented default from an empty section", () => {
    const c = parseData({});
    expect(c.kafka).toEqual({ ...DATA_DEFAULTS.kafka, strimzi: { ...DATA_DEFAULTS.kafka.strimzi } });
    // The windows are not filled: unpinned, each region's are chosen from its calendar (data-windows.ts).
    const { maintenanceWindow: rm, snapshotWindow, ...redis } = DATA_DEFAULTS.redis;
    const { maintenanceWindow: pm, backupWindow, ...postgres } = DATA_DEFAULTS.postgres;
    expect([rm, snapshotWindow, pm, backupWindow]).toHaveLength(4);
    expect(c.redis).toEqual(redis);
    expect(c.postgres).toEqual(postgres);
    expect([c.redis.maintenanceWindow, c.redis.snapshotWindow]).toEqual([undefined, undefined]);
    expect([c.postgres.maintenanceWindow, c.postgres.backupWindow]).toEqual([undefined, undefined]);
    expect(c.topics).toEqual({});
    expect(c.kafka.replicator).toBeUndefined();
    expect(c.redis.globalDatastore).toBeUndefined();
    expect(c.postgres.globalDatabase).toBeUndefined();
    expect(c.postgres.deletionProtection).toBeUndefined();
  });

  it("keeps overrides, including switching replication off", () => {
    // The schema alone: Strimzi would make the stack refuse the default services' Kafka lag scaling.
    const c = dataSchema.parse({
      kafka: { backend: "strimzi", brokersPerAz: 2, replicator: false },
      redis: { nodeType: "cache.t4g.small", globalDatastore: false },
      postgres: { shards: 4, previousShards: 2, globalDatabase: false, deletionProtection: false },
      topics: { notifications: { partitions: 3 } },
    });
    expect([c.kafka.backend, c.kafka.brokersPerAz, c.kafka.replicator]).toEqual(["strimzi", 2, false]);
    expect([c.redis.nodeType, c.redis.globalDatastore]).toEqual(["cache.t4g.small", false]);
    expect([c.postgres.shards, c.postgres.previousShards, c.postgres.deletionProtection]).toEqual([
      4,
      2,
      false,
    ]);
    expect(c.topics.notifications).toEqual({ partitions: 3 });
  });

  it("lists every problem at once with key path, bad value and rule", () => {
    expect(
      messageOf({
        kafka: { brokersPerAz: 0, bogus: 1 },
        redis: {
          replicasPerShard: 0,
          snapshotWindow: "05:30-06:30",
          maintenanceWindow: "sun:05:00-sun:06:00",
        },
        postgres: { readersPerShard: 0, shards: "2", performanceInsightsRetentionDays: 30 },
      }),
    ).toBe(
      [
        `Invalid input in ${SOURCE} (7 problems):`,
        "  - `semester:data.kafka.brokersPerAz`: got 0; must be at least 1",
        "  - `semester:data.kafka.bogus`: got 1; unknown key; allowed keys here: backend, brokerInstanceType, brokersPerAz, storageGiB, kafkaVersion, replicator, logRetentionDays, strimzi",
        "  - `semester:data.redis.replicasPerShard`: got 0; must be at least 1 so every shard has a replica in another AZ to fail over to",
        '  - `semester:data.postgres.shards`: got "2"; must be a whole number',
        "  - `semester:data.postgres.readersPerShard`: got 0; must be at least 1 so a writer failure has a replica in another AZ",
        "  - `semester:data.postgres.performanceInsightsRetentionDays`: got 30; must be 7, a multiple of 31 up to 713, or 731",
        '  - `semester:data.redis.snapshotWindow`: got "05:30-06:30"; must not overlap redis.maintenanceWindow "sun:05:00-sun:06:00"',
      ].join("\n"),
    );
  });

  it("rejects a replication factor above the broker count and a min ISR not below it", () => {
    expect(messageOf({ topics: { notifications: { replicationFactor: 4, minInsyncReplicas: 4 } } })).toBe(
      [
        `Invalid input in ${SOURCE} (2 problems):`,
        "  - `semester:data.topics.notifications.replicationFactor`: got 4; must be at most the broker count 3 (3 AZs × kafka.brokersPerAz 1)",
        "  - `semester:data.topics.notifications.minInsyncReplicas`: got 4; must be less than the replication factor 4, so the topic stays writable while one replica is down",
      ].join("\n"),
    );
  });

  it("accepts a replication factor of 6 once there are two brokers per AZ", () => {
    expect(
      parseData({ kafka: { brokersPerAz: 2 }, topics: { notifications: { replicationFactor: 6 } } }).topics
        .notifications,
    ).toEqual({
      replicationFactor: 6,
    });
  });

  it("rejects a misspelt topic name", () => {
    expect(messageOf({ topics: { notification: { partitions: 3 } } })).toBe(
      `Invalid input in ${SOURCE} (1 problem):\n` +
        '  - `semester:data.topics.notification`: got {"partitions":3}; unknown key; allowed keys here: assessment-submissions, course-catalog-changelog, enrollment-events, grade-events, learner-activity, notifications, progress-events',
    );
  });

  it("rejects global replication on node types and instance classes AWS does not support for it", () => {
    expect(
      messageOf({
        redis: { globalDatastore: true, nodeType: "cache.t4g.small" },
        postgres: { globalDatabase: true, instanceClass: "db.t4g.medium" },
      }),
    ).toBe(
      [
        `Invalid input in ${SOURCE} (2 problems):`,
        '  - `semester:data.redis.nodeType`: got "cache.t4g.small"; must be an M5/M6g/M7g/R5/R6g/R6gd/R7g/C7gn node of size large or above when redis.globalDatastore is on',
        '  - `semester:data.postgres.instanceClass`: got "db.t4g.medium"; must be a memory-optimized class (db.r5 or later, db.x2g) when postgres.globalDatabase is on',
      ].join("\n"),
    );
  });

  it("rejects more shards than buckets and malformed windows", () => {
    expect(messageOf({ postgres: { buckets: 8, shards: 9, maintenanceWindow: "sunday 4am" } })).toBe(
      [
        `Invalid input in ${SOURCE} (2 problems):`,
        '  - `semester:data.postgres.maintenanceWindow`: got "sunday 4am"; must be a weekly UTC window "ddd:hh:mm-ddd:hh:mm", for example "sun:05:00-sun:06:00"',
        "  - `semester:data.postgres.shards`: got 9; must be at most postgres.buckets 8",
      ].join("\n"),
    );
  });

  it("rejects a Redis engine older than 7 (IAM authentication needs it)", () => {
    expect(messageOf({ redis: { engineVersion: "6.2" } })).toBe(
      `Invalid input in ${SOURCE} (1 problem):\n` +
        '  - `semester:data.redis.engineVersion`: got "6.2"; must be 7.0 or later (IAM authentication needs it)',
    );
  });

  it("composes under the root schema, reported under the stack's prefix", () => {
    expect(dataSchema.safeParse({ kafka: { backend: "kinesis" } }).success).toBe(false);
    expect(messageOf({ kafka: { backend: "kinesis" } })).toBe(
      `Invalid input in ${SOURCE} (1 problem):\n` +
        '  - `semester:data.kafka.backend`: got "kinesis"; expected one of: msk, strimzi',
    );
  });

  it("takes a lone pinned window: its partner is chosen around it, not checked against a default", () => {
    const c = parseData({
      redis: { snapshotWindow: "05:30-06:30" },
      postgres: { backupWindow: "04:00-05:00" },
    });
    expect([c.redis.snapshotWindow, c.redis.maintenanceWindow]).toEqual(["05:30-06:30", undefined]);
    expect([c.postgres.backupWindow, c.postgres.maintenanceWindow]).toEqual(["04:00-05:00", undefined]);
  });

  it("refuses a pinned maintenance window that leaves its daily partner no room", () => {
    expect(messageOf({ postgres: { maintenanceWindow: "mon:00:00-mon:23:30" } })).toBe(
      `Invalid input in ${SOURCE} (1 problem):\n` +
        '  - `semester:data.postgres.maintenanceWindow`: got "mon:00:00-mon:23:30"; leaves no 60-minute postgres.backupWindow that does not overlap it; fix: shorten it: a daily window meets every day of the week',
    );
  });

  it("checks a window's length on its own and reports it with the other section's problems", () => {
    expect(messageOf({ redis: { snapshotWindow: "03:00-03:30" }, postgres: { shards: 0 } })).toBe(
      [
        `Invalid input in ${SOURCE} (2 problems):`,
        '  - `semester:data.redis.snapshotWindow`: got "03:00-03:30"; must be at least 60 minutes long',
        "  - `semester:data.postgres.shards`: got 0; must be at least 1",
      ].join("\n"),
    );
  });
});
