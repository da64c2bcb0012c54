/**
 * What istiod's injection webhook adds to a workload pod, rendered offline so the governance rules can judge the
 * pod Kubernetes admits (Kyverno's validating webhooks see the pod after the mutating ones).
 *
 * Follows Istio 1.30.3's `manifests/charts/istio-control/istio-discovery/files/injection-template.yaml` for the
 * values `values.ts` sets: CNI on (init container `istio-validation`, no NET_ADMIN/NET_RAW, uid/gid 1337,
 * read-only root), native sidecars on (istio-proxy in `initContainers` with `restartPolicy: Always`), interception
 * REDIRECT, `global.proxy.privileged: false`, `global.proxy.seccompProfile` and `global.proxy.resources` on both
 * containers, the readiness and startup probes on 15021, and the template's volumes (emptyDir, downwardAPI,
 * projected token, istiod's CA ConfigMap). Only security-relevant fields are rendered (no args or env).
 */
import type { MeshConfig } from "./config";
import { DEFAULT_MESH } from "./config";
import { sidecarResources } from "./values";

/** Requests and limits of the injected istio-proxy (and istio-validation) per pod, with the default config. */
export const SIDECAR_RESOURCES = sidecarResources(DEFAULT_MESH);

/** The proxy's user and group (the template's default `ProxyUID`/`ProxyGID`). */
export const PROXY_UID = 1337;

/** `hub/proxyv2:tag` as the template's `.ProxyImage` builds it. */
export function proxyImage(mesh: Pick<MeshConfig, "hub" | "tag" | "version">): string {
  return `${mesh.hub}/proxyv2:${mesh.tag ?? mesh.version}`;
}

type PodSpec = Record<string, unknown> & {
  containers?: unknown[];
  initContainers?: unknown[];
  volumes?: unknown[];
};

/** The pod spec after injection: `spec` of a pod (or a pod template), with the sidecar added. Pure. */
export function injectSidecar(spec: PodSpec, mesh: MeshConfig): PodSpec {
  const resources = sidecarResources(mesh);
  const securityContext = {
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: ["ALL"] },
    readOnlyRootFilesystem: true,
    runAsGroup: PROXY_UID,
    runAsUser: PROXY_UID,
    runAsNonRoot: true,
    seccompProfile: { type: "RuntimeDefault" },
  };
  const image = proxyImage(mesh);
  const validation = { name: "istio-validation", image, resources, securityContext };
  const proxy = {
    name: "istio-proxy",
    image,
    restartPolicy: "Always",
    ports: [{ containerPort: 15090, protocol: "TCP", name: "http-envoy-prom" }],
    startupProbe: {
      httpGet: { path: "/healthz/ready", port: 15021 },
      periodSeconds: 1,
      failureThreshold: 600,
    },
    readinessProbe: {
      httpGet: { path: "/healthz/ready", port: 15021 },
      periodSeconds: 15,
      failureThreshold: 4,
    },
    securityContext,
    resources,
  };
  return {
    ...spec,
    initContainers: [validation, proxy, ...(spec.initContainers ?? [])],
    volumes: [
      ...(spec.volumes ?? []),
      { name: "workload-socket", emptyDir: {} },
      { name: "credential-socket", emptyDir: {} },
      { name: "workload-certs", emptyDir: {} },
      { name: "istio-envoy", emptyDir: { medium: "Memory" } },
      { name: "istio-data", emptyDir: {} },
      { name: "istio-podinfo", downwardAPI: { items: [] } },
      { name: "istio-token", projected: { sources: [] } },
      { name: "istiod-ca-cert", configMap: { name: "istio-ca-root-cert" } },
    ],
  };
}
