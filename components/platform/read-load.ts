/**
 * What the calendar asks of the data tier's read side: per region, the summed replicas the read services (CQRS
 * `dataAccess: read`, whose binding reads the local Aurora readers and the local Redis) must have Ready, lead and
 * tail included, from the compiled calendar. The data tier schedules readers and replicas from it.
 */
import { sumSteps, type CalendarSchedule } from "../calendar";
import type { ReadLoad } from "../data";
import { SERVICE_NAMES, type ServicesConfig } from "../kubernetes";

export function readLoad(schedule: CalendarSchedule, services: ServicesConfig): ReadLoad {
  const readers = new Set<string>(SERVICE_NAMES.filter((s) => services[s].dataAccess === "read"));
  const byRegion = new Map<string, { start: number; end: number; weight: number }[]>();
  for (const result of schedule.results) {
    const { region, service } = result.schedule;
    if (!readers.has(service)) continue;
    const intervals = byRegion.get(region) ?? [];
    intervals.push(...result.required.map((s) => ({ start: s.start, end: s.end, weight: s.replicas })));
    byRegion.set(region, intervals);
  }
  return {
    horizon: schedule.horizon,
    regions: Object.fromEntries([...byRegion].map(([region, intervals]) => [region, sumSteps(intervals)])),
  };
}
