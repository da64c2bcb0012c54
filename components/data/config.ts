/**
 * Stack configuration of the data tier: section `semester:data` (root key `data`). Zod 4 strict schemas, one
 * documented default per key, and cross-field rules that report the key path, the bad value and what is allowed.
 * Defaults that depend on the environment (replication across regions, deletion protection) stay `undefined`
 * here and are resolved by `DataTier` (`?? environment === "prod"`).
 */
import { z } from "zod";
import { TOPIC_NAMES, TopicName, topicProblems, CleanupPolicy } from "./kafka/catalog";
import { dailyWindow, overlaps, weeklyWindow } from "./windows";

/** Every default of the data tier, in one place; components use the same constants. */
export const DATA_DEFAULTS = {
  kafka: {
    backend: "msk",
    brokerInstanceType: "kafka.m7g.large",
    brokersPerAz: 1,
    storageGiB: 1000,
    kafkaVersion: "3.8.x",
    logRetentionDays: 30,
    strimzi: { namespace: "kafka", clusterName: "events", kafkaVersion: "4.1.0", storageClass: "gp3" },
  },
  redis: {
    nodeType: "cache.r7g.large",
    shards: 2,
    replicasPerShard: 1,
    snapshotRetentionDays: 7,
    maintenanceWindow: "sun:05:00-sun:06:00",
    snapshotWindow: "03:00-04:00",
    engineVersion: "7.1",
  },
  postgres: {
    shards: 2,
    buckets: 4096,
    instanceClass: "db.r7g.large",
    readersPerShard: 1,
    engineVersion: "16.6",
    backupRetentionDays: 14,
    backupWindow: "02:00-03:00",
    maintenanceWindow: "sun:04:00-sun:05:00",
    performanceInsightsRetentionDays: 7,
    databaseName: "semester",
    masterUsername: "semester_admin",
  },
} as const;

/** The broker zones of both backends: brokers are always spread over three AZs. */
export const KAFKA_ZONES = 3;

const count = (min: number, max: number, why: string) =>
  z
    .number({ error: "must be a whole number" })
    .int({ error: "must be a whole number" })
    .min(min, { error: `must be at least ${min}${why}` })
    .max(max, { error: `must be at most ${max}` });
const prefixed = (prefix: string, example: string) =>
  z.string().regex(new RegExp(`^${prefix.replace(".", "\\.")}[a-z0-9-]+\\.[a-z0-9]+$`), {
    error: `must be an instance type starting with "${prefix}", for example "${example}"`,
  });
const weekly = z.string().refine((w) => weeklyWindow(w) !== undefined, {
  error: 'must be a weekly UTC window "ddd:hh:mm-ddd:hh:mm", for example "sun:05:00-sun:06:00"',
});
const daily = z.string().refine((w) => dailyWindow(w) !== undefined, {
  error: 'must be a daily UTC window "hh:mm-hh:mm", for example "03:00-04:00"',
});
const version = (example: string) =>
  z.string().regex(/^\d+\.\d+(\.(\d+|x))?$/, { error: `must be a version such as "${example}"` });

const topicOverride = z.strictObject({
  /** @default - the catalog's value */
  partitions: count(1, 1000, "").optional(),
  /** @default 3 */
  replicationFactor: count(1, 32, "").optional(),
  /** @default 2 */
  minInsyncReplicas: count(1, 32, "").optional(),
  /** Hours to keep records, -1 forever. @default - the catalog's value */
  retentionHours: z
    .number()
    .int({ error: "must be a whole number of hours" })
    .refine((h) => h === -1 || h >= 1, { error: "must be -1 (forever) or at least 1 hour" })
    .optional(),
  cleanupPolicy: z.enum(Object.values(CleanupPolicy)).optional(),
});

export const kafkaSchema = z.strictObject({
  /** `msk` (Amazon MSK per region) or `strimzi` (in-cluster, KRaft). @default "msk" */
  backend: z.enum(["msk", "strimzi"]).default(DATA_DEFAULTS.kafka.backend),
  /** MSK broker instance type. @default "kafka.m7g.large" */
  brokerInstanceType: prefixed("kafka.", "kafka.m7g.large").default(DATA_DEFAULTS.kafka.brokerInstanceType),
  /** Brokers in each of the 3 AZs (MSK and Strimzi). @default 1 */
  brokersPerAz: count(1, 10, "").default(DATA_DEFAULTS.kafka.brokersPerAz),
  /** EBS (MSK) or PVC (Strimzi) storage per broker, GiB. @default 1000 */
  storageGiB: count(1, 16384, "").default(DATA_DEFAULTS.kafka.storageGiB),
  /** MSK Kafka version. @default "3.8.x" */
  kafkaVersion: version("3.8.x").default(DATA_DEFAULTS.kafka.kafkaVersion),
  /** MSK Replicator from the home region to every other region. @default - on in prod with 2+ regions */
  replicator: z.boolean().optional(),
  /** Retention of the broker log groups, days. @default 30 */
  logRetentionDays: count(1, 3653, "").default(DATA_DEFAULTS.kafka.logRetentionDays),
  strimzi: z
    .strictObject({
      /** @default "kafka" */
      namespace: z.string().min(1).default(DATA_DEFAULTS.kafka.strimzi.namespace),
      /** Name of the Kafka resource. @default "events" */
      clusterName: z.string().min(1).default(DATA_DEFAULTS.kafka.strimzi.clusterName),
      /** Kafka version Strimzi runs. @default "4.1.0" */
      kafkaVersion: version("4.1.0").default(DATA_DEFAULTS.kafka.strimzi.kafkaVersion),
      /** Storage class of the broker volumes. @default "gp3" */
      storageClass: z.string().min(1).default(DATA_DEFAULTS.kafka.strimzi.storageClass),
      /** Zone names per region. @default - `<region>a`, `<region>b`, `<region>c` */
      zones: z.record(z.string(), z.array(z.string()).length(KAFKA_ZONES)).optional(),
    })
    .prefault({}),
});

export const redisSchema = z.strictObject({
  /** @default "cache.r7g.large" */
  nodeType: prefixed("cache.", "cache.r7g.large").default(DATA_DEFAULTS.redis.nodeType),
  /** Shards (node groups) of the cluster-mode replication group. @default 2 */
  shards: count(1, 500, "").default(DATA_DEFAULTS.redis.shards),
  /** Replicas per shard, in other AZs than the primary. @default 1 */
  replicasPerShard: count(1, 5, " so every shard has a replica in another AZ to fail over to").default(
    DATA_DEFAULTS.redis.replicasPerShard,
  ),
  /** Days of automatic snapshots kept. @default 7 */
  snapshotRetentionDays: count(1, 35, " so snapshots are retained").default(
    DATA_DEFAULTS.redis.snapshotRetentionDays,
  ),
  /** @default "sun:05:00-sun:06:00" */
  maintenanceWindow: weekly.default(DATA_DEFAULTS.redis.maintenanceWindow),
  /** @default "03:00-04:00" */
  snapshotWindow: daily.default(DATA_DEFAULTS.redis.snapshotWindow),
  /** Redis OSS version (7.0+ for IAM authentication). @default "7.1" */
  engineVersion: version("7.1")
    .refine((v) => Number(v.split(".")[0]) >= 7, {
      error: "must be 7.0 or later (IAM authentication needs it)",
    })
    .default(DATA_DEFAULTS.redis.engineVersion),
  /** Global Datastore with the primary in the home region. @default - on in prod with 2+ regions */
  globalDatastore: z.boolean().optional(),
});

export const postgresSchema = z.strictObject({
  /** Aurora clusters the bucket keyspace is spread over. @default 2 */
  shards: count(1, 256, "").default(DATA_DEFAULTS.postgres.shards),
  /** The shard count currently deployed, while a reshard is in progress. @default - none (no reshard) */
  previousShards: count(1, 256, "").optional(),
  /** Fixed keyspace size; never change it after the first deploy. @default 4096 */
  buckets: count(1, 65536, "").default(DATA_DEFAULTS.postgres.buckets),
  /** @default "db.r7g.large" */
  instanceClass: prefixed("db.", "db.r7g.large").default(DATA_DEFAULTS.postgres.instanceClass),
  /** Readers per shard besides the writer, in other AZs. @default 1 */
  readersPerShard: count(1, 15, " so a writer failure has a replica in another AZ").default(
    DATA_DEFAULTS.postgres.readersPerShard,
  ),
  /** Aurora PostgreSQL version. @default "16.6" */
  engineVersion: version("16.6").default(DATA_DEFAULTS.postgres.engineVersion),
  /** Days of continuous backup: the point-in-time-recovery window. @default 14 */
  backupRetentionDays: count(1, 35, "").default(DATA_DEFAULTS.postgres.backupRetentionDays),
  /** @default "02:00-03:00" */
  backupWindow: daily.default(DATA_DEFAULTS.postgres.backupWindow),
  /** @default "sun:04:00-sun:05:00" */
  maintenanceWindow: weekly.default(DATA_DEFAULTS.postgres.maintenanceWindow),
  /** Aurora Global Database per shard. @default - on in prod with 2+ regions */
  globalDatabase: z.boolean().optional(),
  /**
   * Global write forwarding on the secondaries: writers in every region connect to their local secondary, which
   * forwards writes to the home primary (session consistency). Off sends writes across regions to the home
   * writers over VPC peering instead. Needs `globalDatabase`. @default - on with `globalDatabase`
   */
  writeForwarding: z.boolean().optional(),
  /** @default - on in prod */
  deletionProtection: z.boolean().optional(),
  /** Days: 7, a multiple of 31, or 731. @default 7 */
  performanceInsightsRetentionDays: z
    .number()
    .refine((d) => d === 7 || d === 731 || (Number.isInteger(d) && d % 31 === 0 && d >= 31 && d <= 713), {
      error: "must be 7, a multiple of 31 up to 713, or 731",
    })
    .default(DATA_DEFAULTS.postgres.performanceInsightsRetentionDays),
  /** @default "semester" */
  databaseName: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}$/)
    .default(DATA_DEFAULTS.postgres.databaseName),
  /** @default "semester_admin" */
  masterUsername: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}$/)
    .default(DATA_DEFAULTS.postgres.masterUsername),
});

const topicsSchema = z.strictObject(
  Object.fromEntries(TOPIC_NAMES.map((n) => [n, topicOverride.optional()])) as Record<
    TopicName,
    z.ZodOptional<typeof topicOverride>
  >,
);

/** Global Datastore node families (size large and above), per the ElastiCache prerequisites. */
export const GLOBAL_DATASTORE_NODE = /^cache\.(m5|m6g|m7g|r5|r6g|r6gd|r7g|c7gn)\.(large|\d*xlarge)$/;
/** Aurora Global Database needs memory-optimized classes. */
export const GLOBAL_DATABASE_CLASS = /^db\.(r5|r6g|r6i|r7g|r7i|r8g|x2g)\.(large|\d*xlarge)$/;

const baseSchema = z.strictObject({
  kafka: kafkaSchema.prefault({}),
  topics: topicsSchema.prefault({}),
  redis: redisSchema.prefault({}),
  postgres: postgresSchema.prefault({}),
});

/** The `semester:data` section: compose it into the root config under key `data`. */
export const dataSchema = baseSchema
  // `when` runs the cross-field rules even when a field failed, so one run reports every problem; each rule
  // therefore checks that its own inputs are valid before comparing them.
  .superRefine((c, ctx) => crossFieldRules(c, ctx), { when: () => true });

type Ctx = {
  addIssue(issue: { code: "custom"; path: (string | number)[]; input: unknown; message: string }): void;
};

const isInt = (v: unknown): v is number => Number.isInteger(v);
const isStr = (v: unknown): v is string => typeof v === "string";

function crossFieldRules(c: z.output<typeof baseSchema>, ctx: Ctx): void {
  const add = (path: (string | number)[], input: unknown, message: string) =>
    ctx.addIssue({ code: "custom", path, input, message });
  const { kafka, redis, postgres } = c;
  if (isInt(kafka?.brokersPerAz) && kafka.brokersPerAz >= 1 && topicsSchema.safeParse(c.topics).success) {
    const brokers = KAFKA_ZONES * kafka.brokersPerAz;
    const rule = `${KAFKA_ZONES} AZs × kafka.brokersPerAz ${kafka.brokersPerAz}`;
    for (const p of topicProblems(c.topics, brokers, rule)) add([...p.path], p.input, p.message);
  }
  const windowPair = (
    section: "redis" | "postgres",
    weeklyKey: string,
    dailyKey: string,
    minMinutes: number,
  ) => {
    const values = (section === "redis" ? redis : postgres) as unknown as Record<string, unknown> | undefined;
    const w = isStr(values?.[weeklyKey]) ? weeklyWindow(values[weeklyKey]) : undefined;
    const d = isStr(values?.[dailyKey]) ? dailyWindow(values[dailyKey]) : undefined;
    if (w && w.minutes < minMinutes) {
      add([section, weeklyKey], values?.[weeklyKey], `must be at least ${minMinutes} minutes long`);
    }
    if (d && d.minutes < minMinutes) {
      add([section, dailyKey], values?.[dailyKey], `must be at least ${minMinutes} minutes long`);
    }
    if (w && d && overlaps(w.intervals, d.intervals)) {
      const other = JSON.stringify(values?.[weeklyKey]);
      add([section, dailyKey], values?.[dailyKey], `must not overlap ${section}.${weeklyKey} ${other}`);
    }
  };
  windowPair("redis", "maintenanceWindow", "snapshotWindow", 60);
  windowPair("postgres", "maintenanceWindow", "backupWindow", 30);
  if (
    redis?.globalDatastore === true &&
    isStr(redis.nodeType) &&
    !GLOBAL_DATASTORE_NODE.test(redis.nodeType)
  ) {
    add(
      ["redis", "nodeType"],
      redis.nodeType,
      "must be an M5/M6g/M7g/R5/R6g/R6gd/R7g/C7gn node of size large or above when redis.globalDatastore is on",
    );
  }
  const pg = postgres;
  if (
    pg?.globalDatabase === true &&
    isStr(pg.instanceClass) &&
    !GLOBAL_DATABASE_CLASS.test(pg.instanceClass)
  ) {
    add(
      ["postgres", "instanceClass"],
      pg.instanceClass,
      "must be a memory-optimized class (db.r5 or later, db.x2g) when postgres.globalDatabase is on",
    );
  }
  if (isInt(pg?.buckets)) {
    for (const key of ["shards", "previousShards"] as const) {
      if (isInt(pg[key]) && pg[key] > pg.buckets) {
        add(["postgres", key], pg[key], `must be at most postgres.buckets ${pg.buckets}`);
      }
    }
  }
}

export type DataConfig = z.output<typeof dataSchema>;
export type DataConfigInput = z.input<typeof dataSchema>;
export type KafkaConfig = DataConfig["kafka"];
export type RedisConfig = DataConfig["redis"];
export type PostgresConfig = DataConfig["postgres"];

/** Every problem of an invalid `semester:data` section, one per line. */
export class DataConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "DataConfigError";
  }
}

/** One line per issue: the key path in backticks, the value received and the rule. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], prefix = "semester:data"): string[] {
  return issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].join(".");
    if (issue.code === "unrecognized_keys") {
      return `\`${path}\`: unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    }
    const got = "input" in issue && issue.input !== undefined ? `got ${JSON.stringify(issue.input)}; ` : "";
    return `\`${path}\`: ${got}${issue.message}`;
  });
}

/** Parses and validates the section; throws a {@link DataConfigError} listing every problem. */
export function parseDataConfig(raw: unknown, prefix = "semester:data"): DataConfig {
  const result = dataSchema.safeParse(raw ?? {}, { reportInput: true });
  if (!result.success) throw new DataConfigError(formatIssues(result.error.issues, prefix));
  return result.data;
}
