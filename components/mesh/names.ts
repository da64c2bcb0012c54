/**
 * Where the mesh's own parts live and how their pods are selected: the contract other layers (NetworkPolicies,
 * the plan's wiring checks) read instead of repeating strings. Pod labels are the charts' own: istiod's Deployment
 * labels its pods `app: istiod`, the gateway chart labels its pods `app: <release>` and `istio: <release without
 * "istio-">` (Istio 1.30.3 `manifests/charts/istio-control/istio-discovery/templates/deployment.yaml`,
 * `manifests/charts/gateway/templates/_helpers.tpl`), istio-cni's DaemonSet `k8s-app: istio-cni-node`.
 */

/** istiod and the CNI node agent. */
export const ISTIO_SYSTEM = "istio-system";
/** The ingress gateway. */
export const ISTIO_INGRESS = "istio-ingress";
/** The gateway's release, Deployment, Service and ServiceAccount name. */
export const INGRESS_GATEWAY = "istio-ingressgateway";
/** The Istio `Gateway` object every public VirtualService binds. */
export const GATEWAY_OBJECT = "semester";

export const ISTIOD_POD_LABELS: Readonly<Record<string, string>> = { app: "istiod" };
export const GATEWAY_POD_LABELS: Readonly<Record<string, string>> = {
  app: INGRESS_GATEWAY,
  istio: "ingressgateway",
};
export const CNI_POD_LABELS: Readonly<Record<string, string>> = { "k8s-app": "istio-cni-node" };

/** Ports: the sidecars' xDS and certificates (15012), the injection webhook (15017), the gateway's listener and readiness. */
export const MESH_PORTS = {
  xds: 15012,
  webhook: 15017,
  gatewayHttp: 80,
  gatewayReadiness: 15021,
} as const;
/** The gateway's readiness path on `MESH_PORTS.gatewayReadiness` (the ALB health check). */
export const GATEWAY_READINESS_PATH = "/healthz/ready";

/** The SPIFFE principal of a service account (trust domain `cluster.local`, Istio's default). */
export function principal(namespace: string, serviceAccount: string): string {
  return `cluster.local/ns/${namespace}/sa/${serviceAccount}`;
}
export const GATEWAY_PRINCIPAL = principal(ISTIO_INGRESS, INGRESS_GATEWAY);

/** Namespace label that turns sidecar injection on. */
export const INJECTION_LABEL = { "istio-injection": "enabled" } as const;

/**
 * Pod label that keeps Istio from injecting a pod of a meshed namespace: the pod's own label takes precedence over
 * the namespace's (istio.io "Sidecar injection"). The node placeholders carry it.
 */
export const INJECTION_OPT_OUT = { "sidecar.istio.io/inject": "false" } as const;
