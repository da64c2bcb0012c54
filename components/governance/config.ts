import { z } from "zod";
import { ALL_RULE_NAMES } from "./names";

/** What a violation does: fail the plan and deny admission, only report it, or skip the rule. */
export const ENFORCEMENT_LEVELS = ["mandatory", "advisory", "disabled"] as const;
export type EnforcementLevel = (typeof ENFORCEMENT_LEVELS)[number];

/** @internal The namespaces Kubernetes and the platform add-ons own; workload rules never apply there. */
export const DEFAULT_EXCLUDED_NAMESPACES = [
  "kube-system",
  "kube-public",
  "kube-node-lease",
  "kyverno",
  "keda",
  "karpenter",
  // The OTel Operator and collectors, Fluent Bit, node-exporter (host access), kube-state-metrics and Grafana.
  "observability",
] as const;

/**
 * @internal Registries images may come from: any account's private ECR, ECR Public, the Kubernetes registry, and
 * Istio's own organisation on Docker Hub (the injected sidecar and the mesh's pods; Istio publishes releases there).
 */
export const DEFAULT_ALLOWED_REGISTRIES = [
  "*.dkr.ecr.*.amazonaws.com",
  "public.ecr.aws",
  "registry.k8s.io",
  "docker.io/istio",
] as const;

/**
 * @internal Workloads that break named rules by design, each exempted from exactly those rules, in one namespace,
 * for pods with these labels. Istio's CNI node agent (1.30.3 `manifests/charts/istio-cni/templates/daemonset.yaml`)
 * runs as root with hostNetwork, added capabilities (NET_ADMIN, SYS_ADMIN, ...) and hostPath mounts of the node's
 * CNI directories: it installs the CNI plugin that redirects pod traffic, so no pod anywhere needs NET_ADMIN. istiod,
 * the CNI agent and the gateway ship readiness probes only (the charts have no liveness probe).
 */
export const DEFAULT_RULE_EXCEPTIONS: readonly {
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly rules: readonly string[];
  readonly reason: string;
}[] = [
  {
    namespace: "istio-system",
    podLabels: { "k8s-app": "istio-cni-node" },
    rules: [
      "disallow-host-namespaces",
      "disallow-privilege-escalation",
      "restrict-capabilities",
      "require-run-as-non-root",
      "disallow-host-path",
      "restrict-volume-types",
      "require-probes",
      "require-default-deny-network-policy",
    ],
    reason: "Istio CNI node agent: writes the CNI plugin onto the node and programs pod network namespaces",
  },
  {
    namespace: "istio-system",
    podLabels: { app: "istiod" },
    rules: ["require-probes"],
    reason: "istiod's chart has a readiness probe only",
  },
  {
    namespace: "istio-ingress",
    podLabels: { app: "istio-ingressgateway" },
    rules: ["require-probes"],
    reason: "the gateway's injected proxy has readiness and startup probes only",
  },
];

const ruleException = z.strictObject({
  namespace: z.string().min(1),
  podLabels: z.record(z.string(), z.string()).refine((l) => Object.keys(l).length > 0, {
    message: "name at least one pod label: an exception covers specific pods, not a namespace",
  }),
  rules: z
    .array(
      z.string().refine((name) => ALL_RULE_NAMES.includes(name), { message: "not a governance rule name" }),
    )
    .min(1),
  reason: z.string().min(1),
});
export type RuleException = z.infer<typeof ruleException>;

const registry = z.string().regex(/^[a-z0-9*]([a-z0-9.*:-]*[a-z0-9*])?(\/[a-z0-9._-]+)*$/, {
  message: "a registry host with an optional path prefix, lower case, `*` matching within one host label",
});

/**
 * Stack config section `semester:governance`. Every key is optional; the defaults below are the
 * organization's standard, so a stack only states where it differs.
 */
export const governanceConfigSchema = z
  .strictObject({
    /**
     * How the Kubernetes rules act: `Deny` rejects a violating object at admission (Kyverno
     * `validationActions: [Deny]`) and makes the rule mandatory in the plan; `Audit` only reports it.
     * @default "Deny"
     */
    mode: z.enum(["Audit", "Deny"]).default("Deny"),
    /**
     * Whether this stack is production: turns on the prod-only rules (Aurora deletion protection,
     * at least two regions).
     * @default false
     */
    production: z.boolean().default(false),
    /**
     * Image registries (host plus optional path prefix); an image must start with one of them followed by `/`.
     * `*` matches within one host label (`*.dkr.ecr.*.amazonaws.com`).
     * @default ["*.dkr.ecr.*.amazonaws.com", "public.ecr.aws", "registry.k8s.io", "docker.io/istio"]
     */
    allowedRegistries: z
      .array(registry)
      .min(1)
      .default([...DEFAULT_ALLOWED_REGISTRIES]),
    /**
     * AWS tags every taggable resource must carry (resource tags or the provider's `defaultTags`).
     * @default ["project", "environment", "team"]
     */
    requiredTags: z.array(z.string().min(1)).default(["project", "environment", "team"]),
    /**
     * Labels every workload's pods must carry.
     * @default ["team", "tier"]
     */
    requiredLabels: z.array(z.string().min(1)).default(["team", "tier"]),
    /**
     * Minimum replicas of a workload labelled `tier: critical`.
     * @default 2
     */
    criticalMinReplicas: z.int().min(2).default(2),
    /**
     * Enforcement level per rule name, overriding the default (`mode` for Kubernetes rules, `mandatory`
     * for cloud guardrails). `disabled` removes the rule from the plan, the pack and the clusters.
     * @default {}
     */
    enforcement: z
      .record(
        z.string().refine((name) => ALL_RULE_NAMES.includes(name), { message: "not a governance rule name" }),
        z.enum(ENFORCEMENT_LEVELS),
      )
      .default({}),
    /**
     * Namespaces the workload rules skip (system and add-on namespaces).
     * @default ["kube-system", "kube-public", "kube-node-lease", "kyverno", "keda", "karpenter"]
     */
    excludedNamespaces: z.array(z.string().min(1)).default([...DEFAULT_EXCLUDED_NAMESPACES]),
    /**
     * Pods exempted from named rules (namespace, pod labels, rules, why): narrower than `excludedNamespaces`.
     * @default - the Istio CNI agent, istiod and the gateway (see `DEFAULT_RULE_EXCEPTIONS`)
     */
    exceptions: z
      .array(ruleException)
      .default(
        DEFAULT_RULE_EXCEPTIONS.map((e) => ({ ...e, podLabels: { ...e.podLabels }, rules: [...e.rules] })),
      ),
  })
  .default({
    mode: "Deny",
    production: false,
    allowedRegistries: [...DEFAULT_ALLOWED_REGISTRIES],
    requiredTags: ["project", "environment", "team"],
    requiredLabels: ["team", "tier"],
    criticalMinReplicas: 2,
    enforcement: {},
    excludedNamespaces: [...DEFAULT_EXCLUDED_NAMESPACES],
    exceptions: DEFAULT_RULE_EXCEPTIONS.map((e) => ({
      ...e,
      podLabels: { ...e.podLabels },
      rules: [...e.rules],
    })),
  });

/** The resolved `semester:governance` section, every default applied. */
export type GovernanceConfig = z.output<typeof governanceConfigSchema>;
/** What a stack file may write under `semester:governance`. */
export type GovernanceConfigInput = z.input<typeof governanceConfigSchema>;

/** Resolves a `semester:governance` section (throws zod's error on invalid input; the lead's loader formats it). */
export function governanceConfig(input: GovernanceConfigInput = {}): GovernanceConfig {
  return governanceConfigSchema.parse(input);
}

/**
 * The level a rule acts at under this config.
 * @param defaultLevel the level when the config does not override it
 */
export function levelOf(
  config: GovernanceConfig,
  rule: string,
  defaultLevel: EnforcementLevel,
): EnforcementLevel {
  return config.enforcement[rule] ?? defaultLevel;
}

/** Default level of the Kubernetes rules: `Deny` makes them mandatory, `Audit` advisory. */
export function kubernetesDefaultLevel(config: GovernanceConfig): EnforcementLevel {
  return config.mode === "Deny" ? "mandatory" : "advisory";
}
