import { parseStackConfig } from "../../components/config/load";
import { dataSchema } from "../../components/data/config";
import { dataScalingPlan } from "../../components/data/scaling/plan";
import { scheduledScalingChecks } from "../../cli/plan/wiring/scheduled-scaling";
import { PlanIndex } from "../../cli/plan/wiring/model";
import type { PlannedResource } from "../../cli/plan/record";

const from = Date.UTC(2026, 9, 19);
const load = {
  horizon: { from, to: from + 86_400_000 },
  regions: { "us-east-1": [{ start: from + 36_000_000, end: from + 43_200_000, replicas: 12 }] },
};
const settings = (global: boolean) => ({
  globalDatabase: global,
  globalDatastore: global,
  deployedShards: 2,
});

describe("dataScalingPlan", () => {
  it("schedules the global primary's readers and records why every Global Datastore member and secondary gets none", () => {
    const config = dataSchema.parse({});
    const plans = dataScalingPlan({
      regions: ["us-east-1", "eu-west-2"],
      homeRegion: "us-east-1",
      config,
      settings: settings(true),
      load,
    });
    expect(plans.map((p) => [p.region, p.store, p.schedule?.actions.length ?? p.skipped])).toEqual([
      ["us-east-1", "aurora", 2],
      ["us-east-1", "redis", "ElastiCache Auto Scaling does not support clusters in a Global Datastore"],
      [
        "eu-west-2",
        "aurora",
        "Aurora Auto Scaling does not support the secondary clusters of an Aurora Global Database",
      ],
      ["eu-west-2", "redis", "ElastiCache Auto Scaling does not support clusters in a Global Datastore"],
    ]);
    expect(plans[0]!.schedule!.actions.map((a) => a.capacity)).toEqual([3, 1]);
  });

  it("says a store is off when the stack turned it off, and names a node type AWS cannot scale", () => {
    const config = dataSchema.parse({
      postgres: { scheduledReaders: { enabled: false } },
      redis: { nodeType: "cache.t4g.small" },
    });
    const plans = dataScalingPlan({
      regions: ["us-east-1"],
      homeRegion: "us-east-1",
      config,
      settings: settings(false),
      load,
    });
    expect(plans.map((p) => p.skipped)).toEqual([
      "off (`semester:data.postgres.scheduledReaders.enabled`)",
      "ElastiCache Auto Scaling supports large to 2xlarge R7g, R6g, R6gd, R5, M7g, M6g, M5 and C7gn nodes, not cache.t4g.small",
    ]);
  });
});

describe("stack rules of the scheduled counts", () => {
  const stack = (env: string, data: unknown) => ({
    "semester:environment": env,
    "semester:homeRegion": "us-east-1",
    "semester:regions": JSON.stringify([
      { region: "us-east-1", vpcCidr: "10.0.0.0/16" },
      { region: "eu-west-2", vpcCidr: "10.1.0.0/16" },
      { region: "ap-northeast-1", vpcCidr: "10.2.0.0/16" },
    ]),
    "semester:cluster": JSON.stringify({ kubernetesVersion: "1.35" }),
    "semester:data": JSON.stringify(data),
  });

  it("refuses a maximum below the provisioned count, naming the key", () => {
    expect(() =>
      parseStackConfig(
        stack("dev", { postgres: { readersPerShard: 3, scheduledReaders: { maxReaders: 2 } } }),
        "stacks/Pulumi.test.yaml",
      ),
    ).toThrow(
      "- `semester:data.postgres.scheduledReaders.maxReaders`: got 2; must be at least postgres.readersPerShard (3): the schedule never goes below it",
    );
  });

  it("keeps room on a global primary for the readers AWS reserves for 2 secondaries", () => {
    expect(() =>
      parseStackConfig(
        stack("prod", { postgres: { scheduledReaders: { maxReaders: 14 } } }),
        "stacks/Pulumi.test.yaml",
      ),
    ).toThrow(
      "- `semester:data.postgres.scheduledReaders.maxReaders`: got 14; must be at most 13 with a global database over 3 regions (a primary has at most 15 - 2 readers)",
    );
  });
});

describe("scheduledScalingChecks", () => {
  const res = (
    r: Partial<PlannedResource> & Pick<PlannedResource, "type" | "name" | "urn">,
  ): PlannedResource => ({
    parent: null,
    region: "us-east-1",
    custom: true,
    inputs: {},
    ...r,
  });
  const cluster = res({
    type: "aws:rds/cluster:Cluster",
    name: "pg-cluster",
    urn: "u:cluster",
    id: "pg-1",
    outputs: { arn: "arn:aws:rds:us-east-1:123456789012:cluster:pg-1" },
  });
  const writer = res({
    type: "aws:rds/clusterInstance:ClusterInstance",
    name: "pg-writer",
    urn: "u:writer",
    inputs: { clusterIdentifier: "pg-1" },
  });
  const target = (dependencies: string[]) =>
    res({
      type: "aws:appautoscaling/target:Target",
      name: "pg-readers-target",
      urn: "u:target",
      dependencies,
      inputs: {
        serviceNamespace: "rds",
        scalableDimension: "rds:cluster:ReadReplicaCount",
        resourceId: "cluster:pg-1",
        roleArn:
          "arn:aws:iam::123456789012:role/aws-service-role/rds.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_RDSCluster",
      },
    });
  const action = res({
    type: "aws:appautoscaling/scheduledAction:ScheduledAction",
    name: "pg-readers-at-20261019T0640Z",
    urn: "u:action",
    dependencies: ["u:target"],
    inputs: {
      serviceNamespace: "rds",
      scalableDimension: "rds:cluster:ReadReplicaCount",
      resourceId: "cluster:pg-1",
      schedule: "at(2026-10-19T06:40:00)",
      timezone: "Etc/UTC",
      scalableTargetAction: { minCapacity: 3, maxCapacity: 3 },
    },
  });
  const check = (resources: PlannedResource[]) =>
    scheduledScalingChecks(new PlanIndex({ resources, objects: [] }));

  it("proves a target that waits for the cluster's instances and uses the RDS service-linked role", () => {
    const r = check([cluster, writer, target(["u:writer"]), action]);
    expect(r.findings).toEqual([]);
    expect(r.proven.map((p) => p.path)).toEqual([
      "rds:cluster:ReadReplicaCount of cluster:pg-1: 1 scheduled action(s)",
    ]);
  });

  it("finds a target that does not wait for the instances", () => {
    expect(check([cluster, writer, target([]), action]).findings.map((f) => f.missing)).toEqual([
      "does not wait for the store's instances (pg-writer)",
    ]);
  });

  it("finds a target on an Aurora global secondary", () => {
    const global = res({
      type: "aws:rds/globalCluster:GlobalCluster",
      name: "g",
      urn: "u:g",
      id: "g-1",
      region: "eu-west-2",
    });
    const secondary = { ...cluster, inputs: { globalClusterIdentifier: "g-1" } };
    expect(
      check([global, secondary, writer, target(["u:writer"]), action]).findings.map((f) => f.missing),
    ).toEqual(["an Aurora global secondary cannot auto scale"]);
  });

  it("finds an action outside the engine's range or not at a one-time instant", () => {
    const bad = {
      ...action,
      inputs: {
        ...action.inputs,
        schedule: "cron(0 6 * * ? *)",
        scalableTargetAction: { minCapacity: 16, maxCapacity: 16 },
      },
    };
    expect(check([cluster, writer, target(["u:writer"]), bad]).findings.map((f) => f.missing)).toEqual([
      "pg-readers-at-20261019T0640Z: schedule cron(0 6 * * ? *) is not a one-time at(yyyy-mm-ddThh:mm:ss)",
      "pg-readers-at-20261019T0640Z: capacity 16..16 is not within 0..15",
    ]);
  });
});
