/**
 * Weekly patterns: a timetable repeats every week, so the required schedule can be folded onto one week and
 * emitted as day-of-week cron triggers (`M H * * DOW`, UTC). One weekly trigger then stands for a lecture slot's
 * every occurrence, and a budget in the tens buys fine-grained capacity instead of nights bridged over.
 *
 * Coverage: the folded profile is the MAX over every week of the horizon, so in each week the weekly triggers are
 * at least what that week requires. The price is excess in weeks that lack an occurrence (holidays, reading
 * weeks) and capacity that keeps recurring after the horizon until the next refresh; the compiler picks this form
 * only when it is enabled and schedules fewer replica-minutes than the date-specific one.
 */
import { type LevelInterval, maxOf } from "./skyline";
import type { Segment } from "../types";
import { DAY_MS, MINUTE_MS, InputError } from "../../core";

/** @internal */
export const WEEK_MS = 7 * DAY_MS;
/** @internal 1970-01-05T00:00Z, a Monday: week offsets count from Monday 00:00 UTC. */
export const MONDAY_EPOCH = 4 * DAY_MS;

/** @internal Offset of `instant` into its UTC week (Monday 00:00 = 0). */
export function weekOffset(instant: number): number {
  return (((instant - MONDAY_EPOCH) % WEEK_MS) + WEEK_MS) % WEEK_MS;
}

/**
 * The week-long profile: at each offset, the highest level any week of the horizon requires there.
 * Returns segments covering [0, WEEK_MS).
 * @internal
 */
export function foldWeekly(steps: readonly Segment[], floor: number): Segment[] {
  const intervals: LevelInterval[] = [];
  for (const s of steps) {
    if (s.replicas <= floor) continue;
    if (s.end - s.start >= WEEK_MS) {
      intervals.push({ start: 0, end: WEEK_MS, level: s.replicas });
      continue;
    }
    const a = weekOffset(s.start);
    const b = a + (s.end - s.start);
    if (b <= WEEK_MS) intervals.push({ start: a, end: b, level: s.replicas });
    else
      intervals.push(
        { start: a, end: WEEK_MS, level: s.replicas },
        { start: 0, end: b - WEEK_MS, level: s.replicas },
      );
  }
  return maxOf(intervals, floor, 0, WEEK_MS);
}

/** @internal The UTC spec `M H * * DOW` firing at `offset` into every week (Monday 00:00 = 0; offset WEEK_MS wraps to 0). */
export function toWeeklyCronSpec(offset: number): string {
  if (!Number.isFinite(offset) || offset % MINUTE_MS !== 0 || offset < 0 || offset > WEEK_MS) {
    throw new InputError("toWeeklyCronSpec", [
      { path: "offset", value: offset, rule: `must be a whole minute within a week (0..${WEEK_MS} ms)` },
    ]);
  }
  const wrapped = offset % WEEK_MS;
  const day = Math.floor(wrapped / DAY_MS); // 0 = Monday
  const minuteOfDay = (wrapped % DAY_MS) / MINUTE_MS;
  const dow = (day + 1) % 7; // cron: 0 = Sunday, 1 = Monday
  return `${minuteOfDay % 60} ${Math.floor(minuteOfDay / 60)} * * ${dow}`;
}

/**
 * The week-long profile at each offset: the highest level at least `share` of the weeks require there (share 0:
 * the MAX over weeks, like `foldWeekly`; 1: the MIN, the part every week has). Only weeks whose instant at that
 * offset lies in [from, to) take part; where none does, the floor. `steps` and the bounds are in the same clock
 * (UTC or local ms). Returns segments covering [0, WEEK_MS).
 * @internal
 */
export function foldWeeksAtShare(
  steps: readonly Segment[],
  floor: number,
  from: number,
  to: number,
  share: number,
): Segment[] {
  const first = from - weekOffset(from);
  const count = Math.ceil((to - first) / WEEK_MS);
  const buckets: LevelInterval[][] = Array.from({ length: count }, () => []);
  for (const s of steps) {
    if (s.replicas <= floor) continue;
    const lo = Math.max(s.start, from);
    const hi = Math.min(s.end, to);
    for (
      let w = Math.max(0, Math.floor((lo - first) / WEEK_MS));
      w < count && first + w * WEEK_MS < hi;
      w++
    ) {
      const base = first + w * WEEK_MS;
      const a = Math.max(lo, base) - base;
      const b = Math.min(hi, base + WEEK_MS) - base;
      if (b > a) buckets[w]!.push({ start: a, end: b, level: s.replicas });
    }
  }
  const weeks = buckets.map((ivs, w) => ({
    segs: maxOf(ivs, floor, 0, WEEK_MS),
    present: [
      Math.max(from, first + w * WEEK_MS) - first - w * WEEK_MS,
      Math.min(to, first + (w + 1) * WEEK_MS) - first - w * WEEK_MS,
    ] as const,
    at: 0,
  }));
  const cuts = new Set<number>([0, WEEK_MS]);
  for (const wk of weeks) {
    cuts.add(wk.present[0]).add(wk.present[1]);
    for (const s of wk.segs) cuts.add(s.start);
  }
  const points = [...cuts].filter((c) => c >= 0 && c <= WEEK_MS).sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i]!, points[i + 1]!];
    const levels: number[] = [];
    for (const wk of weeks) {
      if (a < wk.present[0] || a >= wk.present[1]) continue;
      while (wk.segs[wk.at]!.end <= a) wk.at++;
      levels.push(wk.segs[wk.at]!.replicas);
    }
    levels.sort((x, y) => y - x);
    const level = levels.length === 0 ? floor : levels[Math.max(0, Math.ceil(share * levels.length) - 1)]!;
    const last = out[out.length - 1];
    if (last !== undefined && last.replicas === level) out[out.length - 1] = { ...last, end: b };
    else out.push({ start: a, end: b, replicas: level });
  }
  return out;
}
