/**
 * When GameDays run: on the configured weekday of every week of the calendar's horizon, the experiments of a region
 * one after another, each at the earliest quarter hour where it (with the safety margin either side) meets no busy
 * span of the region (every calendar window with its lead and tail, `busyIntervals`) and no zonal-autoshift
 * practice-run window, and lies within the platform team's working hours and the horizon.
 *
 * The slots of a day depend only on that day's calendar, never on when the program runs: a daily `pulumi up` (the
 * calendar refresh) recomputes the same slots for the days still ahead, and a day that has begun is no longer
 * planned, so a refresh can neither move an experiment that already ran to a later hour nor run it twice. Nor is a day
 * that begins within the margin of the horizon's start: the calendar compiled from that start no longer shows a
 * window that ended just before it, which the margin must still keep clear of.
 * Pure: no Pulumi.
 */
import { DAY_MS, MINUTE_MS, type Problem } from "../core";
import type { BusyInterval } from "../calendar";
import { WEEKDAY_INDEX, type Weekday } from "./config";

/** Slots start on this grid. */
export const SLOT_STEP_MS = 15 * MINUTE_MS;

const WEEK_MS = 7 * DAY_MS;

/** One weekly window, as the autoshift practice-run `allowedWindows` write it: `Mon:09:00-Mon:11:00`, UTC. */
export interface WeeklyWindow {
  readonly text: string;
  /** Offsets from Sunday 00:00 UTC, ms; `end` may exceed a week when the window wraps past Sunday. */
  readonly start: number;
  readonly end: number;
}

const WINDOW =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun):([01]\d|2[0-3]):([0-5]\d)-(Mon|Tue|Wed|Thu|Fri|Sat|Sun):([01]\d|2[0-3]):([0-5]\d)$/;

/** Parses `Day:HH:MM-Day:HH:MM` (UTC); `undefined` when the text is not of that form. */
export function parseWeeklyWindow(text: string): WeeklyWindow | undefined {
  const m = WINDOW.exec(text);
  if (m === null) return undefined;
  const at = (day: string, h: string, min: string) =>
    WEEKDAY_INDEX[day as Weekday] * DAY_MS + Number(h) * 60 * MINUTE_MS + Number(min) * MINUTE_MS;
  const start = at(m[1]!, m[2]!, m[3]!);
  let end = at(m[4]!, m[5]!, m[6]!);
  if (end <= start) end += WEEK_MS;
  return { text, start, end };
}

/** Every occurrence of the weekly windows that meets [from, to), as instants. */
export function weeklyOccurrences(
  windows: readonly WeeklyWindow[],
  from: number,
  to: number,
): { readonly window: string; readonly start: number; readonly end: number }[] {
  // 1970-01-01 was a Thursday: the Sunday before it is 4 days earlier.
  const sunday0 = -4 * DAY_MS;
  const firstWeek = Math.floor((from - sunday0) / WEEK_MS) - 1;
  const out: { window: string; start: number; end: number }[] = [];
  for (let week = firstWeek; sunday0 + week * WEEK_MS < to; week++) {
    const base = sunday0 + week * WEEK_MS;
    for (const w of windows) {
      const start = base + w.start;
      const end = base + w.end;
      if (start < to && from < end) out.push({ window: w.text, start, end });
    }
  }
  return out.sort((a, b) => a.start - b.start || a.window.localeCompare(b.window));
}

/** What a slot must stay clear of. */
export interface SlotConstraints {
  readonly region: string;
  readonly horizon: { readonly from: number; readonly to: number };
  /** Busy spans (of every region: only `region`'s count). */
  readonly busy: readonly BusyInterval[];
  /** The region's practice-run windows (`Day:HH:MM-Day:HH:MM`, UTC). */
  readonly practiceRuns: readonly WeeklyWindow[];
  readonly marginMs: number;
  /** Working hours as offsets into the UTC day, ms. @default the whole day */
  readonly workingHours?: { readonly start: number; readonly end: number };
}

/** Why a slot is not allowed, naming what it meets; `undefined` when it is allowed. */
export function slotConflict(start: number, end: number, c: SlotConstraints): string | undefined {
  const from = start - c.marginMs;
  const to = end + c.marginMs;
  if (start < c.horizon.from || end > c.horizon.to)
    return `outside the calendar horizon ${iso(c.horizon.from)}..${iso(c.horizon.to)}`;
  const busy = c.busy.find((b) => b.region === c.region && b.start < to && from < b.end);
  if (busy !== undefined)
    return `within ${c.marginMs / MINUTE_MS} min of calendar window(s) ${busy.occurrences.join(", ")} (busy ${iso(busy.start)}..${iso(busy.end)})`;
  const run = weeklyOccurrences(c.practiceRuns, from, to)[0];
  if (run !== undefined)
    return `within ${c.marginMs / MINUTE_MS} min of the zonal-autoshift practice-run window ${run.window} (${iso(run.start)}..${iso(run.end)})`;
  if (c.workingHours !== undefined) {
    const day = Math.floor(start / DAY_MS) * DAY_MS;
    if (start < day + c.workingHours.start || end > day + c.workingHours.end)
      return "outside the platform team's working hours";
  }
  return undefined;
}

/** An experiment to place: its name and how long it runs. */
export interface SlotRequest {
  readonly name: string;
  readonly durationMs: number;
}

export interface PlannedSlot {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

export interface SlotPlan {
  readonly slots: readonly PlannedSlot[];
  /** GameDays an experiment could not be placed on: `<name> on <date>: <why>`. */
  readonly skipped: readonly string[];
}

/**
 * The slots of a region's experiments over the horizon: on every `day` in it that begins at least the margin after
 * the horizon's start (so the busy spans the margin looks back on are all in view), the experiments
 * in order, each at the earliest grid instant after the previous one (and its margin) that `slotConflict` allows.
 */
export function planSlots(requests: readonly SlotRequest[], day: Weekday, c: SlotConstraints): SlotPlan {
  const slots: PlannedSlot[] = [];
  const skipped: string[] = [];
  const work = c.workingHours ?? { start: 0, end: DAY_MS };
  const firstDay = firstPlannedDay(c);
  for (let d = firstDay; d < c.horizon.to; d += DAY_MS) {
    if (new Date(d).getUTCDay() !== WEEKDAY_INDEX[day]) continue;
    let cursor = d + work.start;
    for (const r of requests) {
      let placed: PlannedSlot | undefined;
      let last: string | undefined;
      for (let t = align(cursor); t + r.durationMs <= d + work.end; t += SLOT_STEP_MS) {
        last = slotConflict(t, t + r.durationMs, c);
        if (last === undefined) {
          placed = { name: r.name, start: t, end: t + r.durationMs };
          break;
        }
      }
      if (placed === undefined) {
        skipped.push(
          `${r.name} on ${iso(d).slice(0, 10)}: no free slot (last tried: ${last ?? "none fits the day"})`,
        );
        continue;
      }
      slots.push(placed);
      cursor = placed.end + c.marginMs;
    }
  }
  return { slots, skipped };
}

/**
 * The safety check on slots however they were made: one problem per slot that meets a busy span, a practice run,
 * the horizon's ends or the working hours, naming the experiment, the instant and what it meets.
 */
export function slotProblems(path: string, slots: readonly PlannedSlot[], c: SlotConstraints): Problem[] {
  return slots.flatMap((s) => {
    const conflict = slotConflict(s.start, s.end, c);
    return conflict === undefined
      ? []
      : [
          {
            path: `${path}.${s.name}`,
            value: `${iso(s.start)}..${iso(s.end)}`,
            rule: `a GameDay must not run ${conflict}`,
          },
        ];
  });
}

/** The first midnight (UTC) whose margin before it lies within the horizon. */
export function firstPlannedDay(c: Pick<SlotConstraints, "horizon" | "marginMs">): number {
  return Math.ceil((c.horizon.from + c.marginMs) / DAY_MS) * DAY_MS;
}

function align(t: number): number {
  return Math.ceil(t / SLOT_STEP_MS) * SLOT_STEP_MS;
}

/** ISO instant without milliseconds. */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

/** Minutes into the UTC day of `HH:MM`. */
export function minutesOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}
