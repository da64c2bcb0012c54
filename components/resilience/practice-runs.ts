/**
 * A region's practice-run settings from the compiled calendar: allowed windows free of every busy span (all kinds)
 * over the horizon, preferring the lowest planned load, and the exam dates blocked. Pure.
 */
import { busyIntervals, type CalendarSchedule } from "../calendar";
import type { ResilienceConfig } from "./config";
import {
  PRACTICE_RUN_LIMITS,
  examBlockedDates,
  practiceRunWindows,
  utcDate,
  type LoadSegment,
  type Span,
} from "./practice-windows";

export interface RegionPracticeRuns {
  readonly allowedWindows: string[];
  readonly blockedDates: string[];
  /** The region's exam spans (window with lead and tail) over the horizon. */
  readonly exams: Span[];
  readonly horizon: { readonly from: number; readonly to: number };
  /** What a human should know (exam dates past ARC's limit). */
  readonly warnings: string[];
}

/** The practice-run settings of `region`. Throws when no window is free (the message says what to change). */
export function regionPracticeRuns(
  schedule: CalendarSchedule | undefined,
  region: string,
  config: ResilienceConfig["autoshift"],
  now: number,
  reserved: (horizon: { readonly from: number; readonly to: number }) => readonly Span[] = () => [],
): RegionPracticeRuns {
  const horizon = schedule?.horizon ?? { from: now, to: now + 7 * 86_400_000 };
  // Learners' spans, and the spans other drills hold (GameDays), which practice runs keep out of alike.
  const busy = [
    ...(schedule ? busyIntervals(schedule).filter((b) => b.region === region) : []),
    ...reserved(horizon),
  ];
  const exams = schedule
    ? busyIntervals(schedule, { kinds: config.examKinds }).filter((b) => b.region === region)
    : [];
  const load: LoadSegment[] = [];
  schedule?.results.forEach((r) => {
    if (r.schedule.region !== region) return;
    for (const s of r.required) load.push({ start: s.start, end: s.end, value: s.replicas });
  });
  const allowedWindows =
    config.allowedWindows ??
    practiceRunWindows(busy, horizon, { minimumWindowMinutes: config.minimumWindowMinutes, load }).windows;
  if (allowedWindows.length === 0)
    throw new Error(
      `${region}: no weekly window of ${config.minimumWindowMinutes} min is free of the calendar's busy spans over the horizon; ` +
        "lower semester:resilience.autoshift.minimumWindowMinutes or give allowedWindows",
    );
  const blocked = examBlockedDates(exams, horizon);
  const warnings: string[] = [];
  if (blocked.omitted.length > 0)
    warnings.push(
      `${region}: ${blocked.omitted.length} exam date(s) past ARC's ${PRACTICE_RUN_LIMITS.maxBlockedDates} blocked dates (${blocked.omitted.join(", ")}); ` +
        `blocked dates protect until ${utcDate(blocked.protectedUntil!)}, the allowed windows keep runs out after that`,
    );
  const extras = config.extraBlockedDates.filter((d) => !blocked.dates.includes(d));
  const room = PRACTICE_RUN_LIMITS.maxBlockedDates - blocked.dates.length;
  if (extras.length > room)
    warnings.push(
      `${region}: ${extras.length - room} extra blocked date(s) dropped: ARC takes ${PRACTICE_RUN_LIMITS.maxBlockedDates}`,
    );
  const blockedDates = [...blocked.dates, ...extras.slice(0, Math.max(0, room))].sort();
  return { allowedWindows, blockedDates, exams, horizon, warnings };
}
