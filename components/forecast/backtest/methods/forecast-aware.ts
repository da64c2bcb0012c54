/**
 * Method (e), the forecast-aware schedule: learn a profile (`fitProfile`, components/forecast/learn) on the
 * training weeks only, then compile the forecast week's windows with it, the learned baseline's forecast at a
 * quantile added before rounding (calendar-schedule.ts), its `scheduled` segments. The learner is given the
 * truth's capacity per replica, as every other method converts load with it, so the table compares forecasts and
 * not capacity estimates; it learns the seasonal baseline and the attendance shares. The quantile is the smallest
 * of the baseline's that reaches the coverage target on the last training week, learned from the weeks before it.
 */
import type { CalendarWindow, LoadProfile } from "../../../calendar";
import { fitProfile } from "../../learn/learn";
import type { LearnOptions } from "../../learn/types";
import type { History } from "../../types";
import { scoreSchedule, smallestMeeting, validationFold } from "../calibrate";
import { FORECAST_AWARE_ID, type BacktestMethod, type ForecastContext, type MethodForecast } from "../method";
import { peakPerSlot } from "../readiness";
import { PINBALL_QUANTILES } from "../score";
import { compileWeek } from "./calendar-schedule";

/** @internal The training weeks as a history of the context's one series: nothing at or after the forecast week. */
export function trainingHistory(context: ForecastContext): History {
  const seen = new Set<number>();
  const points = context.training
    .flatMap((w) => w.points)
    .filter((p) => p.time < context.week.start && !seen.has(p.time) && seen.add(p.time));
  return {
    ...context.history,
    stepMs: context.stepMs,
    series: [{ region: context.region, service: context.service, points }],
    from: context.training[0]!.week.start,
    to: context.week.start,
    gaps: [],
  };
}

export interface ForecastAwareOptions {
  /** What the learner is told besides `until` and the capacity (e.g. `slotMinutes`, `rounds`). @default {} */
  readonly learn?: Omit<LearnOptions, "until" | "capacity">;
}

/** A new instance of method (e); it remembers its learned profiles per training span. */
export function forecastAwareMethod(options: ForecastAwareOptions = {}): BacktestMethod {
  const learned = new Map<string, LoadProfile>();
  const learn = (context: ForecastContext): LoadProfile => {
    const key = `${context.region}/${context.service}/${context.training[0]?.week.start}/${context.week.start}`;
    const hit = learned.get(key);
    if (hit !== undefined) return hit;
    const windows: CalendarWindow[] = context.windows.filter((w) => w.start < context.week.start);
    const { profile } = fitProfile(trainingHistory(context), windows, context.profile, {
      ...options.learn,
      until: context.week.start,
      capacity: { [context.service]: context.capacity },
    });
    learned.set(key, profile);
    return profile;
  };
  const schedule = (context: ForecastContext, quantile: number) => {
    const result = compileWeek(context, learn(context), quantile);
    if ("skipped" in result) throw new Error(`forecast-aware: ${result.skipped}`); // the learner sizes the service
    return result.scheduled;
  };
  return {
    id: FORECAST_AWARE_ID,
    label: "forecast-aware (learned)",
    forecast(context): MethodForecast | { readonly skipped: string } {
      if (context.training.length < 2) return { skipped: "needs two training weeks" };
      const quantiles = learn(context).baseline?.quantiles ?? [];
      if (quantiles.length === 0) return { skipped: "the learned profile has no baseline" };
      const validation = validationFold(context);
      const { chosen, met } = smallestMeeting(quantiles, (q) => {
        const v = validation!;
        const scheduled = schedule(v.context, q);
        const levels = peakPerSlot(scheduled, v.context.week);
        return scoreSchedule(v.truth, scheduled, { 0.5: levels, 0.9: levels, 0.99: levels }, context);
      });
      const at = (q: number): readonly number[] =>
        peakPerSlot(schedule(context, quantiles.includes(q) ? q : chosen), context.week);
      const forecast = Object.fromEntries(
        PINBALL_QUANTILES.map((q) => [q, at(q)]),
      ) as MethodForecast["forecast"];
      return {
        requested: schedule(context, chosen),
        forecast,
        chosen: `q${chosen}${met ? "" : " (target missed)"}`,
      };
    },
  };
}
