/**
 * The generative model of a synthetic history, in closed form so a test can compare what the learner recovers
 * with the truth:
 *
 *     load(t) = baseline(t) + Σ_open windows w  learners_w × share(kind_w, service) × attendance_w × overlap(w, step)
 *     observed(t) = max(0, load(t) × (1 + noise.load × z_t))
 *
 * - baseline(t) = peak(region, service) × daily(local minute of day) × weekly(local weekday), in the region's zone;
 *   `daily` has a late-morning and an evening bump over a night floor, `weekly` dips on the weekend.
 * - attendance_w: one factor per window (all its services), lognormal with mean 1 and sd `noise.attendance`.
 * - overlap(w, step): the share of the step [t, t + step) the window is open (a row is the step's mean load).
 * - z_t: independent standard normal per row and series.
 * - replicas(t): an autoscaler aiming at a target utilisation u drawn per region, service and hour uniformly in
 *   [0.5, 1.25] of the true capacity, one step late: ceil(load(t - step) / (u × capacity)), at least 1. Wrong on
 *   purpose, so that load per replica spans both sides of the capacity.
 * - p95_ms(t) = latency(load / replicas) × (1 + noise.latency × z'), latency(x) = base / (1 - x / mu) (M/M/1-like),
 *   capped at rho = 0.98; mu = capacity / (1 - base / objective), so latency(capacity) = objective exactly.
 */

/** Relative noise of a synthetic history. */
export interface SyntheticNoise {
  /** Standard deviation of the per-row multiplicative load noise. @default 0.05 */
  readonly load?: number;
  /** Standard deviation of the per-window attendance factor (lognormal, mean 1). @default 0.15 */
  readonly attendance?: number;
  /** Standard deviation of the per-row multiplicative p95 noise. @default 0.05 */
  readonly latency?: number;
}

export const DEFAULT_NOISE: Required<SyntheticNoise> = { load: 0.05, attendance: 0.15, latency: 0.05 };

/** @internal The autoscaler's target utilisation range (fractions of the true capacity). */
export const AUTOSCALER_UTILISATION = { low: 0.5, high: 1.25 } as const;
/** @internal Latency saturates at this utilisation of mu (a queue that long is timing out anyway). */
export const MAX_RHO = 0.98;

/** Night floor plus a late-morning (10:30, sd 2.5 h) and an evening (20:00, sd 3 h) bump; peak near 1. */
export function dailyShape(minuteOfDay: number): number {
  const h = minuteOfDay / 60;
  const bump = (centre: number, sd: number): number => Math.exp(-0.5 * ((h - centre) / sd) ** 2);
  return 0.15 + 0.55 * bump(10.5, 2.5) + 0.5 * bump(20, 3);
}

/** Weekday factor, 1 = Monday: a full week, a lighter Friday, a quiet Saturday and a Sunday of catching up. */
export function weeklyFactor(weekday: number): number {
  return [1, 1, 1, 1, 0.9, 0.6, 0.75][weekday - 1] ?? 1;
}

/** The baseline at a local wall time (minutes since local Monday 00:00) for a series of peak `peak`. */
export function baselineAt(peak: number, minuteOfWeek: number): number {
  const weekday = Math.floor(minuteOfWeek / 1440) + 1;
  return peak * weeklyFactor(weekday) * dailyShape(minuteOfWeek % 1440);
}

/** The latency curve of one service. */
export interface LatencyCurve {
  /** The true capacity: load per replica at which p95 equals the objective. */
  readonly capacity: number;
  readonly objectiveMs: number;
  /** p95 of an idle replica, ms; below the objective. */
  readonly baseMs: number;
}

/** p95 in ms at `perReplica` load per replica (before noise). */
export function latencyP95(curve: LatencyCurve, perReplica: number): number {
  const mu = curve.capacity / (1 - curve.baseMs / curve.objectiveMs);
  const rho = Math.min(MAX_RHO, perReplica / mu);
  return curve.baseMs / (1 - rho);
}
