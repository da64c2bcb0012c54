/**
 * The calendar module, by stage: input (iCalendar/JSON calendars, the load profile), model (the need per region
 * and service), compile (KEDA cron triggers within the trigger budget), report (capacity plan and plot). This file
 * is its public API: the only surface other modules import.
 */
export { compileAll, CALENDAR_TRIGGER_PREFIX } from "./compile/compile";
export { toKedaTriggers } from "./compile/keda-trigger";
export { needSeries } from "./model/need";
export { integrate } from "./model/steps";
export { DEFAULT_TIMING, createRampModel } from "./model/timing";
export {
  buildCapacityPlan,
  formatCoverage,
  isoInstant,
  preProvisionLine,
  preProvisionTotals,
  serializeCapacityPlan,
} from "./report/capacity-plan";
export type { PreProvisionTotals } from "./report/capacity-plan";
export { compileCalendar } from "./schedule";
export type { CalendarSchedule, CompileCalendarOptions } from "./schedule";
export type { CalendarWindow, CompileResult, LoadProfile, NeedSeries, Segment } from "./types";
export { plotCapacity } from "./report/plot";
export { busyIntervals, overlapsBusy } from "./report/busy";
export type { BusyInterval } from "./report/busy";
