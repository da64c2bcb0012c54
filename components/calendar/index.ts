/**
 * The calendar module, by stage: input (iCalendar/JSON calendars, the load profile), model (the need per region
 * and service), compile (KEDA cron triggers within the trigger budget), report (capacity plan and plot). This file
 * is its public API: the only surface other modules import.
 */
export { compileAll, CALENDAR_TRIGGER_PREFIX, sharedZone } from "./compile/compile";
export { toKedaTriggers } from "./compile/keda-trigger";
export { datedLowerBound, weeklyLowerBound, zonedWeeklyLowerBound } from "./compile/bound";
export { ceilReplicas, needSeries } from "./model/need";
export { integrate, sumSteps } from "./model/steps";
export type { WeightedInterval } from "./model/steps";
export { decompose, maxOf } from "./compile/skyline";
export type { LevelInterval } from "./compile/skyline";
export { mergeToBudget } from "./compile/merge";
export { foldWeekly } from "./compile/weekly";
export { DEFAULT_TIMING, createRampModel } from "./model/timing";
export {
  buildCapacityPlan,
  CAPACITY_PLAN_VERSION,
  forecastLine,
  formatCoverage,
  isoInstant,
  preProvisionLine,
  preProvisionTotals,
  serializeCapacityPlan,
} from "./report/capacity-plan";
export type { CapacityPlan, PlanOccurrence, PreProvisionTotals, ServicePlan } from "./report/capacity-plan";
export { compileCalendar } from "./schedule";
export type { CalendarSchedule, CompileCalendarOptions } from "./schedule";
export type {
  BaselineSeries,
  CalendarWindow,
  CompileOptions,
  CompileResult,
  FitQuality,
  LearnedEstimate,
  LearnedProvenance,
  LoadBaseline,
  LoadProfile,
  NeedSeries,
  Segment,
  ServiceProfile,
  TimingModel,
} from "./types";
// Issue 14: the learner (components/forecast) writes baselines and reads calendars and profiles through these.
export {
  BASELINE_SLOT_MINUTES,
  baselineLoad,
  forecastReplicas,
  quantileKey,
  slotOfWeek,
  slotsPerWeek,
} from "./model/baseline";
export { allowedKinds, parseProfile, profileTiming } from "./input/profile";
export { loadCalendarFile, loadProfileFile } from "./input/load";
export { plotCapacity, renderPlotSvg } from "./report/plot";
export { busyIntervals, overlapsBusy } from "./report/busy";
export type { BusyInterval } from "./report/busy";
export { cronWindows } from "./compile/cron-windows";
export type { CronWindow, CronWindowOptions, CronWindowResult } from "./compile/cron-windows";
export { parseCronSpec } from "./compile/cron-spec";
export type { ParsedCronSpec } from "./compile/cron-spec";
