/**
 * The few statistics the forecasting module needs, owned once: sample quantiles, the normal distribution's
 * quantile and a seeded normal sampler (the synthetic histories draw from it, the learner's truth checks invert it),
 * and percentile bootstrap intervals.
 */

/** @internal The q-quantile of ascending `sorted` (linear interpolation between order statistics, Hyndman-Fan type 7). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** @internal The q-quantile of `values` (any order; not modified). */
export function quantile(values: readonly number[], q: number): number {
  return quantileSorted(
    [...values].sort((a, b) => a - b),
    q,
  );
}

/** @internal The median of `values`. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/**
 * @internal The standard normal quantile Φ⁻¹(p) for p in (0, 1), by Acklam's rational approximation (relative
 * error below 1.2e-9, far below anything a load history resolves).
 */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.928510446969, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/** @internal A standard normal sampler over a uniform source (Box-Muller; one draw per call, deterministic). */
export function normalSampler(rnd: () => number): () => number {
  return () => {
    const u = Math.max(rnd(), Number.EPSILON);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
  };
}

/**
 * @internal A lognormal factor with mean 1 and standard deviation `sd` (sd 0 gives exactly 1): exp(σ z - σ²/2)
 * with σ² = ln(1 + sd²). Its q-quantile is `lognormalQuantile(sd, q)`.
 */
export function lognormalFactor(z: number, sd: number): number {
  const sigma = Math.sqrt(Math.log(1 + sd * sd));
  return Math.exp(sigma * z - (sigma * sigma) / 2);
}

/** @internal The q-quantile of the mean-1 lognormal with standard deviation `sd`. */
export function lognormalQuantile(sd: number, q: number): number {
  return lognormalFactor(normalQuantile(q), sd);
}

/**
 * @internal The percentile bootstrap: `estimate(counts)` over `rounds` resamples with replacement of `units`
 * independent units (days, windows), each resample given as how often each unit was drawn; per component of the
 * estimate, the 5 % and 95 % quantiles of its finite values (a 90 % interval; NaN when none is finite).
 */
export function bootstrapIntervals(
  units: number,
  rounds: number,
  rnd: () => number,
  estimate: (counts: readonly number[]) => readonly number[],
): { low: number[]; high: number[] } {
  const draws: number[][] = [];
  const counts = new Array<number>(units);
  for (let r = 0; r < rounds; r++) {
    counts.fill(0);
    for (let i = 0; i < units; i++) counts[Math.floor(rnd() * units)]++;
    estimate(counts).forEach((v, j) => {
      if (Number.isFinite(v)) (draws[j] ??= []).push(v);
    });
  }
  const sorted = draws.map((d) => d.sort((a, b) => a - b));
  return {
    low: sorted.map((d) => quantileSorted(d, 0.05)),
    high: sorted.map((d) => quantileSorted(d, 0.95)),
  };
}
