import * as path from "node:path";
import { toKedaAdvanced, toKedaTriggers } from "../calendar/compile/keda-trigger";
import { compileCalendar, type CalendarSchedule } from "../calendar/schedule";
import type { SemesterConfig } from "../config/schema";
import { SERVICE_NAMES, type ServiceName } from "../kubernetes/config";
import type { ExternalScaling } from "../kubernetes/scaled-object";
import { DAY_MS } from "../core/time";

/** The calendar's contribution to each region's ScaledObjects. */
export interface CalendarScaling {
  readonly schedule: CalendarSchedule;
  readonly byRegion: Readonly<Record<string, Partial<Record<ServiceName, ExternalScaling>>>>;
}

/** The start of the UTC day containing `instant`: two plans of the same day share their horizon. */
export function startOfUtcDay(instant: number): number {
  return Math.floor(instant / DAY_MS) * DAY_MS;
}

/**
 * Compiles the stack's calendar over its horizon into cron triggers and HPA behavior per region and
 * service. Pure (reads two files, creates nothing), so a bad calendar stops the program before any resource.
 */
export function calendarScaling(config: SemesterConfig, now: number, root: string): CalendarScaling {
  const calendar = config.calendar;
  const schedule = compileCalendar({
    // Relative to the working directory, so messages name the file as the user knows it.
    calendarPath: path.relative(process.cwd(), path.resolve(root, calendar.file)),
    profilePath: path.relative(process.cwd(), path.resolve(root, calendar.profile)),
    regions: config.regions.map((r) => r.region),
    defaultRegion: config.homeRegion,
    regionAliases: calendar.regionAliases,
    services: [...SERVICE_NAMES],
    from: now,
    days: calendar.horizonDays,
    budget: calendar.triggerBudget,
    weeklyPatterns: calendar.weeklyPatterns,
  });
  const byRegion: Record<string, Partial<Record<ServiceName, ExternalScaling>>> = {};
  for (const result of schedule.results) {
    const { region, service } = result.schedule;
    const advanced = toKedaAdvanced(result.schedule);
    byRegion[region] ??= {};
    byRegion[region][service as ServiceName] = {
      triggers: toKedaTriggers(result.schedule),
      behavior: advanced.horizontalPodAutoscalerConfig.behavior,
      minReplicas: result.schedule.minReplicaCount,
      maxReplicas: result.schedule.maxReplicaCount,
    };
  }
  return { schedule, byRegion };
}
