/**
 * The calls the AWS Load Balancer Controller makes to serve this cluster's Ingresses, as IAM sees them, and the
 * neighbours it must not reach. Tags and resources follow the controller v3.5.0 (docs/guide/ingress/annotations.md
 * "Resource Tags"; pkg/deploy/ec2/security_group_manager.go and pkg/deploy/elbv2/*_manager.go send the tags with
 * every create call): `elbv2.k8s.aws/cluster`, `ingress.k8s.aws/stack`, `ingress.k8s.aws/resource`. Pure.
 */
import type { CallCheck, ClusterScope } from "../types";

/** What the checks name beyond the scope; made-up ids stand in where the plan has none. */
export interface AlbControllerArns {
  /** The cluster security group (the nodes' and pods' ENIs), which the controller adds ingress rules to. */
  readonly nodeSecurityGroupId?: string;
}

const CLUSTER_TAG = "elbv2.k8s.aws/cluster";

export function albControllerCallChecks(scope: ClusterScope, arns: AlbControllerArns = {}): CallCheck[] {
  const { partition: p, accountId: a, region: r, clusterName: c, neighbour: n } = scope;
  const elb = (region: string, resource: string) =>
    `arn:${p}:elasticloadbalancing:${region}:${a}:${resource}`;
  const ec2 = (region: string, resource: string) => `arn:${p}:ec2:${region}:${a}:${resource}`;
  const vpc = (region: string, vpcId: string) => ec2(region, `vpc/${vpcId}`);
  const lb = (region: string) =>
    elb(region, "loadbalancer/app/k8s-learning-coursec-6f2a1b9c3d/50dc6c495c0c9188");
  const targetGroup = (region: string) =>
    elb(region, "targetgroup/k8s-learning-coursec-8e1d2c3b4a/73e2d6bc24d8a067");
  const listener = `${lb(r).replace(":loadbalancer/", ":listener/")}/0467ef3c8400ae65`;
  const ownGroup = ec2(r, "security-group/sg-0a1b2c3d4e5f60718");
  const nodeGroup = ec2(r, `security-group/${arns.nodeSecurityGroupId ?? "sg-0f1e2d3c4b5a69788"}`);
  const stackTags = (cluster: string) => ({
    [`aws:RequestTag/${CLUSTER_TAG}`]: cluster,
    "aws:RequestTag/ingress.k8s.aws/stack": "learning/course-catalog",
    "aws:RequestTag/ingress.k8s.aws/resource": "LoadBalancer",
    "aws:TagKeys": [CLUSTER_TAG, "ingress.k8s.aws/stack", "ingress.k8s.aws/resource"],
    "aws:RequestedRegion": r,
  });
  const owned = (cluster: string) => ({
    [`aws:ResourceTag/${CLUSTER_TAG}`]: cluster,
    "aws:RequestedRegion": r,
  });
  const allow = (
    why: string,
    action: string,
    resource: string,
    context: CallCheck["request"]["context"],
  ) => ({
    why,
    request: { action, resource, ...(context ? { context } : {}) },
    expect: "allow" as const,
  });
  const deny = (why: string, action: string, resource: string, context: CallCheck["request"]["context"]) => ({
    why,
    request: { action, resource, ...(context ? { context } : {}) },
    expect: "deny" as const,
  });

  const checks: CallCheck[] = [
    allow("discover subnets, load balancers and target health in its region", "ec2:DescribeSubnets", "*", {
      "aws:RequestedRegion": r,
    }),
    allow("read its load balancers", "elasticloadbalancing:DescribeLoadBalancers", "*", {
      "aws:RequestedRegion": r,
    }),
    allow(
      "create an Ingress's ALB, tagged for this cluster",
      "elasticloadbalancing:CreateLoadBalancer",
      lb(r),
      stackTags(c),
    ),
    allow("tag the ALB while creating it", "elasticloadbalancing:AddTags", lb(r), {
      ...stackTags(c),
      "elasticloadbalancing:CreateAction": "CreateLoadBalancer",
    }),
    allow(
      "create the Ingress's target group, tagged for this cluster",
      "elasticloadbalancing:CreateTargetGroup",
      targetGroup(r),
      stackTags(c),
    ),
    allow("add the ALB's listener", "elasticloadbalancing:CreateListener", lb(r), stackTags(c)),
    allow("add a listener rule", "elasticloadbalancing:CreateRule", listener, stackTags(c)),
    allow(
      "register the Ingress's pods as targets",
      "elasticloadbalancing:RegisterTargets",
      targetGroup(r),
      owned(c),
    ),
    allow(
      "change its own ALB's attributes",
      "elasticloadbalancing:ModifyLoadBalancerAttributes",
      lb(r),
      owned(c),
    ),
    allow(
      "delete its own ALB when the Ingress goes",
      "elasticloadbalancing:DeleteLoadBalancer",
      lb(r),
      owned(c),
    ),
    allow(
      "create the ALB's security group in the cluster's VPC",
      "ec2:CreateSecurityGroup",
      vpc(r, scope.vpcId),
      {
        "aws:RequestedRegion": r,
      },
    ),
    allow(
      "create the security group tagged for this cluster",
      "ec2:CreateSecurityGroup",
      ec2(r, "security-group/*"),
      {
        ...stackTags(c),
        "ec2:Vpc": vpc(r, scope.vpcId),
      },
    ),
    allow("tag the security group while creating it", "ec2:CreateTags", ownGroup, {
      ...stackTags(c),
      "ec2:CreateAction": "CreateSecurityGroup",
    }),
    allow(
      "open the ALB's listener ports on its own security group",
      "ec2:AuthorizeSecurityGroupIngress",
      ownGroup,
      {
        ...owned(c),
        "ec2:Vpc": vpc(r, scope.vpcId),
      },
    ),
    allow(
      "admit the ALB on the nodes' security group (not tagged by the controller)",
      "ec2:AuthorizeSecurityGroupIngress",
      nodeGroup,
      {
        "ec2:Vpc": vpc(r, scope.vpcId),
        "aws:RequestedRegion": r,
      },
    ),
    allow("delete its own security group", "ec2:DeleteSecurityGroup", ownGroup, {
      ...owned(c),
      "ec2:Vpc": vpc(r, scope.vpcId),
    }),
    deny(
      "another cluster's ALB in this region",
      "elasticloadbalancing:DeleteLoadBalancer",
      lb(r),
      owned(n.clusterName),
    ),
    deny(
      "an ALB tagged for another cluster",
      "elasticloadbalancing:CreateLoadBalancer",
      lb(r),
      stackTags(n.clusterName),
    ),
    deny("an ALB without the cluster tag", "elasticloadbalancing:CreateLoadBalancer", lb(r), {
      "aws:RequestedRegion": r,
    }),
    deny(
      "another cluster's target group",
      "elasticloadbalancing:RegisterTargets",
      targetGroup(r),
      owned(n.clusterName),
    ),
    deny("a security group in the neighbour's VPC", "ec2:CreateSecurityGroup", vpc(n.region, n.vpcId), {
      "aws:RequestedRegion": n.region,
    }),
    deny(
      "ingress rules of a security group in the neighbour's VPC",
      "ec2:AuthorizeSecurityGroupIngress",
      ec2(n.region, "security-group/sg-0123456789abcdef0"),
      {
        "ec2:Vpc": vpc(n.region, n.vpcId),
        "aws:RequestedRegion": n.region,
      },
    ),
    deny("another cluster's security group", "ec2:DeleteSecurityGroup", ownGroup, {
      ...owned(n.clusterName),
      "ec2:Vpc": vpc(r, scope.vpcId),
    }),
  ];
  if (n.region !== r) {
    checks.push(
      deny(
        "the neighbour cluster's ALB in its region",
        "elasticloadbalancing:DeleteLoadBalancer",
        lb(n.region),
        {
          [`aws:ResourceTag/${CLUSTER_TAG}`]: c,
          "aws:RequestedRegion": n.region,
        },
      ),
      deny("reads in another region", "elasticloadbalancing:DescribeLoadBalancers", "*", {
        "aws:RequestedRegion": n.region,
      }),
    );
  }
  return checks;
}
