/** Progressive delivery: Argo Rollouts in place of Deployments, gated by SLO analyses (see README "Delivery"). */
export {
  deliverySchema,
  DEFAULT_DELIVERY,
  DEFAULT_CANARY_STEPS,
  DELIVERY_KINDS,
  type DeliveryConfig,
  type DeliveryAnalysisConfig,
  type DeliveryKind,
  type CanaryStep,
} from "./config";
export {
  deliveryStrategy,
  deliveryKind,
  rolloutStrategy,
  analysisTemplateName,
  analysisSeconds,
  durationSeconds,
  CANARY_HASH_ARG,
  BASIC_CANARY_MAX_SURGE_PERCENT,
  type DeliveryStrategy,
  type DeliveryStrategyInput,
  type RolloutStrategyArgs,
} from "./strategy";
export {
  analysisTemplate,
  analysisThresholds,
  canaryErrorRatioQuery,
  canaryFastRatioQuery,
  type DeliveryObjective,
  type AnalysisEndpoint,
  type AnalysisTemplateArgs,
} from "./analysis";
export {
  deploymentToRollout,
  renderAsRollout,
  serviceDelivery,
  ROLLOUT_API_VERSION,
  type ServiceDelivery,
  type ServiceDeliveryArgs,
} from "./rollout";
export {
  DeliveryController,
  rolloutsControllerValues,
  ROLLOUTS_RELEASE,
  ROLLOUTS_SERVICE_ACCOUNT,
  type DeliveryControllerArgs,
} from "./controller";
