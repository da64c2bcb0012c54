/**
 * Wall-clock time in one IANA zone, for weekly triggers that KEDA evaluates in that zone (`timezone` metadata).
 * A timetable written in Europe/Prague folds onto one week in Prague time, so the daylight-saving change no longer
 * shifts every slot by an hour in the fold.
 *
 * "Local ms" is epoch ms plus the zone's UTC offset: the wall time read as if it were UTC, so `weekOffset` of a
 * local ms counts from the zone's Monday 00:00.
 *
 * Relied on: robfig/cron v3 `spec.go` `Next` (KEDA's cron scaler calls it with `time.Now().In(timezone)`): days
 * are added on the wall clock, hours as absolute durations, so a wall time inside a spring-forward gap never fires
 * and one inside a fall-back fold fires twice (the test simulator, test/calendar/sim/robfig-cron.ts, follows it).
 * A start firing twice would end the trigger an hour early; a missing end would keep it active for a week. So no
 * weekly boundary may sit in a transition's wall range [f0, f1) (`avoidTransitions`): starts move to f0 minus a
 * minute, ends to f1, which only widens a trigger. Every other wall time fires once, at `toInstant`.
 */
import { IANAZone } from "luxon";
import { DAY_MS, MINUTE_MS } from "../../core";
import { WEEK_MS, weekOffset } from "./weekly";
import type { LevelInterval } from "./skyline";
import type { Segment } from "../types";

/** One UTC offset change: at instant `at` the offset goes from `before` to `after` (ms). */
export interface Transition {
  readonly at: number;
  readonly before: number;
  readonly after: number;
}

/** @internal A zone's clock over a stretch of time: offsets, transitions, and conversions both ways. */
export interface LocalClock {
  readonly zone: string;
  readonly transitions: readonly Transition[];
  /** Local ms of instant `t`; inside a fall-back fold a start snaps to the fold's first wall time, an end to its last. */
  toLocal(t: number, edge: "start" | "end"): number;
  /** The instant of a wall time outside every transition's wall range. */
  toInstant(local: number): number;
}

function offsetMs(zone: IANAZone, t: number): number {
  return zone.offset(t) * MINUTE_MS;
}

/**
 * The clock of `zone` over [from, to) plus a week either side (weekly triggers of the first and last week reach
 * out of the horizon). Transitions are found day by day, then to the minute by bisection.
 * @throws when `zone` is not a valid IANA zone.
 * @internal
 */
export function localClock(zone: string, from: number, to: number): LocalClock {
  const z = IANAZone.create(zone);
  if (!z.isValid) throw new Error(`localClock: unknown time zone ${zone}`);
  const start = from - WEEK_MS;
  const end = to + WEEK_MS;
  const transitions: Transition[] = [];
  for (let t = start; t < end; t += DAY_MS) {
    const before = offsetMs(z, t);
    if (offsetMs(z, t + DAY_MS) === before) continue;
    let [lo, hi] = [0, DAY_MS / MINUTE_MS];
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (offsetMs(z, t + mid * MINUTE_MS) === before) lo = mid;
      else hi = mid;
    }
    const at = t + hi * MINUTE_MS;
    transitions.push({ at, before, after: offsetMs(z, at) });
  }
  const first = offsetMs(z, start);
  const offsetAt = (t: number): number => {
    let o = first;
    for (const tr of transitions) if (t >= tr.at) o = tr.after;
    return o;
  };
  return {
    zone,
    transitions,
    toLocal(t, edge) {
      for (const tr of transitions) {
        const fold = tr.before - tr.after;
        if (fold > 0 && t >= tr.at - fold && t <= tr.at + fold) {
          // Inside the fold both passes map to [f0, f1): cover the whole range so both passes are scheduled.
          if (edge === "start" && t < tr.at + fold) return tr.at + tr.after;
          if (edge === "end" && t > tr.at - fold) return tr.at + tr.before;
        }
      }
      return t + offsetAt(t);
    },
    toInstant(local) {
      // The offset in force at the instant is the one that maps it back to this wall time.
      const o = offsetAt(local - first);
      return offsetAt(local - o) === o ? local - o : local - offsetAt(local - o);
    },
  };
}

/** Each transition's wall range [f0, f1) as week offsets (start, length): the times robfig fires 0 or 2 times. */
function transitionRanges(clock: LocalClock): { start: number; length: number }[] {
  return clock.transitions.map((tr) => ({
    start: weekOffset(tr.at + Math.min(tr.before, tr.after)),
    length: Math.abs(tr.before - tr.after),
  }));
}

/** How far `offset` lies past the range's start round the week, or undefined when outside it. */
function into(offset: number, range: { start: number; length: number }): number | undefined {
  const d = (((offset - range.start) % WEEK_MS) + WEEK_MS) % WEEK_MS;
  return d < range.length ? d : undefined;
}

/**
 * Weekly intervals (week offsets, start may go below 0 round Monday) whose boundaries avoid every transition's
 * wall range: a start inside one moves to a minute before it, an end to its end. Only widens the intervals.
 * @internal
 */
export function avoidTransitions(weekly: readonly LevelInterval[], clock: LocalClock): LevelInterval[] {
  const ranges = transitionRanges(clock);
  return weekly.map((iv) => {
    let { start, end } = iv;
    for (let moved = true; moved;) {
      moved = false;
      for (const r of ranges) {
        const ds = into(start, r);
        if (ds !== undefined) [start, moved] = [start - ds - MINUTE_MS, true];
        const de = into(end, r);
        if (de !== undefined) [end, moved] = [end + r.length - de, true];
      }
    }
    return { ...iv, start, end };
  });
}

/**
 * Weekly intervals repeated over every local week that meets [from, to), as instants (KEDA in `clock.zone`).
 * The boundaries must avoid transitions (`avoidTransitions`).
 * @internal
 */
export function unfoldLocal(
  weekly: readonly LevelInterval[],
  clock: LocalClock,
  from: number,
  to: number,
): LevelInterval[] {
  const localFrom = clock.toLocal(from, "start");
  const localTo = clock.toLocal(to, "end");
  const out: LevelInterval[] = [];
  // One week earlier, for intervals that start before Monday (a start moved below 0) or run into the next week.
  for (let week = localFrom - weekOffset(localFrom) - WEEK_MS; week < localTo; week += WEEK_MS) {
    for (const iv of weekly) {
      const start = clock.toInstant(week + iv.start);
      const end = clock.toInstant(week + iv.end);
      if (end > from && start < to) out.push({ start, end, level: iv.level });
    }
  }
  return out;
}

/** @internal Steps in instants as steps in the clock's local ms (a fold's steps widened to its whole wall range). */
export function toLocalSteps(steps: readonly Segment[], clock: LocalClock): Segment[] {
  return steps
    .map((s) => ({
      start: clock.toLocal(s.start, "start"),
      end: clock.toLocal(s.end, "end"),
      replicas: s.replicas,
    }))
    .filter((s) => s.end > s.start);
}
