/**
 * The network side of the CQRS bindings: which endpoints each binding hands out (bindingNetwork), how the services'
 * NetworkPolicies and KEDA triggers follow them (LearningChart), and the config rules that keep IAM scopes tight.
 */
import { Testing } from "cdk8s";
import { parseStackConfig } from "../../components/config/load";
import { InputError } from "../../components/core/problem";
import { dataSchema } from "../../components/data/config";
import { crossRegionPaths, writeTargets } from "../../components/data/cqrs";
import { resolveDataTier } from "../../components/data/settings";
import { DEFAULT_SERVICES } from "../../components/kubernetes/config";
import { LearningChart } from "../../components/kubernetes/learning-chart";
import { bindingNetwork } from "../../components/platform/data-egress";
import { testPromqlTarget } from "../support/promql-endpoint";

/** A stack file's config as Pulumi hands it over: every value JSON text (strings as they are). */
const stack = (extra: Record<string, unknown> = {}) => {
  const values: Record<string, unknown> = {
    "semester:environment": "prod",
    "semester:cluster": { kubernetesVersion: "1.35" },
    "semester:homeRegion": "us-east-1",
    "semester:regions": [
      { region: "us-east-1", vpcCidr: "10.0.0.0/16" },
      { region: "eu-west-2", vpcCidr: "10.1.0.0/16" },
    ],
    ...extra,
  };
  return parseStackConfig(
    Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    ),
    "stacks/Pulumi.test.yaml",
  );
};

const US = ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"];
const EU = ["10.1.0.0/19", "10.1.32.0/19", "10.1.64.0/19"];

describe("writeTargets and crossRegionPaths", () => {
  const prod = { globalDatabase: true, writeForwarding: true, replicator: true };
  it("writes locally through forwarding, and produces to the home brokers when topics replicate from home", () => {
    expect(writeTargets("eu-west-2", "us-east-1", prod)).toEqual({
      postgres: "eu-west-2",
      kafka: "us-east-1",
    });
    expect(
      crossRegionPaths(["us-east-1", "eu-west-2"], "us-east-1", prod, { postgres: 5432, kafka: 9098 }),
    ).toEqual([{ from: "eu-west-2", to: "us-east-1", store: "kafka", port: 9098 }]);
  });

  it("sends writes across regions to the home writers when forwarding is off", () => {
    const routing = { ...prod, writeForwarding: false };
    expect(
      crossRegionPaths(["us-east-1", "eu-west-2"], "us-east-1", routing, { postgres: 5432, kafka: 9098 }),
    ).toEqual([
      { from: "eu-west-2", to: "us-east-1", store: "postgres", port: 5432 },
      { from: "eu-west-2", to: "us-east-1", store: "kafka", port: 9098 },
    ]);
  });

  it("keeps every path local without global replication", () => {
    const local = { globalDatabase: false, writeForwarding: false, replicator: false };
    expect(
      crossRegionPaths(["us-east-1", "eu-west-2"], "us-east-1", local, { postgres: 5432, kafka: 9098 }),
    ).toEqual([]);
  });
});

describe("bindingNetwork", () => {
  it("hands a secondary's writers the local shards and the home brokers, its readers everything local", () => {
    expect(bindingNetwork(stack(), "eu-west-2")).toEqual({
      egress: {
        write: [
          { store: "postgres", port: 5432, cidrs: EU },
          { store: "kafka", port: 9098, cidrs: US },
        ],
        read: [
          { store: "postgres", port: 5432, cidrs: EU },
          { store: "redis", port: 6379, cidrs: EU },
          { store: "kafka", port: 9098, cidrs: EU },
        ],
      },
      kafkaRegions: { write: "us-east-1", read: "eu-west-2" },
    });
  });

  it("follows the home writers when write forwarding is turned off", () => {
    const config = stack({ "semester:data": { postgres: { writeForwarding: false } } });
    expect(bindingNetwork(config, "eu-west-2").egress.write[0]).toEqual({
      store: "postgres",
      port: 5432,
      cidrs: US,
    });
  });

  it("reaches Strimzi's brokers as pods in the cluster", () => {
    const base = stack({
      "semester:environment": "dev",
      "semester:regions": [{ region: "us-east-1", vpcCidr: "10.0.0.0/16" }],
    });
    const config = {
      ...base,
      data: { ...base.data, kafka: { ...base.data.kafka, backend: "strimzi" as const } },
    };
    expect(bindingNetwork(config, "us-east-1").egress.write[1]).toEqual({
      store: "kafka",
      port: 9093,
      namespace: "kafka",
      podLabels: { "strimzi.io/cluster": "events" },
    });
  });
});

describe("LearningChart data egress", () => {
  type Obj = { kind: string; metadata: { name: string }; spec: Record<string, any> };
  const objs = Testing.synth(
    new LearningChart(Testing.app(), "eu", {
      region: "eu-west-2",
      environment: "prod",
      services: DEFAULT_SERVICES,
      ...bindingNetwork(stack(), "eu-west-2"),
      promql: testPromqlTarget("eu-west-2"),
      dataEgress: bindingNetwork(stack(), "eu-west-2").egress,
    }),
  ) as Obj[];
  const egress = (name: string) =>
    objs.find((o) => o.kind === "NetworkPolicy" && o.metadata.name === `${name}-allow`)!.spec.egress;
  const block = (cidrs: string[]) => cidrs.map((cidr) => ({ ipBlock: { cidr } }));

  it("allows a writer exactly its binding's stores and the Pod Identity agent", () => {
    expect(egress("assessment-engine")).toEqual([
      {
        to: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "learning" } },
            podSelector: { matchLabels: { "semester.dev/service": "learner-profile" } },
          },
        ],
        ports: [{ port: 8080, protocol: "TCP" }],
      },
      { to: block(EU), ports: [{ port: 5432, protocol: "TCP" }] },
      { to: block(US), ports: [{ port: 9098, protocol: "TCP" }] },
      { to: [{ ipBlock: { cidr: "169.254.170.23/32" } }], ports: [{ port: 80, protocol: "TCP" }] },
    ]);
  });

  it("allows a reader its local readers, Redis and brokers; a service without a binding none of them", () => {
    expect(egress("analytics")).toEqual([
      { to: block(EU), ports: [{ port: 5432, protocol: "TCP" }] },
      { to: block(EU), ports: [{ port: 6379, protocol: "TCP" }] },
      { to: block(EU), ports: [{ port: 9098, protocol: "TCP" }] },
      { to: [{ ipBlock: { cidr: "169.254.170.23/32" } }], ports: [{ port: 80, protocol: "TCP" }] },
    ]);
    const none = Testing.synth(
      new LearningChart(Testing.app(), "x", {
        region: "eu-west-2",
        environment: "prod",
        services: {
          ...DEFAULT_SERVICES,
          "course-catalog": { ...DEFAULT_SERVICES["course-catalog"], dataAccess: "none" },
        },
        promql: testPromqlTarget("eu-west-2"),
        dataEgress: bindingNetwork(stack(), "eu-west-2").egress,
      }),
    ) as Obj[];
    expect(
      none.find((o) => o.kind === "NetworkPolicy" && o.metadata.name === "course-catalog-allow")!.spec.egress,
    ).toEqual([]);
  });

  it("signs a Kafka lag trigger for the region of the brokers the binding names", () => {
    const trigger = (name: string) =>
      objs
        .find((o) => o.kind === "ScaledObject" && o.metadata.name === name)!
        .spec.triggers.find((t: { type: string }) => t.type === "apache-kafka");
    expect(trigger("enrollment").metadata.awsRegion).toBe("us-east-1");
    expect(trigger("analytics").metadata.awsRegion).toBe("eu-west-2");
  });
});

describe("consumer groups are the service's own", () => {
  it("refuses a consumer group not named after its service", () => {
    let error: unknown;
    try {
      stack({
        "semester:services": {
          analytics: { scaling: { kafka: { topic: "learner-activity", consumerGroup: "reports" } } },
        },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(
      '`semester:services.analytics.scaling.kafka.consumerGroup`: got "reports"; must be `analytics` or start with `analytics-`: a service\'s IAM role may use only its own consumer groups',
    );
  });

  it("refuses write forwarding without global databases", () => {
    const { problems } = resolveDataTier({
      environment: "staging",
      homeRegion: "us-east-1",
      regions: { "us-east-1": { region: "us-east-1" }, "eu-west-2": { region: "eu-west-2" } },
      config: dataSchema.parse({ postgres: { writeForwarding: true } }),
    });
    expect(problems).toEqual([
      {
        path: "config.postgres.writeForwarding",
        value: true,
        rule: "needs postgres.globalDatabase (it forwards from secondaries)",
      },
    ]);
  });
});
