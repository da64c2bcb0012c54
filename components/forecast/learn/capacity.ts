/**
 * Capacity per service: the load per replica at which p95 latency reaches the service's objective, from the
 * history's (load / replicas, p95_ms) pairs over every region.
 *
 * Latency rises with load per replica but each sample is noisy, so p95 is fitted as a non-decreasing function of
 * load per replica (isotonic regression, pool adjacent violators) and the capacity is where that fit first reaches
 * the objective, linearly interpolated between the two cells around it. Pairs are pooled into 400 cells of load
 * per replica per UTC day first; the interval is a percentile bootstrap over days. When the fit never reaches the
 * objective, the history only shows the capacity is at least the highest load per replica seen: that is what is
 * returned (`censored`), never an extrapolation.
 */
import type { LearnedEstimate } from "../../calendar";
import { bootstrapIntervals, quantile } from "../stats";
import type { SeriesGrid } from "./grid";

/** Cells of load per replica over [0, the 99.5th percentile]; the rare pairs above share the last cell. */
const CELLS = 400;

export interface CapacityFit extends LearnedEstimate {
  readonly latencyObjectiveMs: number;
  /** True when no load per replica in the history reached the objective: the estimate is a lower bound. */
  readonly censored: boolean;
  /** The (load per replica, p95) pairs used. */
  readonly pairs: number;
}

/** The capacity of one service, or undefined when its history has no (replicas, p95) pairs. */
export function fitCapacity(
  grids: readonly SeriesGrid[],
  objectiveMs: number,
  options: { readonly rounds: number; readonly rnd: () => number },
): CapacityFit | undefined {
  const xs: number[] = [];
  const ys: number[] = [];
  const ds: number[] = [];
  for (const g of grids) {
    for (let k = 0; k < g.load.length; k++) {
      const r = g.replicas[k];
      if (r > 0 && Number.isFinite(g.load[k]) && Number.isFinite(g.p95[k])) {
        xs.push(g.load[k] / r);
        ys.push(g.p95[k]);
        ds.push(g.day[k]);
      }
    }
  }
  if (xs.length === 0) return undefined;
  const top = quantile(xs, 0.995);
  const days = Math.max(...ds) + 1;
  const width = top > 0 ? top / CELLS : 1;
  const n = Array.from({ length: days }, () => new Float64Array(CELLS));
  const sx = Array.from({ length: days }, () => new Float64Array(CELLS));
  const sy = Array.from({ length: days }, () => new Float64Array(CELLS));
  xs.forEach((x, i) => {
    const cell = Math.min(CELLS - 1, Math.floor(x / width));
    n[ds[i]][cell]++;
    sx[ds[i]][cell] += x;
    sy[ds[i]][cell] += ys[i];
  });
  const crossing = (counts: readonly number[]): { x: number; censored: boolean } => {
    const w = new Float64Array(CELLS);
    const mx = new Float64Array(CELLS);
    const my = new Float64Array(CELLS);
    counts.forEach((m, d) => {
      if (m === 0) return;
      for (let j = 0; j < CELLS; j++) {
        w[j] += m * n[d][j];
        mx[j] += m * sx[d][j];
        my[j] += m * sy[d][j];
      }
    });
    const cells = [...w.keys()].filter((j) => w[j] > 0);
    const x = cells.map((j) => mx[j] / w[j]);
    const fit = isotonic(
      cells.map((j) => my[j] / w[j]),
      cells.map((j) => w[j]),
    );
    const i = fit.findIndex((f) => f >= objectiveMs);
    if (i < 0) return { x: x[x.length - 1] ?? 0, censored: true };
    if (i === 0) return { x: x[0], censored: false };
    return {
      x: x[i - 1] + ((objectiveMs - fit[i - 1]) / (fit[i] - fit[i - 1])) * (x[i] - x[i - 1]),
      censored: false,
    };
  };
  const full = crossing(new Array<number>(days).fill(1));
  const base = { latencyObjectiveMs: objectiveMs, pairs: xs.length, samples: days };
  if (full.censored) return { ...base, estimate: full.x, low: full.x, high: full.x, censored: true };
  // A resample that never reaches the objective says "at least its top": it counts at that value.
  const { low, high } = bootstrapIntervals(days, options.rounds, options.rnd, (c) => [crossing(c).x]);
  return {
    ...base,
    estimate: full.x,
    low: Math.min(full.x, low[0] ?? full.x),
    high: Math.max(full.x, high[0] ?? full.x),
    censored: false,
  };
}

/** Weighted isotonic (non-decreasing) regression by pool adjacent violators; returns the fit per input. @internal */
export function isotonic(values: readonly number[], weights: readonly number[]): number[] {
  const n = values.length;
  const mean = new Float64Array(n);
  const weight = new Float64Array(n);
  const size = new Int32Array(n);
  let top = -1;
  for (let i = 0; i < n; i++) {
    top++;
    mean[top] = values[i];
    weight[top] = weights[i];
    size[top] = 1;
    while (top > 0 && mean[top - 1] > mean[top]) {
      const w = weight[top - 1] + weight[top];
      mean[top - 1] = (mean[top - 1] * weight[top - 1] + mean[top] * weight[top]) / w;
      weight[top - 1] = w;
      size[top - 1] += size[top];
      top--;
    }
  }
  const out: number[] = [];
  for (let b = 0; b <= top; b++) for (let j = 0; j < size[b]; j++) out.push(mean[b]);
  return out;
}
