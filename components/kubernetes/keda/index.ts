/**
 * KEDA scaling: the only code that builds a ScaledObject or a TriggerAuthentication. The service owns the bounds;
 * every other layer contributes triggers (see `contributions.ts`); one documented HPA behavior (`DEFAULT_BEHAVIOR`).
 * Other modules import from here, never from the files behind it.
 */
export { KEDA_API_VERSION } from "./types";
export type { KedaTrigger, KedaCronTrigger, HpaBehavior, HpaScalingRules, HpaScalingPolicy } from "./types";
export {
  DEFAULT_BEHAVIOR,
  KUBERNETES_DEFAULT_SCALE_UP,
  PLACEHOLDER_BEHAVIOR,
  behaviorProblems,
} from "./behavior";
export { NO_FALLBACK_TRIGGER_TYPES, resolveTriggers } from "./triggers";
export { contributionProblems, requiredLevel } from "./contributions";
export type { ScalingContribution } from "./contributions";
export { ServiceScaledObject } from "./scaled-object";
export type { ServiceScaledObjectProps } from "./scaled-object";
export { PodIdentityTriggerAuthentication } from "./trigger-authentication";
export type { PodIdentityTriggerAuthProps } from "./trigger-authentication";
