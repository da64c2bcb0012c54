/**
 * Stack configuration of the data tier: section `semester:data` (root key `data`). Zod 4 strict schemas, one
 * documented default per key; the rules across keys are stack rules (`config/rules.ts`).
 * Defaults that depend on the environment (replication across regions, deletion protection) stay `undefined`
 * here and are resolved by `DataTier` (`?? environment === "prod"`).
 */
import { z } from "zod";
import { TOPIC_NAMES, TopicName, CleanupPolicy } from "./kafka/catalog";
import { dailyWindow, MINIMUM_MINUTES, weeklyWindow } from "./windows";

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
    // Redis serves single-key reads from memory; one replica per shard carries about twice a reader's clients.
    scheduledReplicas: {
      enabled: true,
      serviceReplicasPerReplica: 10,
      maxReplicas: 5,
      leadMinutes: 30,
      actionBudget: 24,
    },
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
    // A read-service replica keeps a pool of about 10-20 connections to every shard; a db.r7g.large reader (2 vCPUs)
    // serves on the order of 100 active ones, so about 5 replicas per reader. Staging measures it.
    scheduledReaders: {
      enabled: true,
      serviceReplicasPerReader: 5,
      maxReaders: 8,
      leadMinutes: 20,
      actionBudget: 24,
    },
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
/** A weekly UTC window of at least `minMinutes` (AWS's minimum for the service). */
const weekly = (minMinutes: number) =>
  z
    .string()
    .refine((w) => weeklyWindow(w) !== undefined, {
      error: 'must be a weekly UTC window "ddd:hh:mm-ddd:hh:mm", for example "sun:05:00-sun:06:00"',
    })
    .refine((w) => (weeklyWindow(w)?.minutes ?? minMinutes) >= minMinutes, {
      error: `must be at least ${minMinutes} minutes long`,
    });
/** A daily UTC window of at least `minMinutes`. */
const daily = (minMinutes: number) =>
  z
    .string()
    .refine((w) => dailyWindow(w) !== undefined, {
      error: 'must be a daily UTC window "hh:mm-hh:mm", for example "03:00-04:00"',
    })
    .refine((w) => (dailyWindow(w)?.minutes ?? minMinutes) >= minMinutes, {
      error: `must be at least ${minMinutes} minutes long`,
    });
const version = (example: string) =>
  z.string().regex(/^\d+\.\d+(\.(\d+|x))?$/, { error: `must be a version such as "${example}"` });

/** The fields every store's calendar-scheduled capacity shares (Application Auto Scaling scheduled actions). */
const scheduledFields = (d: {
  readonly enabled: boolean;
  readonly leadMinutes: number;
  readonly actionBudget: number;
}) => ({
  /** Raise the count ahead of the calendar's read-heavy windows and lower it after (with the calendar on). @default true */
  enabled: z.boolean().default(d.enabled),
  /** How long before the read services need it the count is raised: how long a new node takes to be available. */
  leadMinutes: count(0, 240, "").default(d.leadMinutes),
  /** Scheduled actions per store; Application Auto Scaling allows 200 per scalable target. */
  actionBudget: count(2, 200, " (a rise and the return after it)").default(d.actionBudget),
});

/** `semester:data.postgres.scheduledReaders`: Aurora readers per shard, scheduled from the calendar. */
const scheduledReadersSchema = z.strictObject({
  ...scheduledFields(DATA_DEFAULTS.postgres.scheduledReaders),
  /** Replicas of the region's read services one reader of each shard serves. @default 5 */
  serviceReplicasPerReader: count(1, 10_000, "").default(
    DATA_DEFAULTS.postgres.scheduledReaders.serviceReplicasPerReader,
  ),
  /** The most readers per shard the schedule raises to (Aurora allows 15 per cluster). @default 8 */
  maxReaders: count(1, 15, "").default(DATA_DEFAULTS.postgres.scheduledReaders.maxReaders),
});

/** `semester:data.redis.scheduledReplicas`: ElastiCache replicas per shard, scheduled from the calendar. */
const scheduledReplicasSchema = z.strictObject({
  ...scheduledFields(DATA_DEFAULTS.redis.scheduledReplicas),
  /** Replicas of the region's read services one Redis replica per shard serves. @default 10 */
  serviceReplicasPerReplica: count(1, 10_000, "").default(
    DATA_DEFAULTS.redis.scheduledReplicas.serviceReplicasPerReplica,
  ),
  /** The most replicas per shard the schedule raises to (ElastiCache allows 5). @default 5 */
  maxReplicas: count(1, 5, "").default(DATA_DEFAULTS.redis.scheduledReplicas.maxReplicas),
});

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
  /**
   * Pins the weekly maintenance window (UTC, at least 60 minutes). A pinned window that meets a critical span is
   * a warning. @default - chosen per region at the lowest planned load outside critical spans (`data-windows.ts`);
   * with the calendar off "sun:05:00-sun:06:00"
   */
  maintenanceWindow: weekly(MINIMUM_MINUTES["redis.maintenanceWindow"]).optional(),
  /**
   * Pins the daily snapshot window (UTC, at least 60 minutes, not overlapping the maintenance window).
   * @default - chosen like `maintenanceWindow`; with the calendar off "03:00-04:00"
   */
  snapshotWindow: daily(MINIMUM_MINUTES["redis.snapshotWindow"]).optional(),
  /** Redis OSS version (7.0+ for IAM authentication). @default "7.1" */
  engineVersion: version("7.1")
    .refine((v) => Number(v.split(".")[0]) >= 7, {
      error: "must be 7.0 or later (IAM authentication needs it)",
    })
    .default(DATA_DEFAULTS.redis.engineVersion),
  /** Global Datastore with the primary in the home region. @default - on in prod with 2+ regions */
  globalDatastore: z.boolean().optional(),
  /** Replicas per shard raised ahead of read-heavy calendar windows (`scheduledReplicasSchema`). */
  scheduledReplicas: scheduledReplicasSchema.prefault({}),
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
  /**
   * Pins the daily backup window (UTC, at least 30 minutes, not overlapping the maintenance window).
   * @default - chosen per region like `maintenanceWindow`; with the calendar off "02:00-03:00"
   */
  backupWindow: daily(MINIMUM_MINUTES["postgres.backupWindow"]).optional(),
  /**
   * Pins the weekly maintenance window (UTC, at least 30 minutes). A pinned window that meets a critical span is
   * a warning. @default - chosen per region at the lowest planned load outside critical spans (`data-windows.ts`);
   * with the calendar off "sun:04:00-sun:05:00"
   */
  maintenanceWindow: weekly(MINIMUM_MINUTES["postgres.maintenanceWindow"]).optional(),
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
  /** Readers per shard raised ahead of read-heavy calendar windows (`scheduledReadersSchema`). */
  scheduledReaders: scheduledReadersSchema.prefault({}),
});

export const topicsSchema = z.strictObject(
  Object.fromEntries(TOPIC_NAMES.map((n) => [n, topicOverride.optional()])) as Record<
    TopicName,
    z.ZodOptional<typeof topicOverride>
  >,
);

/** @internal Global Datastore node families (size large and above), per the ElastiCache prerequisites. */
export const GLOBAL_DATASTORE_NODE = /^cache\.(m5|m6g|m7g|r5|r6g|r6gd|r7g|c7gn)\.(large|\d*xlarge)$/;
/** @internal Aurora Global Database needs memory-optimized classes. */
export const GLOBAL_DATABASE_CLASS = /^db\.(r5|r6g|r6i|r7g|r7i|r8g|x2g)\.(large|\d*xlarge)$/;

/**
 * The `semester:data` section: compose it into the root config under key `data`. Rules across its keys (windows
 * that must not overlap, topics against the broker count, shards against buckets, the classes the global modes
 * need) are stack rules, checked by `config/rules.ts` on whatever parsed.
 */
export const dataSchema = z.strictObject({
  kafka: kafkaSchema.prefault({}),
  topics: topicsSchema.prefault({}),
  redis: redisSchema.prefault({}),
  postgres: postgresSchema.prefault({}),
});

export type DataConfig = z.output<typeof dataSchema>;
export type DataConfigInput = z.input<typeof dataSchema>;
export type KafkaConfig = DataConfig["kafka"];
export type RedisConfig = DataConfig["redis"];
export type PostgresConfig = DataConfig["postgres"];
export type ScheduledReadersConfig = PostgresConfig["scheduledReaders"];
export type ScheduledReplicasConfig = RedisConfig["scheduledReplicas"];
