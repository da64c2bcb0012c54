import { z } from "zod";

/** @internal Control-plane log types EKS can ship to CloudWatch. */
export const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** @internal CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const disruptionBudget = z.strictObject({
  /** Nodes Karpenter may disrupt at once: a count or a percentage. */
  nodes: z.string().regex(/^(\d+|\d+%)$/, { message: 'expected a count or a percentage such as "10%"' }),
  /** Optional cron schedule (UTC) during which this budget applies. */
  schedule: z.string().optional(),
  /** How long the scheduled budget lasts, e.g. "8h". */
  duration: z
    .string()
    .regex(/^(\d+h)?(\d+m)?$/)
    .optional(),
  reasons: z.array(z.enum(["Underutilized", "Empty", "Drifted"])).optional(),
});

const duration = z.string().regex(/^(Never|(\d+h)?(\d+m)?(\d+s)?)$/, {
  message: 'expected a duration such as "5m", "720h" or "Never"',
});

const nodePoolSchema = z.strictObject({
  /** Instance categories (c, m, r, g, ...). */
  instanceCategories: z
    .array(z.string().regex(/^[a-z]+$/))
    .min(1)
    .optional(),
  /** Instance generations strictly greater than this. */
  minInstanceGeneration: z.number().int().min(1).optional(),
  capacityTypes: z
    .array(z.enum(["on-demand", "spot", "reserved"]))
    .min(1)
    .optional(),
  architectures: z
    .array(z.enum(["amd64", "arm64"]))
    .min(1)
    .optional(),
  /** vCPU limit of the pool. */
  cpuLimit: z.number().int().positive().optional(),
  /** Taints put on the pool's nodes, e.g. to isolate the AI tutor. */
  taints: z
    .array(
      z.strictObject({ key: z.string(), value: z.string(), effect: z.enum(["NoSchedule", "NoExecute"]) }),
    )
    .optional(),
  /** Labels put on the pool's nodes. */
  labels: z.record(z.string(), z.string()).optional(),
  consolidationPolicy: z.enum(["WhenEmpty", "WhenEmptyOrUnderutilized"]).optional(),
  consolidateAfter: duration.optional(),
  /** Disruption budgets: how many nodes Karpenter may disrupt at once, and when. */
  budgets: z.array(disruptionBudget).min(1).optional(),
  expireAfter: duration.optional(),
  weight: z.number().int().min(1).max(100).optional(),
});

/**
 * The `semester:cluster` section: settings every regional cluster of the stack shares.
 * Everything but the Kubernetes version is optional; defaults live in `defaults.ts`.
 */
export const clusterSchema = z.strictObject({
  kubernetesVersion: z.string().regex(/^1\.(3[2-9]|[4-9]\d)$/, {
    message: 'expected a Kubernetes minor version EKS supports, e.g. "1.35" (1.32 or later)',
  }),
  endpointPublicAccessCidrs: z.array(z.string()).optional(),
  logTypes: z.array(z.enum(EKS_LOG_TYPES)).optional(),
  logRetentionDays: z
    .number()
    .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
      message: `expected one of CloudWatch's retention periods: ${LOG_RETENTION_DAYS.join(", ")}`,
    })
    .optional(),
  bootstrapCreatorAdmin: z.boolean().optional(),
  adminPrincipalArns: z
    .array(
      z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+$/, {
        message: "expected an IAM role or user ARN",
      }),
    )
    .optional(),
  zonalShift: z.boolean().optional(),
  deletionProtection: z.boolean().optional(),
  upgradeSupport: z.enum(["STANDARD", "EXTENDED"]).optional(),
  kmsDeletionWindowDays: z.number().int().min(7).max(30).optional(),
  /** The EBS CSI driver add-on, a volume KMS key and the encrypted `gp3` StorageClass (see `ebs-csi.ts`). */
  ebsCsiDriver: z.boolean().optional(),
  systemNodeGroup: z
    .strictObject({
      instanceTypes: z.array(z.string()).min(1).optional(),
      amiType: z.string().optional(),
      minSize: z.number().int().min(0).optional(),
      maxSize: z.number().int().min(1).optional(),
      desiredSize: z.number().int().min(0).optional(),
      diskSizeGiB: z.number().int().min(20).optional(),
      maxUnavailablePercentage: z.number().int().min(1).max(100).optional(),
    })
    .optional(),
  karpenter: z
    .strictObject({
      chartVersion: z.string().optional(),
      amiAlias: z.string().optional(),
      rootVolumeGiB: z.number().int().min(20).optional(),
      nodePools: z.record(z.string().regex(/^[a-z0-9-]+$/), nodePoolSchema).optional(),
    })
    .optional(),
  addonVersions: z
    .strictObject({
      vpcCni: z.string().optional(),
      coreDns: z.string().optional(),
      kubeProxy: z.string().optional(),
      podIdentityAgent: z.string().optional(),
      ebsCsiDriver: z.string().optional(),
    })
    .optional(),
});

/** @internal Cluster settings as a stack (or a program) gives them: everything optional but the version. */
export type ClusterSettings = z.infer<typeof clusterSchema>;
/** @internal */
export type NodePoolSettings = z.infer<typeof nodePoolSchema>;
