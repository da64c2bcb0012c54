/**
 * An experiment as the inputs of one `aws.fis.ExperimentTemplate` (@pulumi/aws 7.48: `actions[].target {key,value}`,
 * `targets[].parameters` for `aws:eks:pod`). Pure: values may be Pulumi Inputs, nothing is created.
 *
 * What this relies on (read in the FIS user guide, "Actions reference", "Use the aws:eks:pod actions", "Scenario
 * library: AZ Availability: Power Interruption", "Targets"):
 * - `aws:eks:pod` targets are found by `clusterIdentifier`, `namespace`, `selectorType`/`selectorValue` only (never
 *   tags or ARNs); the pod actions run a FIS pod as `kubernetesServiceAccount` in the target namespace, which for
 *   every action but pod-delete adds an ephemeral container to the target pods; `pod-network-latency` needs root in
 *   that container and takes `sources` as addresses, CIDRs or domain names.
 * - The power-interruption scenario stops the zone's instances (restarting them after the duration), disrupts the
 *   zone's subnets (`aws:network:disrupt-connectivity`, scope `all`), interrupts ElastiCache's power in the zone and
 *   fails Aurora over; its other actions (EBS volume I/O pause, ASG and IAM-role launch errors) are left out here:
 *   Semester has no EBS volumes by default, and the launch-error action needs Karpenter's controller role ARN,
 *   which the cluster does not expose yet (a follow-up).
 * - `experimentOptions.emptyTargetResolutionMode: fail` makes an experiment whose targets resolve to nothing fail
 *   instead of "passing" without injecting anything.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as aws from "@pulumi/aws";
import { LABELS, type ServicesConfig } from "../kubernetes";
import type { ExperimentConfig } from "./config";

/** The tag Karpenter puts on every instance it launches for a node class, and the class Semester defines. */
export const KARPENTER_NODECLASS_TAG = "karpenter.k8s.aws/ec2nodeclass";
export const KARPENTER_NODECLASS = "default";
/** The tag Karpenter puts on every instance it launches, with the cluster's name. */
export const EKS_CLUSTER_NAME_TAG = "eks:eks-cluster-name";
/** Every node of a cluster, system and Karpenter alike, carries `kubernetes.io/cluster/<name>: owned`. */
export const CLUSTER_OWNED_TAG_PREFIX = "kubernetes.io/cluster/";
/** The tag the cluster's private subnets carry (Karpenter's subnet discovery), with the cluster's name. */
export const SUBNET_DISCOVERY_TAG = "karpenter.sh/discovery";

/** Where a region's experiments act. */
export interface FisContext {
  readonly clusterName: pulumi.Input<string>;
  readonly clusterArn: pulumi.Input<string>;
  /** The region's zones, in the cluster's order. */
  readonly zones: pulumi.Input<string[]>;
  readonly services: ServicesConfig;
  /** The service account FIS pods run as, in each target namespace. */
  readonly kubernetesServiceAccount: string;
  /** Aurora clusters whose writer is in this region (failed over by the zone fault). @default none */
  readonly auroraClusterArns?: readonly pulumi.Input<string>[];
  /** The region's ElastiCache replication group (powered off in the zone). @default none */
  readonly redisReplicationGroupArn?: pulumi.Input<string>;
}

type Action = aws.types.input.fis.ExperimentTemplateAction;
type Target = aws.types.input.fis.ExperimentTemplateTarget;

export interface TemplateSpec {
  readonly actions: Action[];
  readonly targets: Target[];
}

const minutes = (n: number) => `PT${n}M`;
const params = (p: Record<string, pulumi.Input<string>>) =>
  Object.entries(p).map(([key, value]) => ({ key, value }));

function podTarget(exp: ExperimentConfig, ctx: FisContext): Target {
  const service = exp.target.service;
  return {
    name: "pods",
    resourceType: "aws:eks:pod",
    selectionMode: `PERCENT(${exp.target.percent})`,
    parameters: {
      clusterIdentifier: ctx.clusterArn,
      namespace: ctx.services[service].namespace,
      selectorType: "labelSelector",
      selectorValue: `${LABELS.name}=${service}`,
    },
  };
}

/** Keeps the experiment running (and its stop condition watched) while the system recovers from a one-shot fault. */
function observe(after: string, exp: ExperimentConfig): Action {
  return {
    name: "observe",
    actionId: "aws:fis:wait",
    description: "hold the experiment open while the SLO is watched",
    parameters: params({ duration: minutes(exp.durationMinutes) }),
    startAfters: [after],
  };
}

/** The actions and targets of a FIS experiment. */
export function fisTemplateSpec(exp: ExperimentConfig, ctx: FisContext): TemplateSpec {
  const fault = exp.fault;
  const sa = ctx.kubernetesServiceAccount;
  switch (fault.kind) {
    case "pod-delete":
      return {
        actions: [
          {
            name: "delete-pods",
            actionId: "aws:eks:pod-delete",
            parameters: params({
              kubernetesServiceAccount: sa,
              gracePeriodSeconds: String(fault.gracePeriodSeconds),
            }),
            target: { key: "Pods", value: "pods" },
          },
          observe("delete-pods", exp),
        ],
        targets: [podTarget(exp, ctx)],
      };
    case "network-latency": {
      const to = fault.to;
      return {
        actions: [
          {
            name: "delay-traffic",
            actionId: "aws:eks:pod-network-latency",
            parameters: params({
              kubernetesServiceAccount: sa,
              duration: minutes(exp.durationMinutes),
              delayMilliseconds: String(fault.delayMs),
              jitterMilliseconds: String(fault.jitterMs),
              sources: `${to}.${ctx.services[to].namespace}.svc.cluster.local`,
            }),
            target: { key: "Pods", value: "pods" },
          },
        ],
        targets: [podTarget(exp, ctx)],
      };
    }
    case "node-termination":
      return {
        actions: [
          {
            name: "terminate-nodes",
            actionId: "aws:ec2:terminate-instances",
            target: { key: "Instances", value: "karpenter-nodes" },
          },
          observe("terminate-nodes", exp),
        ],
        targets: [
          {
            name: "karpenter-nodes",
            resourceType: "aws:ec2:instance",
            selectionMode: `PERCENT(${exp.target.percent})`,
            resourceTags: [
              { key: EKS_CLUSTER_NAME_TAG, value: ctx.clusterName },
              { key: KARPENTER_NODECLASS_TAG, value: KARPENTER_NODECLASS },
            ],
            filters: [{ path: "State.Name", values: ["running"] }],
          },
        ],
      };
    case "az-power-interruption":
      return azPowerInterruption(exp, fault.zone, ctx);
    case "http-abort":
    case "http-delay":
    case "time-skew":
      throw new Error(`${fault.kind} is a Chaos Mesh fault, not a FIS one`);
    default: {
      const never: never = fault;
      throw new Error(`unknown fault ${JSON.stringify(never)}`);
    }
  }
}

function azPowerInterruption(exp: ExperimentConfig, zoneIndex: number, ctx: FisContext): TemplateSpec {
  const zone = pulumi.output(ctx.zones).apply((z) => z[zoneIndex] ?? z[0] ?? "");
  const duration = minutes(exp.durationMinutes);
  const actions: Action[] = [
    {
      name: "stop-instances",
      actionId: "aws:ec2:stop-instances",
      description: "the zone's nodes lose power, and come back after the interruption",
      parameters: params({ startInstancesAfterDuration: duration, completeIfInstancesTerminated: "true" }),
      target: { key: "Instances", value: "zone-nodes" },
    },
    {
      name: "disrupt-subnets",
      actionId: "aws:network:disrupt-connectivity",
      description: "nothing reaches the zone's private subnets",
      parameters: params({ duration, scope: "all" }),
      target: { key: "Subnets", value: "zone-subnets" },
    },
  ];
  const targets: Target[] = [
    {
      name: "zone-nodes",
      resourceType: "aws:ec2:instance",
      selectionMode: "ALL",
      resourceTags: [
        { key: pulumi.interpolate`${CLUSTER_OWNED_TAG_PREFIX}${ctx.clusterName}`, value: "owned" },
      ],
      filters: [
        { path: "Placement.AvailabilityZone", values: [zone] },
        { path: "State.Name", values: ["running"] },
      ],
    },
    {
      name: "zone-subnets",
      resourceType: "aws:ec2:subnet",
      selectionMode: "ALL",
      resourceTags: [{ key: SUBNET_DISCOVERY_TAG, value: ctx.clusterName }],
      filters: [{ path: "AvailabilityZone", values: [zone] }],
    },
  ];
  if (ctx.redisReplicationGroupArn !== undefined) {
    actions.push({
      name: "interrupt-redis",
      actionId: "aws:elasticache:replicationgroup-interrupt-az-power",
      description: "the zone's Redis nodes lose power; a replica elsewhere is promoted",
      parameters: params({ duration }),
      target: { key: "ReplicationGroups", value: "redis" },
    });
    targets.push({
      name: "redis",
      resourceType: "aws:elasticache:replicationgroup",
      selectionMode: "ALL",
      resourceArns: [ctx.redisReplicationGroupArn],
      parameters: { availabilityZoneIdentifier: zone },
    });
  }
  if ((ctx.auroraClusterArns ?? []).length > 0) {
    actions.push({
      name: "failover-aurora",
      actionId: "aws:rds:failover-db-cluster",
      description: "Aurora writers fail over to a reader in another zone",
      target: { key: "Clusters", value: "aurora" },
    });
    targets.push({
      name: "aurora",
      resourceType: "aws:rds:cluster",
      selectionMode: "ALL",
      resourceArns: [...ctx.auroraClusterArns!],
    });
  }
  return { actions, targets };
}

/** Whether an experiment's FIS actions run pods in the cluster (and need the access entry and RBAC). */
export function usesEksPods(exp: ExperimentConfig): boolean {
  return exp.fault.kind === "pod-delete" || exp.fault.kind === "network-latency";
}
