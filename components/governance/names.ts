/**
 * Every governance rule name, in one closed set, so that config overrides can be checked against it
 * (a misspelt rule name in `semester:governance.enforcement` is a config error, not a silent no-op).
 */

/** Kubernetes rules, written once in CEL: emitted as Kyverno ValidatingPolicies and evaluated offline. */
export const KUBERNETES_RULE_NAMES = [
  "disallow-host-namespaces",
  "disallow-privileged-containers",
  "disallow-privilege-escalation",
  "restrict-capabilities",
  "require-run-as-non-root",
  "require-seccomp-profile",
  "disallow-host-path",
  "restrict-volume-types",
  "disallow-host-ports",
  "restrict-proc-mount",
  "restrict-sysctls",
  "restrict-apparmor",
  "restrict-selinux",
  "require-requests-limits",
  "require-probes",
  "require-pinned-images",
  "restrict-image-registries",
  "require-labels",
  "require-critical-availability",
  "require-rollout-analysis",
  "disallow-default-namespace",
  "require-default-deny-network-policy",
  "require-node-imdsv2",
] as const;
/** @internal */
export type KubernetesRuleName = (typeof KUBERNETES_RULE_NAMES)[number];

/** Cloud guardrails run by the CrossGuard pack (resource and stack policies). */
export const CLOUD_POLICY_NAMES = [
  "eks-private-endpoint",
  "eks-control-plane-logs",
  "eks-secrets-encryption",
  "eks-zonal-shift",
  "node-imdsv2",
  "node-encrypted-volumes",
  "msk-tls",
  "msk-iam-auth",
  "msk-replication-settings",
  "elasticache-failover",
  "elasticache-multi-az",
  "elasticache-encryption",
  "aurora-encryption",
  "aurora-deletion-protection",
  "aurora-backups",
  "aurora-multi-az",
  "no-public-data-store",
  "kms-key-rotation",
  "required-tags",
  "data-store-reachable-only-from-cluster",
  "prod-multi-region",
  "kubernetes-cel-rules",
  "change-freeze",
  "fis-stop-condition",
] as const;
export type CloudPolicyName = (typeof CLOUD_POLICY_NAMES)[number];

export const ALL_RULE_NAMES: readonly string[] = [...KUBERNETES_RULE_NAMES, ...CLOUD_POLICY_NAMES];
