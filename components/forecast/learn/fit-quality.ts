/**
 * How well the learned model (baseline median + every window's learners x its kind's mean share) explains one
 * series over the training range: R², mean absolute error and its ratio to the mean load, over the steps with
 * data.
 */
import type { FitQuality } from "../../calendar";
import type { SeriesGrid } from "./grid";

export interface SeriesFit {
  readonly quality: FitQuality;
  /** The model's load per step (NaN where the history has a gap). */
  readonly predicted: Float64Array;
}

export function seriesFit(
  grid: SeriesGrid,
  level: Float64Array,
  shares: Readonly<Record<string, number>>,
): SeriesFit {
  const predicted = Float64Array.from(grid.slot, (s, k) => (Number.isFinite(grid.load[k]) ? level[s] : NaN));
  for (const s of grid.spreads) {
    const share = shares[s.window.kind] ?? 0;
    s.x.forEach((x, i) => (predicted[s.first + i] += share * x));
  }
  let n = 0;
  let sum = 0;
  for (let k = 0; k < grid.load.length; k++) {
    if (Number.isFinite(grid.load[k])) {
      n++;
      sum += grid.load[k];
    }
  }
  const mean = n > 0 ? sum / n : 0;
  let ssRes = 0;
  let ssTot = 0;
  let absErr = 0;
  for (let k = 0; k < grid.load.length; k++) {
    const y = grid.load[k];
    if (!Number.isFinite(y)) continue;
    const e = y - predicted[k];
    ssRes += e * e;
    ssTot += (y - mean) ** 2;
    absErr += Math.abs(e);
  }
  const mae = n > 0 ? absErr / n : 0;
  return {
    quality: {
      slots: n,
      r2: ssTot > 0 ? 1 - ssRes / ssTot : 0,
      mae,
      relativeMae: mean > 0 ? mae / mean : 0,
    },
    predicted,
  };
}
