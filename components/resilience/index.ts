/** Resilience: zonal autoshift with SLO outcome alarms and practice runs kept out of exams, and blast zones. */
export { resilienceSchema, DEFAULT_RESILIENCE } from "./config";
export type { ResilienceConfig } from "./config";
export {
  PRACTICE_RUN_LIMITS,
  WEEKDAYS,
  parseWeeklyWindow,
  formatWeeklyWindow,
  weeklyWindowInstants,
  practiceRunWindows,
  examBlockedDates,
  practiceRunConflicts,
  utcDate,
} from "./practice-windows";
export type {
  Weekday,
  WeeklyWindow,
  WindowOccurrence,
  Span,
  LoadSegment,
  PracticeRunWindowOptions,
  PracticeRunWindows,
  ExamBlockedDates,
  PracticeRunSettings,
} from "./practice-windows";
export { regionPracticeRuns } from "./practice-runs";
export type { RegionPracticeRuns } from "./practice-runs";
export { RegionSloAlarms, burnRowSpecs, strictestPublicObjective } from "./slo-alarms";
export type { RegionSloAlarmsArgs, BurnRowSpec, AlarmWindowSpec } from "./slo-alarms";
export { RegionResilience, AUTOSHIFT_TARGETS } from "./region-resilience";
export type { RegionResilienceArgs } from "./region-resilience";
export {
  blastZoneChart,
  tierQuotas,
  quotaAdmits,
  podFootprint,
  peakPods,
  quotaName,
  LIMIT_RANGE_NAME,
} from "./blast-zones";
export type { ContainerResources, PodFootprint, TierQuota, QuotaInput } from "./blast-zones";
export { DEPLOYMENT_PEAK_PODS_FACTOR } from "./blast-zones";
export { millicores, bytes } from "./quantities";
