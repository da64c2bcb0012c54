import {
  bindingContractProblems,
  publishedKeys,
  type DataConsumers,
} from "../../components/data/binding-config-maps";
import { DEFAULT_SERVICES } from "../../components/kubernetes/config";
import { requiredDataConfigMaps } from "../../components/kubernetes/data-access";

/** The consumers the platform hands the data tier for the default services. */
const defaults: DataConsumers = {
  namespaces: [...new Set(Object.values(DEFAULT_SERVICES).map((s) => s.namespace))],
  required: requiredDataConfigMaps(DEFAULT_SERVICES),
};

const BOTH_MSK = [
  "SEMESTER_DATA_REGION",
  "KAFKA_BOOTSTRAP_SERVERS",
  "KAFKA_SECURITY_PROTOCOL",
  "KAFKA_SASL_MECHANISM",
  "KAFKA_AWS_REGION",
  "KAFKA_TOPICS",
  "POSTGRES_DATABASE",
  "POSTGRES_PORT",
  "POSTGRES_AUTH",
  "POSTGRES_USER",
  "POSTGRES_SHARD_HOSTS",
  "POSTGRES_SHARD_MAP",
  "POSTGRES_WRITE_FORWARDING",
];
const REDIS = ["REDIS_ENDPOINT", "REDIS_PORT", "REDIS_TLS", "REDIS_AUTH", "REDIS_USER", "REDIS_WRITABLE"];

describe("binding ConfigMaps", () => {
  it("carry the MSK signing keys only with MSK, and Redis only on the read side", () => {
    const strimzi = BOTH_MSK.filter((k) => k !== "KAFKA_SASL_MECHANISM" && k !== "KAFKA_AWS_REGION");
    expect([
      publishedKeys("write", "msk"),
      publishedKeys("read", "msk"),
      publishedKeys("write", "strimzi"),
      publishedKeys("read", "strimzi"),
    ]).toEqual([BOTH_MSK, [...BOTH_MSK, ...REDIS], strimzi, [...strimzi, ...REDIS]]);
  });

  it("publish what the default services read, the brokers for both Kafka-scaled services, on either backend", () => {
    expect(
      defaults.required
        .filter((r) => r.requiredKeys.length > 0)
        .map((r) => [`${r.namespace}/${r.name}`, r.services, r.requiredKeys]),
    ).toEqual([
      ["learning/semester-data-read", ["course-catalog", "analytics"], ["KAFKA_BOOTSTRAP_SERVERS"]],
      [
        "learning/semester-data-write",
        ["assessment-engine", "enrollment", "learner-profile"],
        ["KAFKA_BOOTSTRAP_SERVERS"],
      ],
    ]);
    expect([bindingContractProblems(defaults, "msk"), bindingContractProblems(defaults, "strimzi")]).toEqual([
      [],
      [],
    ]);
  });

  it("name each need the bindings do not meet: a key they do not carry, a namespace without them, another ConfigMap", () => {
    const consumers: DataConsumers = {
      namespaces: ["learning"],
      required: [
        {
          namespace: "learning",
          name: "semester-data-write",
          services: ["enrollment"],
          requiredKeys: ["KAFKA_BOOTSTRAP_SERVERS", "REDIS_ENDPOINT"],
        },
        {
          namespace: "learning",
          name: "semester-data-read",
          services: ["analytics"],
          requiredKeys: ["KAFKA_AWS_REGION"],
        },
        { namespace: "ai-tutor", name: "semester-data-read", services: ["ai-tutor"], requiredKeys: [] },
        { namespace: "learning", name: "semester-data", services: ["analytics"], requiredKeys: [] },
      ],
    };
    expect(bindingContractProblems(consumers, "strimzi")).toEqual([
      {
        path: "consumers.required[0].requiredKeys[1]",
        value: "REDIS_ENDPOINT",
        rule: "must be a key the write binding publishes (strimzi backend) in learning/semester-data-write, which enrollment read",
      },
      {
        path: "consumers.required[1].requiredKeys[0]",
        value: "KAFKA_AWS_REGION",
        rule: "must be a key the read binding publishes (strimzi backend) in learning/semester-data-read, which analytics read",
      },
      {
        path: "consumers.namespaces",
        value: ["learning"],
        rule: 'must include "ai-tutor": ai-tutor read ai-tutor/semester-data-read',
      },
      {
        path: "consumers.required[3].name",
        value: "semester-data",
        rule: "must be a binding ConfigMap (semester-data-write, semester-data-read)",
      },
    ]);
  });
});
