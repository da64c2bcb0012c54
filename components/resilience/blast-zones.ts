/**
 * Blast zones: per workload namespace one ResourceQuota per tier, scoped to the tier's PriorityClass, and one
 * LimitRange. A tier's quota is what its services legitimately reach at once: every service at `maxReplicas` with
 * its rollout's extra pods (`peakPodsFactor`), each pod with its container and the mesh sidecar. So scale-out and
 * rollouts never hit it, while a runaway of one tier (a loop creating pods, a scaler gone wild) stops at its own
 * quota and cannot take the room of the others. Quotas bound admission, not nodes: Karpenter still has to provide
 * the nodes, and PriorityClasses decide who waits when it cannot.
 *
 * Kubernetes semantics relied on (kubernetes.io "Resource Quotas": `scopeSelector` with `PriorityClass`, usage of a
 * pod is the sum of its containers' requests/limits or its largest init container's, whichever is more; a quota on
 * `limits.cpu` rejects pods whose containers set none, hence the LimitRange defaults; "Limit Ranges": `default`,
 * `defaultRequest` and `max` per container).
 */
import { Chart, type App } from "cdk8s";
import { KubeLimitRange, KubeResourceQuota, Quantity } from "cdk8s-plus-28/lib/imports/k8s";
import {
  LABELS,
  SERVICE_NAMES,
  TIER_DEFAULTS,
  serviceReplicaBounds,
  type ServiceName,
  type ServicesConfig,
  type Tier,
} from "../kubernetes";
import type { ResilienceConfig } from "./config";
import { bytes, cpuQuantity, memoryQuantity, millicores } from "./quantities";

/** Requests and limits of one pod, millicores and bytes. */
export interface PodFootprint {
  readonly requestsCpu: number;
  readonly requestsMemory: number;
  readonly limitsCpu: number;
  readonly limitsMemory: number;
}

/** What a tier of a namespace may hold at once. */
export interface TierQuota extends PodFootprint {
  readonly namespace: string;
  readonly tier: Tier;
  readonly pods: number;
  /** The services it is sized for, sorted. */
  readonly services: readonly ServiceName[];
}

/** Requests and limits of a container, as quantities. */
export interface ContainerResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

export interface QuotaInput {
  readonly services: ServicesConfig;
  /**
   * The most pods each service runs at once relative to its replicas: its delivery strategy's `peakPodsFactor`
   * (kubernetes `deliveryStrategy`). @default 1.25 for every service (a Deployment's 25 % surge)
   */
  readonly peakPodsFactor?: Readonly<Partial<Record<ServiceName, number>>>;
  /** The mesh sidecar injected into every pod (mesh `sidecarResources`). @default none (no mesh) */
  readonly sidecar?: ContainerResources;
  readonly config: ResilienceConfig["blastZones"];
}

/** The surge of a Deployment's rolling update, the peak when no delivery strategy says otherwise. */
export const DEPLOYMENT_PEAK_PODS_FACTOR = 1.25;

/** A service's pod: its container plus the sidecar, if any. */
export function podFootprint(
  svc: Pick<ServicesConfig[ServiceName], "requests" | "limits">,
  side: ContainerResources | undefined,
): PodFootprint {
  return {
    requestsCpu: millicores(svc.requests.cpu) + (side ? millicores(side.requests.cpu) : 0),
    requestsMemory: bytes(svc.requests.memory) + (side ? bytes(side.requests.memory) : 0),
    limitsCpu: millicores(svc.limits.cpu) + (side ? millicores(side.limits.cpu) : 0),
    limitsMemory: bytes(svc.limits.memory) + (side ? bytes(side.limits.memory) : 0),
  };
}

/** The most pods a service runs at once: `ceil(maxReplicas × peakPodsFactor)`. */
export function peakPods(name: ServiceName, input: QuotaInput): number {
  const { maxReplicas } = serviceReplicaBounds(input.services[name]);
  return Math.ceil(maxReplicas * (input.peakPodsFactor?.[name] ?? DEPLOYMENT_PEAK_PODS_FACTOR));
}

/** Every (namespace, tier) that has services, with its quota, sorted by namespace then tier. Pure. */
export function tierQuotas(input: QuotaInput): TierQuota[] {
  const groups = new Map<string, ServiceName[]>();
  for (const name of SERVICE_NAMES) {
    const svc = input.services[name];
    const key = `${svc.namespace}\u0000${svc.tier}`;
    groups.set(key, [...(groups.get(key) ?? []), name]);
  }
  return [...groups.entries()]
    .map(([key, names]) => {
      const [namespace, tier] = key.split("\u0000") as [string, Tier];
      let pods = 0;
      const sum = { requestsCpu: 0, requestsMemory: 0, limitsCpu: 0, limitsMemory: 0 };
      for (const name of names) {
        const n = peakPods(name, input);
        const pod = podFootprint(input.services[name], input.sidecar);
        pods += n;
        sum.requestsCpu += n * pod.requestsCpu;
        sum.requestsMemory += n * pod.requestsMemory;
        sum.limitsCpu += n * pod.limitsCpu;
        sum.limitsMemory += n * pod.limitsMemory;
      }
      return { namespace, tier, pods, ...sum, services: [...names].sort() };
    })
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.tier.localeCompare(b.tier));
}

/** Whether a quota admits these pods together (what the API server's quota admission computes). Pure. */
export function quotaAdmits(
  quota: PodFootprint & { readonly pods: number },
  pods: readonly PodFootprint[],
): boolean {
  const total = (k: keyof PodFootprint) => pods.reduce((s, p) => s + p[k], 0);
  return (
    pods.length <= quota.pods &&
    total("requestsCpu") <= quota.requestsCpu &&
    total("requestsMemory") <= quota.requestsMemory &&
    total("limitsCpu") <= quota.limitsCpu &&
    total("limitsMemory") <= quota.limitsMemory
  );
}

/** The ResourceQuota's name for a tier. */
export const quotaName = (tier: Tier): string => `semester-${tier}`;
/** The LimitRange's name in every workload namespace. */
export const LIMIT_RANGE_NAME = "semester-defaults";

/**
 * The region's blast-zone objects as a chart for `RegionWorkloadsArgs.extraCharts`. The quantities are exact
 * (millicores, Mi rounded up), so the quota is never below the arithmetic.
 */
export function blastZoneChart(app: App, region: string, input: QuotaInput): Chart {
  const chart = new Chart(app, `blast-zones-${region}`, { disableResourceNameHashes: true });
  const labels = {
    [LABELS.partOf]: "semester",
    [LABELS.managedBy]: "semester",
    [LABELS.region]: region,
  };
  const quotas = tierQuotas(input);
  for (const q of quotas) {
    new KubeResourceQuota(chart, `quota-${q.namespace}-${q.tier}`, {
      metadata: {
        name: quotaName(q.tier),
        namespace: q.namespace,
        labels: { ...labels, [LABELS.tier]: q.tier },
      },
      spec: {
        hard: {
          pods: Quantity.fromNumber(q.pods),
          "requests.cpu": Quantity.fromString(cpuQuantity(q.requestsCpu)),
          "requests.memory": Quantity.fromString(memoryQuantity(q.requestsMemory)),
          "limits.cpu": Quantity.fromString(cpuQuantity(q.limitsCpu)),
          "limits.memory": Quantity.fromString(memoryQuantity(q.limitsMemory)),
        },
        scopeSelector: {
          matchExpressions: [
            { scopeName: "PriorityClass", operator: "In", values: [TIER_DEFAULTS[q.tier].priorityClassName] },
          ],
        },
      },
    });
  }
  const d = input.config.containerDefaults;
  for (const namespace of [...new Set(quotas.map((q) => q.namespace))]) {
    // The largest container limit the namespace legitimately runs: its services' and the sidecar's.
    const names = SERVICE_NAMES.filter((n) => input.services[n].namespace === namespace);
    const limits = [
      ...names.map((n) => input.services[n].limits),
      ...(input.sidecar !== undefined ? [input.sidecar.limits] : []),
      d.limits,
    ];
    const maxCpu = Math.max(...limits.map((l) => millicores(l.cpu)));
    const maxMemory = Math.max(...limits.map((l) => bytes(l.memory)));
    new KubeLimitRange(chart, `limit-range-${namespace}`, {
      metadata: { name: LIMIT_RANGE_NAME, namespace, labels },
      spec: {
        limits: [
          {
            type: "Container",
            default: { cpu: Quantity.fromString(d.limits.cpu), memory: Quantity.fromString(d.limits.memory) },
            defaultRequest: {
              cpu: Quantity.fromString(d.requests.cpu),
              memory: Quantity.fromString(d.requests.memory),
            },
            max: {
              cpu: Quantity.fromString(cpuQuantity(maxCpu)),
              memory: Quantity.fromString(memoryQuantity(maxMemory)),
            },
          },
        ],
      },
    });
  }
  return chart;
}
