/**
 * The calls Karpenter 1.14 makes to launch and retire this cluster's nodes, as IAM sees them, and the neighbours it
 * must not reach. Tags follow karpenter-provider-aws v1.14.1: launches carry `kubernetes.io/cluster/<name>: owned`,
 * `eks:eks-cluster-name`, `karpenter.sh/nodepool` (and the node class's tags); instance profiles
 * `kubernetes.io/cluster/<name>`, `eks:eks-cluster-name`, `karpenter.k8s.aws/ec2nodeclass`,
 * `topology.kubernetes.io/region` (pkg/apis/v1/ec2nodeclass.go `InstanceProfileTags`), created under the path
 * `/karpenter/<region>/<cluster>/<node class uid>/`. Pure.
 */
import { mustAllow, mustDeny, type CallCheck, type ClusterScope } from "../types";

export interface KarpenterArns {
  /** The node role Karpenter passes to EC2 (from the plan). */
  readonly nodeRoleArn: string;
  /** The interruption queue (from the plan). */
  readonly interruptionQueueArn: string;
  /** @default "1.35" — names the EKS optimized AMI parameter Karpenter reads */
  readonly kubernetesVersion?: string;
}

export function karpenterCallChecks(scope: ClusterScope, arns: KarpenterArns): CallCheck[] {
  const { partition: p, accountId: a, region: r, clusterName: c, neighbour: n } = scope;
  const ec2 = (region: string, resource: string) => `arn:${p}:ec2:${region}:${a}:${resource}`;
  const launchTags = (cluster: string) => ({
    [`aws:RequestTag/kubernetes.io/cluster/${cluster}`]: "owned",
    "aws:RequestTag/eks:eks-cluster-name": cluster,
    "aws:RequestTag/karpenter.sh/nodepool": "general",
    "aws:TagKeys": [`kubernetes.io/cluster/${cluster}`, "eks:eks-cluster-name", "karpenter.sh/nodepool"],
    "aws:RequestedRegion": r,
  });
  const ownedBy = (cluster: string) => ({
    [`aws:ResourceTag/kubernetes.io/cluster/${cluster}`]: "owned",
    "aws:ResourceTag/karpenter.sh/nodepool": "general",
    "aws:RequestedRegion": r,
  });
  const profileTags = (cluster: string, region: string) => ({
    [`aws:RequestTag/kubernetes.io/cluster/${cluster}`]: "owned",
    "aws:RequestTag/eks:eks-cluster-name": cluster,
    "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "default",
    "aws:RequestTag/topology.kubernetes.io/region": region,
  });
  const profileOwnedBy = (cluster: string, region: string) => ({
    [`aws:ResourceTag/kubernetes.io/cluster/${cluster}`]: "owned",
    "aws:ResourceTag/eks:eks-cluster-name": cluster,
    "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "default",
    "aws:ResourceTag/topology.kubernetes.io/region": region,
  });
  const profile = (region: string, cluster: string) =>
    `arn:${p}:iam::${a}:instance-profile/karpenter/${region}/${cluster}/3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b/${cluster}_11234567890123456789`;
  const instance = (region: string) => ec2(region, "instance/i-0a1b2c3d4e5f67890");
  const launchTemplate = ec2(r, "launch-template/lt-0a1b2c3d4e5f67890");
  const version = arns.kubernetesVersion ?? "1.35";

  const checks: CallCheck[] = [
    mustAllow("read instance types offered in its region", "ec2:DescribeInstanceTypes", "*", {
      "aws:RequestedRegion": r,
    }),
    mustAllow(
      "resolve the EKS optimized AMI",
      "ssm:GetParameter",
      `arn:${p}:ssm:${r}::parameter/aws/service/eks/optimized-ami/${version}/amazon-linux-2023/x86_64/standard/recommended/image_id`,
    ),
    mustAllow(
      "create a launch template for a node pool",
      "ec2:CreateLaunchTemplate",
      ec2(r, "launch-template/*"),
      launchTags(c),
    ),
    mustAllow("tag the launch template while creating it", "ec2:CreateTags", ec2(r, "launch-template/*"), {
      ...launchTags(c),
      "ec2:CreateAction": "CreateLaunchTemplate",
    }),
    mustAllow("launch a node: the fleet", "ec2:CreateFleet", ec2(r, "fleet/*"), launchTags(c)),
    mustAllow("launch a node: the instance", "ec2:CreateFleet", ec2(r, "instance/*"), launchTags(c)),
    mustAllow("launch a node: its volume", "ec2:RunInstances", ec2(r, "volume/*"), launchTags(c)),
    mustAllow("launch a node from its own launch template", "ec2:CreateFleet", launchTemplate, ownedBy(c)),
    mustAllow(
      "launch into the cluster's subnet",
      "ec2:RunInstances",
      ec2(r, "subnet/subnet-0a1b2c3d4e5f67890"),
      {
        "aws:RequestedRegion": r,
      },
    ),
    mustAllow(
      "launch with the cluster's security group",
      "ec2:RunInstances",
      ec2(r, "security-group/sg-0a1b2c3d4e5f67890"),
      { "aws:RequestedRegion": r },
    ),
    mustAllow("launch the AMI", "ec2:RunInstances", `arn:${p}:ec2:${r}::image/ami-0a1b2c3d4e5f67890`, {
      "aws:RequestedRegion": r,
    }),
    mustAllow("tag the instance while launching it", "ec2:CreateTags", ec2(r, "instance/*"), {
      ...launchTags(c),
      "ec2:CreateAction": "CreateFleet",
    }),
    mustAllow("name its node after the node claim", "ec2:CreateTags", instance(r), {
      ...ownedBy(c),
      "aws:RequestTag/eks:eks-cluster-name": c,
      "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"],
    }),
    mustAllow("pass the node role to EC2", "iam:PassRole", arns.nodeRoleArn, {
      "iam:PassedToService": "ec2.amazonaws.com",
    }),
    mustAllow(
      "create the node class's instance profile",
      "iam:CreateInstanceProfile",
      profile(r, c),
      profileTags(c, r),
    ),
    mustAllow(
      "put the node role into its instance profile",
      "iam:AddRoleToInstanceProfile",
      profile(r, c),
      profileOwnedBy(c, r),
    ),
    mustAllow("read its instance profile", "iam:GetInstanceProfile", profile(r, c)),
    mustAllow("retire its own node", "ec2:TerminateInstances", instance(r), ownedBy(c)),
    mustAllow("delete its own launch template", "ec2:DeleteLaunchTemplate", launchTemplate, ownedBy(c)),
    mustAllow("read interruption notices", "sqs:ReceiveMessage", arns.interruptionQueueArn),
    mustAllow("acknowledge an interruption notice", "sqs:DeleteMessage", arns.interruptionQueueArn),
    mustAllow("discover the API endpoint", "eks:DescribeCluster", `arn:${p}:eks:${r}:${a}:cluster/${c}`),
    mustDeny("another cluster's node", "ec2:TerminateInstances", instance(r), ownedBy(n.clusterName)),
    mustDeny(
      "a launch tagged for another cluster",
      "ec2:CreateFleet",
      ec2(r, "instance/*"),
      launchTags(n.clusterName),
    ),
    mustDeny("a launch without the cluster tag", "ec2:RunInstances", ec2(r, "instance/*"), {
      "aws:RequestTag/karpenter.sh/nodepool": "general",
      "aws:RequestedRegion": r,
    }),
    mustDeny("an instance profile without the cluster tag", "iam:CreateInstanceProfile", profile(r, c), {
      "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "default",
      "aws:RequestTag/topology.kubernetes.io/region": r,
    }),
    mustDeny(
      "an instance profile tagged for another cluster",
      "iam:CreateInstanceProfile",
      profile(r, n.clusterName),
      profileTags(n.clusterName, r),
    ),
    mustDeny(
      "another cluster's instance profile",
      "iam:AddRoleToInstanceProfile",
      profile(n.region, n.clusterName),
      profileOwnedBy(n.clusterName, n.region),
    ),
    mustDeny("passing any other role", "iam:PassRole", `arn:${p}:iam::${a}:role/${n.clusterName}-admin`, {
      "iam:PassedToService": "ec2.amazonaws.com",
    }),
    mustDeny("passing the node role to another service", "iam:PassRole", arns.nodeRoleArn, {
      "iam:PassedToService": "lambda.amazonaws.com",
    }),
    mustDeny(
      "another cluster's interruption queue",
      "sqs:ReceiveMessage",
      `arn:${p}:sqs:${n.region}:${a}:${n.clusterName}-karpenter`,
    ),
    mustDeny(
      "describing another cluster",
      "eks:DescribeCluster",
      `arn:${p}:eks:${n.region}:${a}:cluster/${n.clusterName}`,
    ),
  ];
  if (n.region !== r) {
    checks.push(
      mustDeny(
        "a launch in another region, even tagged for this cluster",
        "ec2:CreateFleet",
        ec2(n.region, "instance/*"),
        {
          ...launchTags(c),
          "aws:RequestedRegion": n.region,
        },
      ),
      mustDeny("reads in another region", "ec2:DescribeInstanceTypes", "*", {
        "aws:RequestedRegion": n.region,
      }),
      mustDeny(
        "an instance profile for another region",
        "iam:CreateInstanceProfile",
        profile(n.region, c),
        profileTags(c, n.region),
      ),
    );
  }
  return checks;
}
