import type { GovernanceConfig } from "../config";
import { podSecurityRules } from "./pod-security";
import { celList, celString, podMetadataMap, type KubernetesRule, type NamedExpression } from "./types";
import { isNamespacedRule } from "../cel/autogen";
import { workloadRules } from "./workload";

export * from "./types";
export { ALLOWED_VOLUME_SOURCES, SAFE_SYSCTLS } from "./pod-security";
export { CRITICAL_TIER, PINNED_IMAGE, registryPattern, TIER_LABEL, ZONE_TOPOLOGY_KEY } from "./workload";

/** Every Kubernetes rule for this config (disabled ones included; emitters and evaluators skip them). */
export function kubernetesRules(config: GovernanceConfig): KubernetesRule[] {
  return [...podSecurityRules, ...workloadRules(config)];
}

/**
 * The rule's match conditions as emitted and evaluated: for namespaced rules, first the exclusion of the
 * configured system namespaces (a match condition, not a namespaceSelector, because Kyverno does not
 * autogenerate for policies with a namespaceSelector), then the rule's own conditions.
 */
export function ruleMatchConditions(rule: KubernetesRule, config: GovernanceConfig): NamedExpression[] {
  const own = [...(rule.matchConditions ?? [])];
  if (!isNamespacedRule(rule)) return own;
  const labels = podMetadataMap("labels");
  const exceptions = (config.exceptions ?? [])
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => e.rules.includes(rule.name))
    .map(({ e, i }) => ({
      name: `exception-${i}`,
      expression:
        `!(object.metadata.namespace == ${celString(e.namespace)} && ` +
        Object.entries(e.podLabels)
          .map(([k, v]) => `${labels}[?${celString(k)}].orValue("") == ${celString(v)}`)
          .join(" && ") +
        ")",
    }));
  const excluded =
    config.excludedNamespaces.length === 0
      ? []
      : [
          {
            name: "exclude-system-namespaces",
            expression: `!(object.metadata.namespace in ${celList(config.excludedNamespaces)})`,
          },
        ];
  return [...excluded, ...exceptions, ...own];
}
