/**
 * What a backtest method is given and what it returns. A method sees only the weeks before the one it forecasts
 * (`training`) and the calendar windows published for it; it never sees the forecast week's loads, which the
 * poison test proves (test/forecast/backtest/no-peeking.test.ts).
 */
import type { CalendarWindow, LoadProfile, Segment } from "../../calendar";
import type { History } from "../types";
import type { QuantileForecast } from "./score";
import type { ObservedWeek } from "./slots";
import type { Week } from "./weeks";

/** @internal Everything a method may know when it forecasts `week`. */
export interface ForecastContext {
  readonly region: string;
  readonly service: string;
  /** The weeks before `week`, oldest first. */
  readonly training: readonly ObservedWeek[];
  /** The week to forecast (its span only). */
  readonly week: Week;
  /**
   * The series' region's calendar windows known at forecast time: every window starting before the week ends
   * (the calendar is published ahead, so all of the week's events are known when it starts).
   */
  readonly windows: readonly CalendarWindow[];
  /** Load one replica carries (the truth's capacity). */
  readonly capacity: number;
  /** The readiness lead of this fold, ms (readiness.ts). */
  readonly leadMs: number;
  /** The hand-written load profile (`--profile`). */
  readonly profile: LoadProfile;
  /** The history's step, ms. */
  readonly stepMs: number;
  /** The history file, its unit and whether it is synthetic (for a learner's provenance). */
  readonly history: Pick<History, "file" | "unit" | "synthetic">;
}

/** @internal The id of method (e), the forecast-aware schedule, whose verdict the table gives. */
export const FORECAST_AWARE_ID = "forecast-aware";

/** @internal A method's answer for one week. */
export interface MethodForecast {
  /** The replicas it asks for over the week (sorted segments); readiness.ts says when they are Ready. */
  readonly requested: readonly Segment[];
  /** Its replicas forecast per slot at each pinball quantile (one level everywhere when it has only one). */
  readonly forecast: QuantileForecast;
  /** The margin, level or quantile it chose on training data, for the table (`+15 %`, `q0.99`). */
  readonly chosen?: string;
}

/** @internal A forecasting method of the backtest table. */
export interface BacktestMethod {
  /** Short stable id (`static-peak`). */
  readonly id: string;
  /** The table's label. */
  readonly label: string;
  /** Its forecast, or a reason it cannot run on this series (e.g. the profile does not size the service). */
  forecast(context: ForecastContext): MethodForecast | { readonly skipped: string };
}

/** @internal The same level at every pinball quantile (methods with one level). */
export function oneLevel(levels: readonly number[]): QuantileForecast {
  return { 0.5: levels, 0.9: levels, 0.99: levels };
}
