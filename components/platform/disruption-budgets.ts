/**
 * No voluntary node disruption while learners depend on a region: each region's critical spans (`criticalSpans`)
 * compiled into Karpenter's budget form (`cronWindows`), for every NodePool of the region. Pure.
 */
import { cronWindows, type BusyInterval, type CronWindowResult } from "../calendar";
import type { SemesterConfig } from "../config";
import { MINUTE_MS } from "../core";

/**
 * The compiled windows per region of the stack from its critical spans (`criticalSpans`); none when the calendar
 * is off (`spans` undefined) or its budgets are.
 */
export function calendarZeroBudgets(
  spans: readonly BusyInterval[] | undefined,
  config: Pick<SemesterConfig, "calendar" | "regions">,
): Record<string, CronWindowResult> {
  const options = config.calendar.disruptionBudgets;
  if (spans === undefined || !options.enabled) return {};
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
