/**
 * The controllers' call checks evaluated against the policies Semester gives them, with the project's IAM
 * evaluator: every call a controller must make is allowed, every neighbour denied.
 */
import { evaluate } from "../../cli/plan/wiring/iam";
import { albControllerCallChecks } from "../../cli/plan/wiring/checks/alb-controller";
import { ebsCsiCallChecks } from "../../cli/plan/wiring/checks/ebs-csi";
import { karpenterCallChecks } from "../../cli/plan/wiring/checks/karpenter";
import type { CallCheck, ClusterScope } from "../../cli/plan/wiring/types";
import { karpenterControllerPolicy } from "../../components/cluster/karpenter/controller-policy";
import { ebsCsiDriverPolicy } from "../../components/cluster/ebs-csi-policy";
import {
  albControllerPolicy,
  loadUpstreamAlbControllerPolicy,
} from "../../components/kubernetes/alb-controller-policy";

const scopes: Record<string, ClusterScope> = {
  "two regions": {
    partition: "aws",
    accountId: "123456789012",
    region: "eu-west-2",
    clusterName: "semester-prod-eu-west-2",
    vpcId: "vpc-0eu",
    neighbour: { region: "us-east-1", clusterName: "semester-prod-us-east-1", vpcId: "vpc-0us" },
  },
  "one region (a made-up neighbour in the same region)": {
    partition: "aws",
    accountId: "123456789012",
    region: "eu-west-2",
    clusterName: "semester-dev-eu-west-2",
    vpcId: "vpc-0dev",
    neighbour: { region: "eu-west-2", clusterName: "semester-dev-eu-west-2-neighbour", vpcId: "vpc-0other" },
  },
};

/** Every check whose decision differs from what it expects, as `expect why: action on resource -> decision`. */
function mismatches(policy: string, checks: readonly CallCheck[]): string[] {
  return checks.flatMap((check) => {
    const { decision } = evaluate([{ label: "role", document: policy }], check.request);
    const got = decision === "allow" ? "allow" : "deny";
    return got === check.expect
      ? []
      : [`${check.expect} ${check.why}: ${check.request.action} on ${check.request.resource} -> ${decision}`];
  });
}

describe.each(Object.entries(scopes))("controller policies against their call checks, %s", (_, scope) => {
  it("lets the load balancer controller serve this cluster's Ingresses and nothing of the neighbour's", () => {
    const policy = albControllerPolicy({ ...scope });
    expect(mismatches(policy, albControllerCallChecks(scope, { nodeSecurityGroupId: "sg-0nodes" }))).toEqual(
      [],
    );
  });

  it("lets Karpenter launch and retire this cluster's nodes and nothing of the neighbour's", () => {
    const arns = {
      nodeRoleArn: `arn:aws:iam::123456789012:role/${scope.clusterName}-karpenter-node-1a2b3c4`,
      interruptionQueueArn: `arn:aws:sqs:${scope.region}:123456789012:${scope.clusterName}-karpenter`,
    };
    const policy = karpenterControllerPolicy({ ...scope, ...arns });
    expect(mismatches(policy, karpenterCallChecks(scope, arns))).toEqual([]);
  });

  it("lets the EBS CSI driver manage this cluster's encrypted volumes and nothing of the neighbour's", () => {
    const kmsKeyArn = `arn:aws:kms:${scope.region}:123456789012:key/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d`;
    const policy = ebsCsiDriverPolicy({ ...scope, kmsKeyArn });
    expect(mismatches(policy, ebsCsiCallChecks(scope, { kmsKeyArn }))).toEqual([]);
  });
});

describe("the call checks can fail", () => {
  it("finds Karpenter's instance profile creation denied under a resource-tag condition (the old policy)", () => {
    const scope = scopes["two regions"]!;
    const arns = {
      nodeRoleArn: "arn:aws:iam::123456789012:role/node",
      interruptionQueueArn: "arn:aws:sqs:eu-west-2:123456789012:q",
    };
    const policy = JSON.parse(karpenterControllerPolicy({ ...scope, ...arns })) as {
      Statement: { Sid: string; Condition?: unknown }[];
    };
    const old = policy.Statement.map((s) =>
      s.Sid === "AllowScopedInstanceProfileCreationActions"
        ? {
            ...s,
            Condition: {
              StringEquals: {
                "aws:ResourceTag/kubernetes.io/cluster/semester-prod-eu-west-2": "owned",
                "aws:ResourceTag/topology.kubernetes.io/region": "eu-west-2",
              },
            },
          }
        : s,
    );
    expect(
      mismatches(JSON.stringify({ ...policy, Statement: old }), karpenterCallChecks(scope, arns)),
    ).toEqual([
      "allow create the node class's instance profile: iam:CreateInstanceProfile on arn:aws:iam::123456789012:instance-profile/karpenter/eu-west-2/semester-prod-eu-west-2/3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b/semester-prod-eu-west-2_11234567890123456789 -> implicit-deny",
    ]);
  });

  it("finds upstream's unscoped load balancer policy allowing the neighbour's load balancers", () => {
    const scope = scopes["two regions"]!;
    const upstream = JSON.stringify(loadUpstreamAlbControllerPolicy());
    const denied = albControllerCallChecks(scope).filter((c) => c.expect === "deny");
    expect(mismatches(upstream, denied).length).toBeGreaterThan(5);
  });
});
