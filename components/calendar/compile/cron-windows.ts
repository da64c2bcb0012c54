/**
 * Spans of time to the fewest (cron schedule, duration) windows that cover them: the form of a Karpenter disruption
 * budget, which is active for `duration` from each instant its 5-field UTC `schedule` fires.
 *
 * 1. Each span is widened to whole minutes (start down, end up), started `settleMs` earlier, and spans that then
 *    meet are merged.
 * 2. A span whose start (weekday and UTC time) recurs in at least two weeks, and in at least half the weeks from
 *    its first occurrence to its last, is a weekly slot: one window fires at that time every week, lasting the
 *    longest of its occurrences. Slots with the same time of day and duration
 *    share one schedule (`0 9 * * 1,3`). Weeks without the occurrence (holidays) and weeks after the horizon are
 *    covered too: more protected time, never less.
 * 3. Every other span is date-specific (`M H D Mon *`); spans of one month with the same time and duration share
 *    a schedule (`0 14 3,17 12 *`). Such a spec fires again a year later, which a horizon under a year allows.
 * 4. While there are more windows than `maxWindows`, the smallest gap between two spans is bridged (the two become
 *    one) and the spans are compiled again: bridging only adds protected time, so coverage is kept at every step.
 * Pure; instants are epoch ms UTC.
 */
import { DAY_MS, MINUTE_MS } from "../../core";
import { ceilToMinute, floorToMinute } from "./cron-spec";
import { WEEK_MS, weekOffset } from "./weekly";

/** @internal One compiled window: active for `durationMinutes` from every instant `schedule` (UTC) fires. */
export interface CronWindow {
  readonly schedule: string;
  readonly durationMinutes: number;
}

/** @internal */
export interface CronWindowOptions {
  /** At most this many windows; smallest gaps are bridged until they fit. */
  readonly maxWindows: number;
  /** Each span starts this much earlier. @default 0 */
  readonly settleMs?: number;
}

/** @internal What compiling a set of spans produced. */
export interface CronWindowResult {
  readonly windows: readonly CronWindow[];
  /** Gaps bridged to fit `maxWindows`. */
  readonly bridges: number;
  /** Protected minutes added by bridging. */
  readonly bridgedMinutes: number;
}

interface Span {
  readonly start: number;
  readonly end: number;
}

/** The windows covering every span (see the module comment). */
export function cronWindows(spans: readonly Span[], options: CronWindowOptions): CronWindowResult {
  const maxWindows = Math.max(1, Math.floor(options.maxWindows));
  let merged = normalize(spans, options.settleMs ?? 0);
  let windows = compile(merged);
  let bridges = 0;
  let bridgedMinutes = 0;
  while (windows.length > maxWindows && merged.length > 1) {
    let best = 1;
    for (let i = 2; i < merged.length; i++) {
      if (merged[i]!.start - merged[i - 1]!.end < merged[best]!.start - merged[best - 1]!.end) best = i;
    }
    bridgedMinutes += (merged[best]!.start - merged[best - 1]!.end) / MINUTE_MS;
    merged = [
      ...merged.slice(0, best - 1),
      { start: merged[best - 1]!.start, end: merged[best]!.end },
      ...merged.slice(best + 1),
    ];
    bridges++;
    windows = compile(merged);
  }
  return { windows, bridges, bridgedMinutes };
}

/** Whole minutes, `settleMs` earlier, sorted, and merged where they meet. */
function normalize(spans: readonly Span[], settleMs: number): Span[] {
  const sorted = spans
    .filter((s) => s.end > s.start)
    .map((s) => ({ start: floorToMinute(s.start - settleMs), end: ceilToMinute(s.end) }))
    .sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && s.start <= last.end)
      out[out.length - 1] = { ...last, end: Math.max(last.end, s.end) };
    else out.push(s);
  }
  return out;
}

/** Weekly slots for starts that recur, date-specific windows for the rest, grouped into shared schedules. */
function compile(spans: readonly Span[]): CronWindow[] {
  const byOffset = new Map<number, Span[]>();
  for (const s of spans) {
    const offset = weekOffset(s.start);
    byOffset.set(offset, [...(byOffset.get(offset) ?? []), s]);
  }
  // Weekly: key "minute of day|duration" -> weekdays (cron: 0 = Sunday).
  const weekly = new Map<string, Set<number>>();
  // Date-specific: key "minute of day|duration|month" -> days of the month.
  const dated = new Map<string, Set<number>>();
  for (const [offset, group] of byOffset) {
    if (recurs(group)) {
      const minutes = Math.max(...group.map((s) => s.end - s.start)) / MINUTE_MS;
      const key = `${(offset % DAY_MS) / MINUTE_MS}|${minutes}`;
      weekly.set(key, (weekly.get(key) ?? new Set()).add((Math.floor(offset / DAY_MS) + 1) % 7));
      continue;
    }
    for (const s of group) {
      const d = new Date(s.start);
      const key = `${(s.start % DAY_MS) / MINUTE_MS}|${(s.end - s.start) / MINUTE_MS}|${d.getUTCMonth() + 1}`;
      dated.set(key, (dated.get(key) ?? new Set()).add(d.getUTCDate()));
    }
  }
  const out: CronWindow[] = [];
  for (const [key, days] of weekly) {
    const [minuteOfDay, minutes] = key.split("|").map(Number) as [number, number];
    out.push({ schedule: `${at(minuteOfDay)} * * ${list(days)}`, durationMinutes: minutes });
  }
  for (const [key, days] of dated) {
    const [minuteOfDay, minutes, month] = key.split("|").map(Number) as [number, number, number];
    out.push({ schedule: `${at(minuteOfDay)} ${list(days)} ${month} *`, durationMinutes: minutes });
  }
  return out.sort((a, b) => a.schedule.localeCompare(b.schedule) || a.durationMinutes - b.durationMinutes);
}

/** Two or more occurrences (one per week: the spans are disjoint) in at least half the weeks of their range. */
function recurs(group: readonly Span[]): boolean {
  if (group.length < 2) return false;
  const starts = group.map((s) => s.start);
  const weeks = Math.round((Math.max(...starts) - Math.min(...starts)) / WEEK_MS) + 1;
  return group.length * 2 >= weeks;
}

/** `M H` of a minute of the day. */
function at(minuteOfDay: number): string {
  return `${minuteOfDay % 60} ${Math.floor(minuteOfDay / 60)}`;
}

function list(values: ReadonlySet<number>): string {
  return [...values].sort((a, b) => a - b).join(",");
}
