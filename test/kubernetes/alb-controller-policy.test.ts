import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  ALB_CONTROLLER_POLICY_FILE,
  loadUpstreamAlbControllerPolicy,
  narrowClusterTag,
  scopeAlbControllerPolicy,
  type PolicyDocument,
  type PolicyStatement,
} from "../../components/kubernetes/alb-controller-policy";

const scope = {
  partition: "aws",
  region: "eu-west-2",
  accountId: "123456789012",
  clusterName: "semester-dev-eu-west-2",
  vpcId: "vpc-0abc",
};
const upstream = loadUpstreamAlbControllerPolicy();
const scoped = scopeAlbControllerPolicy(upstream, scope);
const bySid = (sid: string) => scoped.Statement.find((s) => s.Sid === sid);
const actions = (s: PolicyStatement) => ([] as string[]).concat(s.Action);
const resources = (s: PolicyStatement) => ([] as string[]).concat(s.Resource);

describe("vendored AWS Load Balancer Controller policy", () => {
  it("is byte-identical to upstream v3.5.0 (sha256 in SOURCES.md)", () => {
    const bytes = fs.readFileSync(ALB_CONTROLLER_POLICY_FILE);
    const sha = createHash("sha256").update(bytes).digest("hex");
    expect(sha).toBe("16f232c9d9f79366fe949c4550ad517a202380058a9e48d45a4e215044a20a6a");
    const sources = fs.readFileSync(
      path.join(path.dirname(ALB_CONTROLLER_POLICY_FILE), "..", "..", "SOURCES.md"),
      "utf8",
    );
    expect(sources).toContain(sha);
    expect(upstream.Statement).toHaveLength(16);
  });
});

describe("scopeAlbControllerPolicy", () => {
  it("keeps every upstream action, and grants no action upstream does not", () => {
    const before = new Set(upstream.Statement.flatMap(actions));
    const after = new Set(scoped.Statement.flatMap(actions));
    expect([...after].sort()).toEqual([...before].sort());
  });

  it("leaves no cluster-tag condition that any cluster's tag would satisfy", () => {
    const text = JSON.stringify(scoped);
    expect(text).not.toContain('"aws:RequestTag/elbv2.k8s.aws/cluster":"false"');
    expect(text).not.toContain('"aws:ResourceTag/elbv2.k8s.aws/cluster":"false"');
    const tagged = scoped.Statement.filter((s) =>
      JSON.stringify(s.Condition ?? {}).includes("elbv2.k8s.aws"),
    );
    for (const s of tagged) {
      const equals = Object.entries(s.Condition?.StringEquals ?? {}).filter(([k]) =>
        k.endsWith("elbv2.k8s.aws/cluster"),
      );
      const nulls = Object.entries(s.Condition?.Null ?? {});
      expect(equals.length + nulls.length).toBeGreaterThan(0);
      for (const [, v] of equals) expect(v).toBe("semester-dev-eu-west-2");
      for (const [, v] of nulls) expect(v).toBe("true");
    }
  });

  it("names no other region, account or partition in any ARN", () => {
    for (const arn of scoped.Statement.flatMap(resources).filter((r) => r !== "*")) {
      expect(arn).toMatch(/^arn:aws:[a-z0-9-]+:(eu-west-2)?:123456789012:/);
    }
  });

  it("creates security groups only in the cluster's VPC and only with this cluster's tag", () => {
    expect(bySid("CreateSecurityGroupInClusterVpc")).toEqual({
      Sid: "CreateSecurityGroupInClusterVpc",
      Effect: "Allow",
      Action: ["ec2:CreateSecurityGroup"],
      Resource: "arn:aws:ec2:eu-west-2:123456789012:vpc/vpc-0abc",
    });
    expect(bySid("CreateSecurityGroupTaggedForCluster")).toEqual({
      Sid: "CreateSecurityGroupTaggedForCluster",
      Effect: "Allow",
      Action: ["ec2:CreateSecurityGroup"],
      Resource: "arn:aws:ec2:eu-west-2:123456789012:security-group/*",
      Condition: { StringEquals: { "aws:RequestTag/elbv2.k8s.aws/cluster": "semester-dev-eu-west-2" } },
    });
  });

  it("changes ingress rules only of groups in the cluster's VPC, and deletes only its own tagged groups", () => {
    expect(bySid("IngressRulesInClusterVpc")).toEqual({
      Sid: "IngressRulesInClusterVpc",
      Effect: "Allow",
      Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
      Resource: "arn:aws:ec2:eu-west-2:123456789012:security-group/*",
      Condition: { StringEquals: { "ec2:Vpc": "arn:aws:ec2:eu-west-2:123456789012:vpc/vpc-0abc" } },
    });
    expect(bySid("ManageOwnSecurityGroups")).toEqual({
      Sid: "ManageOwnSecurityGroups",
      Effect: "Allow",
      Action: [
        "ec2:AuthorizeSecurityGroupIngress",
        "ec2:RevokeSecurityGroupIngress",
        "ec2:DeleteSecurityGroup",
      ],
      Resource: "arn:aws:ec2:eu-west-2:123456789012:security-group/*",
      Condition: { StringEquals: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "semester-dev-eu-west-2" } },
    });
  });

  it("tags a security group at creation only with this cluster's tag", () => {
    expect(bySid("TagSecurityGroupOnCreate")).toEqual({
      Sid: "TagSecurityGroupOnCreate",
      Effect: "Allow",
      Action: ["ec2:CreateTags"],
      Resource: "arn:aws:ec2:eu-west-2:123456789012:security-group/*",
      Condition: {
        StringEquals: {
          "ec2:CreateAction": "CreateSecurityGroup",
          "aws:RequestTag/elbv2.k8s.aws/cluster": "semester-dev-eu-west-2",
        },
      },
    });
  });

  it("creates load balancers and target groups with this cluster's tag and manages only those", () => {
    expect(bySid("CreateTaggedForCluster")).toEqual({
      Sid: "CreateTaggedForCluster",
      Effect: "Allow",
      Action: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
      Resource: "arn:aws:elasticloadbalancing:eu-west-2:123456789012:*",
      Condition: { StringEquals: { "aws:RequestTag/elbv2.k8s.aws/cluster": "semester-dev-eu-west-2" } },
    });
    const manage = bySid("ManageOwnLoadBalancers")!;
    expect(actions(manage)).toContain("elasticloadbalancing:DeleteLoadBalancer");
    expect(manage.Resource).toBe("arn:aws:elasticloadbalancing:eu-west-2:123456789012:*");
    expect(manage.Condition).toEqual({
      StringEquals: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "semester-dev-eu-west-2" },
    });
  });

  it("re-tags its own load balancers without ever setting the cluster tag itself", () => {
    expect(bySid("RetagOwnLoadBalancers")!.Condition).toEqual({
      Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "true" },
      StringEquals: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "semester-dev-eu-west-2" },
    });
    expect(resources(bySid("RetagOwnLoadBalancers")!)).toEqual([
      "arn:aws:elasticloadbalancing:eu-west-2:123456789012:targetgroup/*/*",
      "arn:aws:elasticloadbalancing:eu-west-2:123456789012:loadbalancer/net/*/*",
      "arn:aws:elasticloadbalancing:eu-west-2:123456789012:loadbalancer/app/*/*",
    ]);
  });

  it("registers targets only into this cluster's target groups", () => {
    expect(bySid("RegisterTargetsInOwnTargetGroups")).toEqual({
      Sid: "RegisterTargetsInOwnTargetGroups",
      Effect: "Allow",
      Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
      Resource: "arn:aws:elasticloadbalancing:eu-west-2:123456789012:targetgroup/*/*",
      Condition: { StringEquals: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "semester-dev-eu-west-2" } },
    });
  });

  it("pins unscoped reads to the region and the service-linked role to ELB's own", () => {
    expect(bySid("RegionalReads")!.Condition).toEqual({
      StringEquals: { "aws:RequestedRegion": "eu-west-2" },
    });
    expect(bySid("RegionalReads")!.Resource).toBe("*");
    expect(bySid("CreateElbServiceLinkedRole")!.Resource).toBe(
      "arn:aws:iam::123456789012:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing",
    );
  });

  it("leaves only the global-service statement on an unconditioned `*`", () => {
    const open = scoped.Statement.filter((s) => resources(s).includes("*") && s.Condition === undefined);
    expect(open.map((s) => s.Sid)).toEqual(["CertificatesWafShield"]);
  });

  it("writes the given partition into every ARN", () => {
    const cn = scopeAlbControllerPolicy(upstream, { ...scope, partition: "aws-cn", region: "cn-north-1" });
    const arns = cn.Statement.flatMap(resources).filter((r) => r !== "*");
    for (const arn of arns) expect(arn).toMatch(/^arn:aws-cn:/);
  });

  it("refuses an upstream statement it does not know, naming its actions", () => {
    const changed: PolicyDocument = {
      ...upstream,
      Statement: [...upstream.Statement, { Effect: "Allow", Action: "ec2:CreateVpc", Resource: "*" }],
    };
    expect(() => scopeAlbControllerPolicy(changed, scope)).toThrow(
      "AWS Load Balancer Controller policy: 1 upstream statement(s) this transformation does not know (ec2:CreateVpc); review them and extend scopeAlbControllerPolicy",
    );
  });
});

describe("narrowClusterTag", () => {
  it("turns an existence check into this cluster's name and keeps the must-not-set check", () => {
    expect(
      narrowClusterTag(
        {
          StringEquals: { "ec2:CreateAction": "CreateSecurityGroup" },
          Null: {
            "aws:RequestTag/elbv2.k8s.aws/cluster": "true",
            "aws:ResourceTag/elbv2.k8s.aws/cluster": "false",
          },
        },
        "c1",
      ),
    ).toEqual({
      StringEquals: {
        "ec2:CreateAction": "CreateSecurityGroup",
        "aws:ResourceTag/elbv2.k8s.aws/cluster": "c1",
      },
      Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "true" },
    });
    expect(narrowClusterTag(undefined, "c1")).toBeUndefined();
  });
});
