/**
 * The data tier's parts as the component composes them (`createStoreSecurityGroups`, `createKafka`, `createRedis`,
 * `createPostgres`, `createBindings`), under the offline plan's mocks: what each hands the next, the Strimzi operator
 * under the data tier, the binding ConfigMaps it publishes, the contract check and the outputs it registers.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ClusterHandle } from "../../components/cluster/handle";
import { fakeCluster } from "../fixtures/data/cluster";
import { recorded, reset, setDataMocks, settle } from "../fixtures/data/mocks";

setDataMocks();

const k8s = require("@pulumi/kubernetes") as typeof import("@pulumi/kubernetes");
const { InputError } =
  require("../../components/core/problem") as typeof import("../../components/core/problem");
const { dataSchema } =
  require("../../components/data/config") as typeof import("../../components/data/config");
const { DataTier } =
  require("../../components/data/data-tier") as typeof import("../../components/data/data-tier");
type DataTier = InstanceType<typeof DataTier>;
type DataTierArgs = ConstructorParameters<typeof DataTier>[1];

/** What the engine would receive for one resource besides its inputs. */
interface Registration {
  readonly type: string;
  readonly parent: string;
  readonly provider: string;
  readonly dependencies: readonly string[];
  /** Alias specs: the previous name and parent. */
  readonly aliases: readonly { name: string; parentUrn: string }[];
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getDependenciesList(): string[];
  getAliasesList(): { getSpec(): { getName(): string; getParenturn(): string } | undefined }[];
}
interface OutputsRequest {
  getUrn(): string;
  getOutputs(): { toJavaScript(): object };
}
interface Monitor {
  registerResource(req: RegisterRequest, cb: unknown): unknown;
  registerResourceOutputs(req: OutputsRequest, cb: unknown): unknown;
}

const registrations = new Map<string, Registration>();
/** The outputs each component registered, by URN. */
const componentOutputs = new Map<string, Record<string, unknown>>();
const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
const registerResource = monitor.registerResource.bind(monitor);
monitor.registerResource = (req, cb) => {
  registrations.set(req.getName(), {
    type: req.getType(),
    parent: req.getParent(),
    provider: req.getProvider().split("::").slice(0, -1).join("::"),
    dependencies: [...req.getDependenciesList()].sort(),
    aliases: req.getAliasesList().flatMap((a) => {
      const spec = a.getSpec();
      return spec ? [{ name: spec.getName(), parentUrn: spec.getParenturn() }] : [];
    }),
  });
  return registerResource(req, cb);
};
const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
monitor.registerResourceOutputs = (req, cb) => {
  componentOutputs.set(req.getUrn(), req.getOutputs().toJavaScript() as Record<string, unknown>);
  return registerOutputs(req, cb);
};

/** The registration of the one resource named `name`. */
const registered = (name: string): Registration => {
  const found = registrations.get(name);
  if (found === undefined) throw new Error(`nothing registered as ${name}`);
  return found;
};
const inputsOf = (name: string) => {
  const found = recorded.filter((r) => r.name === name);
  if (found.length !== 1) throw new Error(`expected one resource named ${name}, found ${found.length}`);
  return found[0]!.inputs;
};

const resolved = <T>(value: pulumi.Input<T>): Promise<pulumi.Unwrap<T>> =>
  new Promise((resolve) => pulumi.output(value).apply((v) => resolve(v as pulumi.Unwrap<T>)));

/** Stands in for the Platform the Strimzi resources were children of. */
class Root extends pulumi.ComponentResource {
  constructor(name: string) {
    super("semester:platform:Platform", name, {}, {});
  }
}

const DEV_STRIMZI = dataSchema.parse({
  kafka: { backend: "strimzi", storageGiB: 20 },
  redis: { nodeType: "cache.t4g.small", shards: 1 },
  postgres: { shards: 1, instanceClass: "db.t4g.medium" },
});

describe("DataTier parts", () => {
  it("createKafka with Strimzi: the operator is a data tier child after the cluster is ready, the Kafka objects follow it, both aliased to the Platform's old URNs", async () => {
    reset();
    registrations.clear();
    const root = new Root("p");
    const base = fakeCluster("eu-west-2");
    const ready = new k8s.core.v1.Namespace(
      "ready",
      { metadata: { name: "karpenter" } },
      { provider: base.kubernetesProvider },
    );
    const cluster: ClusterHandle = { ...base, readiness: [ready] };
    const tier = new DataTier(
      "p-data",
      {
        environment: "dev",
        homeRegion: "eu-west-2",
        regions: { "eu-west-2": cluster },
        config: DEV_STRIMZI,
        strimziMovedFrom: { parent: root, namePrefix: "p" },
      },
      { parent: root },
    );
    await settle();
    const strimzi = tier.strimzi["eu-west-2"]!;
    const [tierUrn, rootUrn, readyUrn, releaseUrn, providerUrn] = await Promise.all(
      [tier.urn, root.urn, ready.urn, strimzi.release.urn, base.kubernetesProvider.urn].map(resolved),
    );
    expect(registered("p-data-eu-west-2-strimzi")).toEqual({
      type: "kubernetes:helm.sh/v3:Release",
      parent: tierUrn,
      provider: providerUrn,
      dependencies: [readyUrn],
      aliases: [{ name: "p-eu-west-2-strimzi", parentUrn: rootUrn }],
    });
    expect(inputsOf("p-data-eu-west-2-strimzi")).toEqual({
      name: "strimzi",
      chart: "oci://quay.io/strimzi-helm/strimzi-kafka-operator",
      version: "1.2.0",
      compat: "true",
      namespace: "kafka",
      createNamespace: true,
      atomic: true,
      values: { replicas: 2, watchAnyNamespace: false },
    });
    // A component: its children carry the provider.
    expect(registered("p-data-eu-west-2-kafka")).toEqual({
      type: "kubernetes:yaml:ConfigGroup",
      parent: tierUrn,
      provider: "",
      dependencies: [releaseUrn],
      aliases: [{ name: "p-eu-west-2-kafka", parentUrn: rootUrn }],
    });
    // Named after their group, the objects inherit its alias (`inheritedChildAlias` in the SDK and the engine).
    const objects = tier.strimziObjects["eu-west-2"]!;
    expect(objects.map((o) => o.kind)).toEqual([
      "Kafka",
      ...Array<string>(6).fill("KafkaNodePool"),
      ...Array<string>(7).fill("KafkaTopic"),
    ]);
    for (const o of objects) {
      const name = `p-data-eu-west-2-kafka-kafka/${o.metadata.name}`;
      expect([registered(name).type, registered(name).provider, inputsOf(name)]).toEqual([
        `kubernetes:${o.apiVersion}:${o.kind}`,
        providerUrn,
        o,
      ]);
    }
  });

  describe("in prod with two regions and consumers", () => {
    const required = [
      {
        namespace: "learning",
        name: "semester-data-write",
        services: ["enrollment" as const],
        requiredKeys: ["KAFKA_BOOTSTRAP_SERVERS"],
      },
      {
        namespace: "learning",
        name: "semester-data-read",
        services: ["analytics" as const],
        requiredKeys: [],
      },
    ];
    const args = (consumers: DataTierArgs["consumers"]): DataTierArgs => ({
      environment: "prod",
      homeRegion: "us-east-1",
      regions: { "us-east-1": fakeCluster("us-east-1"), "eu-west-2": fakeCluster("eu-west-2") },
      config: dataSchema.parse({ postgres: { shards: 1 } }),
      consumers,
    });
    let tier: DataTier;
    let seen: Map<string, Registration>;
    let outputs: Record<string, unknown>;
    beforeAll(async () => {
      reset();
      registrations.clear();
      tier = new DataTier("b", args({ namespaces: ["learning", "ai-tutor"], required }));
      await settle();
      seen = new Map(registrations);
      outputs = componentOutputs.get(await resolved(tier.urn))!;
    });

    it("createPostgres: a global secondary's shard waits for the home primary's instances; the primary for nothing", async () => {
      const homeInstances = await Promise.all(
        tier.postgresPrimaries["us-east-1"]![0]!.instances.map((i) => resolved(i.urn)),
      );
      expect(homeInstances).toHaveLength(2);
      expect([
        seen.get("b-eu-west-2-pg-0")!.dependencies,
        seen.get("b-us-east-1-pg-0")!.dependencies,
      ]).toEqual([homeInstances.sort(), []]);
    });

    it("createStoreSecurityGroups: only the home MSK admits the secondary's writers, by their subnets, on 9098", () => {
      const peerRules = recorded.filter(
        (r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.inputs.cidrIpv4,
      );
      expect(peerRules.map((r) => [r.name, r.inputs.cidrIpv4, r.inputs.fromPort])).toEqual([
        ["b-us-east-1-sg-msk-from-peer-0", "10.1.0.0/19", 9098],
        ["b-us-east-1-sg-msk-from-peer-1", "10.1.32.0/19", 9098],
        ["b-us-east-1-sg-msk-from-peer-2", "10.1.64.0/19", 9098],
      ]);
      // A stack that never ran Strimzi under the Platform aliases nothing.
      expect([...seen.values()].filter((r) => r.aliases.length > 0)).toEqual([]);
    });

    it("createBindings: both binding ConfigMaps in every consumer namespace, the write side on the home brokers", async () => {
      const maps = tier.bindingConfigMaps["eu-west-2"]!;
      expect(maps.map((m) => `${m.metadata.namespace}/${m.metadata.name}`)).toEqual([
        "ai-tutor/semester-data-read",
        "ai-tutor/semester-data-write",
        "learning/semester-data-read",
        "learning/semester-data-write",
      ]);
      const [read, write] = await Promise.all([maps[2]!.data, maps[3]!.data].map(resolved));
      const both = {
        SEMESTER_DATA_REGION: "eu-west-2",
        KAFKA_SECURITY_PROTOCOL: "SASL_SSL",
        KAFKA_SASL_MECHANISM: "AWS_MSK_IAM",
        KAFKA_TOPICS: JSON.stringify(tier.bindings["eu-west-2"]!.write.kafka.topics),
        POSTGRES_DATABASE: "semester",
        POSTGRES_PORT: "5432",
        POSTGRES_AUTH: "iam",
        POSTGRES_SHARD_HOSTS: '[{"shard":0,"host":"b-eu-west-2-pg-0-cluster.reader"}]',
        POSTGRES_SHARD_MAP: "semester-data/data-shard-map",
      };
      expect(write).toEqual({
        ...both,
        KAFKA_BOOTSTRAP_SERVERS:
          "b-1.b-us-east-1-msk-cluster:9098,b-2.b-us-east-1-msk-cluster:9098,b-3.b-us-east-1-msk-cluster:9098",
        KAFKA_AWS_REGION: "us-east-1",
        POSTGRES_USER: "semester_writer",
        POSTGRES_WRITE_FORWARDING: "true",
      });
      expect(read).toEqual({
        ...both,
        KAFKA_BOOTSTRAP_SERVERS:
          "b-1.b-eu-west-2-msk-cluster:9098,b-2.b-eu-west-2-msk-cluster:9098,b-3.b-eu-west-2-msk-cluster:9098",
        KAFKA_AWS_REGION: "eu-west-2",
        POSTGRES_USER: "semester_reader",
        POSTGRES_WRITE_FORWARDING: "false",
        REDIS_ENDPOINT: "b-eu-west-2-redis-group.cfg",
        REDIS_PORT: "6379",
        REDIS_TLS: "true",
        REDIS_AUTH: "iam",
        REDIS_USER: "prod-euw2-app",
        REDIS_WRITABLE: "false",
      });
      expect(maps[3]!.metadata.labels).toEqual({
        "app.kubernetes.io/part-of": "semester",
        "semester.dev/component": "data",
      });
      expect(tier.configMapObjects["eu-west-2"]!.map((m) => m.metadata.name)).toEqual(["data-shard-map"]);
    });

    it("registers its public outputs: the bindings and the ARNs services' policies name", async () => {
      expect(Object.keys(outputs).sort()).toEqual([
        "bindings",
        "mskClusterArns",
        "postgresClusterArns",
        "postgresClusterResourceIds",
        "redisReplicationGroupArns",
        "redisUserArns",
      ]);
      expect(outputs.mskClusterArns).toEqual({
        "us-east-1": "arn:aws:kafka:r:123456789012:cluster/b-us-east-1-msk-cluster/uuid-1",
        "eu-west-2": "arn:aws:kafka:r:123456789012:cluster/b-eu-west-2-msk-cluster/uuid-1",
      });
      expect((outputs.bindings as any)["eu-west-2"].read.redis.configurationEndpoint).toBe(
        "b-eu-west-2-redis-group.cfg",
      );
    });

    it("refuses consumers that need what the bindings do not publish, before registering anything", async () => {
      reset();
      const attempt = () =>
        new DataTier(
          "bad",
          args({
            namespaces: ["learning"],
            required: [
              { ...required[0]!, requiredKeys: ["KAFKA_BOOTSTRAP_SERVERS", "REDIS_ENDPOINT"] },
              { ...required[1]!, namespace: "analytics" },
            ],
          }),
        );
      expect(attempt).toThrow(InputError);
      expect(attempt).toThrow(
        [
          "Invalid input in DataTier bad (2 problems):",
          '  - `consumers.required[0].requiredKeys[1]`: got "REDIS_ENDPOINT"; must be a key the write binding publishes (msk backend) in learning/semester-data-write, which enrollment read',
          '  - `consumers.namespaces`: got ["learning"]; must include "analytics": analytics read analytics/semester-data-read',
        ].join("\n"),
      );
      await settle();
      // The clusters' providers and the component itself, nothing of the data tier.
      expect(recorded.map((r) => r.type).sort()).toEqual([
        ...Array<string>(4).fill("pulumi:providers:aws"),
        ...Array<string>(4).fill("pulumi:providers:kubernetes"),
        "semester:data:DataTier",
        "semester:data:DataTier",
      ]);
    });
  });
});
