/**
 * The seasonal baseline of a learned profile, evaluated over a horizon: the load it forecasts at one quantile in
 * each slot, as weighted intervals (weight = load in the profile's unit). Slots are local to the series' zone and
 * numbered from Monday 00:00 local, so a region's rhythm keeps its local hour across daylight-saving changes.
 * The learner (`components/forecast`) writes the levels; the need model and the backtest read them here, so a
 * forecast means the same thing everywhere.
 */
import { DateTime } from "luxon";
import { MINUTE_MS } from "../../core";
import type { BaselineSeries, LoadBaseline, LoadProfile } from "../types";
import type { WeightedInterval } from "./steps";

/** @internal Slot lengths a baseline may use: divisors of an hour, so DST shifts keep slots aligned. */
export const BASELINE_SLOT_MINUTES = [5, 10, 15, 20, 30, 60] as const;

/** @internal Slots in one week of `slotMinutes`. */
export function slotsPerWeek(slotMinutes: number): number {
  return (7 * 1440) / slotMinutes;
}

/** @internal The slot of the week (0 = Monday 00:00 local) that `instant` falls in. */
export function slotOfWeek(instant: number, zone: string, slotMinutes: number): number {
  const local = DateTime.fromMillis(instant, { zone });
  const minuteOfWeek = (local.weekday - 1) * 1440 + local.hour * 60 + local.minute;
  return Math.floor(minuteOfWeek / slotMinutes);
}

/** @internal The quantile's key in `levels` (`String(q)`), or undefined when the baseline does not carry it. */
export function quantileKey(baseline: Pick<LoadBaseline, "quantiles">, quantile: number): string | undefined {
  return baseline.quantiles.includes(quantile) ? String(quantile) : undefined;
}

/**
 * The baseline's load at `quantile` over [from, to): one interval per slot (the first and last clipped to the
 * horizon), contiguous. Throws when the series lacks the quantile (the profile's validation prevents it).
 * @internal
 */
export function baselineLoad(
  series: BaselineSeries,
  slotMinutes: number,
  quantile: number,
  horizon: { readonly from: number; readonly to: number },
): WeightedInterval[] {
  const levels = series.levels[String(quantile)];
  if (levels === undefined) throw new Error(`baseline has no quantile ${quantile}`);
  const slotMs = slotMinutes * MINUTE_MS;
  const out: WeightedInterval[] = [];
  // Slot boundaries are whole multiples of slotMinutes in local time; with an hour's divisor and whole-hour
  // (or half-hour, for slots up to 30 min) offsets they are also aligned in UTC, so one floor finds the first.
  const first = DateTime.fromMillis(horizon.from, { zone: series.zone });
  const intoSlot = ((first.minute % slotMinutes) * 60 + first.second) * 1000 + first.millisecond;
  for (let t = horizon.from - intoSlot; t < horizon.to; t += slotMs) {
    const start = Math.max(t, horizon.from);
    const end = Math.min(t + slotMs, horizon.to);
    out.push({ start, end, weight: levels[slotOfWeek(t, series.zone, slotMinutes)] ?? 0 });
  }
  return out;
}

/**
 * A service's forecast in one region as fractional replicas (the baseline's load at `quantile` divided by its
 * `learnersPerReplica`), one interval per slot over the horizon; undefined when the profile has no baseline for
 * the pair. This is what the need model adds to the windows' replicas before rounding.
 * @internal
 */
export function forecastReplicas(
  profile: LoadProfile,
  region: string,
  service: string,
  quantile: number,
  horizon: { readonly from: number; readonly to: number },
): WeightedInterval[] | undefined {
  const baseline = profile.baseline;
  const series = baseline?.series[region]?.[service];
  const lpr = profile.services[service]?.learnersPerReplica;
  if (baseline === undefined || series === undefined || lpr === undefined) return undefined;
  return baselineLoad(series, baseline.slotMinutes, quantile, horizon).map((i) => ({
    ...i,
    weight: i.weight / lpr,
  }));
}

/**
 * The forecast made `leadMs` early: at t, the highest level it reaches over [t, t + leadMs], so each rise is
 * requested one ramp ahead and every level holds until the slot it serves ends. Contiguous intervals in, the same
 * span out, equal neighbours merged.
 * @internal
 */
export function forecastAhead(intervals: readonly WeightedInterval[], leadMs: number): WeightedInterval[] {
  if (intervals.length === 0 || leadMs <= 0) return [...intervals];
  const from = intervals[0]!.start;
  const to = intervals[intervals.length - 1]!.end;
  const points = [
    ...new Set(
      intervals.flatMap((i) => [i.start, i.end, i.start - leadMs]).filter((t) => t >= from && t <= to),
    ),
  ].sort((a, b) => a - b);
  const out: WeightedInterval[] = [];
  let lo = 0;
  for (let k = 0; k + 1 < points.length; k++) {
    const a = points[k]!;
    const b = points[k + 1]!;
    while (lo < intervals.length && intervals[lo]!.end <= a) lo++;
    let weight = 0;
    for (let j = lo; j < intervals.length && intervals[j]!.start < b + leadMs; j++)
      weight = Math.max(weight, intervals[j]!.weight);
    const last = out[out.length - 1];
    if (last !== undefined && last.weight === weight && last.end === a)
      out[out.length - 1] = { ...last, end: b };
    else out.push({ start: a, end: b, weight });
  }
  return out;
}
