/**
 * The mesh's objects in one region, as plain Kubernetes objects (pure; validated with everything else):
 * - PeerAuthentication `default` in istio-system: mTLS STRICT mesh-wide;
 * - per workload namespace an ALLOW-nothing AuthorizationPolicy (default deny), per service an ALLOW from the
 *   principals of its callers (and of the ingress gateway when it is public), to its port;
 * - per service a DestinationRule (ISTIO_MUTUAL, outlier detection, connection pool, retry budget) and, when its
 *   delivery strategy has a second Service, the same for that one; a VirtualService whose route `primary` carries
 *   the timeout and retries and lists the stable Service (weight 100) and the second (weight 0);
 * - the Gateway `semester` and the region's one public Ingress (ALB → gateway), in istio-ingress.
 */
import { ALB_ZONAL_SHIFT_ANNOTATIONS, throwIfProblems, type KubeObject, type Problem } from "../core";
import type { MeshConfig, MeshTier } from "./config";
import {
  GATEWAY_OBJECT,
  GATEWAY_POD_LABELS,
  GATEWAY_PRINCIPAL,
  GATEWAY_READINESS_PATH,
  INGRESS_GATEWAY,
  ISTIO_INGRESS,
  ISTIO_SYSTEM,
  MESH_PORTS,
  principal,
} from "./names";
import { duration, resolveTraffic, trafficProblems, type TrafficPolicy } from "./traffic";

/** What the mesh needs to know about one service. */
export interface MeshService {
  readonly name: string;
  readonly namespace: string;
  readonly tier: MeshTier;
  /** The container port (where callers' and the gateway's traffic arrives). */
  readonly port: number;
  /** The Service's port (the VirtualService destination). */
  readonly servicePort: number;
  /** Labels that select its pods. */
  readonly selector: Readonly<Record<string, string>>;
  /** Labels on its objects. */
  readonly labels: Readonly<Record<string, string>>;
  readonly minReplicas: number;
  readonly writes: boolean;
  readonly publicHost?: string;
  /** The services that call it: their service accounts are `<name>` in `<namespace>` (one per service). */
  readonly callers: readonly { readonly name: string; readonly namespace: string }[];
  /** The delivery strategy's second Service (`<svc>-canary`, `<svc>-preview`). @default none */
  readonly secondService?: string;
}

export interface MeshObjectsArgs {
  readonly region: string;
  readonly mesh: MeshConfig;
  readonly services: readonly MeshService[];
  /** Labels on the mesh-wide objects. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Annotations on the public Ingress besides the ALB's (latency DNS, `semester:mesh.ingressAnnotations`). @default {} */
  readonly ingressAnnotations?: Readonly<Record<string, string>>;
}

const NET = "networking.istio.io/v1";
const SEC = "security.istio.io/v1";
const host = (name: string, ns: string) => `${name}.${ns}.svc.cluster.local`;

/** The ALLOW principals of a service: its callers', then the gateway's when it is public. Pure: the plan compares. */
export function allowedPrincipals(s: Pick<MeshService, "callers" | "publicHost">): string[] {
  return [
    ...s.callers.map((c) => principal(c.namespace, c.name)),
    ...(s.publicHost !== undefined ? [GATEWAY_PRINCIPAL] : []),
  ];
}

/** Problems of the services' traffic policies (refused before any object renders). */
export function meshProblems(
  args: Pick<MeshObjectsArgs, "mesh" | "services">,
  path = "semester:mesh",
): Problem[] {
  return args.services.flatMap((s) => {
    const where =
      args.mesh.services[s.name] !== undefined ? `${path}.services.${s.name}` : `${path}.tiers.${s.tier}`;
    return trafficProblems(s, resolveTraffic(s, args.mesh), where);
  });
}

function trafficPolicy(p: TrafficPolicy): Record<string, unknown> {
  const o = p.outlierDetection;
  const c = p.connectionPool;
  return {
    tls: { mode: "ISTIO_MUTUAL" },
    connectionPool: {
      tcp: { maxConnections: c.maxConnections },
      http: { http2MaxRequests: c.http2MaxRequests, maxRequestsPerConnection: c.maxRequestsPerConnection },
    },
    retryBudget: { percent: c.retryBudgetPercent, minRetryConcurrency: c.minRetryConcurrency },
    outlierDetection: {
      consecutive5xxErrors: o.consecutive5xxErrors,
      consecutiveGatewayErrors: o.consecutiveGatewayErrors,
      interval: duration(o.intervalMs),
      baseEjectionTime: duration(o.baseEjectionTimeMs),
      maxEjectionPercent: o.maxEjectionPercent,
    },
  };
}

/** The region's mesh objects. Throws one InputError for traffic policies that break a rule. */
export function meshObjects(args: MeshObjectsArgs): KubeObject[] {
  throwIfProblems(`mesh objects for ${args.region}`, meshProblems(args));
  const labels = { ...args.labels };
  const objs: KubeObject[] = [
    {
      apiVersion: SEC,
      kind: "PeerAuthentication",
      metadata: { name: "default", namespace: ISTIO_SYSTEM, labels },
      spec: { mtls: { mode: "STRICT" } },
    },
  ];
  for (const ns of [...new Set(args.services.map((s) => s.namespace))].sort()) {
    // An ALLOW policy without rules matches nothing: with no other ALLOW for a workload, every request is denied.
    objs.push({
      apiVersion: SEC,
      kind: "AuthorizationPolicy",
      metadata: { name: "allow-nothing", namespace: ns, labels },
      spec: {},
    });
  }
  const publicHosts: { host: string; service: MeshService }[] = [];
  for (const s of args.services) {
    const meta = (name: string) => ({ name, namespace: s.namespace, labels: { ...s.labels } });
    const policy = resolveTraffic(s, args.mesh);
    const principals = allowedPrincipals(s);
    if (principals.length > 0) {
      objs.push({
        apiVersion: SEC,
        kind: "AuthorizationPolicy",
        metadata: meta(s.name),
        spec: {
          selector: { matchLabels: { ...s.selector } },
          action: "ALLOW",
          rules: [{ from: [{ source: { principals } }], to: [{ operation: { ports: [String(s.port)] } }] }],
        },
      });
    }
    const hosts = [s.name, ...(s.secondService !== undefined ? [s.secondService] : [])];
    for (const h of hosts) {
      objs.push({
        apiVersion: NET,
        kind: "DestinationRule",
        metadata: meta(h),
        spec: { host: host(h, s.namespace), trafficPolicy: trafficPolicy(policy) },
      });
    }
    const destination = (h: string, weight: number) => ({
      destination: { host: host(h, s.namespace), port: { number: s.servicePort } },
      weight,
    });
    if (s.publicHost !== undefined) publicHosts.push({ host: s.publicHost, service: s });
    objs.push({
      apiVersion: NET,
      kind: "VirtualService",
      metadata: meta(s.name),
      spec: {
        hosts: [host(s.name, s.namespace), ...(s.publicHost !== undefined ? [s.publicHost] : [])],
        gateways: ["mesh", ...(s.publicHost !== undefined ? [`${ISTIO_INGRESS}/${GATEWAY_OBJECT}`] : [])],
        http: [
          {
            name: "primary",
            route:
              s.secondService !== undefined
                ? [destination(s.name, 100), destination(s.secondService, 0)]
                : [destination(s.name, 100)],
            timeout: duration(policy.timeoutMs),
            retries:
              policy.retries.attempts > 0
                ? {
                    attempts: policy.retries.attempts,
                    perTryTimeout: duration(policy.retries.perTryTimeoutMs),
                    retryOn: policy.retries.retryOn.join(","),
                  }
                : { attempts: 0 },
          },
        ],
      },
    });
  }
  if (publicHosts.length > 0)
    objs.push(...publicObjects(args, publicHosts.map((p) => p.host).sort(), labels));
  return objs;
}

/** The Gateway and the region's one Ingress: ALB (TLS on 443) → gateway pods (HTTP 80), health on 15021. */
function publicObjects(
  args: MeshObjectsArgs,
  hosts: readonly string[],
  labels: Record<string, string>,
): KubeObject[] {
  return [
    {
      apiVersion: NET,
      kind: "Gateway",
      metadata: { name: GATEWAY_OBJECT, namespace: ISTIO_INGRESS, labels },
      spec: {
        selector: { istio: GATEWAY_POD_LABELS.istio! },
        servers: [
          { port: { number: MESH_PORTS.gatewayHttp, name: "http", protocol: "HTTP" }, hosts: [...hosts] },
        ],
      },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: {
        name: GATEWAY_OBJECT,
        namespace: ISTIO_INGRESS,
        labels,
        annotations: {
          "alb.ingress.kubernetes.io/scheme": "internet-facing",
          "alb.ingress.kubernetes.io/target-type": "ip",
          "alb.ingress.kubernetes.io/listen-ports": '[{"HTTPS":443}]',
          "alb.ingress.kubernetes.io/ssl-redirect": "443",
          "alb.ingress.kubernetes.io/healthcheck-port": String(MESH_PORTS.gatewayReadiness),
          "alb.ingress.kubernetes.io/healthcheck-path": GATEWAY_READINESS_PATH,
          "alb.ingress.kubernetes.io/group.name": `semester-${args.region}`,
          ...ALB_ZONAL_SHIFT_ANNOTATIONS,
          ...args.ingressAnnotations,
          ...args.mesh.ingressAnnotations,
        },
      },
      spec: {
        ingressClassName: "alb",
        rules: hosts.map((h) => ({
          host: h,
          http: {
            paths: [
              {
                path: "/",
                pathType: "Prefix",
                backend: { service: { name: INGRESS_GATEWAY, port: { number: MESH_PORTS.gatewayHttp } } },
              },
            ],
          },
        })),
      },
    },
  ];
}
