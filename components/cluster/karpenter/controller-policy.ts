/** @internal Where the Karpenter controller's permissions are scoped to. */
export interface ControllerPolicyScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly clusterName: string;
  readonly interruptionQueueArn: string;
  readonly nodeRoleArn: string;
}

/**
 * The Karpenter controller's IAM policy, following the least-privilege shape of Karpenter v1's own
 * CloudFormation template (website/content/en/v1.14/getting-started/getting-started-with-karpenter/cloudformation.yaml
 * at v1.14.1): it may only create instances, launch templates and instance profiles that it tags as this
 * cluster's, only touch existing ones that carry this cluster's ownership tag, read only in its region, and pass
 * only the node role.
 * @internal
 */
export function karpenterControllerPolicy(scope: ControllerPolicyScope): string {
  const { partition: p, region: r, accountId: a, clusterName: c } = scope;
  const owned = { [`aws:ResourceTag/kubernetes.io/cluster/${c}`]: "owned" };
  const requestOwned = {
    [`aws:RequestTag/kubernetes.io/cluster/${c}`]: "owned",
    "aws:RequestTag/eks:eks-cluster-name": c,
  };
  const clusterArn = `arn:${p}:eks:${r}:${a}:cluster/${c}`;
  const instanceProfiles = `arn:${p}:iam::${a}:instance-profile/*`;
  const ownedProfile = { ...owned, "aws:ResourceTag/topology.kubernetes.io/region": r };
  const requestProfileTags = { ...requestOwned, "aws:RequestTag/topology.kubernetes.io/region": r };
  const ec2 = (resource: string) => `arn:${p}:ec2:${r}:*:${resource}`;
  // What a launch creates; creating it, and tagging it while creating, both require this cluster's tags.
  const launched = [
    "fleet/*",
    "instance/*",
    "volume/*",
    "network-interface/*",
    "launch-template/*",
    "spot-instances-request/*",
  ].map(ec2);
  const statements = [
    {
      Sid: "AllowScopedEC2InstanceAccessActions",
      Effect: "Allow",
      Action: ["ec2:RunInstances", "ec2:CreateFleet"],
      Resource: [
        `arn:${p}:ec2:${r}::image/*`,
        `arn:${p}:ec2:${r}::snapshot/*`,
        ec2("security-group/*"),
        ec2("subnet/*"),
        ec2("capacity-reservation/*"),
      ],
    },
    {
      Sid: "AllowScopedEC2LaunchTemplateAccessActions",
      Effect: "Allow",
      Action: ["ec2:RunInstances", "ec2:CreateFleet"],
      Resource: ec2("launch-template/*"),
      Condition: { StringEquals: owned, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } },
    },
    {
      Sid: "AllowScopedEC2InstanceActionsWithTags",
      Effect: "Allow",
      Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
      Resource: launched,
      Condition: { StringEquals: requestOwned, StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" } },
    },
    {
      Sid: "AllowScopedResourceCreationTagging",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: launched,
      Condition: {
        StringEquals: {
          ...requestOwned,
          "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"],
        },
        StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
      },
    },
    {
      Sid: "AllowScopedResourceTagging",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: ec2("instance/*"),
      Condition: {
        StringEquals: owned,
        StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
        StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": c },
        "ForAllValues:StringEquals": {
          "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"],
        },
      },
    },
    {
      Sid: "AllowScopedDeletion",
      Effect: "Allow",
      Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
      Resource: [ec2("instance/*"), ec2("launch-template/*")],
      Condition: { StringEquals: owned, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } },
    },
    {
      Sid: "AllowRegionalReadActions",
      Effect: "Allow",
      Action: [
        "ec2:DescribeAvailabilityZones",
        "ec2:DescribeCapacityReservations",
        "ec2:DescribeImages",
        "ec2:DescribeInstances",
        // 1.14 polls instance status for health events, and reads placement groups a node class may name.
        "ec2:DescribeInstanceStatus",
        "ec2:DescribeInstanceTypeOfferings",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplates",
        "ec2:DescribePlacementGroups",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSpotPriceHistory",
        "ec2:DescribeSubnets",
      ],
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestedRegion": r } },
    },
    {
      Sid: "AllowSSMReadActions",
      Effect: "Allow",
      Action: "ssm:GetParameter",
      Resource: `arn:${p}:ssm:${r}::parameter/aws/service/*`,
    },
    { Sid: "AllowPricingReadActions", Effect: "Allow", Action: "pricing:GetProducts", Resource: "*" },
    {
      Sid: "AllowInterruptionQueueActions",
      Effect: "Allow",
      Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
      Resource: scope.interruptionQueueArn,
    },
    {
      Sid: "AllowPassingInstanceRole",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: scope.nodeRoleArn,
      Condition: { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] } },
    },
    // Instance profiles, as Karpenter 1.14's own template scopes them. With `EC2NodeClass.spec.role` Karpenter
    // creates the profile itself, tagged with these four tags: creation can only be scoped by the tags it sends
    // (a resource tag cannot match a profile that does not exist yet).
    {
      Sid: "AllowScopedInstanceProfileCreationActions",
      Effect: "Allow",
      Action: "iam:CreateInstanceProfile",
      Resource: instanceProfiles,
      Condition: {
        StringEquals: requestProfileTags,
        StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
      },
    },
    // Re-tagging a profile it owns: both what the profile carries and what the call sets must be this cluster's.
    {
      Sid: "AllowScopedInstanceProfileTagActions",
      Effect: "Allow",
      Action: "iam:TagInstanceProfile",
      Resource: instanceProfiles,
      Condition: {
        StringEquals: { ...ownedProfile, ...requestProfileTags },
        StringLike: {
          "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*",
          "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*",
        },
      },
    },
    {
      Sid: "AllowScopedInstanceProfileActions",
      Effect: "Allow",
      Action: [
        "iam:AddRoleToInstanceProfile",
        "iam:RemoveRoleFromInstanceProfile",
        "iam:DeleteInstanceProfile",
      ],
      Resource: instanceProfiles,
      Condition: {
        StringEquals: ownedProfile,
        StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" },
      },
    },
    {
      Sid: "AllowUnscopedInstanceProfileListAction",
      Effect: "Allow",
      Action: "iam:ListInstanceProfiles",
      Resource: "*",
    },
    {
      Sid: "AllowInstanceProfileReadActions",
      Effect: "Allow",
      Action: "iam:GetInstanceProfile",
      Resource: instanceProfiles,
    },
    // The cluster runs with zonal shift on: Karpenter reads whether a zone is shifted away, for this cluster only.
    {
      Sid: "AllowZonalShiftStatusReadOnly",
      Effect: "Allow",
      Action: "arc-zonal-shift:GetManagedResource",
      Resource: "*",
      Condition: { StringEquals: { "arc-zonal-shift:ResourceIdentifier": clusterArn } },
    },
    {
      Sid: "AllowAPIServerEndpointDiscovery",
      Effect: "Allow",
      Action: "eks:DescribeCluster",
      Resource: clusterArn,
    },
  ];
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}
