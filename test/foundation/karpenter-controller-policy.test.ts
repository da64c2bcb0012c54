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
});
