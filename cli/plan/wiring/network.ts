/**
 * The network links of one path from a region's pods to a data store, read from the recorded plan the way the
 * AWS and Kubernetes data planes would decide them:
 *
 * - NetworkPolicy (Kubernetes semantics): pods no Egress policy selects may send anywhere; otherwise some rule of
 *   a selecting policy must allow the port (no `ports` = all) to a peer covering the destination (no `to` = all;
 *   an `ipBlock` must contain the destination and its `except` must not touch it).
 * - Routes (VPC semantics): the most specific route of each source subnet's route table that covers a
 *   destination subnet decides; across VPCs it must be an accepted peering connection between exactly these two
 *   VPCs, and the destination's route tables must route back over the same connection.
 * - Security groups: some ingress rule of a store's group must admit TCP on the port from the source: the
 *   cluster's security group within the VPC (references do not cross regions), else a CIDR covering the source
 *   subnets.
 */
import { cidrContains, cidrsOverlap, parseCidr, type Ipv4Cidr } from "../../../components/network";
import type { PlannedObject, PlannedResource } from "../record";
import { at, field, PlanIndex, strings } from "./model";

type Obj = PlannedObject["object"];

export interface Subnet {
  readonly id: string;
  readonly cidr: string;
  readonly vpcId: string;
  readonly routeTableId: string | undefined;
}

/** Where a region's pods and nodes live. */
export interface ClusterNetwork {
  readonly region: string;
  readonly clusterName: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** The subnets nodes (and, with the VPC CNI, pods) get addresses in. */
  readonly subnets: readonly Subnet[];
  /** The security group nodes and pods carry (EKS's cluster security group). */
  readonly securityGroupId: string | undefined;
}

/** A data store endpoint as the network sees it. */
export interface StoreEndpoint {
  /** `us-east-1 Aurora writer`, `eu-west-2 Redis`, `us-east-1 MSK brokers`. */
  readonly label: string;
  readonly resource: PlannedResource;
  readonly region: string;
  readonly port: number;
  readonly subnets: readonly Subnet[];
  readonly securityGroupIds: readonly string[];
}

/** One link's verdict: what proved it, or what is missing. */
export type Link =
  { readonly ok: true; readonly via: string } | { readonly ok: false; readonly missing: string };

const cidr = (text: string): Ipv4Cidr => {
  const c = parseCidr(text);
  if (c === undefined) throw new Error(`wiring: not an IPv4 CIDR: ${text}`);
  return c;
};

export function subnetOf(idx: PlanIndex, id: unknown): Subnet | undefined {
  const s = idx.find("aws:ec2/subnet:Subnet", id);
  if (s === undefined || typeof s.id !== "string") return undefined;
  const association = idx
    .ofType("aws:ec2/routeTableAssociation:RouteTableAssociation")
    .find((a) => a.inputs.subnetId === s.id);
  return {
    id: s.id,
    cidr: String(s.inputs.cidrBlock),
    vpcId: String(s.inputs.vpcId),
    routeTableId: association ? String(association.inputs.routeTableId) : undefined,
  };
}

/** The network of the region's EKS cluster, or undefined when the region has none. */
export function clusterNetwork(idx: PlanIndex, region: string): ClusterNetwork | undefined {
  const eks = idx.ofType("aws:eks/cluster:Cluster", region)[0];
  if (eks === undefined) return undefined;
  const subnets = strings(at(eks.inputs, "vpcConfig", "subnetIds"))
    .map((id) => subnetOf(idx, id))
    .filter((s): s is Subnet => s !== undefined);
  const vpcId = subnets[0]?.vpcId ?? "";
  const vpc = idx.find("aws:ec2/vpc:Vpc", vpcId);
  const sg = at(eks.outputs, "vpcConfig", "clusterSecurityGroupId");
  return {
    region,
    clusterName: field(eks, "name") ?? "",
    vpcId,
    vpcCidr: vpc ? String(vpc.inputs.cidrBlock) : "",
    subnets,
    securityGroupId: typeof sg === "string" ? sg : undefined,
  };
}

const STORE_TYPES = {
  rds: "aws:rds/cluster:Cluster",
  redis: "aws:elasticache/replicationGroup:ReplicationGroup",
  msk: "aws:msk/cluster:Cluster",
} as const;

/** The store a host name the binding hands out belongs to, with its subnets and security groups. */
export function storeEndpoint(idx: PlanIndex, host: string, port: number): StoreEndpoint | undefined {
  const subnetsOf = (ids: unknown) =>
    strings(ids)
      .map((id) => subnetOf(idx, id))
      .filter((s): s is Subnet => s !== undefined);
  for (const r of idx.ofType(STORE_TYPES.rds)) {
    const writer = r.outputs?.endpoint === host;
    if (!writer && r.outputs?.readerEndpoint !== host) continue;
    const group = idx.find("aws:rds/subnetGroup:SubnetGroup", r.inputs.dbSubnetGroupName);
    return {
      label: `${r.region} Aurora ${writer ? "writer" : "reader"}`,
      resource: r,
      region: r.region ?? "",
      port,
      subnets: subnetsOf(group?.inputs.subnetIds),
      securityGroupIds: strings(r.inputs.vpcSecurityGroupIds),
    };
  }
  for (const r of idx.ofType(STORE_TYPES.redis)) {
    if (r.outputs?.configurationEndpointAddress !== host) continue;
    const group = idx.find("aws:elasticache/subnetGroup:SubnetGroup", r.inputs.subnetGroupName);
    return {
      label: `${r.region} Redis`,
      resource: r,
      region: r.region ?? "",
      port,
      subnets: subnetsOf(group?.inputs.subnetIds),
      securityGroupIds: strings(r.inputs.securityGroupIds),
    };
  }
  for (const r of idx.ofType(STORE_TYPES.msk)) {
    const brokers = String(r.outputs?.bootstrapBrokersSaslIam ?? "").split(",");
    if (!brokers.includes(`${host}:${port}`)) continue;
    return {
      label: `${r.region} MSK brokers`,
      resource: r,
      region: r.region ?? "",
      port,
      subnets: subnetsOf(at(r.inputs, "brokerNodeGroupInfo", "clientSubnets")),
      securityGroupIds: strings(at(r.inputs, "brokerNodeGroupInfo", "securityGroups")),
    };
  }
  return undefined;
}

const selects = (selector: unknown, labels: Readonly<Record<string, string>>): boolean => {
  const match = (at(selector, "matchLabels") ?? {}) as Record<string, string>;
  const expressions = at(selector, "matchExpressions");
  if (Array.isArray(expressions) && expressions.length > 0) return false; // Semester emits none; never guess
  return Object.entries(match).every(([k, v]) => labels[k] === v);
};

const portAllows = (ports: unknown, port: number): boolean =>
  !Array.isArray(ports) ||
  ports.length === 0 ||
  ports.some((p) => {
    const protocol = at(p, "protocol") ?? "TCP";
    const from = at(p, "port");
    const to = at(p, "endPort") ?? from;
    return (
      protocol === "TCP" &&
      (from === undefined || (typeof from === "number" && from <= port && port <= Number(to)))
    );
  });

/** Where a pod may send: CIDRs outside the cluster, or pods of a namespace. */
export type EgressTarget =
  | { readonly cidrs: readonly string[]; readonly port: number }
  | {
      readonly namespace: string;
      readonly podLabels: Readonly<Record<string, string>>;
      readonly port: number;
    };

const describeTarget = (t: EgressTarget): string =>
  "cidrs" in t ? t.cidrs.join(", ") : `pods ${JSON.stringify(t.podLabels)} in ${t.namespace}`;

/** Whether one `to` peer covers the target (all of its CIDRs, or its pods). */
function peerCovers(
  peer: unknown,
  target: EgressTarget,
  namespaceLabels: (ns: string) => Record<string, string>,
): boolean {
  const block = at(peer, "ipBlock");
  if ("cidrs" in target) {
    if (block === undefined) return false;
    const outer = cidr(String(at(block, "cidr")));
    const except = strings(at(block, "except")).map(cidr);
    return target.cidrs.every((c) => {
      const inner = cidr(c);
      return cidrContains(outer, inner) && except.every((e) => !cidrsOverlap(e, inner));
    });
  }
  if (block !== undefined) return false;
  const nsSelector = at(peer, "namespaceSelector");
  const podSelector = at(peer, "podSelector");
  return (
    nsSelector !== undefined &&
    selects(nsSelector, namespaceLabels(target.namespace)) &&
    (podSelector === undefined || selects(podSelector, target.podLabels))
  );
}

/** Whether the NetworkPolicies of the pods' namespace let them send to the target. */
export function egressAllowed(
  idx: PlanIndex,
  region: string,
  namespace: string,
  podLabels: Readonly<Record<string, string>>,
  target: EgressTarget,
): Link {
  const isolating = idx
    .objects(region, "NetworkPolicy", namespace)
    .filter(
      (p) =>
        strings(at(p, "spec", "policyTypes")).includes("Egress") &&
        selects(at(p, "spec", "podSelector"), podLabels),
    );
  if (isolating.length === 0) return { ok: true, via: `no NetworkPolicy isolates egress in ${namespace}` };
  const namespaceLabels = (ns: string) =>
    (
      idx.objects(region, "Namespace").find((n) => n.metadata.name === ns)?.metadata as {
        labels?: Record<string, string>;
      }
    )?.labels ?? { "kubernetes.io/metadata.name": ns };
  // Policies add up: each destination range may be allowed by a different rule or policy.
  const parts = "cidrs" in target ? target.cidrs.map((c) => ({ ...target, cidrs: [c] })) : [target];
  const via = new Set<string>();
  const uncovered = parts.filter((part) => {
    for (const policy of isolating) {
      const rules = at(policy, "spec", "egress");
      for (const rule of Array.isArray(rules) ? rules : []) {
        if (!portAllows(at(rule, "ports"), target.port)) continue;
        const to = at(rule, "to");
        if (
          !Array.isArray(to) ||
          to.length === 0 ||
          to.some((peer) => peerCovers(peer, part, namespaceLabels))
        ) {
          via.add(`NetworkPolicy ${namespace}/${policy.metadata.name}`);
          return false;
        }
      }
    }
    return true;
  });
  if (uncovered.length === 0) return { ok: true, via: [...via].join(", ") };
  const missing =
    "cidrs" in target
      ? { ...target, cidrs: uncovered.flatMap((u) => ("cidrs" in u ? u.cidrs : [])) }
      : target;
  return {
    ok: false,
    missing: `no NetworkPolicy egress to ${describeTarget(missing)} on TCP ${target.port}`,
  };
}

/** The routes of a route table: its inline `routes` and the separate `aws:ec2/route:Route` resources. */
function routesOf(
  idx: PlanIndex,
  routeTableId: string,
): { destination: string; target: Record<string, unknown>; name: string }[] {
  const table = idx.find("aws:ec2/routeTable:RouteTable", routeTableId);
  const inline = (Array.isArray(table?.inputs.routes) ? table.inputs.routes : []).map(
    (r: Record<string, unknown>) => ({
      destination: String(r.cidrBlock ?? ""),
      target: r,
      name: `${table!.name} (inline)`,
    }),
  );
  const separate = idx
    .ofType("aws:ec2/route:Route")
    .filter((r) => r.inputs.routeTableId === routeTableId)
    .map((r) => ({
      destination: String(r.inputs.destinationCidrBlock ?? ""),
      target: r.inputs,
      name: r.name,
    }));
  return [...inline, ...separate].filter((r) => parseCidr(r.destination) !== undefined);
}

/** The peering connection id that connects two VPCs and is accepted, if any. */
function acceptedPeering(idx: PlanIndex, id: unknown, a: string, b: string): boolean {
  const pcx = idx.find("aws:ec2/vpcPeeringConnection:VpcPeeringConnection", id);
  if (pcx === undefined) return false;
  const ends = [pcx.inputs.vpcId, pcx.inputs.peerVpcId];
  if (!(ends.includes(a) && ends.includes(b) && a !== b)) return false;
  return (
    pcx.inputs.autoAccept === true ||
    idx
      .ofType("aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter")
      .some((acc) => acc.inputs.vpcPeeringConnectionId === pcx.id && acc.inputs.autoAccept === true)
  );
}

/** The most specific route of the table covering `destination`; a peering decides only if it is that one. */
function routeOver(
  idx: PlanIndex,
  from: Subnet,
  destination: string,
  fromVpc: string,
  toVpc: string,
): string | undefined {
  if (from.routeTableId === undefined) return undefined;
  const dest = cidr(destination);
  const covering = routesOf(idx, from.routeTableId)
    .filter((r) => cidrContains(cidr(r.destination), dest))
    .sort((x, y) => cidr(y.destination).prefix - cidr(x.destination).prefix);
  const best = covering[0];
  if (best === undefined) return undefined;
  return acceptedPeering(idx, best.target.vpcPeeringConnectionId, fromVpc, toVpc)
    ? `${best.name} → ${String(best.target.vpcPeeringConnectionId)}`
    : undefined;
}

/** Routes both ways between the pods' subnets and the store's, when they are in different VPCs. */
export function routed(
  idx: PlanIndex,
  source: ClusterNetwork,
  store: StoreEndpoint,
  storeVpcCidr: string,
): Link {
  const storeVpc = store.subnets[0]?.vpcId;
  if (storeVpc === undefined) return { ok: false, missing: `the store has no subnets in the plan` };
  if (storeVpc === source.vpcId) return { ok: true, via: `same VPC ${source.vpcId}` };
  const via: string[] = [];
  for (const from of source.subnets) {
    for (const to of store.subnets) {
      const out = routeOver(idx, from, to.cidr, source.vpcId, storeVpc);
      if (out === undefined)
        return { ok: false, missing: `no route from ${source.vpcCidr} to ${storeVpcCidr}` };
      const back = routeOver(idx, to, from.cidr, storeVpc, source.vpcId);
      if (back === undefined)
        return { ok: false, missing: `no return route from ${storeVpcCidr} to ${source.vpcCidr}` };
      via.push(out, back);
    }
  }
  return { ok: true, via: [...new Set(via)].join("; ") };
}

const ruleAdmits = (r: Record<string, unknown>, port: number): boolean => {
  const protocol = String(r.ipProtocol ?? r.protocol ?? "");
  if (protocol === "-1" || protocol === "all") return true;
  return protocol.toLowerCase() === "tcp" && Number(r.fromPort) <= port && port <= Number(r.toPort);
};

/** Whether a store's security groups admit the source on the port. */
export function admitted(idx: PlanIndex, source: ClusterNetwork, store: StoreEndpoint): Link {
  const sameVpc = store.subnets[0]?.vpcId === source.vpcId;
  const rules = idx
    .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    .filter(
      (r) =>
        store.securityGroupIds.includes(String(r.inputs.securityGroupId)) && ruleAdmits(r.inputs, store.port),
    );
  if (sameVpc && source.securityGroupId !== undefined) {
    const byGroup = rules.find((r) => r.inputs.referencedSecurityGroupId === source.securityGroupId);
    if (byGroup) return { ok: true, via: `${byGroup.name} (cluster security group)` };
  }
  const byCidr = source.subnets.map((s) =>
    rules.find(
      (r) => typeof r.inputs.cidrIpv4 === "string" && cidrContains(cidr(r.inputs.cidrIpv4), cidr(s.cidr)),
    ),
  );
  if (byCidr.every((r) => r !== undefined)) {
    return { ok: true, via: [...new Set(byCidr.map((r) => r!.name))].join(", ") };
  }
  const groups = store.securityGroupIds
    .map((id) => idx.find("aws:ec2/securityGroup:SecurityGroup", id)?.name ?? id)
    .join(", ");
  const from = sameVpc
    ? `the cluster security group or ${source.vpcCidr}`
    : source.subnets.map((s) => s.cidr).join(", ");
  return {
    ok: false,
    missing: `security group ${groups} admits no traffic from ${from} on TCP ${store.port}`,
  };
}

/** The container env a Deployment's pods get from ConfigMaps (`envFrom`), merged in order. */
export function envFromConfigMaps(
  idx: PlanIndex,
  region: string,
  deployment: Obj,
): { name: string; data: Record<string, string> | undefined }[] {
  const containers = at(deployment, "spec", "template", "spec", "containers");
  const refs = (Array.isArray(containers) ? containers : []).flatMap((c) =>
    (Array.isArray(at(c, "envFrom")) ? (at(c, "envFrom") as unknown[]) : [])
      .map((e) => at(e, "configMapRef", "name"))
      .filter((n): n is string => typeof n === "string"),
  );
  return [...new Set(refs)].map((name) => {
    const cm = idx
      .objects(region, "ConfigMap", deployment.metadata.namespace)
      .find((o) => o.metadata.name === name);
    return { name, data: at(cm, "data") as Record<string, string> | undefined };
  });
}
