/**
 * Where a service's data binding sends it, as NetworkPolicy egress: each store endpoint the binding names is one
 * allow, to exactly the addresses the store lives at and its one port. The data tier decides the endpoints; this
 * layer only turns them into rules, so the NetworkPolicy and the binding can never disagree.
 */
import { type NetworkPolicyEgressRule, IntOrString } from "cdk8s-plus-28/lib/imports/k8s";

/** @internal A store endpoint outside the cluster: the private subnets it lives in (any region) and its port. */
export interface VpcDataEgress {
  readonly store: "postgres" | "redis" | "kafka";
  readonly port: number;
  readonly cidrs: readonly string[];
}

/** @internal A store inside the cluster (Strimzi brokers): the pods that serve it. */
export interface InClusterDataEgress {
  readonly store: "kafka";
  readonly port: number;
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
}

export type DataEgress = VpcDataEgress | InClusterDataEgress;

/** The address the EKS Pod Identity agent serves credentials on, on every node (IPv4). */
export const POD_IDENTITY_AGENT = { cidr: "169.254.170.23/32", port: 80 } as const;

/** @internal One egress rule per endpoint, in the order given. Pure. */
export function dataEgressRules(endpoints: readonly DataEgress[]): NetworkPolicyEgressRule[] {
  return endpoints.map((e) => ({
    to:
      "cidrs" in e
        ? e.cidrs.map((cidr) => ({ ipBlock: { cidr } }))
        : [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": e.namespace } },
              podSelector: { matchLabels: { ...e.podLabels } },
            },
          ],
    ports: [{ protocol: "TCP", port: IntOrString.fromNumber(e.port) }],
  }));
}
