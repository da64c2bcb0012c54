/**
 * One series of the training range on a dense grid of history steps (a gap is NaN, never 0), with what the
 * learners need beside it: each step's slot of the week in the region's zone, whether a calendar window (with
 * its lead and tail) touches it, and the learners each window brings to each step.
 */
import { baselineLoad, slotsPerWeek, type CalendarWindow } from "../../calendar";
import { DAY_MS } from "../../core";
import type { HistorySeries } from "../types";

/** A window's learners on the steps it overlaps: `learners x overlap / step` for steps first..first+x.length-1. */
export interface WindowSpread {
  readonly window: CalendarWindow;
  readonly first: number;
  readonly x: Float64Array;
}

export interface SeriesGrid {
  readonly region: string;
  readonly service: string;
  readonly zone: string;
  /** Step k covers [from + k step, from + (k + 1) step). */
  readonly from: number;
  readonly stepMs: number;
  readonly load: Float64Array;
  readonly replicas: Float64Array;
  readonly p95: Float64Array;
  /** Slot of the week (0 = Monday 00:00 local) of each step, at the baseline's slot length. */
  readonly slot: Int32Array;
  /** UTC day index of each step since the grid's start (the bootstrap's unit). */
  readonly day: Int32Array;
  /** True where a window of the region, widened by the service's lead and tail, touches the step. */
  readonly busy: Uint8Array;
  readonly spreads: readonly WindowSpread[];
}

/** Margins around windows whose steps the baseline must not see (ramps before, stragglers after). */
export interface Margins {
  readonly leadMinutes: number;
  readonly tailMinutes: number;
}

/** The steps of [from, until). */
export interface StepRange {
  readonly from: number;
  readonly until: number;
  readonly stepMs: number;
}

function stepCount(range: StepRange): number {
  return Math.max(0, Math.ceil((range.until - range.from) / range.stepMs));
}

/**
 * The slot of the week of every step of `range` in `zone`. The numbers come from the calendar's own baseline
 * evaluator (an identity baseline evaluated over the range), so the learner and the compiler agree on which slot
 * a step is in. The same for every series of a region: compute it once per region.
 */
export function stepSlots(range: StepRange, zone: string, slotMinutes: number): Int32Array {
  const { from, stepMs } = range;
  const steps = stepCount(range);
  const identity = Array.from({ length: slotsPerWeek(slotMinutes) }, (_, i) => i);
  const slots = baselineLoad({ zone, levels: { "0.5": identity } }, slotMinutes, 0.5, {
    from,
    to: from + steps * stepMs,
  });
  const slot = new Int32Array(steps);
  let j = 0;
  for (let k = 0; k < steps; k++) {
    const t = from + k * stepMs;
    while (j + 1 < slots.length && slots[j].end <= t) j++;
    slot[k] = slots[j]?.weight ?? 0;
  }
  return slot;
}

/** The grid of `series` over the range; `slot` is `stepSlots` of its region. */
export function seriesGrid(
  series: HistorySeries,
  range: StepRange,
  zone: string,
  slot: Int32Array,
  windows: readonly CalendarWindow[],
  margins: Margins,
): SeriesGrid {
  const { from, until, stepMs } = range;
  const steps = stepCount(range);
  const load = new Float64Array(steps).fill(NaN);
  const replicas = new Float64Array(steps).fill(NaN);
  const p95 = new Float64Array(steps).fill(NaN);
  for (const p of series.points) {
    const k = Math.round((p.time - from) / stepMs);
    if (k < 0 || k >= steps) continue;
    load[k] = p.load;
    if (p.replicas !== undefined) replicas[k] = p.replicas;
    if (p.p95Ms !== undefined) p95[k] = p.p95Ms;
  }
  const day = Int32Array.from({ length: steps }, (_, k) => Math.floor((k * stepMs) / DAY_MS));
  const busy = new Uint8Array(steps);
  const spreads: WindowSpread[] = [];
  const lead = margins.leadMinutes * 60_000;
  const tail = margins.tailMinutes * 60_000;
  for (const w of windows) {
    if (w.region !== series.region || w.start >= until || w.end <= from) continue;
    const b0 = Math.max(0, Math.floor((w.start - lead - from) / stepMs));
    const b1 = Math.min(steps, Math.ceil((w.end + tail - from) / stepMs));
    busy.fill(1, b0, Math.max(b0, b1));
    const first = Math.max(0, Math.floor((w.start - from) / stepMs));
    const last = Math.min(steps - 1, Math.ceil((w.end - from) / stepMs) - 1);
    if (last < first) continue;
    const x = Float64Array.from({ length: last - first + 1 }, (_, i) => {
      const t = from + (first + i) * stepMs;
      return (w.learners * (Math.min(w.end, t + stepMs) - Math.max(w.start, t))) / stepMs;
    });
    spreads.push({ window: w, first, x });
  }
  return {
    region: series.region,
    service: series.service,
    zone,
    from,
    stepMs,
    load,
    replicas,
    p95,
    slot,
    day,
    busy,
    spreads,
  };
}
