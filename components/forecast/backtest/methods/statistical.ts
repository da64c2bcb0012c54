/**
 * Baseline (d): a standard statistical forecaster, MSTL (daily and, with two weeks or more, weekly seasonality)
 * with an AutoETS trend (`@bsull/augurs`, mstl-process.ts), fitted on the training weeks' slot peaks (gaps filled
 * as slots.ts says, for fitting only) and read at its prediction intervals: the q quantile is the upper bound
 * at level 2q - 1, the median its point forecast. The level it requests is the smallest quantile that reaches
 * the coverage target on the last training week forecast from the earlier ones (calibrate.ts).
 */
import type { BacktestMethod, ForecastContext, MethodForecast } from "../method";
import { scoreSlotForecast, smallestMeeting, validationFold } from "../calibrate";
import { lookAheadRequests } from "../readiness";
import { PINBALL_QUANTILES, replicasFor } from "../score";
import { fillGaps } from "../slots";
import { mstlForecasts, type MstlForecast } from "./mstl-process";

/** @internal Quantiles the method may request at, smallest first (0.5 = the point forecast). */
export const STATISTICAL_QUANTILES = [0.5, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999] as const;

/** @internal Seasonal periods in 5-minute slots. */
const DAY_SLOTS = 288;
const WEEK_SLOTS = 7 * DAY_SLOTS;

/** Interval level whose upper bound is the q quantile. */
const levelOf = (q: number): number => Math.round((2 * q - 1) * 1e6) / 1e6;

export interface StatisticalOptions {
  /** Fit on at most this many of the latest training weeks (fitting time grows with the series). @default 4 */
  readonly fitWeeks?: number;
}

/** The forecast's load at quantile q, per slot, never below 0. */
function atQuantile(f: MstlForecast, q: number): number[] {
  const values = q === 0.5 ? f.point : f.upper[String(levelOf(q))]!;
  return values.map((x) => Math.max(0, x));
}

/** A new instance of method (d); it remembers its fits per training span, so a fold's validation reuses the last. */
export function statisticalMethod(options: StatisticalOptions = {}): BacktestMethod {
  const fitWeeks = options.fitWeeks ?? 4;
  const fits = new Map<string, MstlForecast>();
  const forecastLoads = (context: ForecastContext): MstlForecast => {
    const weeks = context.training.slice(-fitWeeks);
    const key = `${context.region}/${context.service}/${weeks[0]?.week.start}/${weeks.length}`;
    const hit = fits.get(key);
    if (hit !== undefined) return hit;
    const y = fillGaps(weeks.map((w) => w.peak)).flat();
    const periods = weeks.length >= 2 ? [DAY_SLOTS, WEEK_SLOTS] : [DAY_SLOTS];
    const levels = [...new Set([...STATISTICAL_QUANTILES, ...PINBALL_QUANTILES])].filter((q) => q > 0.5);
    const [f] = mstlForecasts([{ y, periods, horizon: WEEK_SLOTS, levels: levels.map(levelOf) }]);
    fits.set(key, f!);
    return f!;
  };
  const replicas = (context: ForecastContext, q: number): number[] =>
    atQuantile(forecastLoads(context), q).map((load) => replicasFor(load, context.capacity));
  return {
    id: "mstl-ets",
    label: "MSTL/ETS (augurs)",
    forecast(context): MethodForecast {
      const validation = validationFold(context);
      const { chosen, met } =
        validation === undefined
          ? { chosen: STATISTICAL_QUANTILES[STATISTICAL_QUANTILES.length - 1], met: false }
          : smallestMeeting(STATISTICAL_QUANTILES, (q) =>
              scoreSlotForecast(validation.truth, replicas(validation.context, q), context),
            );
      const levels = replicas(context, chosen);
      return {
        requested: lookAheadRequests(levels, context.week, context.leadMs),
        forecast: { 0.5: replicas(context, 0.5), 0.9: replicas(context, 0.9), 0.99: replicas(context, 0.99) },
        chosen: `q${chosen}${met ? "" : " (target missed)"}`,
      };
    },
  };
}
