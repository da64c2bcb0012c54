/**
 * The root component: clusters, data tier, peering and workloads of every region, wired together, plus the
 * calendar's contribution to scaling. This file is its public API: the only surface other modules import.
 */
export { mskResourceArn } from "./data-access-policy";
export { Platform } from "./platform";
export type { PlatformArgs, RegionOutputs } from "./platform";
export { criticalSpans } from "./critical-spans";
export { calendarZeroBudgets } from "./disruption-budgets";
export { calendarScaledObjects, stackCalendarOptions, startOfUtcDay } from "./calendar-scaling";
export { windowConflicts, type RegionMaintenance, type WindowConflict } from "./maintenance-windows";
