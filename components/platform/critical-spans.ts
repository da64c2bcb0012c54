/**
 * When learners must not be disturbed: per region, the merged spans during which any critical-tier service holds
 * capacity for a calendar window (its lead and tail included). The layers that can disrupt a region keep clear of
 * them: Karpenter's voluntary disruption, the data tier's maintenance and backup windows, node group updates.
 * The change freeze reads the same spans per service (change-freeze.ts).
 */
import { busyIntervals, type BusyInterval, type CalendarSchedule } from "../calendar";
import { SERVICE_NAMES, type ServicesConfig } from "../kubernetes";

/** The critical services' busy spans of every region, sorted by region then start; none without critical services. */
export function criticalSpans(schedule: CalendarSchedule, services: ServicesConfig): BusyInterval[] {
  const critical = SERVICE_NAMES.filter((s) => services[s].tier === "critical");
  return critical.length === 0 ? [] : busyIntervals(schedule, { services: critical });
}
