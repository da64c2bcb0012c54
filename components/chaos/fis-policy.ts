/**
 * The least-privilege policies of a region's GameDays: what the FIS experiment role may do (only the actions of the
 * region's experiments, each on this cluster's resources only), and what EventBridge Scheduler's role may do
 * (start exactly these templates). No AWS-managed FIS policy is vendored in the shared store, so both are inline.
 *
 * Permissions from the FIS user guide's "Actions reference" (each action lists its IAM permissions) and the Service
 * Authorization Reference: `fis:StartExperiment` authorises on both the template and the new experiment;
 * `aws:network:disrupt-connectivity` creates a network ACL tagged `managedByFIS=true`, swaps the subnets'
 * associations to it and deletes it afterwards; FIS's CloudWatch Logs delivery needs the log-delivery permissions
 * on `*` (the Logs API has no resource for them). Target resolution uses FIS's service-linked role, not this one.
 */
import type { ExperimentConfig } from "./config";
import {
  CLUSTER_OWNED_TAG_PREFIX,
  EKS_CLUSTER_NAME_TAG,
  KARPENTER_NODECLASS,
  KARPENTER_NODECLASS_TAG,
} from "./fis-template";

/** Plain values the policies name. */
export interface PolicyScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly vpcId: string;
  readonly logGroupArn: string;
  readonly auroraClusterArns: readonly string[];
  readonly redisReplicationGroupArn?: string;
}

type Statement = Record<string, unknown>;

/** The FIS experiment role's policy for these experiments (JSON). */
export function fisRolePolicy(experiments: readonly ExperimentConfig[], s: PolicyScope): string {
  const ec2 = (resource: string) => `arn:${s.partition}:ec2:${s.region}:${s.accountId}:${resource}`;
  const kinds = new Set(experiments.map((e) => e.fault.kind));
  const statements: Statement[] = [
    {
      Sid: "DeliverExperimentLogs",
      Effect: "Allow",
      Action: [
        "logs:CreateLogDelivery",
        "logs:PutResourcePolicy",
        "logs:DescribeResourcePolicies",
        "logs:DescribeLogGroups",
      ],
      Resource: "*",
    },
  ];
  if (kinds.has("pod-delete") || kinds.has("network-latency")) {
    statements.push({
      Sid: "FindTheCluster",
      Effect: "Allow",
      Action: "eks:DescribeCluster",
      Resource: s.clusterArn,
    });
  }
  if (kinds.has("node-termination")) {
    statements.push({
      Sid: "TerminateKarpenterNodes",
      Effect: "Allow",
      Action: "ec2:TerminateInstances",
      Resource: ec2("instance/*"),
      Condition: {
        StringEquals: {
          [`aws:ResourceTag/${EKS_CLUSTER_NAME_TAG}`]: s.clusterName,
          [`aws:ResourceTag/${KARPENTER_NODECLASS_TAG}`]: KARPENTER_NODECLASS,
        },
      },
    });
  }
  if (kinds.has("az-power-interruption")) {
    statements.push(
      {
        Sid: "StopAndStartZoneNodes",
        Effect: "Allow",
        Action: ["ec2:StopInstances", "ec2:StartInstances"],
        Resource: ec2("instance/*"),
        Condition: {
          StringEquals: { [`aws:ResourceTag/${CLUSTER_OWNED_TAG_PREFIX}${s.clusterName}`]: "owned" },
        },
      },
      {
        Sid: "CreateTheDisruptionAcl",
        Effect: "Allow",
        Action: "ec2:CreateNetworkAcl",
        Resource: ec2("network-acl/*"),
        Condition: { StringEquals: { "aws:RequestTag/managedByFIS": "true" } },
      },
      {
        Sid: "CreateTheAclInThisVpc",
        Effect: "Allow",
        Action: "ec2:CreateNetworkAcl",
        Resource: ec2(`vpc/${s.vpcId}`),
      },
      {
        Sid: "TagTheDisruptionAcl",
        Effect: "Allow",
        Action: "ec2:CreateTags",
        Resource: ec2("network-acl/*"),
        Condition: { StringEquals: { "ec2:CreateAction": "CreateNetworkAcl" } },
      },
      {
        Sid: "EditAndDeleteOnlyFisAcls",
        Effect: "Allow",
        Action: ["ec2:CreateNetworkAclEntry", "ec2:DeleteNetworkAcl"],
        Resource: ec2("network-acl/*"),
        Condition: { StringEquals: { "aws:ResourceTag/managedByFIS": "true" } },
      },
      {
        Sid: "SwapTheClusterSubnetsAcl",
        Effect: "Allow",
        Action: "ec2:ReplaceNetworkAclAssociation",
        Resource: [ec2("subnet/*"), ec2("network-acl/*")],
        Condition: { StringEquals: { "ec2:Vpc": ec2(`vpc/${s.vpcId}`) } },
      },
      {
        Sid: "ReadTheNetwork",
        Effect: "Allow",
        Action: [
          "ec2:DescribeInstances",
          "ec2:DescribeNetworkAcls",
          "ec2:DescribeSubnets",
          "ec2:DescribeVpcs",
          "ec2:DescribeManagedPrefixLists",
          "ec2:GetManagedPrefixListEntries",
        ],
        Resource: "*",
      },
    );
    if (s.redisReplicationGroupArn !== undefined) {
      statements.push({
        Sid: "InterruptRedisInTheZone",
        Effect: "Allow",
        Action: "elasticache:InterruptClusterAzPower",
        Resource: s.redisReplicationGroupArn,
      });
      statements.push({
        Sid: "ReadRedis",
        Effect: "Allow",
        Action: ["elasticache:DescribeReplicationGroups", "tag:GetResources"],
        Resource: "*",
      });
    }
    if (s.auroraClusterArns.length > 0) {
      statements.push({
        Sid: "FailOverAurora",
        Effect: "Allow",
        Action: "rds:FailoverDBCluster",
        Resource: [...s.auroraClusterArns],
      });
      statements.push({
        Sid: "ReadAurora",
        Effect: "Allow",
        Action: "rds:DescribeDBClusters",
        Resource: "*",
      });
    }
  }
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** EventBridge Scheduler's policy: start exactly these templates, nothing else (JSON). */
export function schedulerRolePolicy(
  templateArns: readonly string[],
  at: { readonly partition: string; readonly region: string; readonly accountId: string },
): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "StartTheseGameDays",
        Effect: "Allow",
        Action: "fis:StartExperiment",
        Resource: [...templateArns, `arn:${at.partition}:fis:${at.region}:${at.accountId}:experiment/*`],
      },
    ],
  });
}

/** A role trust policy for one service principal, limited to this account (confused-deputy protection). */
export function serviceTrustPolicy(service: string, accountId: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  });
}
