import { recordWithIgnoreChanges, type RegisteredResource } from "../support/registrations";
import { fakeCluster } from "../fixtures/data/cluster";
import { AuroraShard } from "../../components/data/postgres/aurora-shard";
import { RedisReplicationGroup } from "../../components/data/redis/replication-group";
import { ScheduledCapacity } from "../../components/data/scaling/scheduled-capacity";
import type { CapacitySchedule } from "../../components/data/scaling/capacity-schedule";
import * as aws from "@pulumi/aws";

const T0 = Date.UTC(2026, 9, 19, 6, 40);
const schedule = (staticCount: number, peak: number): CapacitySchedule => ({
  staticCount,
  initial: staticCount,
  required: [],
  scheduled: [],
  actions: [
    { at: T0, capacity: peak },
    { at: T0 + 3 * 3_600_000, capacity: staticCount },
  ],
  capped: [],
});

/** `fakeCluster` with subnets the offline plan's mocks know (AuroraShard looks up their zones). */
function clusterWithSubnets(region: string) {
  const cluster = fakeCluster(region);
  const privateSubnetIds = ["a", "b", "c"].map(
    (z) =>
      new aws.ec2.Subnet(
        `subnet-${z}`,
        { vpcId: "vpc", cidrBlock: `10.0.${z.charCodeAt(0)}.0/24`, availabilityZone: `${region}${z}` },
        { provider: cluster.awsProvider },
      ).id,
  );
  return { ...cluster, privateSubnetIds };
}

const TARGET = "aws:appautoscaling/target:Target";
const ACTION = "aws:appautoscaling/scheduledAction:ScheduledAction";
const byType = (rs: RegisteredResource[], type: string) => rs.filter((r) => r.type === type);
const one = (rs: RegisteredResource[], type: string) => {
  const found = byType(rs, type);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe("AuroraShard with a reader schedule", () => {
  let rs: RegisteredResource[];
  beforeAll(async () => {
    rs = await recordWithIgnoreChanges(() => {
      new AuroraShard("pg", {
        cluster: clusterWithSubnets("us-east-1"),
        securityGroupId: "sg-pg",
        kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k",
        readers: 2,
        readerSchedule: schedule(2, 4),
      });
    });
  });

  it("registers the cluster's reader count with the RDS service-linked role, at the horizon-start count", () => {
    const target = one(rs, TARGET);
    const cluster = one(rs, "aws:rds/cluster:Cluster");
    expect(target.name).toBe("pg-readers-target");
    expect(target.inputs).toEqual({
      serviceNamespace: "rds",
      scalableDimension: "rds:cluster:ReadReplicaCount",
      resourceId: `cluster:${cluster.id}`,
      minCapacity: 2,
      maxCapacity: 2,
      roleArn:
        "arn:aws:iam::123456789012:role/aws-service-role/rds.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_RDSCluster",
    });
  });

  it("leaves the target's bounds to the actions, so a deploy inside a window does not scale it in", () => {
    expect(one(rs, TARGET).ignoreChanges).toEqual(["minCapacity", "maxCapacity"]);
  });

  it("waits for the cluster, its writer and both provisioned readers", () => {
    const target = one(rs, TARGET);
    const instances = byType(rs, "aws:rds/clusterInstance:ClusterInstance");
    expect(instances.map((i) => i.name).sort()).toEqual(["pg-reader-1", "pg-reader-2", "pg-writer"]);
    const cluster = one(rs, "aws:rds/cluster:Cluster");
    expect([...(target.dependencies ?? [])].sort()).toEqual(
      [cluster.urn, ...instances.map((i) => i.urn)].sort(),
    );
  });

  it("sets min and max to each level once, at a UTC instant, named by it", () => {
    const target = one(rs, TARGET);
    const actions = byType(rs, ACTION);
    expect(actions.map((a) => [a.name, a.inputs])).toEqual([
      [
        "pg-readers-at-20261019T0640Z",
        {
          name: "at-20261019T0640Z",
          serviceNamespace: "rds",
          scalableDimension: "rds:cluster:ReadReplicaCount",
          resourceId: target.inputs.resourceId,
          schedule: "at(2026-10-19T06:40:00)",
          timezone: "Etc/UTC",
          scalableTargetAction: { minCapacity: 4, maxCapacity: 4 },
        },
      ],
      [
        "pg-readers-at-20261019T0940Z",
        expect.objectContaining({
          schedule: "at(2026-10-19T09:40:00)",
          scalableTargetAction: { minCapacity: 2, maxCapacity: 2 },
        }),
      ],
    ]);
    for (const a of actions) expect(a.propertyDependencies?.resourceId).toEqual([target.urn]);
  });
});

describe("RedisReplicationGroup with a replica schedule", () => {
  const build = (withSchedule: boolean) =>
    recordWithIgnoreChanges(() => {
      new RedisReplicationGroup("redis", {
        cluster: fakeCluster("eu-west-2"),
        securityGroupId: "sg-redis",
        idPrefix: "staging-euw2",
        ...(withSchedule ? { replicaSchedule: schedule(1, 3) } : {}),
      });
    });

  it("schedules the replicas per shard after the group and ignores AWS's changes to replicasPerNodeGroup", async () => {
    const rs = await build(true);
    const group = one(rs, "aws:elasticache/replicationGroup:ReplicationGroup");
    expect(group.ignoreChanges).toEqual(["replicasPerNodeGroup"]);
    const target = one(rs, TARGET);
    expect(target.inputs).toEqual({
      serviceNamespace: "elasticache",
      scalableDimension: "elasticache:replication-group:Replicas",
      resourceId: `replication-group/${group.id}`,
      minCapacity: 1,
      maxCapacity: 1,
      roleArn:
        "arn:aws:iam::123456789012:role/aws-service-role/elasticache.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ElastiCacheRG",
    });
    expect(target.dependencies).toEqual([group.urn]);
    expect(
      byType(rs, ACTION).map((a) => (a.inputs.scalableTargetAction as { minCapacity: number }).minCapacity),
    ).toEqual([3, 1]);
  });

  it("keeps replicasPerNodeGroup Pulumi's own without a schedule", async () => {
    const rs = await build(false);
    expect(one(rs, "aws:elasticache/replicationGroup:ReplicationGroup").ignoreChanges).toEqual([]);
    expect(byType(rs, TARGET)).toEqual([]);
  });
});

describe("refusals", () => {
  const provider = {} as aws.Provider;

  it("refuses a count Aurora cannot hold", () => {
    expect(
      () =>
        new ScheduledCapacity("bad", {
          store: "aurora",
          provider,
          storeId: "c",
          partition: "aws",
          accountId: "1",
          schedule: schedule(2, 16),
          dependsOn: [],
        }),
    ).toThrow(
      "Invalid input in ScheduledCapacity bad (1 problem):\n  - `schedule`: got 16; every count must be a whole number from 0 to 15",
    );
  });

  it("refuses a schedule that does not end at the static count", () => {
    const s = schedule(1, 3);
    expect(
      () =>
        new ScheduledCapacity("open", {
          store: "redis",
          provider,
          storeId: "g",
          partition: "aws",
          accountId: "1",
          schedule: { ...s, actions: s.actions.slice(0, 1) },
          dependsOn: [],
        }),
    ).toThrow("- `schedule.actions`: got 3; the last action must return to the static count 1");
  });

  it("refuses more actions than Application Auto Scaling keeps per target", () => {
    const actions = Array.from({ length: 202 }, (_, i) => ({
      at: T0 + i * 60_000,
      capacity: i % 2 === 0 ? 3 : 2,
    }));
    expect(
      () =>
        new ScheduledCapacity("many", {
          store: "aurora",
          provider,
          storeId: "c",
          partition: "aws",
          accountId: "1",
          schedule: { ...schedule(2, 3), actions },
          dependsOn: [],
        }),
    ).toThrow(
      "- `schedule.actions`: got 202; must be at most 200 (Application Auto Scaling's scheduled actions per target)",
    );
  });

  it("refuses a reader schedule on an Aurora global secondary", () => {
    expect(
      () =>
        new AuroraShard("sec", {
          cluster: fakeCluster("eu-west-2"),
          securityGroupId: "sg",
          kmsKeyArn: "k",
          role: "global-secondary",
          globalClusterIdentifier: "g",
          readers: 2,
          readerSchedule: schedule(2, 4),
        }),
    ).toThrow(
      '- `readerSchedule`: got "role \\"global-secondary\\""; Aurora Auto Scaling does not support the secondary clusters of an Aurora Global Database; fix: remove it',
    );
  });

  it("refuses a reader schedule that returns to another count than the provisioned readers", () => {
    expect(
      () =>
        new AuroraShard("mismatch", {
          cluster: fakeCluster("us-east-1"),
          securityGroupId: "sg",
          kmsKeyArn: "k",
          readers: 1,
          readerSchedule: schedule(2, 4),
        }),
    ).toThrow(
      "- `readerSchedule.staticCount`: got 2; must equal `readers` (1): the schedule returns to the provisioned readers",
    );
  });

  it("refuses a replica schedule on a Global Datastore secondary", () => {
    expect(
      () =>
        new RedisReplicationGroup("gsec", {
          cluster: fakeCluster("eu-west-2"),
          securityGroupId: "sg",
          idPrefix: "p",
          globalReplicationGroupId: "ldgnf-g",
          replicaSchedule: schedule(1, 3),
        }),
    ).toThrow(
      '- `replicaSchedule`: got "a Global Datastore secondary"; ElastiCache Auto Scaling does not support clusters in a Global Datastore; fix: remove it',
    );
  });
});
