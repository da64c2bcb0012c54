/** The Kubernetes layer: what runs inside every regional cluster. */
export {
  SERVICE_NAMES,
  TIERS,
  servicesSchema,
  serviceSchema,
  addonsSchema,
  DEFAULT_SERVICES,
  DEFAULT_SERVICES_INPUT,
  DEFAULT_ADDONS,
  DEFAULT_DATA_ACCESS,
  DEFAULT_STATIC_STABILITY,
  DATA_ACCESS,
  imageReference,
  serviceCallers,
} from "./config";
export type {
  ServiceName,
  Tier,
  ServiceConfig,
  ServiceConfigInput,
  ServicesConfig,
  AddonsConfig,
  AddonName,
  DataAccess,
} from "./config";
export { dataConfigMapName, requiredDataConfigMaps } from "./data-access";
export type { RequiredDataConfigMap } from "./data-access";
export { TIER_DEFAULTS, LABELS, serviceLabels, serviceReplicaBounds } from "./tiers";
export type { TierDefaults } from "./tiers";
export { LearningService, PROBE_PATHS, SERVICE_PORT } from "./learning-service";
export type { LearningServiceProps, ServicePeer, TelemetryEgress } from "./learning-service";
export { LearningNamespace, DEFAULT_DENY_POLICY, ALLOW_DNS_POLICY } from "./namespace";
export type { LearningNamespaceProps } from "./namespace";
export { PriorityClasses } from "./priority-classes";
export {
  NodePlaceholder,
  placeholderName,
  placeholderPodSpec,
  placeholderScaledObject,
  PLACEHOLDER_COOLDOWN_SECONDS,
} from "./placeholder";
export type { NodePlaceholderProps } from "./placeholder";
export * from "./keda";
export {
  LearningChart,
  serviceTriggers,
  resolveFallback,
  serviceScaling,
  promqlTrigger,
  PROMQL_TRIGGER_AUTH,
} from "./learning-chart";
export type { LearningChartProps, LearningMesh, ServiceScalingArgs, PromqlTarget } from "./learning-chart";
export { serviceScalingProblems, ownTriggerTypes } from "./scaling-rules";
export type { ScalingRuleOptions } from "./scaling-rules";
export { PlatformAddons, ADDON_ORDER, ADDON_RELEASE_NAMES, defaultAddonValues } from "./addons";
export type { PlatformAddonsArgs, AddonReleases } from "./addons";
export {
  dnsSchema,
  DNS_POLICIES,
  EXTERNAL_DNS_ANNOTATIONS,
  EXTERNAL_DNS_SERVICE_ACCOUNT,
  externalDnsIamPolicy,
  externalDnsValues,
  hostInZone,
  latencyRecordAnnotations,
} from "./dns";
export type { DnsConfig, DnsPolicy } from "./dns";
export { RegionWorkloads, renderRegionObjects, regionPromqlTarget } from "./region-workloads";
export type { RegionWorkloadsArgs } from "./region-workloads";
export { POD_IDENTITY_AGENT } from "./data-egress";
export type { DataEgress } from "./data-egress";
export * from "./delivery";
