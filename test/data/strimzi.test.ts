import Ajv from "ajv";
import * as fs from "fs";
import * as YAML from "yaml";
import { resolveTopics } from "../../components/data/kafka/catalog";
import { strimziObjects } from "../../components/data/kafka/strimzi";
import type { ResolvedKubeObject as KubeObject } from "../../components/core/kube-object";

const CRDS = "/work/shared/crds/strimzi";
const ajv = new Ajv({ strict: false, allErrors: true });
const validators = new Map(
  ["040-Crd-kafka.yaml", "045-Crd-kafkanodepool.yaml", "043-Crd-kafkatopic.yaml"].map((file) => {
    const crd = YAML.parse(fs.readFileSync(`${CRDS}/${file}`, "utf8"));
    const v1 = crd.spec.versions.find((v: { name: string; served: boolean }) => v.name === "v1" && v.served);
    return [crd.spec.names.kind as string, ajv.compile(v1.schema.openAPIV3Schema)];
  }),
);

const objects = strimziObjects({ region: "eu-west-2", topics: resolveTopics() });
const ofKind = (kind: string) => objects.filter((o) => o.kind === kind);
const spec = (o: KubeObject) => o.spec as Record<string, any>;

describe("Strimzi backend", () => {
  it("schedules the operator's own rolling restarts in the given maintenance time windows, valid for the CRD", () => {
    const windows = ["* 30-59 23 ? * SAT", "* 0-29 0 ? * SUN"];
    const kafka = strimziObjects({
      region: "eu-west-2",
      topics: resolveTopics(),
      maintenanceTimeWindows: windows,
    })[0]!;
    expect(spec(kafka).maintenanceTimeWindows).toEqual(windows);
    expect(validators.get("Kafka")!(kafka)).toBe(true);
    expect(spec(ofKind("Kafka")[0]!).maintenanceTimeWindows).toBeUndefined();
  });

  it("produces objects that validate against the served kafka.strimzi.io/v1 CRD schemas", () => {
    for (const o of objects) {
      const validate = validators.get(o.kind)!;
      expect(o.apiVersion).toBe("kafka.strimzi.io/v1");
      expect({
        kind: o.kind,
        name: o.metadata.name,
        valid: validate(o),
        errors: validate.errors ?? null,
      }).toEqual({
        kind: o.kind,
        name: o.metadata.name,
        valid: true,
        errors: null,
      });
    }
  });

  it("runs KRaft with a controller and a broker pool pinned to each of three zones", () => {
    const pools = ofKind("KafkaNodePool");
    expect(pools.map((p) => [p.metadata.name, spec(p).roles, spec(p).replicas])).toEqual([
      ["controller-a", ["controller"], 1],
      ["broker-a", ["broker"], 1],
      ["controller-b", ["controller"], 1],
      ["broker-b", ["broker"], 1],
      ["controller-c", ["controller"], 1],
      ["broker-c", ["broker"], 1],
    ]);
    expect(
      pools.map(
        (p) =>
          spec(p).template.pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution
            .nodeSelectorTerms[0].matchExpressions[0].values[0],
      ),
    ).toEqual(["eu-west-2a", "eu-west-2a", "eu-west-2b", "eu-west-2b", "eu-west-2c", "eu-west-2c"]);
    for (const p of pools) expect(p.metadata.labels).toEqual({ "strimzi.io/cluster": "events" });
  });

  it("enables rack awareness on the zone label, TLS client authentication and safe replication settings", () => {
    const kafka = spec(ofKind("Kafka")[0]).kafka;
    expect(kafka.rack).toEqual({ type: "topology-label", topologyKey: "topology.kubernetes.io/zone" });
    expect(kafka.listeners).toEqual([
      { name: "tls", port: 9093, type: "internal", tls: true, authentication: { type: "tls" } },
    ]);
    expect(kafka.config["min.insync.replicas"]).toBe(2);
    expect(kafka.config["default.replication.factor"]).toBe(3);
    expect(kafka.config["auto.create.topics.enable"]).toBe(false);
  });

  it("turns the topic catalog into KafkaTopic objects", () => {
    const topic = ofKind("KafkaTopic").find((t) => t.metadata.name === "enrollment-events")!;
    expect(topic.spec).toEqual({
      topicName: "enrollment-events",
      partitions: 24,
      replicas: 3,
      config: { "cleanup.policy": "delete", "min.insync.replicas": "2", "retention.ms": "604800000" },
    });
    expect(ofKind("KafkaTopic")).toHaveLength(7);
  });

  it("honours overrides of zones, broker count and storage", () => {
    const o = strimziObjects({
      region: "us-east-1",
      zones: ["use1-az1", "use1-az2", "use1-az4"],
      brokersPerZone: 2,
      storageGiB: 50,
      storageClass: "io2",
      topics: [],
    });
    const broker = o.find((x) => x.metadata.name === "broker-c")!;
    expect(spec(broker).replicas).toBe(2);
    expect(spec(broker).storage).toEqual({
      type: "persistent-claim",
      size: "50Gi",
      class: "io2",
      deleteClaim: false,
    });
    expect(
      spec(broker).template.pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution
        .nodeSelectorTerms[0].matchExpressions[0].values,
    ).toEqual(["use1-az4"]);
  });

  it("rejects two zones and a topic that needs more brokers", () => {
    const topics = resolveTopics({ notifications: { replicationFactor: 4 } }).filter(
      (t) => t.name === "notifications",
    );
    expect(() => strimziObjects({ region: "eu-west-2", zones: ["a", "b"], topics })).toThrow(
      [
        "Invalid input in Strimzi Kafka events in eu-west-2 (2 problems):",
        '  - `zones`: got ["a","b"]; must be 3 distinct zones',
        "  - `topics.notifications.replicationFactor`: got 4; must be at most the broker count 3 (3 zones × `brokersPerZone` 1)",
      ].join("\n"),
    );
  });
});
