/**
 * The Application Auto Scaling targets the data tier schedules, what AWS supports, and the service-linked role each
 * namespace acts through. Pure.
 *
 * Relied on (AWS documentation, checked with the search tool):
 * - Aurora User Guide, "Amazon Aurora Auto Scaling with Aurora Replicas": Aurora Auto Scaling adjusts the Aurora
 *   Replicas of a provisioned cluster with a writer; it removes only the replicas it created (new ones take the
 *   writer's instance class and promotion tier 15); Aurora global databases do not support it on secondary
 *   clusters. The replica count it reads includes the provisioned readers (terraform-aws-rds-cluster#63/#67: a
 *   cluster with one reader and min capacity 2 gets one more).
 * - Aurora User Guide, global database configuration requirements: a primary has at most 15 - s readers with s
 *   secondary regions.
 * - ElastiCache User Guide, "Auto Scaling Valkey and Redis OSS clusters": cluster mode enabled, Redis OSS 6.0+ or
 *   Valkey 7.2+, sizes large, xlarge and 2xlarge of R7g, R6g, R6gd, R5, M7g, M6g, M5 and C7gn; not supported for
 *   clusters in a Global Datastore, on Outposts or in Local Zones. `elasticache:replication-group:Replicas` is the
 *   replicas per shard, `NodeGroups` the shards (not scheduled here: resharding moves slots).
 * - Application Auto Scaling API, `RegisterScalableTarget` (resource ids `cluster:<id>`,
 *   `replication-group/<id>`), `PutScheduledAction` (`at(yyyy-mm-ddThh:mm:ss)`, UTC unless a time zone is given;
 *   an action sets min and max capacity and scales out to the min, in to the max), quotas (200 scheduled actions
 *   per scalable target, not adjustable), service-linked roles (created on the first registration of a namespace
 *   when the caller may `iam:CreateServiceLinkedRole`; a custom role is ignored for these namespaces).
 */
export const SCALING_TARGETS = {
  aurora: {
    serviceNamespace: "rds",
    scalableDimension: "rds:cluster:ReadReplicaCount",
    resourceId: (clusterId: string) => `cluster:${clusterId}`,
    servicePrincipal: "rds.application-autoscaling.amazonaws.com",
    roleName: "AWSServiceRoleForApplicationAutoScaling_RDSCluster",
    maxCapacity: 15,
  },
  redis: {
    serviceNamespace: "elasticache",
    scalableDimension: "elasticache:replication-group:Replicas",
    resourceId: (groupId: string) => `replication-group/${groupId}`,
    servicePrincipal: "elasticache.application-autoscaling.amazonaws.com",
    roleName: "AWSServiceRoleForApplicationAutoScaling_ElastiCacheRG",
    maxCapacity: 5,
  },
} as const;
export type ScalingStore = keyof typeof SCALING_TARGETS;

/** Application Auto Scaling's fixed quota of scheduled actions per scalable target. */
export const MAX_SCHEDULED_ACTIONS = 200;

/** The service-linked role Application Auto Scaling uses for `store` in an account. */
export function serviceLinkedRoleArn(store: ScalingStore, partition: string, accountId: string): string {
  const t = SCALING_TARGETS[store];
  return `arn:${partition}:iam::${accountId}:role/aws-service-role/${t.servicePrincipal}/${t.roleName}`;
}

/** ElastiCache Auto Scaling's node types. */
const AUTO_SCALING_NODE = /^cache\.(r7g|r6g|r6gd|r5|m7g|m6g|m5|c7gn)\.(large|xlarge|2xlarge)$/;

/** Why AWS cannot scale an Aurora shard's readers on a schedule, or undefined when it can. */
export function auroraUnsupported(
  role: "standalone" | "global-primary" | "global-secondary",
): string | undefined {
  return role === "global-secondary"
    ? "Aurora Auto Scaling does not support the secondary clusters of an Aurora Global Database"
    : undefined;
}

/** Why AWS cannot scale a replication group's replicas on a schedule, or undefined when it can. */
export function redisUnsupported(group: {
  readonly globalDatastore: boolean;
  readonly nodeType: string;
}): string | undefined {
  if (group.globalDatastore)
    return "ElastiCache Auto Scaling does not support clusters in a Global Datastore";
  if (!AUTO_SCALING_NODE.test(group.nodeType))
    return `ElastiCache Auto Scaling supports large to 2xlarge R7g, R6g, R6gd, R5, M7g, M6g, M5 and C7gn nodes, not ${group.nodeType}`;
  return undefined;
}
