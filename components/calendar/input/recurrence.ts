/**
 * @internal Shared by the iCalendar and JSON parsers: local wall times, their conversion to UTC instants with
 * IANA data (luxon), and recurrence expansion (ical.js) into occurrences and then windows.
 *
 * Recurrences are expanded on wall-clock times (a 09:00 lecture stays at 09:00 across DST, as RFC 5545 asks)
 * and only each occurrence is converted, so ical.js never falls back to floating or machine-local time.
 */
import ICAL from "ical.js";
import { DateTime, IANAZone } from "luxon";
import type { CalendarWindow } from "../types";
import { DAY_MS, HOUR_MS } from "../../core";

/** @internal Options shared by the calendar parsers. */
export interface CalendarParseOptions {
  /** The file name used in windows and error messages. */
  readonly file: string;
  /** Region of events that name none. @default - none: every event must name its region */
  readonly defaultRegion?: string;
  /** Allowed kinds (see `allowedKinds(profile)`). */
  readonly kinds: readonly string[];
  /** Allowed regions. @default - any region */
  readonly regions?: readonly string[];
  /** Only occurrences overlapping [from, to) (epoch ms) are returned; rules without an end stop here. */
  readonly horizon: { readonly from: number; readonly to: number };
}

/** @internal A local date or date-time: its fields read as if UTC (`wall`), plus the IANA zone they belong to. */
export interface WallTime {
  readonly wall: number;
  readonly zone: string;
  readonly isDate: boolean;
  /** Written in UTC (`Z`), shown with a `Z` in messages. */
  readonly utc?: boolean;
}

/** @internal How an occurrence's end follows from its start. */
export type EndRule =
  /** The end's wall time is the start's plus `delta` (DTEND), read in `zone`: keeps local end times across DST. */
  | { readonly kind: "wall"; readonly zone: string; readonly delta: number }
  /** RFC 5545 DURATION: `days` are nominal (local calendar days), `ms` exact. */
  | { readonly kind: "duration"; readonly days: number; readonly ms: number }
  /** A fixed end (an RDATE period). */
  | { readonly kind: "at"; readonly at: WallTime };

/** @internal */
export type Recur = InstanceType<typeof ICAL.Recur>;

/** @internal Everything that decides when an event happens. */
export interface EventTiming {
  readonly start: WallTime;
  readonly end: EndRule;
  readonly rrule?: Recur;
  readonly rdates: readonly { readonly start: WallTime; readonly end?: EndRule }[];
  readonly exdates: readonly WallTime[];
}

/** @internal One occurrence, epoch ms UTC. */
export interface Occurrence {
  readonly start: number;
  readonly end: number;
}

/** @internal Expansion stops with a problem after this many occurrences before the horizon ends. */
export const MAX_OCCURRENCES = 10_000;

function offsetMs(zone: string, instant: number): number {
  return IANAZone.create(zone).offset(instant) * 60_000;
}

/**
 * The instant of a wall time in `zone`, per RFC 5545 §3.3.5: a time in a DST gap is shifted forward by the
 * length of the gap (luxon does this), a time in a fold means its first occurrence (luxon picks the second,
 * so the earlier instant is checked with the offset in force before the transition).
 * @internal
 */
export function wallToInstant(wall: number, zone: string): number {
  if (zone === "UTC") return wall;
  const d = new Date(wall);
  const resolved = DateTime.fromObject(
    {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    },
    { zone },
  ).toMillis();
  const before = offsetMs(zone, resolved - 6 * HOUR_MS);
  const first = wall - before;
  return first < resolved && offsetMs(zone, first) === before ? first : resolved;
}

/** @internal The wall time in `zone` at an instant. */
export function instantToWall(instant: number, zone: string): number {
  return instant + offsetMs(zone, instant);
}

/** @internal `2026-09-21T09:00` (seconds only when set, `Z` when written in UTC), or `2026-09-21` for a date. */
export function formatWall(t: WallTime): string {
  const iso = new Date(t.wall).toISOString();
  if (t.isDate) return iso.slice(0, 10);
  return `${iso.slice(0, iso.endsWith(":00.000Z") ? 16 : 19)}${t.utc ? "Z" : ""}`;
}

function timeFromWall(wall: number, isDate: boolean): InstanceType<typeof ICAL.Time> {
  const d = new Date(wall);
  return ICAL.Time.fromData({
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    ...(isDate ? {} : { hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() }),
    isDate,
  });
}

function wallFromTime(t: InstanceType<typeof ICAL.Time>): number {
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
}

/** @internal Parses and trial-runs an RRULE with ical.js; returns the reason as a string when it is malformed. */
export function parseRecur(raw: string): Recur | string {
  try {
    const recur = ICAL.Recur.fromString(raw.replace(/^RRULE:/i, ""));
    if (!recur.freq) return "has no FREQ";
    recur.iterator(ICAL.Time.fromData({ year: 2026, month: 1, day: 1 })).next();
    return recur;
  } catch (e) {
    return `is malformed (${(e as Error).message})`;
  }
}

/** A UTC UNTIL becomes the same instant's wall time in the event's zone (the iterator runs on wall times). */
function localRule(rule: Recur, start: WallTime): Recur {
  const local = rule.clone();
  const until = local.until;
  if (until) {
    let wall = wallFromTime(until);
    if (until.isDate && !start.isDate) wall += DAY_MS - 1000;
    else if (until.zone === ICAL.Timezone.utcTimezone) wall = instantToWall(wall, start.zone);
    local.until = timeFromWall(wall, start.isDate);
  }
  return local;
}

function endOf(rule: EndRule, start: WallTime): number {
  switch (rule.kind) {
    case "wall":
      return wallToInstant(start.wall + rule.delta, rule.zone);
    case "duration":
      return wallToInstant(start.wall + rule.days * DAY_MS, start.zone) + rule.ms;
    case "at":
      return wallToInstant(rule.at.wall, rule.at.zone);
    default: {
      const never: never = rule;
      return never;
    }
  }
}

/**
 * Expands DTSTART, RRULE and RDATE minus EXDATE into occurrences starting at or before `until`, sorted by start
 * and unique by start. `truncated` is set when more than `MAX_OCCURRENCES` would be needed.
 * @internal
 */
export function expandOccurrences(
  timing: EventTiming,
  until: number,
): { occurrences: Occurrence[]; truncated: boolean } {
  const starts: { start: WallTime; end: EndRule }[] = [];
  let truncated = false;
  if (timing.rrule) {
    const iterator = localRule(timing.rrule, timing.start).iterator(
      timeFromWall(timing.start.wall, timing.start.isDate),
    );
    for (let next = iterator.next(); next; next = iterator.next()) {
      const start = { ...timing.start, wall: wallFromTime(next) };
      if (wallToInstant(start.wall, start.zone) > until) break;
      if (starts.length >= MAX_OCCURRENCES) {
        truncated = true;
        break;
      }
      starts.push({ start, end: timing.end });
    }
  } else {
    starts.push({ start: timing.start, end: timing.end });
  }
  for (const r of timing.rdates) starts.push({ start: r.start, end: r.end ?? timing.end });
  const excludedDays = new Set(
    timing.exdates.filter((x) => x.isDate).map((x) => Math.floor(x.wall / DAY_MS)),
  );
  const excluded = new Set(timing.exdates.filter((x) => !x.isDate).map((x) => wallToInstant(x.wall, x.zone)));
  const byStart = new Map<number, Occurrence>();
  for (const s of starts) {
    const start = wallToInstant(s.start.wall, s.start.zone);
    if (excluded.has(start) || excludedDays.has(Math.floor(s.start.wall / DAY_MS)) || byStart.has(start))
      continue;
    byStart.set(start, { start, end: endOf(s.end, s.start) });
  }
  return { occurrences: [...byStart.values()].sort((a, b) => a.start - b.start), truncated };
}

/** @internal What a window carries besides its instants. */
export interface WindowMeta {
  readonly eventId: string;
  readonly summary: string;
  readonly kind: string;
  readonly learners: number;
  readonly region: string;
  readonly timezone: string;
  /** The `BEGIN:VEVENT` line (iCalendar). */
  readonly line?: number;
  /** The position in `events` (JSON). */
  readonly index?: number;
}

/** @internal The windows of the occurrences that overlap the horizon (empty or inverted occurrences carry no load). */
export function buildWindows(
  meta: WindowMeta,
  occurrences: readonly Occurrence[],
  options: CalendarParseOptions,
): CalendarWindow[] {
  const { from, to } = options.horizon;
  return occurrences
    .filter((o) => o.end > o.start && o.start < to && o.end > from)
    .map((o) => ({
      eventId: meta.eventId,
      occurrenceId: `${meta.eventId}@${new Date(o.start).toISOString()}`,
      summary: meta.summary,
      kind: meta.kind,
      region: meta.region,
      learners: meta.learners,
      start: o.start,
      end: o.end,
      timezone: meta.timezone,
      source: {
        file: options.file,
        ...(meta.line !== undefined ? { line: meta.line } : {}),
        ...(meta.index !== undefined ? { index: meta.index } : {}),
      },
    }));
}

/** @internal Sorts windows by start, then occurrence id (the order every parser returns). */
export function sortWindows(windows: CalendarWindow[]): CalendarWindow[] {
  return windows.sort(
    (a, b) =>
      a.start - b.start || (a.occurrenceId < b.occurrenceId ? -1 : a.occurrenceId > b.occurrenceId ? 1 : 0),
  );
}
