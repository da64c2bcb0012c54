/**
 * Contracts every module shares, owned here once: the problem and input error shape, the Kubernetes object
 * types, the environment union, time units, the CQRS binding names and the calendar limits.
 */
export {
  InputError,
  describeValue,
  formatProblem,
  formatProblems,
  joinPath,
  problemsFromZod,
  throwIfProblems,
  type Problem,
} from "./problem";
export type { KubeObject, RegionObject, ResolvedKubeObject } from "./kube-object";
export { ENVIRONMENTS, type Environment } from "./environment";
export { SECOND_MS, MINUTE_MS, HOUR_MS, DAY_MS } from "./time";
export { DATA_NAMESPACE, DATA_CONFIG_MAP_NAMES, DATA_ENV } from "./cqrs";
export {
  DEFAULT_TRIGGER_BUDGET,
  MAX_TRIGGER_BUDGET,
  MAX_HORIZON_MS,
  MAX_HORIZON_DAYS,
  DEFAULT_HORIZON_DAYS,
  DEFAULT_HORIZON_WARNING_DAYS,
  DEFAULT_HORIZON_CRITICAL_DAYS,
  OVER_CAPACITY_MODES,
  type OverCapacity,
} from "./calendar-limits";
/** @internal */
export { hideFromOutputWalks } from "./hide-from-output-walks";
export { AWS_REGIONS, AWS_REGION_NAMES, AWS_REGION_RULE, isAwsRegion } from "./aws-regions";
export { DNS_LABEL, isDnsLabel } from "./dns-label";
export { WHOLE_FILE, readInputFile } from "./input-file";
export type { AwsRegion } from "./aws-regions";
export { ALB_ZONAL_SHIFT_ANNOTATIONS } from "./alb";
export { PLACEHOLDER_POD } from "./placeholder";
export { RESTRICTED_CONTAINER_SECURITY_CONTEXT } from "./pod-security";
export { mergeValues } from "./helm-values";
export { pinnedRelease } from "./helm-release";
export type { PinnedRelease } from "./helm-release";
