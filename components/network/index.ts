/** VPCs, subnet plans and inter-region peering. This file is its public API: the only surface other modules import. */
export { cidrContains, cidrsOverlap, parseCidr, planSubnets } from "./cidr";
export type { Ipv4Cidr } from "./cidr";
export { VpcPeering } from "./peering";
export { Vpc } from "./vpc";
export type { VpcArgs } from "./vpc";
