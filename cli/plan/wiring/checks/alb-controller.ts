/**
 * The calls the AWS Load Balancer Controller makes to serve this cluster's Ingresses, as IAM sees them, and the
 * neighbours it must not reach. Tags and resources follow the controller v3.5.0 (docs/guide/ingress/annotations.md
 * "Resource Tags"; pkg/deploy/ec2/security_group_manager.go and pkg/deploy/elbv2/*_manager.go send the tags with
 * every create call): `elbv2.k8s.aws/cluster`, `ingress.k8s.aws/stack`, `ingress.k8s.aws/resource`. Pure.
 */
import { mustAllow, mustDeny, type CallCheck, type ClusterScope } from "../types";

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

  const checks: CallCheck[] = [
    mustAllow(
      "discover subnets, load balancers and target health in its region",
      "ec2:DescribeSubnets",
      "*",
      {
        "aws:RequestedRegion": r,
      },
    ),
    mustAllow("read its load balancers", "elasticloadbalancing:DescribeLoadBalancers", "*", {
      "aws:RequestedRegion": r,
    }),
    mustAllow(
      "create an Ingress's ALB, tagged for this cluster",
      "elasticloadbalancing:CreateLoadBalancer",
      lb(r),
      stackTags(c),
    ),
    mustAllow("tag the ALB while creating it", "elasticloadbalancing:AddTags", lb(r), {
      ...stackTags(c),
      "elasticloadbalancing:CreateAction": "CreateLoadBalancer",
    }),
    mustAllow(
      "create the Ingress's target group, tagged for this cluster",
      "elasticloadbalancing:CreateTargetGroup",
      targetGroup(r),
      stackTags(c),
    ),
    mustAllow("add the ALB's listener", "elasticloadbalancing:CreateListener", lb(r), stackTags(c)),
    mustAllow("add a listener rule", "elasticloadbalancing:CreateRule", listener, stackTags(c)),
    mustAllow(
      "register the Ingress's pods as targets",
      "elasticloadbalancing:RegisterTargets",
      targetGroup(r),
      owned(c),
    ),
    mustAllow(
      "change its own ALB's attributes",
      "elasticloadbalancing:ModifyLoadBalancerAttributes",
      lb(r),
      owned(c),
    ),
    mustAllow(
      "delete its own ALB when the Ingress goes",
      "elasticloadbalancing:DeleteLoadBalancer",
      lb(r),
      owned(c),
    ),
    mustAllow(
      "create the ALB's security group in the cluster's VPC",
      "ec2:CreateSecurityGroup",
      vpc(r, scope.vpcId),
      {
        "aws:RequestedRegion": r,
      },
    ),
    mustAllow(
      "create the security group tagged for this cluster",
      "ec2:CreateSecurityGroup",
      ec2(r, "security-group/*"),
      {
        ...stackTags(c),
        "ec2:Vpc": vpc(r, scope.vpcId),
      },
    ),
    mustAllow("tag the security group while creating it", "ec2:CreateTags", ownGroup, {
      ...stackTags(c),
      "ec2:CreateAction": "CreateSecurityGroup",
    }),
    mustAllow(
      "open the ALB's listener ports on its own security group",
      "ec2:AuthorizeSecurityGroupIngress",
      ownGroup,
      {
        ...owned(c),
        "ec2:Vpc": vpc(r, scope.vpcId),
      },
    ),
    mustAllow(
      "admit the ALB on the nodes' security group (not tagged by the controller)",
      "ec2:AuthorizeSecurityGroupIngress",
      nodeGroup,
      {
        "ec2:Vpc": vpc(r, scope.vpcId),
        "aws:RequestedRegion": r,
      },
    ),
    mustAllow("delete its own security group", "ec2:DeleteSecurityGroup", ownGroup, {
      ...owned(c),
      "ec2:Vpc": vpc(r, scope.vpcId),
    }),
    mustDeny(
      "another cluster's ALB in this region",
      "elasticloadbalancing:DeleteLoadBalancer",
      lb(r),
      owned(n.clusterName),
    ),
    mustDeny(
      "an ALB tagged for another cluster",
      "elasticloadbalancing:CreateLoadBalancer",
      lb(r),
      stackTags(n.clusterName),
    ),
    mustDeny("an ALB without the cluster tag", "elasticloadbalancing:CreateLoadBalancer", lb(r), {
      "aws:RequestedRegion": r,
    }),
    mustDeny(
      "another cluster's target group",
      "elasticloadbalancing:RegisterTargets",
      targetGroup(r),
      owned(n.clusterName),
    ),
    mustDeny("a security group in the neighbour's VPC", "ec2:CreateSecurityGroup", vpc(n.region, n.vpcId), {
      "aws:RequestedRegion": n.region,
    }),
    mustDeny(
      "ingress rules of a security group in the neighbour's VPC",
      "ec2:AuthorizeSecurityGroupIngress",
      ec2(n.region, "security-group/sg-0123456789abcdef0"),
      {
        "ec2:Vpc": vpc(n.region, n.vpcId),
        "aws:RequestedRegion": n.region,
      },
    ),
    mustDeny("another cluster's security group", "ec2:DeleteSecurityGroup", ownGroup, {
      ...owned(n.clusterName),
      "ec2:Vpc": vpc(r, scope.vpcId),
    }),
  ];
  if (n.region !== r) {
    checks.push(
      mustDeny(
        "the neighbour cluster's ALB in its region",
        "elasticloadbalancing:DeleteLoadBalancer",
        lb(n.region),
        {
          [`aws:ResourceTag/${CLUSTER_TAG}`]: c,
          "aws:RequestedRegion": n.region,
        },
      ),
      mustDeny("reads in another region", "elasticloadbalancing:DescribeLoadBalancers", "*", {
        "aws:RequestedRegion": n.region,
      }),
    );
  }
  return checks;
}
