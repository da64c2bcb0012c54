/**
 * The AWS Load Balancer Controller's IAM policy: upstream's published document (vendored byte-identical under
 * `iam/aws-load-balancer-controller/v3.5.0/`, provenance in `iam/SOURCES.md`), narrowed to one cluster.
 *
 * What the controller's documentation lets us rely on:
 * - it tags every ALB, target group, listener, rule and security group it creates with
 *   `elbv2.k8s.aws/cluster: <cluster name>` (docs/guide/ingress/annotations.md, "Resource Tags"), sending the tags
 *   with the create call (`TagSpecifications` on CreateSecurityGroup, `Tags` on CreateLoadBalancer,
 *   CreateTargetGroup, CreateListener and CreateRule), so creation can be scoped by request tags;
 * - the shared backend security group `k8s-traffic-<cluster>-<hash>` carries the same tag
 *   (docs/deploy/security_groups.md), and every group it creates lives in the cluster's VPC (`--aws-vpc-id`);
 * - it adds ingress rules to the node/ENI security groups of its targets, which it did not create (so those are
 *   scoped by VPC, not by tag).
 * Upstream's conditions only require the cluster tag to exist (`Null: "false"`), which any cluster's resources
 * satisfy; here they require this cluster's name. Pure: no Pulumi, no I/O but `loadUpstreamAlbControllerPolicy`.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** @internal The upstream policy file this module knows statement by statement. */
export const ALB_CONTROLLER_POLICY_FILE = path.join(
  __dirname,
  "iam",
  "aws-load-balancer-controller",
  "v3.5.0",
  "iam_policy.json",
);

/** @internal The chart's service account (`serviceAccount.name` in `addons.ts`), bound to the controller's role. */
export const ALB_CONTROLLER_SERVICE_ACCOUNT = "aws-load-balancer-controller";

/** @internal The tag the controller puts on everything it creates. */
export const ALB_CLUSTER_TAG = "elbv2.k8s.aws/cluster";

/** @internal */
export interface AlbControllerPolicyScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly clusterName: string;
  /** The cluster's VPC: the only one the controller creates security groups in or changes rules of. */
  readonly vpcId: string;
}

type Values = string | string[];
/** @internal */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: Values;
  readonly Resource: Values;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, Values>>>>;
}
/** @internal */
export interface PolicyDocument {
  readonly Version: string;
  readonly Statement: readonly PolicyStatement[];
}

// Upstream statements with many actions, by their sorted action list.
const READS = [
  "ec2:DescribeAccountAttributes",
  "ec2:DescribeAddresses",
  "ec2:DescribeAvailabilityZones",
  "ec2:DescribeInternetGateways",
  "ec2:DescribeVpcs",
  "ec2:DescribeVpcPeeringConnections",
  "ec2:DescribeSubnets",
  "ec2:DescribeSecurityGroups",
  "ec2:DescribeInstances",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DescribeTags",
  "ec2:GetCoipPoolUsage",
  "ec2:DescribeCoipPools",
  "ec2:GetSecurityGroupsForVpc",
  "ec2:DescribeIpamPools",
  "ec2:DescribeRouteTables",
  "elasticloadbalancing:DescribeLoadBalancers",
  "elasticloadbalancing:DescribeLoadBalancerAttributes",
  "elasticloadbalancing:DescribeListeners",
  "elasticloadbalancing:DescribeListenerCertificates",
  "elasticloadbalancing:DescribeSSLPolicies",
  "elasticloadbalancing:DescribeRules",
  "elasticloadbalancing:DescribeTargetGroups",
  "elasticloadbalancing:DescribeTargetGroupAttributes",
  "elasticloadbalancing:DescribeTargetHealth",
  "elasticloadbalancing:DescribeTags",
  "elasticloadbalancing:DescribeTrustStores",
  "elasticloadbalancing:DescribeListenerAttributes",
  "elasticloadbalancing:DescribeCapacityReservation",
]
  .sort()
  .join(",");

const CERTIFICATES_WAF_SHIELD = [
  "cognito-idp:DescribeUserPoolClient",
  "acm:ListCertificates",
  "acm:DescribeCertificate",
  "iam:ListServerCertificates",
  "iam:GetServerCertificate",
  "waf-regional:GetWebACL",
  "waf-regional:GetWebACLForResource",
  "waf-regional:AssociateWebACL",
  "waf-regional:DisassociateWebACL",
  "wafv2:GetWebACL",
  "wafv2:GetWebACLForResource",
  "wafv2:AssociateWebACL",
  "wafv2:DisassociateWebACL",
  "shield:GetSubscriptionState",
  "shield:DescribeProtection",
  "shield:CreateProtection",
  "shield:DeleteProtection",
]
  .sort()
  .join(",");

const LISTENERS_AND_RULES = [
  "elasticloadbalancing:CreateListener",
  "elasticloadbalancing:DeleteListener",
  "elasticloadbalancing:CreateRule",
  "elasticloadbalancing:DeleteRule",
]
  .sort()
  .join(",");

const MODIFY_AND_DELETE = [
  "elasticloadbalancing:ModifyLoadBalancerAttributes",
  "elasticloadbalancing:SetIpAddressType",
  "elasticloadbalancing:SetSecurityGroups",
  "elasticloadbalancing:SetSubnets",
  "elasticloadbalancing:DeleteLoadBalancer",
  "elasticloadbalancing:ModifyTargetGroup",
  "elasticloadbalancing:ModifyTargetGroupAttributes",
  "elasticloadbalancing:DeleteTargetGroup",
  "elasticloadbalancing:ModifyListenerAttributes",
  "elasticloadbalancing:ModifyCapacityReservation",
  "elasticloadbalancing:ModifyIpPools",
]
  .sort()
  .join(",");

const LISTENER_SETTINGS = [
  "elasticloadbalancing:SetWebAcl",
  "elasticloadbalancing:ModifyListener",
  "elasticloadbalancing:AddListenerCertificates",
  "elasticloadbalancing:RemoveListenerCertificates",
  "elasticloadbalancing:ModifyRule",
  "elasticloadbalancing:SetRulePriorities",
]
  .sort()
  .join(",");

/** @internal Reads the vendored upstream document (byte-identical to upstream's). */
export function loadUpstreamAlbControllerPolicy(file = ALB_CONTROLLER_POLICY_FILE): PolicyDocument {
  return JSON.parse(fs.readFileSync(file, "utf8")) as PolicyDocument;
}

/** @internal The upstream document narrowed to one cluster; throws on a statement it does not recognise. */
export function scopeAlbControllerPolicy(
  upstream: PolicyDocument,
  scope: AlbControllerPolicyScope,
): PolicyDocument {
  const { partition: p, region: r, accountId: a, clusterName: c } = scope;
  const vpcArn = `arn:${p}:ec2:${r}:${a}:vpc/${scope.vpcId}`;
  // Upstream writes `arn:aws:<service>:*:*:...` (any region, any account): pin partition, region and account.
  const regional = (arn: string) => arn.replace(/^arn:aws:([a-z0-9-]+):\*:\*:/, `arn:${p}:$1:${r}:${a}:`);
  const regionalAll = (resource: Values) =>
    Array.isArray(resource) ? resource.map(regional) : regional(resource);
  // Every ELB resource of this account in this region, for statements upstream leaves on `*` (all of whose
  // actions take an ELB resource ARN).
  const elbInRegion = `arn:${p}:elasticloadbalancing:${r}:${a}:*`;
  const securityGroups = `arn:${p}:ec2:${r}:${a}:security-group/*`;

  const out: PolicyStatement[] = [];
  const unknown: string[] = [];
  for (const s of upstream.Statement) {
    const key = [...new Set(([] as string[]).concat(s.Action))].sort().join(",");
    const condition = narrowClusterTag(s.Condition, c);
    switch (key) {
      case "iam:CreateServiceLinkedRole":
        // Only ELB's own service-linked role can be created (upstream: any role name, condition on the service).
        out.push({
          ...s,
          Sid: "CreateElbServiceLinkedRole",
          Resource: `arn:${p}:iam::${a}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`,
        });
        break;
      case READS:
        // Describe/Get calls have no resource-level permissions (Resource must stay `*`): pin the region instead.
        out.push({
          ...s,
          Sid: "RegionalReads",
          Condition: { StringEquals: { "aws:RequestedRegion": r } },
        });
        break;
      case CERTIFICATES_WAF_SHIELD:
        // Unchanged: certificate discovery, and WAF/Shield checks the controller runs on every ALB. IAM and Shield
        // are global services (signed for us-east-1), so a region condition would break them; the WAF and Shield
        // actions take ARNs named in Ingress annotations, which Semester does not set.
        out.push({ ...s, Sid: "CertificatesWafShield" });
        break;
      case "ec2:AuthorizeSecurityGroupIngress,ec2:RevokeSecurityGroupIngress":
        // Upstream: any security group anywhere. The controller changes rules of its own groups and of its targets'
        // node/ENI groups (not tagged by it), all in this cluster's VPC: any group in that VPC only.
        out.push({
          Sid: "IngressRulesInClusterVpc",
          Effect: "Allow",
          Action: s.Action,
          Resource: securityGroups,
          Condition: { StringEquals: { "ec2:Vpc": vpcArn } },
        });
        break;
      case "ec2:CreateSecurityGroup":
        // Upstream: anywhere, untagged. CreateSecurityGroup is authorised on the VPC and on the new group: the VPC
        // must be this cluster's, and the group must be created with this cluster's tag (the controller sends it
        // in TagSpecifications).
        out.push(
          {
            Sid: "CreateSecurityGroupInClusterVpc",
            Effect: "Allow",
            Action: s.Action,
            Resource: vpcArn,
          },
          {
            Sid: "CreateSecurityGroupTaggedForCluster",
            Effect: "Allow",
            Action: s.Action,
            Resource: securityGroups,
            Condition: { StringEquals: { [`aws:RequestTag/${ALB_CLUSTER_TAG}`]: c } },
          },
        );
        break;
      case "ec2:CreateTags":
        // Tagging a group while creating it: region/account-scoped ARN; the cluster tag must be this cluster's.
        out.push({
          ...s,
          Sid: "TagSecurityGroupOnCreate",
          Resource: regionalAll(s.Resource),
          Condition: condition,
        });
        break;
      case "ec2:CreateTags,ec2:DeleteTags":
        // Re-tagging a group it owns (this cluster's tag), never setting the cluster tag itself (upstream's
        // `Null aws:RequestTag/...: "true"` kept).
        out.push({
          ...s,
          Sid: "RetagOwnSecurityGroups",
          Resource: regionalAll(s.Resource),
          Condition: condition,
        });
        break;
      case "ec2:AuthorizeSecurityGroupIngress,ec2:DeleteSecurityGroup,ec2:RevokeSecurityGroupIngress":
        // Deleting (and changing) only this cluster's tagged groups, in this region and account (upstream: `*`).
        out.push({ ...s, Sid: "ManageOwnSecurityGroups", Resource: securityGroups, Condition: condition });
        break;
      case "elasticloadbalancing:CreateLoadBalancer,elasticloadbalancing:CreateTargetGroup":
        // Creating load balancers and target groups only with this cluster's tag, in this region and account.
        out.push({ ...s, Sid: "CreateTaggedForCluster", Resource: elbInRegion, Condition: condition });
        break;
      case LISTENERS_AND_RULES:
        // Listener and rule changes: region and account only. Upstream sets no tag condition, and listeners of
        // load balancers created before listener tagging carry no cluster tag, so none is added.
        out.push({ ...s, Sid: "ListenersAndRules", Resource: elbInRegion });
        break;
      case "elasticloadbalancing:AddTags,elasticloadbalancing:RemoveTags":
        if (s.Condition === undefined) {
          // Tags of listeners and rules: region/account-scoped ARNs (upstream: any region and account).
          out.push({ ...s, Sid: "TagListenersAndRules", Resource: regionalAll(s.Resource) });
        } else {
          // Re-tagging its own load balancers and target groups (this cluster's tag), never the cluster tag itself.
          out.push({
            ...s,
            Sid: "RetagOwnLoadBalancers",
            Resource: regionalAll(s.Resource),
            Condition: condition,
          });
        }
        break;
      case MODIFY_AND_DELETE:
        // Changing and deleting only this cluster's load balancers and target groups (upstream: any cluster's).
        out.push({ ...s, Sid: "ManageOwnLoadBalancers", Resource: elbInRegion, Condition: condition });
        break;
      case "elasticloadbalancing:AddTags":
        // Tagging while creating a load balancer or target group: this cluster's tag, scoped ARNs.
        out.push({
          ...s,
          Sid: "TagLoadBalancerOnCreate",
          Resource: regionalAll(s.Resource),
          Condition: condition,
        });
        break;
      case "elasticloadbalancing:DeregisterTargets,elasticloadbalancing:RegisterTargets":
        // Upstream: any target group. The controller registers pods only into the target groups it created for
        // this cluster's Ingresses (Semester uses no TargetGroupBinding to foreign groups): this cluster's tag.
        out.push({
          ...s,
          Sid: "RegisterTargetsInOwnTargetGroups",
          Resource: regionalAll(s.Resource),
          Condition: { StringEquals: { [`aws:ResourceTag/${ALB_CLUSTER_TAG}`]: c } },
        });
        break;
      case LISTENER_SETTINGS:
        // Listener settings, certificates, WAF association and rule priorities: region and account only.
        out.push({ ...s, Sid: "ListenerSettings", Resource: elbInRegion });
        break;
      default:
        unknown.push(key);
    }
  }
  if (unknown.length > 0) {
    throw new Error(
      `AWS Load Balancer Controller policy: ${unknown.length} upstream statement(s) this transformation does not know (${unknown.join("; ")}); review them and extend scopeAlbControllerPolicy`,
    );
  }
  return { Version: upstream.Version, Statement: out };
}

/**
 * Upstream's `Null: {"aws:RequestTag|ResourceTag/elbv2.k8s.aws/cluster": "false"}` (the tag exists, any value)
 * becomes `StringEquals: {...: clusterName}`; `Null ... "true"` (the call must not set the cluster tag) stays.
 * @internal
 */
export function narrowClusterTag(
  condition: PolicyStatement["Condition"],
  clusterName: string,
): PolicyStatement["Condition"] {
  if (condition === undefined) return undefined;
  const out: Record<string, Record<string, Values>> = {};
  for (const [operator, entries] of Object.entries(condition)) {
    for (const [key, value] of Object.entries(entries)) {
      const isClusterTag =
        key === `aws:RequestTag/${ALB_CLUSTER_TAG}` || key === `aws:ResourceTag/${ALB_CLUSTER_TAG}`;
      const [op, v] =
        operator === "Null" && isClusterTag && value === "false"
          ? ["StringEquals", clusterName]
          : [operator, value];
      out[op] = { ...out[op], [key]: v };
    }
  }
  return out;
}

/** @internal The controller's policy for one cluster, as the JSON a role policy takes. */
export function albControllerPolicy(scope: AlbControllerPolicyScope): string {
  return JSON.stringify(scopeAlbControllerPolicy(loadUpstreamAlbControllerPolicy(), scope));
}
