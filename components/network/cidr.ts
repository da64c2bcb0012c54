/** IPv4 CIDR arithmetic for VPC and subnet layout. Pure functions, no Pulumi. */
import { InputError, throwIfProblems } from "../core";

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly base: number;
  readonly prefix: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `10.0.0.0/16`; returns undefined when malformed or when host bits are set. */
export function parseCidr(text: string): Ipv4Cidr | undefined {
  const match = CIDR_PATTERN.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  if (base % 2 ** (32 - prefix) !== 0) return undefined;
  return { base, prefix };
}

/** @internal */
export function formatCidr(cidr: Ipv4Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(cidr.base / 2 ** shift) % 256);
  return `${octets.join(".")}/${cidr.prefix}`;
}

/** @internal */
export function cidrSize(cidr: Ipv4Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.base < b.base + cidrSize(b) && b.base < a.base + cidrSize(a);
}

/** Whether every address of `inner` lies in `outer`. */
export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return (
    outer.prefix <= inner.prefix &&
    outer.base <= inner.base &&
    inner.base + cidrSize(inner) <= outer.base + cidrSize(outer)
  );
}

/** @internal The `index`-th subnet of `parent` with `newBits` more prefix bits (Terraform's `cidrsubnet`). */
export function subnetCidr(parent: Ipv4Cidr, newBits: number, index: number): Ipv4Cidr {
  const prefix = parent.prefix + newBits;
  if (prefix > 28) {
    throw new InputError(`subnetCidr of ${formatCidr(parent)}`, [
      { path: "newBits", value: newBits, rule: `makes a /${prefix} subnet, smaller than AWS allows (/28)` },
    ]);
  }
  if (index < 0 || index >= 2 ** newBits) {
    throw new InputError(`subnetCidr of ${formatCidr(parent)}`, [
      { path: "index", value: index, rule: `must fit in ${newBits} extra bits (0..${2 ** newBits - 1})` },
    ]);
  }
  return { base: parent.base + index * 2 ** (32 - prefix), prefix };
}

/** @internal The subnet plan of a VPC: one private and one public subnet per AZ, private ones large for pods. */
export interface SubnetPlan {
  readonly private: string[];
  readonly public: string[];
}

/**
 * Private subnets take the first eighths of the VPC, one per zone (pods get VPC IPs, so they need room);
 * public subnets, which only hold load balancers and NAT gateways, take 1/256 slices from the last quarter.
 * A /16 gives three /19 private and three /24 public subnets.
 */
export function planSubnets(vpcCidr: string, zones: number): SubnetPlan {
  const vpc = parseCidr(vpcCidr);
  throwIfProblems("planSubnets", [
    ...(vpc ? [] : [{ path: "vpcCidr", value: vpcCidr, rule: "must be an IPv4 CIDR with no host bits set" }]),
    ...(Number.isInteger(zones) && zones >= 1 && zones <= 4
      ? []
      : [{ path: "zones", value: zones, rule: "must be a whole number from 1 to 4" }]),
  ]);
  if (!vpc) return { private: [], public: [] };
  const privateSubnets = Array.from({ length: zones }, (_, i) => formatCidr(subnetCidr(vpc, 3, i)));
  const publicSubnets = Array.from({ length: zones }, (_, i) => formatCidr(subnetCidr(vpc, 8, 192 + i)));
  return { private: privateSubnets, public: publicSubnets };
}
