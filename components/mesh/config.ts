/**
 * Stack config `semester:mesh`: Istio in sidecar mode with the istio-cni node agent. Strict schema; every default
 * is documented here and overridable (per tier, then per service for traffic). The defaults of the traffic policy
 * per tier are in `traffic.ts` (`TIER_TRAFFIC`), next to the rules they must pass.
 */
import { z } from "zod";

/** Availability tiers the traffic defaults are keyed by (the same names as `semester:services.<svc>.tier`). */
export const MESH_TIERS = ["critical", "standard", "batch"] as const;
export type MeshTier = (typeof MESH_TIERS)[number];

/** The Istio release the charts, CRDs and sidecar image are pinned to. */
export const ISTIO_VERSION = "1.30.3";

const exactVersion = z
  .string()
  .regex(/^[0-9]+\.[0-9]+\.[0-9]+$/, "must be an exact version like `1.30.3` (no ranges)");
const cpu = z.string().regex(/^([0-9]+m|[0-9]+(\.[0-9]+)?)$/, "must be a CPU quantity like `100m` or `1`");
const memory = z.string().regex(/^[0-9]+(Ki|Mi|Gi)$/, "must be a memory quantity like `128Mi`");
const pair = z.strictObject({ cpu, memory });
const millis = z.int().min(1).max(3_600_000);
const values = z.record(z.string(), z.unknown());

/** Overrides of one tier's (or one service's) traffic policy; whatever is not given keeps the tier's default. */
export const trafficOverrideSchema = z.strictObject({
  /** Route timeout in ms: the whole request, retries included (VirtualService `timeout`). */
  timeoutMs: millis.optional(),
  retries: z
    .strictObject({
      /** Retries after the first try (Istio `attempts`); 0 turns retries off. */
      attempts: z.int().min(0).max(10).optional(),
      /** Timeout of each try in ms (`perTryTimeout`). */
      perTryTimeoutMs: millis.optional(),
      /** Envoy retry conditions (`retryOn`). @default - by the service's data access, see `traffic.ts` */
      retryOn: z.array(z.string().min(1)).min(1).optional(),
    })
    .optional(),
  outlierDetection: z
    .strictObject({
      consecutive5xxErrors: z.int().min(0).optional(),
      consecutiveGatewayErrors: z.int().min(0).optional(),
      intervalMs: millis.optional(),
      baseEjectionTimeMs: millis.optional(),
      maxEjectionPercent: z.int().min(0).max(100).optional(),
    })
    .optional(),
  connectionPool: z
    .strictObject({
      maxConnections: z.int().min(1).optional(),
      http2MaxRequests: z.int().min(1).optional(),
      maxRequestsPerConnection: z.int().min(0).optional(),
      /** Concurrent retries as a percentage of active requests (DestinationRule `retryBudget.percent`). */
      retryBudgetPercent: z.number().min(0).max(100).optional(),
      /** Retries always allowed whatever the load (`retryBudget.minRetryConcurrency`). */
      minRetryConcurrency: z.int().min(0).optional(),
    })
    .optional(),
});
export type TrafficOverride = z.infer<typeof trafficOverrideSchema>;

export const meshSchema = z
  .strictObject({
    /** Install the mesh and route public traffic through its ingress gateway. @default true */
    enabled: z.boolean().default(true),
    /** Helm repository of the Istio charts. @default "https://istio-release.storage.googleapis.com/charts" */
    repository: z.url().default("https://istio-release.storage.googleapis.com/charts"),
    /** Chart version of base, cni, istiod and gateway. @default "1.30.3" */
    version: exactVersion.default(ISTIO_VERSION),
    /** Image registry of every Istio image (must be in `semester:governance.allowedRegistries`). @default "docker.io/istio" */
    hub: z.string().min(1).default("docker.io/istio"),
    /** Image tag of every Istio image. @default - the chart version */
    tag: exactVersion.optional(),
    /** Requests and limits of the injected istio-proxy (and its istio-validation init container). */
    sidecar: z
      .strictObject({
        /** @default {cpu: "100m", memory: "128Mi"} */
        requests: pair.default({ cpu: "100m", memory: "128Mi" }),
        /** @default {cpu: "1", memory: "512Mi"} */
        limits: pair.default({ cpu: "1", memory: "512Mi" }),
      })
      .prefault({}),
    /** The ingress gateway's replicas (HPA bounds). */
    gateway: z
      .strictObject({
        /** @default 3 (one per zone) */
        minReplicas: z.int().min(2).default(3),
        /** @default 12 */
        maxReplicas: z.int().min(2).default(12),
        /** @default "semester-critical" (the gateway carries every public request) */
        priorityClassName: z.string().min(1).default("semester-critical"),
      })
      .prefault({}),
    /** istiod's replicas (HPA bounds). */
    istiod: z
      .strictObject({
        /** @default 2 */
        minReplicas: z.int().min(2).default(2),
        /** @default 5 */
        maxReplicas: z.int().min(2).default(5),
      })
      .prefault({}),
    /** Traffic policy overrides per tier, over `TIER_TRAFFIC`. @default {} */
    tiers: z.partialRecord(z.enum(MESH_TIERS), trafficOverrideSchema).default({}),
    /** Traffic policy overrides per service (by service name), over its tier's. @default {} */
    services: z.record(z.string(), trafficOverrideSchema).default({}),
    /**
     * Further annotations on each region's public Ingress (ALB → gateway), e.g. load balancer attributes.
     * @default {}
     */
    ingressAnnotations: z.record(z.string(), z.string()).default({}),
    /** Helm values deep-merged over Semester's per chart (see `values.ts`). @default {} each */
    values: z
      .strictObject({
        base: values.default({}),
        cni: values.default({}),
        istiod: values.default({}),
        gateway: values.default({}),
      })
      .prefault({}),
  })
  .prefault({});

export type MeshConfig = z.infer<typeof meshSchema>;
export type MeshConfigInput = z.input<typeof meshSchema>;

/** The parsed defaults. */
export const DEFAULT_MESH: MeshConfig = meshSchema.parse({});

/** Whether a stack runs the mesh (`semester:mesh.enabled`, on by default). */
export function meshEnabled(config: { readonly mesh?: MeshConfig }): boolean {
  return (config.mesh ?? DEFAULT_MESH).enabled;
}
