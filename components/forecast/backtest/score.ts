/**
 * Scoring one method on one week against the truth: need(slot) = ceil(load(slot) / capacity per replica), with
 * load(slot) the slot's peak (slots.ts). Only slots with data are scored.
 */
import { ceilReplicas, type Segment } from "../../calendar";
import { MINUTE_MS } from "../../core";
import { SLOT_MINUTES, SLOT_MS, type ObservedWeek } from "./slots";

/** @internal The quantiles the pinball loss is reported at. */
export const PINBALL_QUANTILES = [0.5, 0.9, 0.99] as const;
export type PinballQuantile = (typeof PINBALL_QUANTILES)[number];

/** @internal One method's per-slot replicas forecast at each reported quantile. */
export type QuantileForecast = Readonly<Record<PinballQuantile, readonly number[]>>;

/** @internal Sums over one week's scored slots, so weeks aggregate exactly. */
export interface WeekScore {
  readonly weekStart: number;
  readonly scored: number;
  readonly covered: number;
  readonly inWindowScored: number;
  readonly inWindowCovered: number;
  /** Load above Ready x capacity, integrated over the recorded minutes (load-minutes). */
  readonly unmetLoadMinutes: number;
  /** What the method requested, over the scored slots (replica-minutes). */
  readonly requestedReplicaMinutes: number;
  /** The exact schedule, need itself, over the scored slots (replica-minutes). */
  readonly neededReplicaMinutes: number;
  /** Pinball loss summed over the scored slots, in replicas, per quantile. */
  readonly pinball: Readonly<Record<PinballQuantile, number>>;
}

/** @internal The truth of a week: the need per slot (NaN in gaps) and which slots meet a calendar window. */
export interface WeekTruth {
  readonly observed: ObservedWeek;
  readonly capacity: number;
  readonly need: readonly number[];
  readonly inWindow: readonly boolean[];
}

/** @internal Replicas that carry `load`: ceil(load / capacity), ignoring float noise; NaN stays NaN. */
export function replicasFor(load: number, capacity: number): number {
  return Number.isNaN(load) ? NaN : ceilReplicas(Math.max(0, load) / capacity);
}

/** @internal need(slot) = ceil(peak load / capacity); NaN where the slot has no data. */
export function needPerSlot(observed: ObservedWeek, capacity: number): number[] {
  return observed.peak.map((load) => replicasFor(load, capacity));
}

/** @internal Which slots of the week meet one of `windows` ([start, end), epoch ms). */
export function slotsInWindows(
  observed: ObservedWeek,
  windows: readonly { readonly start: number; readonly end: number }[],
): boolean[] {
  const { start } = observed.week;
  const flags = observed.peak.map(() => false);
  for (const w of windows) {
    const first = Math.max(0, Math.floor((w.start - start) / SLOT_MS));
    const last = Math.min(flags.length - 1, Math.ceil((w.end - start) / SLOT_MS) - 1);
    for (let s = first; s <= last; s++) flags[s] = true;
  }
  return flags;
}

/** @internal Pinball (quantile) loss of forecast `f` for outcome `y` at quantile `q`. */
export function pinball(y: number, f: number, q: number): number {
  return y >= f ? q * (y - f) : (1 - q) * (f - y);
}

/** @internal Load above `ready` x capacity, load-minutes, over the week's recorded points. */
export function unmetLoadMinutes(truth: WeekTruth, ready: readonly number[], stepMs: number): number {
  const { start } = truth.observed.week;
  let total = 0;
  for (const p of truth.observed.points) {
    const from = Math.max(p.time, start);
    const to = Math.min(p.time + stepMs, truth.observed.week.end);
    for (let s = Math.floor((from - start) / SLOT_MS); start + s * SLOT_MS < to; s++) {
      const overlap = Math.min(to, start + (s + 1) * SLOT_MS) - Math.max(from, start + s * SLOT_MS);
      const excess = p.load - ready[s]! * truth.capacity;
      if (excess > 0) total += (excess * overlap) / MINUTE_MS;
    }
  }
  return total;
}

/** @internal The replica-minutes of `segments` in each slot of the week, in one sweep. */
export function replicaMinutesPerSlot(segments: readonly Segment[], observed: ObservedWeek): number[] {
  const { start } = observed.week;
  const out = observed.peak.map(() => 0);
  for (const seg of segments) {
    const from = Math.max(seg.start, start);
    const to = Math.min(seg.end, observed.week.end);
    for (let s = Math.floor((from - start) / SLOT_MS); s < out.length && start + s * SLOT_MS < to; s++) {
      const overlap = Math.min(to, start + (s + 1) * SLOT_MS) - Math.max(from, start + s * SLOT_MS);
      if (overlap > 0) out[s]! += (seg.replicas * overlap) / MINUTE_MS;
    }
  }
  return out;
}

/** @internal One method's week: `ready` per slot (readiness.ts), what it requested, its quantile forecasts. */
export function scoreWeek(
  truth: WeekTruth,
  method: {
    readonly ready: readonly number[];
    readonly requested: readonly Segment[];
    readonly forecast: QuantileForecast;
  },
  stepMs: number,
): WeekScore {
  const { start } = truth.observed.week;
  let scored = 0;
  let covered = 0;
  let inWindowScored = 0;
  let inWindowCovered = 0;
  let requestedReplicaMinutes = 0;
  let neededReplicaMinutes = 0;
  const pinballSums: Record<PinballQuantile, number> = { 0.5: 0, 0.9: 0, 0.99: 0 };
  const requested = replicaMinutesPerSlot(method.requested, truth.observed);
  truth.need.forEach((need, s) => {
    if (Number.isNaN(need)) return;
    const ok = method.ready[s]! >= need;
    scored++;
    if (ok) covered++;
    if (truth.inWindow[s]) {
      inWindowScored++;
      if (ok) inWindowCovered++;
    }
    requestedReplicaMinutes += requested[s]!;
    neededReplicaMinutes += need * SLOT_MINUTES;
    for (const q of PINBALL_QUANTILES) pinballSums[q] += pinball(need, method.forecast[q][s]!, q);
  });
  return {
    weekStart: start,
    scored,
    covered,
    inWindowScored,
    inWindowCovered,
    unmetLoadMinutes: unmetLoadMinutes(truth, method.ready, stepMs),
    requestedReplicaMinutes,
    neededReplicaMinutes,
    pinball: pinballSums,
  };
}
