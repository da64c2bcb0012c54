/**
 * NetworkPolicies of the mesh's own namespaces: default deny, DNS, and exactly the paths the mesh needs.
 * - istiod: xDS and certificates (15012) from every pod, the injection webhook (15017) from the API server (EKS's
 *   control-plane ENIs sit in the VPC), egress to the API server (443, the VPC).
 * - the gateway: the ALB's traffic and health checks (80, 15021, from the VPC; target type ip), egress to the public
 *   services' pods on their container port and to istiod.
 * The CNI node agent runs with hostNetwork, which NetworkPolicy does not cover.
 */
import type { KubeObject } from "../core";
import { GATEWAY_POD_LABELS, ISTIOD_POD_LABELS, ISTIO_INGRESS, ISTIO_SYSTEM, MESH_PORTS } from "./names";
import type { MeshService } from "./objects";

const tcp = (port: number) => ({ protocol: "TCP", port });
const dns = {
  to: [
    {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
      podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
    },
  ],
  ports: [
    { protocol: "UDP", port: 53 },
    { protocol: "TCP", port: 53 },
  ],
};
/** The NetworkPolicy peer of istiod's pods. */
export const ISTIOD_PEER = {
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ISTIO_SYSTEM } },
  podSelector: { matchLabels: { ...ISTIOD_POD_LABELS } },
} as const;
/** The NetworkPolicy peer of the ingress gateway's pods. */
export const GATEWAY_PEER = {
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ISTIO_INGRESS } },
  podSelector: { matchLabels: { ...GATEWAY_POD_LABELS } },
} as const;

export function meshNetworkPolicies(args: {
  readonly vpcCidrs: readonly string[];
  readonly services: readonly MeshService[];
  readonly labels?: Readonly<Record<string, string>>;
}): KubeObject[] {
  const labels = { ...args.labels };
  const vpc = args.vpcCidrs.map((cidr) => ({ ipBlock: { cidr } }));
  const base = (namespace: string): KubeObject[] => [
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "default-deny-all", namespace, labels },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "allow-dns-egress", namespace, labels },
      spec: { podSelector: {}, policyTypes: ["Egress"], egress: [dns] },
    },
  ];
  const publicServices = args.services.filter((s) => s.publicHost !== undefined);
  return [
    ...base(ISTIO_SYSTEM),
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "istiod-allow", namespace: ISTIO_SYSTEM, labels },
      spec: {
        podSelector: { matchLabels: { ...ISTIOD_POD_LABELS } },
        policyTypes: ["Ingress", "Egress"],
        ingress: [
          { from: [{ namespaceSelector: {} }], ports: [tcp(MESH_PORTS.xds)] },
          { from: vpc, ports: [tcp(MESH_PORTS.webhook)] },
        ],
        egress: [{ to: vpc, ports: [tcp(443)] }],
      },
    },
    ...base(ISTIO_INGRESS),
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "istio-ingressgateway-allow", namespace: ISTIO_INGRESS, labels },
      spec: {
        podSelector: { matchLabels: { ...GATEWAY_POD_LABELS } },
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: vpc, ports: [tcp(MESH_PORTS.gatewayHttp), tcp(MESH_PORTS.gatewayReadiness)] }],
        egress: [
          { to: [{ ...ISTIOD_PEER }], ports: [tcp(MESH_PORTS.xds)] },
          ...publicServices.map((s) => ({
            to: [
              {
                namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": s.namespace } },
                podSelector: { matchLabels: { ...s.selector } },
              },
            ],
            ports: [tcp(s.port)],
          })),
        ],
      },
    },
  ];
}
