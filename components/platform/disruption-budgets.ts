/**
 * No voluntary node disruption while learners depend on a region: each region's critical spans (`criticalSpans`)
 * compiled into Karpenter's budget form (`cronWindows`), for every NodePool of the region. Pure.
 */
import { cronWindows, type CalendarSchedule, type CronWindowResult } from "../calendar";
import type { SemesterConfig } from "../config";
import { MINUTE_MS } from "../core";
import { criticalSpans } from "./critical-spans";

/** The compiled windows per region of the stack; none when the calendar's budgets are off. */
export function calendarZeroBudgets(
  schedule: CalendarSchedule | undefined,
  config: Pick<SemesterConfig, "calendar" | "services" | "regions">,
): Record<string, CronWindowResult> {
  const options = config.calendar.disruptionBudgets;
  if (schedule === undefined || !options.enabled) return {};
  const spans = criticalSpans(schedule, config.services);
  return Object.fromEntries(
    config.regions.map((r) => [
      r.region,
      cronWindows(
        spans.filter((s) => s.region === r.region),
        { maxWindows: options.maxBudgets, settleMs: options.settleMinutes * MINUTE_MS },
      ),
    ]),
  );
}
