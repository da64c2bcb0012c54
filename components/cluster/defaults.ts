import type { ClusterSettings, NodePoolSettings } from "./config";
import type { Environment } from "../core";

/** @internal A Karpenter NodePool with every setting decided. */
export interface ResolvedNodePool {
  readonly instanceCategories: readonly string[];
  readonly minInstanceGeneration: number;
  readonly capacityTypes: readonly string[];
  readonly architectures: readonly string[];
  readonly cpuLimit: number;
  readonly taints: readonly { key: string; value: string; effect: "NoSchedule" | "NoExecute" }[];
  readonly labels: Readonly<Record<string, string>>;
  readonly consolidationPolicy: "WhenEmpty" | "WhenEmptyOrUnderutilized";
  readonly consolidateAfter: string;
  readonly budgets: readonly { nodes: string; schedule?: string; duration?: string; reasons?: string[] }[];
  /**
   * A node's lifetime. Expiry is forceful in Karpenter v1: it ignores disruption budgets, so a finite lifetime can
   * end a node in the middle of an exam. Nodes are kept current by drift instead (a new AMI behind `amiAlias`
   * `@latest`, a changed NodePool or EC2NodeClass), which the budgets do govern.
   * @default "Never"
   */
  readonly expireAfter: string;
  readonly weight?: number;
}

/** @internal Cluster settings with every default decided, once. */
export interface ResolvedClusterSettings {
  readonly kubernetesVersion: string;
  /** @default [] — the API endpoint is private only */
  readonly endpointPublicAccessCidrs: readonly string[];
  /** @default ["api", "audit", "authenticator"] */
  readonly logTypes: readonly string[];
  /** @default 90 */
  readonly logRetentionDays: number;
  /** @default false — admins are granted explicitly through access entries */
  readonly bootstrapCreatorAdmin: boolean;
  /** @default [] */
  readonly adminPrincipalArns: readonly string[];
  /** @default true */
  readonly zonalShift: boolean;
  /** @default true in prod, false elsewhere */
  readonly deletionProtection: boolean;
  /** @default "STANDARD" — no silent move to paid extended support */
  readonly upgradeSupport: "STANDARD" | "EXTENDED";
  /** @default 30 */
  readonly kmsDeletionWindowDays: number;
  /**
   * Persistent volumes: the `aws-ebs-csi-driver` EKS add-on (Pod Identity), a customer-managed volume key and the
   * encrypted `gp3` StorageClass. `Platform` turns it on when the data tier runs in the cluster (Strimzi).
   * @default false — nothing is created
   */
  readonly ebsCsiDriver: boolean;
  readonly systemNodeGroup: {
    /** @default ["m7i.large"] */
    readonly instanceTypes: readonly string[];
    /** @default "AL2023_x86_64_STANDARD" */
    readonly amiType: string;
    /** @default 3 — one per zone */
    readonly minSize: number;
    /** @default 6 */
    readonly maxSize: number;
    /** @default 3 */
    readonly desiredSize: number;
    /** @default 50 */
    readonly diskSizeGiB: number;
    /** @default 33 */
    readonly maxUnavailablePercentage: number;
  };
  readonly karpenter: {
    /** @default "1.14.1" — matches the vendored Karpenter CRDs */
    readonly chartVersion: string;
    /** @default "al2023@latest" */
    readonly amiAlias: string;
    /** @default 100 */
    readonly rootVolumeGiB: number;
    /** @default DEFAULT_NODE_POOLS: `general` for the services, `ai` (tainted) for the AI tutor */
    readonly nodePools: Readonly<Record<string, ResolvedNodePool>>;
  };
  /** @default {} — EKS picks each add-on's default version for the Kubernetes version */
  readonly addonVersions: {
    readonly vpcCni?: string;
    readonly coreDns?: string;
    readonly kubeProxy?: string;
    readonly podIdentityAgent?: string;
    readonly ebsCsiDriver?: string;
  };
}

const GENERAL_POOL: ResolvedNodePool = {
  instanceCategories: ["c", "m", "r"],
  minInstanceGeneration: 5,
  capacityTypes: ["on-demand", "spot"],
  architectures: ["amd64"],
  cpuLimit: 1000,
  taints: [],
  labels: { "semester.dev/pool": "general" },
  consolidationPolicy: "WhenEmptyOrUnderutilized",
  consolidateAfter: "5m",
  budgets: [{ nodes: "10%" }],
  expireAfter: "Never",
};

/** The AI tutor gets nodes of its own (tainted), so its bursts never take CPU from the other services. */
const AI_POOL: ResolvedNodePool = {
  ...GENERAL_POOL,
  instanceCategories: ["c", "m"],
  capacityTypes: ["on-demand"],
  cpuLimit: 400,
  taints: [{ key: "semester.dev/pool", value: "ai", effect: "NoSchedule" }],
  labels: { "semester.dev/pool": "ai" },
  consolidateAfter: "10m",
};

/** @internal */
export const DEFAULT_NODE_POOLS: Readonly<Record<string, ResolvedNodePool>> = {
  general: GENERAL_POOL,
  ai: AI_POOL,
};

/** Applies the defaults above to what a stack or a program gave. */
export function resolveClusterSettings(
  settings: ClusterSettings,
  environment: Environment,
): ResolvedClusterSettings {
  const group = settings.systemNodeGroup ?? {};
  const karpenter = settings.karpenter ?? {};
  return {
    kubernetesVersion: settings.kubernetesVersion,
    endpointPublicAccessCidrs: settings.endpointPublicAccessCidrs ?? [],
    logTypes: settings.logTypes ?? ["api", "audit", "authenticator"],
    logRetentionDays: settings.logRetentionDays ?? 90,
    bootstrapCreatorAdmin: settings.bootstrapCreatorAdmin ?? false,
    adminPrincipalArns: settings.adminPrincipalArns ?? [],
    zonalShift: settings.zonalShift ?? true,
    deletionProtection: settings.deletionProtection ?? environment === "prod",
    upgradeSupport: settings.upgradeSupport ?? "STANDARD",
    kmsDeletionWindowDays: settings.kmsDeletionWindowDays ?? 30,
    ebsCsiDriver: settings.ebsCsiDriver ?? false,
    systemNodeGroup: {
      instanceTypes: group.instanceTypes ?? ["m7i.large"],
      amiType: group.amiType ?? "AL2023_x86_64_STANDARD",
      minSize: group.minSize ?? 3,
      maxSize: group.maxSize ?? 6,
      desiredSize: group.desiredSize ?? group.minSize ?? 3,
      diskSizeGiB: group.diskSizeGiB ?? 50,
      maxUnavailablePercentage: group.maxUnavailablePercentage ?? 33,
    },
    karpenter: {
      chartVersion: karpenter.chartVersion ?? "1.14.1",
      amiAlias: karpenter.amiAlias ?? "al2023@latest",
      rootVolumeGiB: karpenter.rootVolumeGiB ?? 100,
      nodePools: karpenter.nodePools
        ? Object.fromEntries(Object.entries(karpenter.nodePools).map(([n, p]) => [n, resolveNodePool(n, p)]))
        : DEFAULT_NODE_POOLS,
    },
    addonVersions: settings.addonVersions ?? {},
  };
}

/** A pool named like a default pool starts from it; any other pool starts from `general`. */
function resolveNodePool(name: string, pool: NodePoolSettings): ResolvedNodePool {
  const base = DEFAULT_NODE_POOLS[name] ?? GENERAL_POOL;
  return {
    instanceCategories: pool.instanceCategories ?? base.instanceCategories,
    minInstanceGeneration: pool.minInstanceGeneration ?? base.minInstanceGeneration,
    capacityTypes: pool.capacityTypes ?? base.capacityTypes,
    architectures: pool.architectures ?? base.architectures,
    cpuLimit: pool.cpuLimit ?? base.cpuLimit,
    taints: pool.taints ?? base.taints,
    labels: pool.labels ?? { "semester.dev/pool": name },
    consolidationPolicy: pool.consolidationPolicy ?? base.consolidationPolicy,
    consolidateAfter: pool.consolidateAfter ?? base.consolidateAfter,
    budgets: pool.budgets ?? base.budgets,
    expireAfter: pool.expireAfter ?? base.expireAfter,
    ...(pool.weight !== undefined ? { weight: pool.weight } : {}),
  };
}
