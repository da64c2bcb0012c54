/** Governance: one rule source, emitted as Kyverno ValidatingPolicies and evaluated offline with a real CEL engine. */
export {
  type EnforcementLevel,
  ENFORCEMENT_LEVELS,
  governanceConfig,
  type GovernanceConfig,
  type GovernanceConfigInput,
  governanceConfigSchema,
  kubernetesDefaultLevel,
  levelOf,
} from "./config";
export { type Finding, sortFindings } from "./findings";
export { ALL_RULE_NAMES, CLOUD_POLICY_NAMES, KUBERNETES_RULE_NAMES } from "./names";
export { kubernetesRules, registryPattern, ruleMatchConditions } from "./rules";
export type { KubernetesRule } from "./rules";
export {
  EPHEMERAL_CONTAINERS_SUFFIX,
  ephemeralContainersPolicy,
  kyvernoObjects,
  validatingPolicy,
  kyvernoNetworkPolicyReader,
  VALIDATING_POLICY_API_VERSION,
} from "./kyverno";
export { evaluateObjects, evaluateRule, evaluateRuleOutcome, type RuleOutcome, toCel } from "./cel/evaluate";
export { autogenRule, canAutogen, rewriteForController, ruleFor } from "./cel/autogen";
export type { CloudPolicyName } from "./names";
export { CHANGE_FREEZE_CONFIG_MAP } from "./change-freeze";
export type { FreezeWindow } from "./change-freeze";
