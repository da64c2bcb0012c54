/** Stack-level guardrails: data stores reachable only from their cluster, Aurora Multi-AZ, prod in >= 2 regions. */
import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import type { GovernanceConfig } from "../../components/governance";
import { asList, cloudLevel, get, referenced, regionOf, type SemesterPolicy } from "./common";
import { EKS_CLUSTER, LAUNCH_TEMPLATE } from "./compute";
import { MSK_CLUSTER, RDS_CLUSTER, RDS_CLUSTER_INSTANCE, REPLICATION_GROUP } from "./data";

export const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
export const SG_INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
export const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";

/** Data store types and the top-level property holding their security groups. */
export const DATA_STORES: Readonly<Record<string, string>> = {
  [RDS_CLUSTER]: "vpcSecurityGroupIds",
  [REPLICATION_GROUP]: "securityGroupIds",
  [MSK_CLUSTER]: "brokerNodeGroupInfo",
};

const CIDR_FIELDS = ["cidrIpv4", "cidrIpv6", "cidrBlocks", "ipv6CidrBlocks", "prefixListId", "prefixListIds"];

function label(r: PolicyResource): string {
  return `${r.type} ${r.name}`;
}

/**
 * The security groups of the cluster nodes: groups the EKS clusters or node launch templates attach,
 * groups Karpenter discovers by tag, and the EKS clusters themselves (their cluster security group).
 */
export function nodeSecurityGroups(all: readonly PolicyResource[]): Set<PolicyResource> {
  const out = new Set<PolicyResource>();
  for (const r of all) {
    if (r.type === EKS_CLUSTER) {
      out.add(r);
      referenced(r, "vpcConfig", all).forEach((sg) => out.add(sg));
    } else if (r.type === LAUNCH_TEMPLATE) {
      referenced(r, "vpcSecurityGroupIds", all).forEach((sg) => out.add(sg));
    } else if (r.type === SECURITY_GROUP && get(r.props, "tags", "karpenter.sh/discovery") !== undefined) {
      out.add(r);
    }
  }
  return new Set([...out].filter((r) => r.type === SECURITY_GROUP || r.type === EKS_CLUSTER));
}

interface Inbound {
  readonly where: string;
  readonly cidrs: string[];
  readonly sources: PolicyResource[];
  readonly hasSourceValue: boolean;
  readonly self: boolean;
}

function inboundRules(sg: PolicyResource, all: readonly PolicyResource[]): Inbound[] {
  const inline = asList(sg.props.ingress).map((rule, i): Inbound => {
    const sources = referenced(sg, "ingress", all).filter((s) => s !== sg);
    return {
      where: `${label(sg)} ingress[${i}]`,
      cidrs: CIDR_FIELDS.flatMap((f) => asList(get(rule, f)).map(String)),
      sources,
      hasSourceValue: asList(get(rule, "securityGroups")).length > 0,
      self: get(rule, "self") === true,
    };
  });
  const separate = all
    .filter(
      (r) =>
        (r.type === SG_INGRESS_RULE || (r.type === SG_RULE && r.props.type === "ingress")) &&
        referenced(r, "securityGroupId", all).includes(sg),
    )
    .map((r): Inbound => {
      const sourceProp = r.type === SG_INGRESS_RULE ? "referencedSecurityGroupId" : "sourceSecurityGroupId";
      return {
        where: label(r),
        cidrs: CIDR_FIELDS.flatMap((f) => asList(r.props[f]).map(String)),
        sources: referenced(r, sourceProp, all),
        hasSourceValue: r.props[sourceProp] !== undefined,
        self: r.props.self === true,
      };
    });
  return [...inline, ...separate];
}

export const SUBNET = "aws:ec2/subnet:Subnet";

/**
 * Private subnets of the stack's VPCs by region (the ones tagged for internal load balancers, where nodes and
 * pods live): the only CIDRs a data store may admit, and only from another region (writers over peering).
 */
export function privateSubnetCidrs(all: readonly PolicyResource[]): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const r of all) {
    if (r.type !== SUBNET || get(r.props, "tags", "kubernetes.io/role/internal-elb") === undefined) continue;
    const cidr = r.props.cidrBlock;
    if (typeof cidr === "string") out.set(cidr, regionOf(r));
  }
  return out;
}

function checkReachability(config: GovernanceConfig): SemesterPolicy {
  return {
    name: "data-store-reachable-only-from-cluster",
    description:
      "Every data store admits traffic only from its own region's cluster node security group, or from the private subnets of the stack's other regions (writers over peering).",
    severity: "critical",
    enforcementLevel: cloudLevel(config, "data-store-reachable-only-from-cluster"),
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
      const all = args.resources;
      const nodes = nodeSecurityGroups(all);
      const peers = privateSubnetCidrs(all);
      // MSK Replicator reaches both clusters through security groups of its own; those may be admitted to MSK.
      const replicatorGroups = new Set(
        all
          .filter((r) => r.type === "aws:msk/replicator:Replicator")
          .flatMap((r) => referenced(r, "kafkaClusters", all))
          .filter((r) => r.type === SECURITY_GROUP),
      );
      for (const store of all.filter((r) => DATA_STORES[r.type] !== undefined)) {
        const prop = DATA_STORES[store.type]!;
        const value =
          store.type === MSK_CLUSTER ? get(store.props, prop, "securityGroups") : store.props[prop];
        const groups = referenced(store, prop, all).filter((r) => r.type === SECURITY_GROUP);
        if (groups.length === 0) {
          report(
            asList(value).length === 0
              ? `${label(store)}: has no security group of its own and falls back to the VPC default; ` +
                  `attach a dedicated security group that admits only the cluster's node security group.`
              : `${label(store)}: its security groups cannot be traced to security groups of this stack; ` +
                  `attach a dedicated aws.ec2.SecurityGroup that admits only the cluster's node security group.`,
            store.urn,
          );
          continue;
        }
        const region = regionOf(store);
        for (const sg of groups) {
          for (const rule of inboundRules(sg, all)) {
            if (rule.cidrs.length > 0) {
              const foreign = rule.cidrs.filter((c) => !peers.has(c) || peers.get(c) === region);
              if (foreign.length > 0) {
                report(
                  `${label(store)}: ${rule.where} admits ${foreign.join(", ")}; ` +
                    `replace the CIDR with the cluster's node security group as the source, or with the private subnets of another region of this stack.`,
                  store.urn,
                );
              }
              continue;
            }
            if (rule.self) continue;
            const fromCluster = rule.sources.filter((s) => nodes.has(s) && regionOf(s) === region);
            const fromReplicator =
              store.type === MSK_CLUSTER &&
              rule.sources.length > 0 &&
              rule.sources.every((s) => replicatorGroups.has(s));
            if (fromCluster.length === 0 && !fromReplicator) {
              report(
                `${label(store)}: ${rule.where} admits ${rule.hasSourceValue ? "a source that is not" : "traffic not from"} ` +
                  `the node security group of the cluster in ${region ?? "its region"}; make that group the only source.`,
                store.urn,
              );
            }
          }
        }
      }
    },
  };
}

function checkAuroraMultiAz(config: GovernanceConfig): SemesterPolicy {
  return {
    name: "aurora-multi-az",
    description: "Aurora clusters must run at least two instances in different zones.",
    severity: "high",
    enforcementLevel: cloudLevel(config, "aurora-multi-az"),
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
      const all = args.resources;
      const instances = all.filter((r) => r.type === RDS_CLUSTER_INSTANCE);
      for (const cluster of all.filter(
        (r) => r.type === RDS_CLUSTER && String(r.props.engine ?? "").startsWith("aurora"),
      )) {
        const members = instances.filter(
          (i) =>
            referenced(i, "clusterIdentifier", all).includes(cluster) ||
            (cluster.props.clusterIdentifier !== undefined &&
              i.props.clusterIdentifier === cluster.props.clusterIdentifier),
        );
        const zones = new Set(members.map((m) => m.props.availabilityZone).filter((z) => z !== undefined));
        if (members.length < 2 || (zones.size > 0 && zones.size < Math.min(members.length, 2))) {
          report(
            `${label(cluster)}: has ${members.length} instance(s)${zones.size > 0 ? ` in ${zones.size} zone(s)` : ""}; ` +
              "add a reader aws.rds.ClusterInstance in another zone so a writer failure fails over.",
            cluster.urn,
          );
        }
      }
    },
  };
}

function checkProdRegions(config: GovernanceConfig): SemesterPolicy {
  return {
    name: "prod-multi-region",
    description: "A production stack must run clusters in at least two regions.",
    severity: "critical",
    enforcementLevel: cloudLevel(config, "prod-multi-region"),
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
      if (!config.production) return;
      const regions = new Set(
        args.resources.filter((r) => r.type === EKS_CLUSTER).map((r) => regionOf(r) ?? "unknown"),
      );
      if (regions.size < 2) {
        report(
          `stack: production runs clusters in ${regions.size} region(s) (${[...regions].sort().join(", ") || "none"}); ` +
            "add at least one more region to semester:regions.",
        );
      }
    },
  };
}

export function stackPolicies(config: GovernanceConfig): SemesterPolicy[] {
  return [checkReachability(config), checkAuroraMultiAz(config), checkProdRegions(config)];
}
