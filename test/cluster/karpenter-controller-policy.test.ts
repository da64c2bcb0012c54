import { karpenterControllerPolicy } from "../../components/cluster/karpenter/controller-policy";

const scope = {
  partition: "aws",
  region: "eu-west-2",
  accountId: "123456789012",
  clusterName: "semester-dev-eu-west-2",
  interruptionQueueArn: "arn:aws:sqs:eu-west-2:123456789012:semester-dev-eu-west-2-karpenter",
  nodeRoleArn: "arn:aws:iam::123456789012:role/karpenter-node",
};
const statements = (
  JSON.parse(karpenterControllerPolicy(scope)) as { Statement: { Sid: string; Action: string | string[] }[] }
).Statement;
const statement = (sid: string) => statements.find((s) => s.Sid === sid);

const actionsOf = (s: { Action: string | string[] }) => ([] as string[]).concat(s.Action);

describe("Karpenter controller policy: deletion", () => {
  it("terminates instances and deletes launch templates only when tagged as this cluster's node pools", () => {
    expect(statement("AllowScopedDeletion")).toEqual({
      Sid: "AllowScopedDeletion",
      Effect: "Allow",
      Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
      Resource: ["arn:aws:ec2:eu-west-2:*:instance/*", "arn:aws:ec2:eu-west-2:*:launch-template/*"],
      Condition: {
        StringEquals: { "aws:ResourceTag/kubernetes.io/cluster/semester-dev-eu-west-2": "owned" },
        StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
      },
    });
  });

  it("grants EC2 termination and deletion in no other statement", () => {
    const deleting = statements.filter((s) =>
      actionsOf(s).some((a) => /^ec2:(Terminate|Delete)|^ec2:\*$|^\*$/.test(a)),
    );
    expect(deleting.map((s) => s.Sid)).toEqual(["AllowScopedDeletion"]);
  });
});

describe("Karpenter controller policy: launching and tagging", () => {
  const launched = [
    "arn:aws:ec2:eu-west-2:*:fleet/*",
    "arn:aws:ec2:eu-west-2:*:instance/*",
    "arn:aws:ec2:eu-west-2:*:volume/*",
    "arn:aws:ec2:eu-west-2:*:network-interface/*",
    "arn:aws:ec2:eu-west-2:*:launch-template/*",
    "arn:aws:ec2:eu-west-2:*:spot-instances-request/*",
  ];
  const requestTags = {
    "aws:RequestTag/kubernetes.io/cluster/semester-dev-eu-west-2": "owned",
    "aws:RequestTag/eks:eks-cluster-name": "semester-dev-eu-west-2",
  };

  it("launches into the region's images, snapshots, security groups, subnets and capacity reservations", () => {
    expect(statement("AllowScopedEC2InstanceAccessActions")).toEqual({
      Sid: "AllowScopedEC2InstanceAccessActions",
      Effect: "Allow",
      Action: ["ec2:RunInstances", "ec2:CreateFleet"],
      Resource: [
        "arn:aws:ec2:eu-west-2::image/*",
        "arn:aws:ec2:eu-west-2::snapshot/*",
        "arn:aws:ec2:eu-west-2:*:security-group/*",
        "arn:aws:ec2:eu-west-2:*:subnet/*",
        "arn:aws:ec2:eu-west-2:*:capacity-reservation/*",
      ],
    });
  });

  it("launches from a launch template only when it is tagged as this cluster's node pools'", () => {
    expect(statement("AllowScopedEC2LaunchTemplateAccessActions")).toEqual({
      Sid: "AllowScopedEC2LaunchTemplateAccessActions",
      Effect: "Allow",
      Action: ["ec2:RunInstances", "ec2:CreateFleet"],
      Resource: "arn:aws:ec2:eu-west-2:*:launch-template/*",
      Condition: {
        StringEquals: { "aws:ResourceTag/kubernetes.io/cluster/semester-dev-eu-west-2": "owned" },
        StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
      },
    });
  });

  it("creates instances, fleets, volumes, interfaces and templates only with this cluster's request tags", () => {
    expect(statement("AllowScopedEC2InstanceActionsWithTags")).toEqual({
      Sid: "AllowScopedEC2InstanceActionsWithTags",
      Effect: "Allow",
      Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
      Resource: launched,
      Condition: {
        StringEquals: requestTags,
        StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
      },
    });
  });

  it("tags what it creates only while creating it, with this cluster's tags", () => {
    expect(statement("AllowScopedResourceCreationTagging")).toEqual({
      Sid: "AllowScopedResourceCreationTagging",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: launched,
      Condition: {
        StringEquals: {
          ...requestTags,
          "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"],
        },
        StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
      },
    });
  });

  it("re-tags only this cluster's node-pool instances, with the node claim, Name and cluster-name keys", () => {
    expect(statement("AllowScopedResourceTagging")).toEqual({
      Sid: "AllowScopedResourceTagging",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: "arn:aws:ec2:eu-west-2:*:instance/*",
      Condition: {
        StringEquals: { "aws:ResourceTag/kubernetes.io/cluster/semester-dev-eu-west-2": "owned" },
        StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
        StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": "semester-dev-eu-west-2" },
        "ForAllValues:StringEquals": {
          "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"],
        },
      },
    });
  });

  it("passes only the node role, and only to EC2", () => {
    expect(statement("AllowPassingInstanceRole")).toEqual({
      Sid: "AllowPassingInstanceRole",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: "arn:aws:iam::123456789012:role/karpenter-node",
      Condition: { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] } },
    });
  });
});

describe("Karpenter controller policy: reads and the interruption queue", () => {
  it("reads EC2 in its own region only", () => {
    expect(statement("AllowRegionalReadActions")).toEqual({
      Sid: "AllowRegionalReadActions",
      Effect: "Allow",
      Action: [
        "ec2:DescribeAvailabilityZones",
        "ec2:DescribeCapacityReservations",
        "ec2:DescribeImages",
        "ec2:DescribeInstances",
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
      Condition: { StringEquals: { "aws:RequestedRegion": "eu-west-2" } },
    });
  });

  it("reads AWS's public SSM parameters, prices, its cluster's endpoint, and uses its own queue", () => {
    expect(
      [
        "AllowSSMReadActions",
        "AllowPricingReadActions",
        "AllowInterruptionQueueActions",
        "AllowAPIServerEndpointDiscovery",
      ].map(statement),
    ).toEqual([
      {
        Sid: "AllowSSMReadActions",
        Effect: "Allow",
        Action: "ssm:GetParameter",
        Resource: "arn:aws:ssm:eu-west-2::parameter/aws/service/*",
      },
      { Sid: "AllowPricingReadActions", Effect: "Allow", Action: "pricing:GetProducts", Resource: "*" },
      {
        Sid: "AllowInterruptionQueueActions",
        Effect: "Allow",
        Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
        Resource: "arn:aws:sqs:eu-west-2:123456789012:semester-dev-eu-west-2-karpenter",
      },
      {
        Sid: "AllowAPIServerEndpointDiscovery",
        Effect: "Allow",
        Action: "eks:DescribeCluster",
        Resource: "arn:aws:eks:eu-west-2:123456789012:cluster/semester-dev-eu-west-2",
      },
    ]);
  });
});

describe("Karpenter controller policy: instance profiles", () => {
  it("scopes CreateInstanceProfile by the four tags Karpenter sends, never by resource tags", () => {
    expect(statement("AllowScopedInstanceProfileCreationActions")).toEqual({
      Sid: "AllowScopedInstanceProfileCreationActions",
      Effect: "Allow",
      Action: "iam:CreateInstanceProfile",
      Resource: "arn:aws:iam::123456789012:instance-profile/*",
      Condition: {
        StringEquals: {
          "aws:RequestTag/kubernetes.io/cluster/semester-dev-eu-west-2": "owned",
          "aws:RequestTag/eks:eks-cluster-name": "semester-dev-eu-west-2",
          "aws:RequestTag/topology.kubernetes.io/region": "eu-west-2",
        },
        StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
      },
    });
    const creating = statements.filter((s) =>
      ([] as string[])
        .concat((s as { Action: string | string[] }).Action)
        .includes("iam:CreateInstanceProfile"),
    );
    expect(creating.map((s) => s.Sid)).toEqual(["AllowScopedInstanceProfileCreationActions"]);
  });

  it("tags an existing profile only when both its tags and the new tags are this cluster's", () => {
    expect(statement("AllowScopedInstanceProfileTagActions")).toEqual({
      Sid: "AllowScopedInstanceProfileTagActions",
      Effect: "Allow",
      Action: "iam:TagInstanceProfile",
      Resource: "arn:aws:iam::123456789012:instance-profile/*",
      Condition: {
        StringEquals: {
          "aws:ResourceTag/kubernetes.io/cluster/semester-dev-eu-west-2": "owned",
          "aws:ResourceTag/topology.kubernetes.io/region": "eu-west-2",
          "aws:RequestTag/kubernetes.io/cluster/semester-dev-eu-west-2": "owned",
          "aws:RequestTag/eks:eks-cluster-name": "semester-dev-eu-west-2",
          "aws:RequestTag/topology.kubernetes.io/region": "eu-west-2",
        },
        StringLike: {
          "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*",
          "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*",
        },
      },
    });
  });

  it("adds and removes the role and deletes only profiles tagged as this cluster's in this region", () => {
    expect(statement("AllowScopedInstanceProfileActions")).toEqual({
      Sid: "AllowScopedInstanceProfileActions",
      Effect: "Allow",
      Action: [
        "iam:AddRoleToInstanceProfile",
        "iam:RemoveRoleFromInstanceProfile",
        "iam:DeleteInstanceProfile",
      ],
      Resource: "arn:aws:iam::123456789012:instance-profile/*",
      Condition: {
        StringEquals: {
          "aws:ResourceTag/kubernetes.io/cluster/semester-dev-eu-west-2": "owned",
          "aws:ResourceTag/topology.kubernetes.io/region": "eu-west-2",
        },
        StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" },
      },
    });
  });

  it("reads profiles of its own account and lists them (ListInstanceProfiles has no resource type)", () => {
    expect(statement("AllowInstanceProfileReadActions")).toEqual({
      Sid: "AllowInstanceProfileReadActions",
      Effect: "Allow",
      Action: "iam:GetInstanceProfile",
      Resource: "arn:aws:iam::123456789012:instance-profile/*",
    });
    expect(statement("AllowUnscopedInstanceProfileListAction")).toEqual({
      Sid: "AllowUnscopedInstanceProfileListAction",
      Effect: "Allow",
      Action: "iam:ListInstanceProfiles",
      Resource: "*",
    });
  });

  it("reads zonal-shift status for this cluster only", () => {
    expect(statement("AllowZonalShiftStatusReadOnly")).toEqual({
      Sid: "AllowZonalShiftStatusReadOnly",
      Effect: "Allow",
      Action: "arc-zonal-shift:GetManagedResource",
      Resource: "*",
      Condition: {
        StringEquals: {
          "arc-zonal-shift:ResourceIdentifier":
            "arn:aws:eks:eu-west-2:123456789012:cluster/semester-dev-eu-west-2",
        },
      },
    });
  });

  it("keeps every Sid unique", () => {
    const sids = statements.map((s) => s.Sid);
    expect(new Set(sids).size).toBe(sids.length);
  });

  // Every statement is asserted whole above, by Sid; this pins that there is no other (an added or renamed
  // statement would otherwise widen the policy unseen) and the version the conditions are read in.
  it("has exactly these statements, in this order, in a 2012-10-17 document", () => {
    expect(JSON.parse(karpenterControllerPolicy(scope)).Version).toBe("2012-10-17");
    expect(statements.map((s) => s.Sid)).toEqual([
      "AllowScopedEC2InstanceAccessActions",
      "AllowScopedEC2LaunchTemplateAccessActions",
      "AllowScopedEC2InstanceActionsWithTags",
      "AllowScopedResourceCreationTagging",
      "AllowScopedResourceTagging",
      "AllowScopedDeletion",
      "AllowRegionalReadActions",
      "AllowSSMReadActions",
      "AllowPricingReadActions",
      "AllowInterruptionQueueActions",
      "AllowPassingInstanceRole",
      "AllowScopedInstanceProfileCreationActions",
      "AllowScopedInstanceProfileTagActions",
      "AllowScopedInstanceProfileActions",
      "AllowUnscopedInstanceProfileListAction",
      "AllowInstanceProfileReadActions",
      "AllowZonalShiftStatusReadOnly",
      "AllowAPIServerEndpointDiscovery",
    ]);
  });
});
