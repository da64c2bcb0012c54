/**
 * The typed topic catalog: every topic the platform uses, declared once. MSK (through the Kafka provider) and
 * Strimzi (as KafkaTopic objects) both create exactly these topics, in every region. Pure: no Pulumi.
 */
import { joinPath, type Problem } from "../../core";

/** How Kafka discards old records. `compact` keeps the latest record per key (changelog topics). */
export const CleanupPolicy = {
  delete: "delete",
  compact: "compact",
  compactDelete: "compact,delete",
} as const;
export type CleanupPolicy = (typeof CleanupPolicy)[keyof typeof CleanupPolicy];

/** One topic as declared in the catalog or overridden in `semester:data.topics.<name>`. */
export interface TopicSpec {
  /** Partitions: the unit of consumer parallelism. Can only grow after creation. */
  readonly partitions: number;
  /** Copies of each partition, placed on brokers in different zones. @default 3 */
  readonly replicationFactor: number;
  /** Replicas that must acknowledge an `acks=all` write. @default 2 */
  readonly minInsyncReplicas: number;
  /** How long records are kept, in hours; `-1` keeps them forever (compacted topics). */
  readonly retentionHours: number;
  readonly cleanupPolicy: CleanupPolicy;
  /** What flows through the topic and who reads it. */
  readonly description: string;
}

/** @internal Defaults shared by every catalog entry (overridable per topic in config). */
export const TOPIC_DEFAULTS = { replicationFactor: 3, minInsyncReplicas: 2 } as const;

/**
 * The catalog. Partition counts are sized for an enrollment surge on the busiest topics (24 partitions lets 24
 * consumers drain a backlog in parallel); changelog topics are compacted and kept forever.
 */
export const TOPIC_CATALOG = {
  "enrollment-events": {
    partitions: 24,
    retentionHours: 168,
    cleanupPolicy: CleanupPolicy.delete,
    description: "Enrollment requested/confirmed/cancelled; a surge is queued here, never dropped.",
  },
  "assessment-submissions": {
    partitions: 24,
    retentionHours: 336,
    cleanupPolicy: CleanupPolicy.delete,
    description: "Exam and assignment submissions accepted by the write path, for grading and audit.",
  },
  "progress-events": {
    partitions: 12,
    retentionHours: 168,
    cleanupPolicy: CleanupPolicy.delete,
    description: "Lesson and module progress, projected into the Redis read models.",
  },
  notifications: {
    partitions: 12,
    retentionHours: 72,
    cleanupPolicy: CleanupPolicy.delete,
    description: "Notifications to fan out by e-mail, push and in-app.",
  },
  "learner-activity": {
    partitions: 24,
    retentionHours: 72,
    cleanupPolicy: CleanupPolicy.delete,
    description: "Clickstream and session activity for analytics and live dashboards.",
  },
  "course-catalog-changelog": {
    partitions: 6,
    retentionHours: -1,
    cleanupPolicy: CleanupPolicy.compact,
    description: "Latest state of every course, keyed by course id; rebuilds the catalog read model.",
  },
  "grade-events": {
    partitions: 12,
    retentionHours: 720,
    cleanupPolicy: CleanupPolicy.delete,
    description: "Grades published after marking, consumed by transcripts and notifications.",
  },
} as const satisfies Record<string, Omit<TopicSpec, "replicationFactor" | "minInsyncReplicas">>;

export type TopicName = keyof typeof TOPIC_CATALOG;
export const TOPIC_NAMES = Object.keys(TOPIC_CATALOG).sort() as TopicName[];

/** @internal Per-topic overrides from stack config (every field optional). */
export type TopicOverride = Partial<Omit<TopicSpec, "description">>;

/** A catalog entry with overrides applied, ready to be created. */
export interface ResolvedTopic extends TopicSpec {
  readonly name: TopicName;
  /** The topic-level Kafka configuration (`cleanup.policy`, `retention.ms`, `min.insync.replicas`). */
  readonly config: Readonly<Record<string, string>>;
}

/** Applies overrides to the catalog (sorted by name). Does not validate; see {@link topicProblems}. */
export function resolveTopics(overrides: Partial<Record<TopicName, TopicOverride>> = {}): ResolvedTopic[] {
  return TOPIC_NAMES.map((name) => {
    const spec: TopicSpec = { ...TOPIC_DEFAULTS, ...TOPIC_CATALOG[name], ...(overrides[name] ?? {}) };
    return { name, ...spec, config: topicConfig(spec) };
  });
}

/** @internal The Kafka topic configuration of a spec. `retention.ms` of `-1` means forever. */
export function topicConfig(spec: TopicSpec): Record<string, string> {
  const retentionMs = spec.retentionHours === -1 ? -1 : spec.retentionHours * 3_600_000;
  return {
    "cleanup.policy": spec.cleanupPolicy,
    "min.insync.replicas": String(spec.minInsyncReplicas),
    "retention.ms": String(retentionMs),
  };
}

/**
 * Checks resolved topics against the broker count: the replication factor cannot exceed the brokers (Kafka
 * refuses to create the topic), and `min.insync.replicas` must stay below the replication factor, otherwise a
 * single broker restart (a zone loss, a rolling upgrade) makes the topic unwritable for `acks=all` producers.
 * `brokersRule` says where the count comes from; `prefix` is where `topics` sits (`semester:data`, or "" for a
 * component's own `topics` argument). The stack config loader and every component that creates topics use it.
 */
export function topicProblems(
  topics: readonly ResolvedTopic[],
  brokers: number,
  brokersRule: string,
  prefix: string,
): Problem[] {
  const problems: Problem[] = [];
  for (const topic of topics) {
    const at = (key: string) => joinPath(prefix, ["topics", topic.name, key]);
    if (topic.replicationFactor > brokers) {
      problems.push({
        path: at("replicationFactor"),
        value: topic.replicationFactor,
        rule: `must be at most the broker count ${brokers} (${brokersRule})`,
      });
    }
    if (topic.minInsyncReplicas >= topic.replicationFactor) {
      problems.push({
        path: at("minInsyncReplicas"),
        value: topic.minInsyncReplicas,
        rule:
          `must be less than the replication factor ${topic.replicationFactor}, ` +
          "so the topic stays writable while one replica is down",
      });
    }
    if (topic.cleanupPolicy === CleanupPolicy.delete && topic.retentionHours === -1) {
      problems.push({
        path: at("retentionHours"),
        value: topic.retentionHours,
        rule: 'must be at least 1 for cleanupPolicy "delete" (-1 keeps records forever: use "compact")',
      });
    }
  }
  return problems;
}

/** A topic a service names must be one of `known` (the catalog's, or a binding's). `path` names the topic's key. */
export function knownTopicProblems(topic: string, known: readonly string[], path: string): Problem[] {
  if (known.includes(topic)) return [];
  return [
    {
      path,
      value: topic,
      rule: `expected a topic of the data tier's catalog: ${[...known].sort().join(", ")}`,
    },
  ];
}
