/**
 * Semester's Helm values for the four Istio charts (base, cni, istiod, gateway), before the stack's overrides.
 * Pure. Keys are the charts' own (Istio 1.30.3 values.yaml, which nests its defaults under
 * `_internal_defaults_do_not_set`; users set them at the top level).
 *
 * - istiod: CNI mode on (`pilot.cni.enabled` is `cni.enabled` in the istiod chart), so injected pods get the
 *   unprivileged `istio-validation` init container instead of `istio-init` with NET_ADMIN/NET_RAW; native sidecars
 *   forced on (`ENABLE_NATIVE_SIDECARS`: istio-proxy becomes an init container with `restartPolicy: Always`, started
 *   before and stopped after the application) instead of "auto", which depends on the node's kubelet version;
 *   app HTTP probes rewritten to the agent's port 15020 (kubelet's plaintext probes never meet STRICT mTLS).
 * - HA: istiod and the gateway autoscale from 2 and 3 replicas spread across zones, with PDBs; istiod and the CNI
 *   agent are system-critical (the CNI chart hard-codes `system-node-critical`, above cluster-critical).
 */
import type { MeshConfig } from "./config";
import { GATEWAY_POD_LABELS, ISTIOD_POD_LABELS } from "./names";

/** The charts, in install order: CRDs, node agent, control plane (webhook), gateway (injected by the webhook). */
export const MESH_CHARTS = ["base", "cni", "istiod", "gateway"] as const;
export type MeshChart = (typeof MESH_CHARTS)[number];

/** Release names (and Pulumi child suffixes). */
export const MESH_RELEASE_NAMES: Readonly<Record<MeshChart, string>> = {
  base: "istio-base",
  cni: "istio-cni",
  istiod: "istiod",
  gateway: "istio-ingressgateway",
};

/** Labels the governance rules require on every pod. */
const MESH_POD_LABELS = { team: "platform", tier: "critical" } as const;

/** The sidecar's resources as the stack sets them (`semester:mesh.sidecar`). */
export function sidecarResources(mesh: Pick<MeshConfig, "sidecar">): {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
} {
  return { requests: { ...mesh.sidecar.requests }, limits: { ...mesh.sidecar.limits } };
}

const zoneSpread = (labels: Readonly<Record<string, string>>) => [
  {
    maxSkew: 1,
    topologyKey: "topology.kubernetes.io/zone",
    whenUnsatisfiable: "ScheduleAnyway",
    labelSelector: { matchLabels: { ...labels } },
  },
];

/** The global image settings every chart reads. */
function images(mesh: MeshConfig) {
  return { hub: mesh.hub, tag: mesh.tag ?? mesh.version };
}

export function meshValues(chart: MeshChart, mesh: MeshConfig): Record<string, unknown> {
  switch (chart) {
    case "base":
      return {};
    case "cni":
      return {
        global: images(mesh),
        podLabels: { ...MESH_POD_LABELS },
        // Sidecar mode only: ambient redirection stays off (the chart's default), said explicitly.
        ambient: { enabled: false },
      };
    case "istiod":
      return {
        global: {
          ...images(mesh),
          priorityClassName: "system-cluster-critical",
          defaultPodDisruptionBudget: { enabled: true },
          proxy: {
            resources: sidecarResources(mesh),
            seccompProfile: { type: "RuntimeDefault" },
            privileged: false,
          },
        },
        autoscaleEnabled: true,
        autoscaleMin: mesh.istiod.minReplicas,
        autoscaleMax: mesh.istiod.maxReplicas,
        replicaCount: mesh.istiod.minReplicas,
        podLabels: { ...MESH_POD_LABELS },
        topologySpreadConstraints: zoneSpread(ISTIOD_POD_LABELS),
        seccompProfile: { type: "RuntimeDefault" },
        cni: { enabled: true },
        env: { ENABLE_NATIVE_SIDECARS: "true" },
        sidecarInjectorWebhook: { rewriteAppHTTPProbe: true },
      };
    case "gateway":
      return {
        name: MESH_RELEASE_NAMES.gateway,
        replicaCount: mesh.gateway.minReplicas,
        autoscaling: {
          enabled: true,
          minReplicas: mesh.gateway.minReplicas,
          maxReplicas: mesh.gateway.maxReplicas,
          targetCPUUtilizationPercentage: 60,
        },
        // The ALB targets the pods (Ingress target type ip): no cloud load balancer for the Service itself.
        service: { type: "ClusterIP" },
        podDisruptionBudget: { maxUnavailable: 1 },
        priorityClassName: mesh.gateway.priorityClassName,
        labels: { ...MESH_POD_LABELS, "istio.io/dataplane-mode": "none" },
        topologySpreadConstraints: zoneSpread(GATEWAY_POD_LABELS),
      };
    default: {
      const never: never = chart;
      throw new Error(`unknown mesh chart ${String(never)}`);
    }
  }
}
