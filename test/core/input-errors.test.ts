/**
 * Every module's bad input, one row per module: each must throw an `InputError` naming its source, whose message
 * has the one shape — a header line, then one `` - `path`: got VALUE; RULE[; fix: FIX] `` line per problem — with
 * the problems in the order given. A component must refuse before it creates any child resource.
 *
 * To add a module, add a row to `CASES`: what it is, the source its error names, the paths of the problems the
 * bad input causes, and `run`, which feeds it that input (under the offline plan's mocks, so it may construct
 * Pulumi components).
 */
import { App } from "cdk8s";
import { parseStackConfig } from "../../components/config/load";
import { readStackConfig } from "../../components/config/stack-file";
import { InputError } from "../../components/core/problem";
import { RegionalCluster } from "../../components/cluster/regional-cluster";
import { resolveTopics } from "../../components/data/kafka/catalog";
import { DataTier } from "../../components/data/data-tier";
import { dataSchema } from "../../components/data/config";
import { DataKey } from "../../components/data/keys";
import { MskCluster } from "../../components/data/kafka/msk-cluster";
import { MskReplicator } from "../../components/data/kafka/replicator";
import { KafkaTopics } from "../../components/data/kafka/topics";
import { strimziObjects } from "../../components/data/kafka/strimzi";
import { DataSecurityGroups } from "../../components/data/network";
import { AuroraGlobalDatabase } from "../../components/data/postgres/global-database";
import { AuroraShard } from "../../components/data/postgres/aurora-shard";
import { rdsCaBundle } from "../../components/data/postgres/rds-ca";
import { roleBootstrapObjects, roleBootstrapPolicy } from "../../components/data/postgres/role-bootstrap";
import { roleBootstrapSql } from "../../components/data/postgres/role-bootstrap-scripts";
import { shardMap } from "../../components/data/postgres/shard-map";
import { ShardMapPublication } from "../../components/data/publish";
import { RedisGlobalDatastore } from "../../components/data/redis/global-datastore";
import { RedisReplicationGroup } from "../../components/data/redis/replication-group";
import { defaultAddonValues } from "../../components/kubernetes/addons";
import { DEFAULT_ADDONS, DEFAULT_SERVICES, servicesSchema } from "../../components/kubernetes/config";
import { LearningChart } from "../../components/kubernetes/learning-chart";
import { RegionWorkloads } from "../../components/kubernetes/region-workloads";
import { planSubnets, parseCidr, subnetCidr } from "../../components/network/cidr";
import { VpcPeering } from "../../components/network/peering";
import { bindingNetwork } from "../../components/platform/data-egress";
import { dataAccessPolicy, mskResourceArn } from "../../components/platform/data-access-policy";
import { evaluate } from "../../cli/plan/wiring/iam/evaluate";
import { fakeCluster } from "../fixtures/data/cluster";
import { recordResources } from "../support/record";
import * as aws from "@pulumi/aws";
import { testPromql, testPromqlTarget } from "../support/promql-endpoint";

interface Case {
  /** The module and the bad input, as the test's name. */
  readonly module: string;
  /** The source the error names. */
  readonly source: string;
  /** The paths of its problems, in order. */
  readonly paths: readonly string[];
  /** Feeds the module the bad input. */
  readonly run: () => unknown;
  /** The component's name, when the module is a component: nothing named `<name>-…` may exist afterwards. */
  readonly component?: string;
}

const SOURCE = "stacks/Pulumi.test.yaml";
const STACK = {
  "semester:environment": "prod",
  "semester:homeRegion": "us-east-1",
  "semester:regions": JSON.stringify([
    { region: "us-east-1", vpcCidr: "10.0.0.0/16" },
    { region: "eu-west-2", vpcCidr: "10.1.0.0/16" },
  ]),
  "semester:cluster": JSON.stringify({ kubernetesVersion: "1.35" }),
};
const stack = (keys: Record<string, unknown>) =>
  parseStackConfig(
    {
      ...STACK,
      ...Object.fromEntries(
        Object.entries(keys).map(([k, v]) => [
          `semester:${k}`,
          typeof v === "string" ? v : JSON.stringify(v),
        ]),
      ),
    },
    SOURCE,
  );
const provider = () => new aws.Provider("p-aws", { region: "us-east-1" });
const SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-0-AbCdEf";

const CASES: readonly Case[] = [
  {
    module: "stack config: a key's own schema",
    source: SOURCE,
    paths: ["semester:cluster.zonalShift", "semester:tags.team"],
    run: () => stack({ cluster: { kubernetesVersion: "1.35", zonalShift: "yes" }, tags: { team: 7 } }),
  },
  {
    module: "stack config: regions and the home region",
    source: SOURCE,
    paths: [
      "semester:regions[1].availabilityZones",
      "semester:regions[1].natGateways",
      "semester:regions[1].vpcCidr",
      "semester:homeRegion",
    ],
    run: () =>
      stack({
        homeRegion: "eu-west-1",
        regions: [
          { region: "us-east-1", vpcCidr: "10.0.0.0/16" },
          { region: "eu-west-2", vpcCidr: "10.0.128.0/17", availabilityZones: 2, natGateways: "single" },
        ],
      }),
  },
  {
    module: "stack config: cluster settings",
    source: SOURCE,
    paths: ["semester:cluster.systemNodeGroup.minSize", "semester:cluster.endpointPublicAccessCidrs[0]"],
    run: () =>
      stack({
        cluster: {
          kubernetesVersion: "1.35",
          systemNodeGroup: { minSize: 5, maxSize: 3 },
          endpointPublicAccessCidrs: ["0.0.0.0/0"],
        },
      }),
  },
  {
    module: "stack config: the data section",
    source: SOURCE,
    paths: [
      "semester:data.redis.snapshotWindow",
      "semester:data.postgres.shards",
      "semester:data.topics.notifications.replicationFactor",
      "semester:data.redis.nodeType",
      "semester:data.postgres.instanceClass",
    ],
    run: () =>
      stack({
        data: {
          redis: {
            snapshotWindow: "05:30-06:30",
            maintenanceWindow: "sun:05:00-sun:06:00",
            nodeType: "cache.t4g.small",
          },
          postgres: { buckets: 8, shards: 9, instanceClass: "db.t4g.medium" },
          topics: { notifications: { replicationFactor: 4 } },
        },
      }),
  },
  {
    module: "stack config: observability",
    source: SOURCE,
    paths: [
      "semester:observability.slo.services.course-catalog.latencyMs",
      "semester:observability.metrics.scrapeIntervalSeconds",
    ],
    run: () =>
      stack({
        observability: {
          metrics: { scrapeIntervalSeconds: 15 },
          slo: { services: { "course-catalog": { latencyMs: 300 } } },
        },
      }),
  },
  {
    module: "stack config: observability parts that need metrics",
    source: SOURCE,
    paths: [
      "semester:services.course-catalog.scaling.requestRate",
      "semester:services.assessment-engine.scaling.requestRate",
      "semester:services.learner-profile.scaling.requestRate",
      "semester:observability.slo.enabled",
      "semester:observability.dashboards.enabled",
      "semester:delivery.enabled",
    ],
    run: () => stack({ observability: { metrics: { enabled: false } } }),
  },
  {
    module: "stack config: the scaling rules",
    source: SOURCE,
    paths: [
      "semester:services.course-catalog.scaling.requestRate",
      "semester:services.assessment-engine.scaling.requestRate",
      "semester:services.enrollment.dataAccess",
      "semester:services.learner-profile.scaling.requestRate",
      "semester:services.analytics.scaling.kafka.consumerGroup",
      "semester:services.ai-tutor.scaling.fallbackReplicas",
      "semester:delivery.enabled",
    ],
    run: () =>
      stack({
        // No PromQL endpoint: the request-rate triggers have nothing to read.
        observability: {
          metrics: { enabled: false },
          slo: { enabled: false },
          dashboards: { enabled: false },
        },
        services: {
          "course-catalog": { scaling: { cpuUtilization: null } },
          enrollment: { dataAccess: "none" },
          analytics: { scaling: { kafka: { topic: "learner-activity", consumerGroup: "reports" } } },
          "ai-tutor": { scaling: { fallbackReplicas: 2 } },
        },
      }),
  },
  {
    module: "stack config: Kafka scaling against the data tier",
    source: SOURCE,
    paths: [
      "semester:services.enrollment.scaling.kafka.topic",
      "semester:services.enrollment.scaling.kafka",
      "semester:services.analytics.scaling.kafka",
    ],
    run: () =>
      stack({
        data: { kafka: { backend: "strimzi" } },
        services: { enrollment: { scaling: { kafka: { topic: "enrolments" } } } },
      }),
  },
  {
    module: "stack files: an unknown stack",
    source: "the command line",
    paths: ["--stack"],
    run: () => readStackConfig(process.cwd(), "nope"),
  },
  {
    module: "RegionalCluster",
    source: "RegionalCluster rc",
    component: "rc",
    paths: ["systemNodeGroup.minSize", "availabilityZones", "natGateways"],
    run: () =>
      new RegionalCluster("rc", {
        region: "eu-west-2",
        environment: "prod",
        vpcCidr: "10.1.0.0/16",
        kubernetesVersion: "1.35",
        availabilityZones: 2,
        natGateways: "single",
        systemNodeGroup: { minSize: 5, maxSize: 3 },
      }),
  },
  {
    module: "DataTier",
    source: "DataTier dt",
    component: "dt",
    paths: ["homeRegion", "config.kafka.replicator", "config.redis.globalDatastore"],
    run: () =>
      new DataTier("dt", {
        environment: "dev",
        homeRegion: "us-east-1",
        regions: { "eu-west-2": fakeCluster("eu-west-2") },
        config: dataSchema.parse({ kafka: { replicator: true }, redis: { globalDatastore: true } }),
      }),
  },
  {
    module: "AuroraShard",
    source: "AuroraShard pg",
    component: "pg",
    paths: ["readers", "globalClusterIdentifier"],
    run: () =>
      new AuroraShard("pg", {
        cluster: fakeCluster("eu-west-2"),
        securityGroupId: "sg-1",
        kmsKeyArn: "arn:aws:kms:eu-west-2:123456789012:key/1",
        role: "global-secondary",
        readers: 0,
      }),
  },
  {
    module: "AuroraGlobalDatabase",
    source: "AuroraGlobalDatabase gdb",
    component: "gdb",
    paths: ["identifier"],
    run: () => new AuroraGlobalDatabase("gdb", { provider: provider(), identifier: "bad--id" }),
  },
  {
    module: "RedisReplicationGroup",
    source: "RedisReplicationGroup redis",
    component: "redis",
    paths: ["idPrefix", "replicasPerShard"],
    run: () =>
      new RedisReplicationGroup("redis", {
        cluster: fakeCluster("eu-west-2"),
        securityGroupId: "sg-1",
        idPrefix: "Bad",
        replicasPerShard: 0,
      }),
  },
  {
    module: "RedisGlobalDatastore",
    source: "RedisGlobalDatastore gds",
    component: "gds",
    paths: ["idSuffix"],
    run: () =>
      new RedisGlobalDatastore("gds", {
        provider: provider(),
        primaryReplicationGroupId: "rg",
        idSuffix: "-x",
      }),
  },
  {
    module: "MskCluster",
    source: "MskCluster msk",
    component: "msk",
    paths: ["brokersPerAz", 'serverProperties["default.replication.factor"]'],
    run: () =>
      new MskCluster("msk", { cluster: fakeCluster("eu-west-2"), securityGroupId: "sg-1", brokersPerAz: 0 }),
  },
  {
    module: "MskReplicator",
    source: "MskReplicator rep",
    component: "rep",
    paths: ["topics"],
    run: () => {
      const end = { clusterArn: "arn:aws:kafka:r:1:cluster/a/b", subnetIds: [], securityGroupId: "sg" };
      return new MskReplicator("rep", { provider: provider(), source: end, target: end, topics: [] });
    },
  },
  {
    module: "KafkaTopics",
    source: "KafkaTopics topics",
    component: "topics",
    paths: ["topics.notifications.replicationFactor", "topics.notifications.minInsyncReplicas"],
    run: () =>
      new KafkaTopics("topics", {
        region: "eu-west-2",
        bootstrapBrokers: "b-1:9098",
        topics: resolveTopics({ notifications: { replicationFactor: 2, minInsyncReplicas: 2 } }).filter(
          (t) => t.name === "notifications",
        ),
        brokerCount: 1,
      }),
  },
  {
    module: "strimziObjects",
    source: "Strimzi Kafka events in eu-west-2",
    paths: ["zones", "brokersPerZone"],
    run: () => strimziObjects({ region: "eu-west-2", zones: ["a"], brokersPerZone: 0, topics: [] }),
  },
  {
    module: "DataSecurityGroups",
    source: "DataSecurityGroups sgs",
    component: "sgs",
    paths: ["peerCidrBlocks.redis[0]", "mskReplicator"],
    run: () =>
      new DataSecurityGroups("sgs", {
        cluster: fakeCluster("eu-west-2"),
        stores: ["redis"],
        mskReplicator: true,
        peerCidrBlocks: { redis: ["0.0.0.0/0"] },
      }),
  },
  {
    module: "DataKey",
    source: "DataKey key",
    component: "key",
    paths: ["deletionWindowInDays"],
    run: () => new DataKey("key", { description: "k", provider: provider(), deletionWindowInDays: 3 }),
  },
  {
    module: "ShardMapPublication",
    source: "ShardMapPublication map",
    component: "map",
    paths: ["endpoints[].shard"],
    run: () =>
      new ShardMapPublication("map", {
        provider: provider(),
        environment: "dev",
        shardMap: shardMap(8, 2),
        endpoints: [0, 0].map((shard) => ({ shard, writer: "w", reader: "r" })),
        database: "semester",
      }),
  },
  {
    module: "shardMap",
    source: "shardMap",
    paths: ["shards"],
    run: () => shardMap(4, 5),
  },
  {
    module: "VpcPeering",
    source: "VpcPeering peer",
    component: "peer",
    paths: ["accepter.region", "accepter.vpcCidr"],
    run: () => {
      const eu = fakeCluster("eu-west-2");
      return new VpcPeering("peer", { requester: eu, accepter: eu });
    },
  },
  {
    module: "planSubnets",
    source: "planSubnets",
    paths: ["vpcCidr", "zones"],
    run: () => planSubnets("10.0.0.1/16", 5),
  },
  {
    module: "subnetCidr",
    source: "subnetCidr of 10.0.0.0/24",
    paths: ["newBits"],
    run: () => subnetCidr(parseCidr("10.0.0.0/24")!, 8, 0),
  },
  {
    module: "LearningChart",
    source: "LearningChart chart",
    paths: ["services.course-catalog.scaling", "services.enrollment.dataAccess"],
    run: () =>
      new LearningChart(new App(), "chart", {
        region: "eu-west-2",
        environment: "prod",
        services: servicesSchema.parse({
          ...DEFAULT_SERVICES,
          "course-catalog": { ...DEFAULT_SERVICES["course-catalog"], scaling: { cpuUtilization: null } },
          enrollment: { ...DEFAULT_SERVICES.enrollment, dataAccess: "none" },
        }),
        promql: testPromqlTarget("eu-west-2"),
      }),
  },
  {
    module: "RegionWorkloads",
    source: "RegionWorkloads rw",
    component: "rw",
    paths: ["kedaPolicy"],
    run: () =>
      new RegionWorkloads("rw", {
        cluster: fakeCluster("eu-west-2"),
        environment: "prod",
        services: DEFAULT_SERVICES,
        addons: DEFAULT_ADDONS,
        promql: testPromql("eu-west-2"),
      }),
  },
  {
    module: "defaultAddonValues",
    source: "defaultAddonValues externalDns",
    paths: ["dns"],
    run: () => defaultAddonValues("externalDns", { clusterName: "c", region: "eu-west-2" }),
  },
  {
    module: "bindingNetwork",
    source: "bindingNetwork",
    paths: ["region"],
    run: () => bindingNetwork(stack({}), "eu-central-1"),
  },
  {
    module: "dataAccessPolicy",
    source: "dataAccessPolicy (read binding of eu-west-2)",
    paths: ["redis"],
    run: () =>
      dataAccessPolicy(
        {
          kind: "read",
          region: "eu-west-2",
          kafka: { backend: "strimzi" },
          postgres: { shards: [], user: "semester_reader" },
        } as never,
        { postgresClusterArns: [], postgresClusterResourceIds: [] },
        { service: "analytics" },
      ),
  },
  {
    module: "mskResourceArn",
    source: "mskResourceArn",
    paths: ["mskClusterArn"],
    run: () => mskResourceArn("not-an-arn", "topic", "t"),
  },
  {
    module: "rdsCaBundle",
    source: "rdsCaBundle",
    paths: ["region"],
    run: () => rdsCaBundle("xx-nowhere-1"),
  },
  {
    module: "roleBootstrapSql",
    source: "roleBootstrapSql",
    paths: ["database", "users"],
    run: () =>
      roleBootstrapSql({ database: "Bad", masterUsername: "admin", users: { write: "same", read: "same" } }),
  },
  {
    module: "roleBootstrapObjects",
    source: "roleBootstrapObjects (us-east-1)",
    paths: ["shards", "backoffLimit"],
    run: () =>
      roleBootstrapObjects({
        region: "us-east-1",
        vpcCidr: "10.0.0.0/16",
        database: "semester",
        masterUsername: "semester_admin",
        shards: [],
        backoffLimit: 11,
      }),
  },
  {
    module: "roleBootstrapPolicy",
    source: "roleBootstrapPolicy",
    paths: ["secretArns[0]"],
    run: () => roleBootstrapPolicy("eu-west-2", [SECRET]),
  },
  {
    module: "the plan's IAM evaluator",
    source: "the IAM request",
    paths: ["action", "resource"],
    run: () => evaluate([], { action: "s3", resource: "" }),
  },
];

/** `Invalid input in SOURCE (N problem[s]):`, then N lines `  - `path`: got VALUE; RULE[; fix: FIX]`. */
const HEADER = /^Invalid input in (.+) \((\d+) (problem|problems)\):$/;
const LINE = /^ {2}- `([^`]+)`: got (.+?); (.+)$/;

describe("bad input, module by module", () => {
  it.each(CASES.map((c) => [c.module, c] as const))("%s throws the one InputError shape", async (_, c) => {
    let error: unknown;
    const resources = await recordResources(() => {
      try {
        c.run();
      } catch (e) {
        error = e;
      }
    });
    expect(error).toBeInstanceOf(InputError);
    const input = error as InputError;
    expect(input.source).toBe(c.source);
    expect(input.problems.map((p) => p.path)).toEqual(c.paths);

    const [header, ...lines] = input.message.split("\n");
    const match = HEADER.exec(header!);
    expect(match?.slice(1)).toEqual([
      c.source,
      String(c.paths.length),
      c.paths.length === 1 ? "problem" : "problems",
    ]);
    expect(lines.map((l) => LINE.exec(l)?.[1])).toEqual(c.paths);
    input.problems.forEach((p, i) => {
      expect(lines[i]).toBe(
        `  - \`${p.path}\`: got ${LINE.exec(lines[i]!)![2]}; ${p.rule}${p.fix !== undefined ? `; fix: ${p.fix}` : ""}`,
      );
      expect(p.rule).not.toMatch(/^\s*$/);
    });

    if (c.component !== undefined) {
      const children = resources.filter((r) => r.custom && r.name.startsWith(`${c.component}-`));
      expect(children.map((r) => r.name)).toEqual([]);
    }
  });
});
