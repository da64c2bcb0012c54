import { albControllerCallChecks } from "../../cli/plan/wiring/checks/alb-controller";
import { ebsCsiCallChecks } from "../../cli/plan/wiring/checks/ebs-csi";
import { karpenterCallChecks } from "../../cli/plan/wiring/checks/karpenter";
import type { CallCheck, ClusterScope } from "../../cli/plan/wiring/types";

const scope: ClusterScope = {
  partition: "aws",
  accountId: "123456789012",
  region: "eu-west-2",
  clusterName: "semester-prod-eu-west-2",
  vpcId: "vpc-0eu",
  neighbour: { region: "us-east-1", clusterName: "semester-prod-us-east-1", vpcId: "vpc-0us" },
};
const nodeRoleArn = "arn:aws:iam::123456789012:role/semester-prod-eu-west-2-karpenter-node-1a2b3c4";
const interruptionQueueArn = "arn:aws:sqs:eu-west-2:123456789012:semester-prod-eu-west-2-karpenter";
const kmsKeyArn = "arn:aws:kms:eu-west-2:123456789012:key/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";

const lists: Record<string, CallCheck[]> = {
  "load balancer controller": albControllerCallChecks(scope, { nodeSecurityGroupId: "sg-0nodes" }),
  karpenter: karpenterCallChecks(scope, { nodeRoleArn, interruptionQueueArn }),
  "EBS CSI driver": ebsCsiCallChecks(scope, { kmsKeyArn }),
};
const allowed = (checks: CallCheck[]) => checks.filter((c) => c.expect === "allow");
const denied = (checks: CallCheck[]) => checks.filter((c) => c.expect === "deny");
const actions = (checks: CallCheck[]) => [...new Set(checks.map((c) => c.request.action))].sort();

describe.each(Object.entries(lists))("%s call checks", (_, checks) => {
  it("say why, name a service:Action and an ARN of this account (or * for actions without one)", () => {
    for (const c of checks) {
      expect(c.why.length).toBeGreaterThan(5);
      expect(c.request.action).toMatch(/^[a-z0-9-]+:[A-Z][A-Za-z0-9]+$/);
      expect(c.request.resource).toMatch(/^(\*|arn:aws:[a-z0-9-]+:[a-z0-9-]*:(123456789012)?:.+)$/);
    }
  });

  it("expect both: calls the controller must make, and neighbours it must not reach", () => {
    expect(allowed(checks).length).toBeGreaterThan(5);
    expect(denied(checks).length).toBeGreaterThan(4);
  });

  it("never name the neighbour in a call that must be allowed", () => {
    const text = JSON.stringify(allowed(checks));
    for (const n of [scope.neighbour.clusterName, scope.neighbour.vpcId, scope.neighbour.region]) {
      expect(text).not.toContain(n);
    }
  });

  it("reach for the neighbour cluster, its VPC or region among the denied calls", () => {
    const text = JSON.stringify(denied(checks));
    expect(text).toContain(scope.neighbour.clusterName);
    expect(text).toContain(scope.neighbour.region);
  });

  it("give multivalued keys as arrays and tags as strings", () => {
    for (const c of checks) {
      for (const [key, value] of Object.entries(c.request.context ?? {})) {
        if (key === "aws:TagKeys" || key === "ec2:CreateAction")
          expect(typeof value === "string" || Array.isArray(value)).toBe(true);
        if (key.startsWith("aws:RequestTag/") || key.startsWith("aws:ResourceTag/"))
          expect(typeof value).toBe("string");
      }
    }
  });
});

describe("the calls each controller must make", () => {
  it("load balancer controller: ALB, target group, security group in the VPC, ingress rules, targets, deletion", () => {
    const must = allowed(lists["load balancer controller"]!);
    expect(actions(must)).toEqual(
      expect.arrayContaining([
        "elasticloadbalancing:CreateLoadBalancer",
        "elasticloadbalancing:CreateTargetGroup",
        "elasticloadbalancing:RegisterTargets",
        "elasticloadbalancing:DeleteLoadBalancer",
        "ec2:CreateSecurityGroup",
        "ec2:AuthorizeSecurityGroupIngress",
      ]),
    );
    const create = must.find((c) => c.request.action === "elasticloadbalancing:CreateLoadBalancer")!;
    expect(create.request.context).toMatchObject({
      "aws:RequestTag/elbv2.k8s.aws/cluster": scope.clusterName,
    });
    expect(must.map((c) => c.request.resource)).toContain("arn:aws:ec2:eu-west-2:123456789012:vpc/vpc-0eu");
    expect(must.map((c) => c.request.resource)).toContain(
      "arn:aws:ec2:eu-west-2:123456789012:security-group/sg-0nodes",
    );
  });

  it("karpenter: launch with request tags, the instance profile, the node role, termination, AMI and queue", () => {
    const must = allowed(lists.karpenter!);
    expect(actions(must)).toEqual(
      expect.arrayContaining([
        "ec2:CreateFleet",
        "ec2:RunInstances",
        "ec2:CreateLaunchTemplate",
        "ec2:CreateTags",
        "iam:CreateInstanceProfile",
        "iam:AddRoleToInstanceProfile",
        "iam:PassRole",
        "ec2:TerminateInstances",
        "ssm:GetParameter",
        "sqs:ReceiveMessage",
      ]),
    );
    const profile = must.find((c) => c.request.action === "iam:CreateInstanceProfile")!;
    expect(profile.request.context).toMatchObject({
      "aws:RequestTag/kubernetes.io/cluster/semester-prod-eu-west-2": "owned",
      "aws:RequestTag/eks:eks-cluster-name": "semester-prod-eu-west-2",
      "aws:RequestTag/topology.kubernetes.io/region": "eu-west-2",
    });
    expect(must.find((c) => c.request.action === "iam:PassRole")!.request.resource).toBe(nodeRoleArn);
    expect(must.find((c) => c.request.action === "sqs:ReceiveMessage")!.request.resource).toBe(
      interruptionQueueArn,
    );
    const denies = denied(lists.karpenter!).map((c) => c.why);
    expect(denies).toContain("an instance profile without the cluster tag");
    expect(denies).toContain("another cluster's node");
  });

  it("EBS CSI driver: tagged volume creation, attach, delete, and grants on the volume key", () => {
    const must = allowed(lists["EBS CSI driver"]!);
    expect(actions(must)).toEqual(
      expect.arrayContaining(["ec2:CreateVolume", "ec2:AttachVolume", "ec2:DeleteVolume", "kms:CreateGrant"]),
    );
    expect(must.find((c) => c.request.action === "kms:CreateGrant")!.request.resource).toBe(kmsKeyArn);
    expect(must.find((c) => c.request.action === "ec2:CreateVolume")!.request.context).toMatchObject({
      "aws:RequestTag/kubernetes.io/cluster/semester-prod-eu-west-2": "owned",
    });
  });

  it("leave region-bound denials out when the neighbour shares the region", () => {
    const same = { ...scope, neighbour: { ...scope.neighbour, region: scope.region } };
    const whys = denied(karpenterCallChecks(same, { nodeRoleArn, interruptionQueueArn })).map((c) => c.why);
    expect(whys).not.toContain("reads in another region");
    expect(whys).toContain("another cluster's node");
  });
});
