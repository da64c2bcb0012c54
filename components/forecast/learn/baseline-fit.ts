/**
 * The seasonal baseline of one series: the load outside calendar windows, per slot of the week in the region's
 * zone, at each quantile. Only steps no window touches (with the service's lead and tail) are used.
 *
 * Why this estimator:
 * - A timetable repeats weekly, so the slot of a Monday 10:00 lecture is inside a window in every week: a
 *   per-slot-of-week level alone has no data exactly where the windows are. A separable level,
 *   weekday factor x time-of-day level (multiplicative median polish, two robust passes), pools every day's
 *   clean steps at that time and fills those slots; a time of day clean on no day is interpolated round the
 *   clock from its nearest clean neighbours.
 * - Where a slot of the week has clean steps, its own median captures what the separable level cannot (a
 *   Monday-morning rush); with few weeks that median is noisy, so the two are blended by evidence,
 *   level = (n x slotMedian + K x separable) / (n + K), n = clean weeks seen in the slot, K = 2.
 * - Medians, not means: a stray spike (a window the calendar does not name) moves a median little.
 * - Quantiles are the level times quantiles of the clean steps' ratio load / level: load noise grows with load
 *   (Poisson-like counts, and the synthetic model's multiplicative noise), and one ratio distribution pooled over
 *   the whole series has far more samples than any slot. Levels are therefore non-decreasing across quantiles.
 */
import { slotsPerWeek, type BaselineSeries } from "../../calendar";
import { median, quantileSorted } from "../stats";
import type { SeriesGrid } from "./grid";

/** Prior weight, in weeks, of the separable level against a slot's own median. */
export const SEPARABLE_PRIOR_WEEKS = 2;

export interface BaselineFit {
  readonly series: BaselineSeries;
  /** The fitted median level per slot of the week (before the quantile factors). */
  readonly level: Float64Array;
  /** The clean steps used. */
  readonly cleanSteps: number;
}

/** Fits the baseline of `grid` at `quantiles` (ascending, in (0, 1)); `slotMinutes` is the grid's slot length. */
export function fitBaseline(
  grid: SeriesGrid,
  slotMinutes: number,
  quantiles: readonly number[],
): BaselineFit {
  const slots = slotsPerWeek(slotMinutes);
  const perDay = 1440 / slotMinutes;
  const stepsPerSlot = (slotMinutes * 60_000) / grid.stepMs;
  const clean: number[] = [];
  for (let k = 0; k < grid.load.length; k++)
    if (grid.busy[k] === 0 && Number.isFinite(grid.load[k])) clean.push(k);

  const bySlot: number[][] = Array.from({ length: slots }, () => []);
  for (const k of clean) bySlot[grid.slot[k]].push(grid.load[k]);

  // Multiplicative median polish: time-of-day level x weekday factor.
  const weekday = new Float64Array(7).fill(1);
  let timeOfDay: Float64Array = new Float64Array(perDay);
  for (let pass = 0; pass < 2; pass++) {
    const tod: number[][] = Array.from({ length: perDay }, () => []);
    for (const k of clean) {
      const s = grid.slot[k];
      tod[s % perDay].push(grid.load[k] / weekday[Math.floor(s / perDay)]);
    }
    timeOfDay = fillRound(tod.map((v) => (v.length > 0 ? median(v) : NaN)));
    const days: number[][] = Array.from({ length: 7 }, () => []);
    for (const k of clean) {
      const s = grid.slot[k];
      const t = timeOfDay[s % perDay];
      if (t > 0) days[Math.floor(s / perDay)].push(grid.load[k] / t);
    }
    const factors = days.map((v) => (v.length > 0 ? median(v) : NaN));
    const known = factors.filter(Number.isFinite);
    const mean = known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : 1;
    // The factors average 1, so the time-of-day level carries the scale; a day without clean load keeps 1.
    factors.forEach((f, d) => (weekday[d] = f > 0 && mean > 0 ? f / mean : 1));
  }

  const level = new Float64Array(slots);
  for (let s = 0; s < slots; s++) {
    const separable = timeOfDay[s % perDay] * weekday[Math.floor(s / perDay)];
    const n = bySlot[s].length / stepsPerSlot;
    level[s] =
      n > 0
        ? (n * median(bySlot[s]) + SEPARABLE_PRIOR_WEEKS * separable) / (n + SEPARABLE_PRIOR_WEEKS)
        : separable;
  }

  const ratios: number[] = [];
  for (const k of clean) {
    const l = level[grid.slot[k]];
    if (l > 0) ratios.push(grid.load[k] / l);
  }
  ratios.sort((a, b) => a - b);
  const levels: Record<string, number[]> = {};
  for (const q of quantiles) {
    const f = ratios.length > 0 ? quantileSorted(ratios, q) : 1;
    levels[String(q)] = Array.from(level, (l) => round(l * f));
  }
  return { series: { zone: grid.zone, levels }, level, cleanSteps: clean.length };
}

/** Fills NaN entries of a circular array by linear interpolation between the nearest known ones; all NaN -> 0. */
export function fillRound(values: readonly number[]): Float64Array {
  const n = values.length;
  const out = Float64Array.from(values);
  const known = values.flatMap((v, i) => (Number.isFinite(v) ? [i] : []));
  if (known.length === 0) return out.fill(0);
  for (let j = 0; j < known.length; j++) {
    const a = known[j];
    const b = known[(j + 1) % known.length];
    const gap = (b - a + n) % n || n;
    for (let d = 1; d < gap; d++) out[(a + d) % n] = values[a] + ((values[b] - values[a]) * d) / gap;
  }
  return out;
}

/** Loads keep two decimals in the profile: far below any unit's resolution, and a smaller file. */
function round(x: number): number {
  return Math.round(x * 100) / 100;
}
