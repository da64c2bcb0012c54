/**
 * Maintenance where nobody is learning: per region, the data tier's windows (`chooseDataWindows`) chosen on the
 * week profile of the region's planned load, clear of its critical spans (`criticalSpans`).
 *
 * Planned load: the calendar's scheduled replicas (`results[i].scheduled`) summed over the region's services that
 * read or write the data tier (`dataAccess` not `none`): their pods are what send queries to Aurora and Redis while
 * a store fails over. Replicas, not learners, because a replica is what holds connections and retries. Folded onto
 * the week with the MAX over every week of the horizon (`foldWeekly`), as a weekly window recurs in every week.
 *
 * A window that meets a critical span is a warning naming the window, its key and the spans' occurrences: a pinned
 * one (the stack's decision), or a chosen one when no slot of its length is clear. Pure: the platform logs the
 * warnings and the plan prints them.
 */
import { type BusyInterval, type CalendarSchedule, foldWeekly, sumSteps } from "../calendar";
import { iso, weeklyOccurrences, type WeeklyWindow } from "../chaos";
import {
  DATA_WINDOW_KEYS,
  QUIET_WEEK,
  WINDOW_PERIOD,
  chooseDataWindows,
  pinnedWindows,
  windowIntervals,
  type DataConfig,
  type DataWindowKey,
  type RegionWindows,
  type WeekProfile,
} from "../data";
import type { ServicesConfig } from "../kubernetes";
import { MINUTE_MS } from "../core";
import { criticalSpans } from "./critical-spans";

/** @internal One region's windows and what the stack should know about them. */
export interface RegionMaintenance {
  readonly windows: RegionWindows;
  /** One per window that meets a critical span. */
  readonly warnings: readonly string[];
}

/** What the choice reads from the stack. */
export interface MaintenanceInputs {
  readonly regions: readonly { readonly region: string }[];
  readonly services: ServicesConfig;
  readonly data: DataConfig;
}

const WEEK_MINUTES = 7 * 1440;
/** The calendar's weeks start on Monday, AWS's day names on Sunday. */
const MONDAY_MINUTE = 1440;

/**
 * The windows of every region: chosen on the calendar's profile, or with the calendar off on a quiet week (the
 * static defaults unless a pinned partner moves one). `stackFile` names the stack in warnings; `spans` are the
 * schedule's critical spans when the caller already has them (@default - computed from `schedule`).
 * @internal
 */
export function regionMaintenance(
  inputs: MaintenanceInputs,
  schedule: CalendarSchedule | undefined,
  stackFile: string,
  spans: readonly BusyInterval[] = schedule === undefined ? [] : criticalSpans(schedule, inputs.services),
): Record<string, RegionMaintenance> {
  const pins = pinnedWindows(inputs.data);
  const out: Record<string, RegionMaintenance> = {};
  for (const { region } of inputs.regions) {
    const mine = spans.filter((s) => s.region === region);
    const profile =
      schedule === undefined ? QUIET_WEEK : weekProfile(schedule, region, inputs.services, mine);
    const windows = chooseDataWindows(profile, pins);
    const warnings = DATA_WINDOW_KEYS.flatMap((key) => {
      const w = windows[key];
      if (w.clean || schedule === undefined) return [];
      const met = describeConflicts(windowConflicts(key, w.window, mine, schedule.horizon));
      return [
        w.pinned
          ? `${region}: the pinned ${key} "${w.window}" (${stackFile} \`semester:data.${key}\`) meets critical spans: ${met}`
          : `${region}: no ${key} of its length is clear of critical spans; chose "${w.window}" at the lowest planned load (peak ${round(w.peak)} replicas), which meets: ${met}`,
      ];
    });
    out[region] = { windows, warnings };
  }
  return out;
}

/**
 * The region's week profile: planned load and critical spans folded onto one week, minute by minute from Sunday
 * 00:00 UTC. A minute counts as loaded or critical if any part of it is.
 * @internal
 */
export function weekProfile(
  schedule: CalendarSchedule,
  region: string,
  services: ServicesConfig,
  spans: readonly BusyInterval[],
): WeekProfile {
  const scheduled = schedule.series.flatMap((series, i) =>
    series.region === region && services[series.service as keyof ServicesConfig]?.dataAccess !== "none"
      ? schedule.results[i]!.scheduled.map((s) => ({ start: s.start, end: s.end, weight: s.replicas }))
      : [],
  );
  const load = new Array<number>(WEEK_MINUTES).fill(0);
  const critical = new Array<boolean>(WEEK_MINUTES).fill(false);
  for (const s of foldWeekly(sumSteps(scheduled), 0))
    eachMinute(s.start, s.end, (m) => (load[m] = Math.max(load[m]!, s.replicas)));
  const folded = foldWeekly(
    spans.map((b) => ({ start: b.start, end: b.end, replicas: 1 })),
    0,
  );
  for (const s of folded) if (s.replicas > 0) eachMinute(s.start, s.end, (m) => (critical[m] = true));
  return { load, critical };
}

/** Calls `visit` with the Sunday-based minute of the week of every minute that [start, end) (Monday-based ms) meets. */
function eachMinute(start: number, end: number, visit: (minute: number) => void): void {
  for (let m = Math.floor(start / MINUTE_MS); m < Math.ceil(end / MINUTE_MS); m++)
    visit((m + MONDAY_MINUTE) % WEEK_MINUTES);
}

/** One occurrence of a window in the horizon and the critical spans it meets. */
export interface WindowConflict {
  readonly start: number;
  readonly end: number;
  readonly spans: readonly BusyInterval[];
}

/**
 * Every occurrence of `window` (the key's AWS format) within `horizon` that meets one of `spans`, in order. The
 * independent check of a window, from its text: the plan runs it on what its resources received.
 */
export function windowConflicts(
  key: DataWindowKey,
  window: string,
  spans: readonly BusyInterval[],
  horizon: { readonly from: number; readonly to: number },
): WindowConflict[] {
  const parsed = windowIntervals(WINDOW_PERIOD[key], window);
  if (parsed === undefined) return [];
  const weekly: WeeklyWindow[] = parsed.intervals.map(([s, e]) => ({
    text: window,
    start: s * MINUTE_MS,
    end: e * MINUTE_MS,
  }));
  // Pieces of one occurrence split at Saturday midnight are joined again.
  const occurrences: { start: number; end: number }[] = [];
  for (const o of weeklyOccurrences(weekly, horizon.from, horizon.to)) {
    const last = occurrences[occurrences.length - 1];
    if (last !== undefined && last.end === o.start) last.end = o.end;
    else occurrences.push({ start: o.start, end: o.end });
  }
  return occurrences.flatMap((o) => {
    const met = spans.filter((b) => b.start < o.end && o.start < b.end);
    return met.length > 0 ? [{ ...o, spans: met }] : [];
  });
}

const SHOWN = 3;

function describeConflicts(conflicts: readonly WindowConflict[]): string {
  const shown = conflicts
    .slice(0, SHOWN)
    .map(
      (c) =>
        `${iso(c.start)}..${iso(c.end)} (${[...new Set(c.spans.flatMap((s) => s.occurrences))].join(", ")})`,
    );
  const more = conflicts.length - SHOWN;
  return shown.join("; ") + (more > 0 ? `; and ${more} more occurrence${more === 1 ? "" : "s"}` : "");
}

const round = (x: number) => Math.round(x * 10) / 10;
