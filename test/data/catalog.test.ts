import { resolveTopics, topicProblems, TOPIC_NAMES } from "../../components/data/kafka/catalog";

describe("topic catalog", () => {
  it("declares the platform topics once, with replication factor 3 and min ISR 2 by default", () => {
    expect(TOPIC_NAMES).toEqual([
      "assessment-submissions",
      "course-catalog-changelog",
      "enrollment-events",
      "grade-events",
      "learner-activity",
      "notifications",
      "progress-events",
    ]);
    for (const t of resolveTopics()) expect([t.replicationFactor, t.minInsyncReplicas]).toEqual([3, 2]);
  });

  it("renders retention, cleanup policy and min ISR as topic configuration", () => {
    const byName = Object.fromEntries(
      resolveTopics({ notifications: { retentionHours: 24 } }).map((t) => [t.name, t]),
    );
    expect(byName.notifications.config).toEqual({
      "cleanup.policy": "delete",
      "min.insync.replicas": "2",
      "retention.ms": "86400000",
    });
    expect(byName["course-catalog-changelog"].config).toEqual({
      "cleanup.policy": "compact",
      "min.insync.replicas": "2",
      "retention.ms": "-1",
    });
  });

  it("reports a replication factor above the brokers and a min ISR not below the replication factor", () => {
    expect(
      topicProblems(
        resolveTopics({ "grade-events": { replicationFactor: 2, minInsyncReplicas: 2 } }),
        3,
        "3 AZs",
        "semester:data",
      ),
    ).toEqual([
      {
        path: "semester:data.topics.grade-events.minInsyncReplicas",
        value: 2,
        rule: "must be less than the replication factor 2, so the topic stays writable while one replica is down",
      },
    ]);
    expect(topicProblems(resolveTopics({}), 2, "2 brokers", "").map((p) => p.path)).toEqual(
      TOPIC_NAMES.map((n) => `topics.${n}.replicationFactor`),
    );
  });

  it("rejects keeping a delete-policy topic forever", () => {
    expect(topicProblems(resolveTopics({ notifications: { retentionHours: -1 } }), 3, "", "")).toEqual([
      {
        path: "topics.notifications.retentionHours",
        value: -1,
        rule: 'must be at least 1 for cleanupPolicy "delete" (-1 keeps records forever: use "compact")',
      },
    ]);
  });
});
