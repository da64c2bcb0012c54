/**
 * A series' history cut into the backtest's 5-minute slots. A slot's load is the peak of the loads recorded in it
 * (for per-minute data, its busiest minute): replicas must carry every minute, so a slot whose mean fits but whose
 * peak does not is a slot with unmet load. Slots without any data are gaps: NaN, never scored, never zero.
 */
import { MINUTE_MS } from "../../core";
import type { HistoryPoint, HistorySeries } from "../types";
import type { Week } from "./weeks";

/** @internal The backtest's slot: the finest slot a learned baseline may use (calendar `BASELINE_SLOT_MINUTES`). */
export const SLOT_MINUTES = 5;
export const SLOT_MS = SLOT_MINUTES * MINUTE_MS;

/** @internal One week of one series, as the backtest scores it. */
export interface ObservedWeek {
  readonly week: Week;
  /** Peak load of each slot of the week, NaN where the slot has no data. */
  readonly peak: readonly number[];
  /** The recorded points in the week (each covers [time, time + stepMs)), for unmet load-minutes. */
  readonly points: readonly HistoryPoint[];
}

/** The index of the first point at or after `t` (points sorted by time). */
function firstAtOrAfter(points: readonly HistoryPoint[], t: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.time < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** @internal The week of `series` in slots; a point longer than a slot counts in every slot it covers. */
export function observeWeek(series: HistorySeries, week: Week, stepMs: number): ObservedWeek {
  const slots = Math.round((week.end - week.start) / SLOT_MS);
  const peak = new Array<number>(slots).fill(NaN);
  const points = series.points.slice(
    firstAtOrAfter(series.points, week.start - stepMs + 1),
    firstAtOrAfter(series.points, week.end),
  );
  for (const p of points) {
    const first = Math.max(0, Math.floor((p.time - week.start) / SLOT_MS));
    const last = Math.min(slots - 1, Math.floor((p.time + stepMs - 1 - week.start) / SLOT_MS));
    for (let s = first; s <= last; s++) if (!(peak[s]! >= p.load)) peak[s] = p.load;
  }
  return { week, peak, points };
}

/**
 * @internal Gaps filled for the fitters that need a contiguous series: the same slot of the nearest week with data
 * (the earlier one on a tie), else the mean of all data (0 when there is none). Only fitting sees the filling.
 */
export function fillGaps(weeks: readonly (readonly number[])[]): number[][] {
  const known = weeks.flat().filter((x) => !Number.isNaN(x));
  const mean = known.length === 0 ? 0 : known.reduce((a, b) => a + b, 0) / known.length;
  return weeks.map((week, w) =>
    week.map((x, s) => {
      if (!Number.isNaN(x)) return x;
      for (let d = 1; d < weeks.length; d++) {
        const before = weeks[w - d]?.[s];
        if (before !== undefined && !Number.isNaN(before)) return before;
        const after = weeks[w + d]?.[s];
        if (after !== undefined && !Number.isNaN(after)) return after;
      }
      return mean;
    }),
  );
}
