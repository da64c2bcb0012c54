import { DATA_DEFAULTS, dataSchema, parseDataConfig } from "../../components/data/config";

const messageOf = (raw: unknown): string => {
  try {
    parseDataConfig(raw);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected the config to be rejected");
};

describe("semester:data config", () => {
  it("fills every documented default from an empty section", () => {
    const c = parseDataConfig({});
    expect(c.kafka).toEqual({ ...DATA_DEFAULTS.kafka, strimzi: { ...DATA_DEFAULTS.kafka.strimzi } });
    expect(c.redis).toEqual(DATA_DEFAULTS.redis);
    expect(c.postgres).toEqual(DATA_DEFAULTS.postgres);
    expect(c.topics).toEqual({});
    expect(c.kafka.replicator).toBeUndefined();
    expect(c.redis.globalDatastore).toBeUndefined();
    expect(c.postgres.globalDatabase).toBeUndefined();
    expect(c.postgres.deletionProtection).toBeUndefined();
  });

  it("keeps overrides, including switching replication off", () => {
    const c = parseDataConfig({
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
        redis: { replicasPerShard: 0, snapshotWindow: "05:30-06:30" },
        postgres: { readersPerShard: 0, shards: "2", performanceInsightsRetentionDays: 30 },
      }),
    ).toBe(
      [
        "Invalid stack configuration (7 problems):",
        "  - `semester:data.kafka.brokersPerAz`: got 0; must be at least 1",
        '  - `semester:data.kafka`: unknown key "bogus"',
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
        "Invalid stack configuration (2 problems):",
        "  - `semester:data.topics.notifications.replicationFactor`: got 4; must be at most the broker count 3 (3 AZs × kafka.brokersPerAz 1)",
        "  - `semester:data.topics.notifications.minInsyncReplicas`: got 4; must be less than the replication factor 4, so the topic stays writable while one replica is down",
      ].join("\n"),
    );
  });

  it("accepts a replication factor of 6 once there are two brokers per AZ", () => {
    expect(
      parseDataConfig({ kafka: { brokersPerAz: 2 }, topics: { notifications: { replicationFactor: 6 } } })
        .topics.notifications,
    ).toEqual({
      replicationFactor: 6,
    });
  });

  it("rejects a misspelt topic name", () => {
    expect(messageOf({ topics: { notification: { partitions: 3 } } })).toBe(
      'Invalid stack configuration (1 problem):\n  - `semester:data.topics`: unknown key "notification"',
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
        "Invalid stack configuration (2 problems):",
        '  - `semester:data.redis.nodeType`: got "cache.t4g.small"; must be an M5/M6g/M7g/R5/R6g/R6gd/R7g/C7gn node of size large or above when redis.globalDatastore is on',
        '  - `semester:data.postgres.instanceClass`: got "db.t4g.medium"; must be a memory-optimized class (db.r5 or later, db.x2g) when postgres.globalDatabase is on',
      ].join("\n"),
    );
  });

  it("rejects more shards than buckets and malformed windows", () => {
    expect(messageOf({ postgres: { buckets: 8, shards: 9, maintenanceWindow: "sunday 4am" } })).toBe(
      [
        "Invalid stack configuration (2 problems):",
        '  - `semester:data.postgres.maintenanceWindow`: got "sunday 4am"; must be a weekly UTC window "ddd:hh:mm-ddd:hh:mm", for example "sun:05:00-sun:06:00"',
        "  - `semester:data.postgres.shards`: got 9; must be at most postgres.buckets 8",
      ].join("\n"),
    );
  });

  it("rejects a Redis engine older than 7 (IAM authentication needs it)", () => {
    expect(messageOf({ redis: { engineVersion: "6.2" } })).toBe(
      'Invalid stack configuration (1 problem):\n  - `semester:data.redis.engineVersion`: got "6.2"; must be 7.0 or later (IAM authentication needs it)',
    );
  });

  it("composes under a root schema with the root's own prefix", () => {
    expect(dataSchema.safeParse({ kafka: { backend: "kinesis" } }).success).toBe(false);
    expect(() => parseDataConfig({ kafka: { backend: "kinesis" } }, "data")).toThrow(
      '`data.kafka.backend`: got "kinesis"; Invalid option: expected one of "msk"|"strimzi"',
    );
  });
});
