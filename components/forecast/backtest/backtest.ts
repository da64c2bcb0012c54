/**
 * The rolling-origin backtest: for each series and each k >= 2, every method forecasts week k + 1 from weeks
 * 1..k and the calendar known then, and is scored on that week's truth under one readiness rule.
 */
import { profileTiming, type CalendarWindow, type LoadProfile } from "../../calendar";
import { throwIfProblems, type Problem } from "../../core";
import type { History, HistorySeries } from "../types";
import type { BacktestMethod, ForecastContext } from "./method";
import { staticPeak } from "./methods/static-peak";
import { handCalendar } from "./methods/hand-calendar";
import { seasonalNaive } from "./methods/seasonal-naive";
import { statisticalMethod } from "./methods/statistical";
import { forecastAwareMethod } from "./methods/forecast-aware";
import { readinessLeadMs, readyPerSlot } from "./readiness";
import { needPerSlot, scoreWeek, slotsInWindows, type WeekScore } from "./score";
import { observeWeek } from "./slots";
import { rollingFolds, wholeWeeks, type Week } from "./weeks";

/** @internal The source of problems with the backtest's inputs. */
export const BACKTEST_SOURCE = "backtest";

export interface BacktestOptions {
  /** The hand-written profile: baseline (b) compiles with it; it sizes the truth unless `capacity` is given. */
  readonly profile: LoadProfile;
  /** Load one replica carries. @default - the profile's `learnersPerReplica` of each series' service */
  readonly capacity?: number;
  /** Use at most the first N whole weeks. @default - every whole week of the history */
  readonly weeks?: number;
  /** Only this region's series. @default - every region */
  readonly region?: string;
  /** Only this service's series. @default - every service */
  readonly service?: string;
  /** The methods, in table order. @default - `defaultMethods()` */
  readonly methods?: readonly BacktestMethod[];
  /** Progress lines (one per fold). @default - silent */
  readonly progress?: (line: string) => void;
}

/** @internal One method's scores on one series, a week per fold. */
export interface MethodResult {
  readonly id: string;
  readonly label: string;
  readonly weeks: readonly WeekScore[];
  /** What it chose on training data in each fold (empty strings for methods that choose nothing). */
  readonly chosen: readonly string[];
  /** Why the method could not run on this series. @default - it ran */
  readonly skipped?: string;
}

/** @internal The backtest of one region and service. */
export interface SeriesBacktest {
  readonly region: string;
  readonly service: string;
  readonly capacity: number;
  /** The forecast weeks, in fold order. */
  readonly weeks: readonly Week[];
  /** The readiness lead of each fold, minutes. */
  readonly leadMinutes: readonly number[];
  readonly methods: readonly MethodResult[];
}

export interface BacktestResult {
  readonly history: Pick<History, "file" | "unit" | "synthetic" | "stepMs">;
  readonly series: readonly SeriesBacktest[];
}

/** @internal The baselines (a)-(d) and the forecast-aware schedule (e), fresh instances, in table order. */
export function defaultMethods(): BacktestMethod[] {
  return [staticPeak, handCalendar, seasonalNaive, statisticalMethod(), forecastAwareMethod()];
}

function selectedSeries(history: History, options: BacktestOptions): HistorySeries[] {
  const chosen = history.series.filter(
    (s) =>
      (options.region === undefined || s.region === options.region) &&
      (options.service === undefined || s.service === options.service),
  );
  const names = history.series.map((s) => `${s.region}/${s.service}`).join(", ");
  throwIfProblems(BACKTEST_SOURCE, [
    ...(chosen.length === 0
      ? [
          {
            path: "--region/--service",
            value: `${options.region ?? "*"}/${options.service ?? "*"}`,
            rule: `must name a series of ${history.file} (${names || "none"})`,
          },
        ]
      : []),
  ]);
  return chosen;
}

function capacityProblems(series: readonly HistorySeries[], options: BacktestOptions): Problem[] {
  if (options.capacity !== undefined) return [];
  return [...new Set(series.map((s) => s.service))]
    .filter((service) => options.profile.services[service] === undefined)
    .map((service) => ({
      path: "--capacity",
      value: undefined,
      rule: `required: the profile does not size ${service}, so the load one replica carries is unknown`,
      fix: `pass --capacity <load per replica>, or a --profile with services.${service}`,
    }));
}

/**
 * Runs every method over every fold of every selected series.
 * @throws `InputError` (source `backtest`) when no series matches, a capacity is unknown, or the history has
 * fewer than three whole weeks.
 */
export function runBacktest(
  history: History,
  windows: readonly CalendarWindow[],
  options: BacktestOptions,
): BacktestResult {
  const series = selectedSeries(history, options);
  const weeks = wholeWeeks(history, options.weeks ?? Infinity);
  throwIfProblems(BACKTEST_SOURCE, [
    ...capacityProblems(series, options),
    ...(weeks.length < 3
      ? [
          {
            path: options.weeks !== undefined ? "--weeks" : "--history",
            value: options.weeks ?? `${weeks.length} whole weeks (Monday 00:00 UTC to Monday)`,
            rule: "must give at least 3 whole weeks: train on weeks 1..k for k >= 2, forecast week k + 1",
          },
        ]
      : []),
  ]);
  const timing = profileTiming(options.profile);
  return {
    history: { file: history.file, unit: history.unit, synthetic: history.synthetic, stepMs: history.stepMs },
    series: series.map((s) => {
      const capacity = options.capacity ?? options.profile.services[s.service]!.learnersPerReplica;
      const methods = options.methods ?? defaultMethods();
      const observed = weeks.map((w) => observeWeek(s, w, history.stepMs));
      const regional = windows.filter((w) => w.region === s.region);
      const folds = rollingFolds(weeks);
      const scores = methods.map(() => ({ weeks: [] as WeekScore[], chosen: [] as string[], skipped: "" }));
      const leadMinutes: number[] = [];
      for (const fold of folds) {
        const training = observed.slice(0, fold.forecast);
        const trainingPeak = Math.max(
          1,
          ...training.flatMap((w) => needPerSlot(w, capacity).filter((n) => n >= 0)),
        );
        const leadMs = readinessLeadMs(trainingPeak, timing);
        leadMinutes.push(leadMs / 60_000);
        const context: ForecastContext = {
          region: s.region,
          service: s.service,
          training,
          week: fold.week,
          windows: regional.filter((w) => w.start < fold.week.end),
          capacity,
          leadMs,
          profile: options.profile,
          stepMs: history.stepMs,
          history: { file: history.file, unit: history.unit, synthetic: history.synthetic },
        };
        const truthWeek = observed[fold.forecast]!;
        const truth = {
          observed: truthWeek,
          capacity,
          need: needPerSlot(truthWeek, capacity),
          inWindow: slotsInWindows(truthWeek, context.windows),
        };
        methods.forEach((method, i) => {
          const answer = method.forecast(context);
          if ("skipped" in answer) {
            scores[i]!.skipped = answer.skipped;
            return;
          }
          const ready = readyPerSlot(answer.requested, fold.week, leadMs);
          scores[i]!.weeks.push(scoreWeek(truth, { ...answer, ready }, history.stepMs));
          scores[i]!.chosen.push(answer.chosen ?? "");
        });
        options.progress?.(
          `${s.region}/${s.service}: week ${fold.forecast + 1} of ${weeks.length} (from ${new Date(fold.week.start).toISOString().slice(0, 10)}) scored`,
        );
      }
      return {
        region: s.region,
        service: s.service,
        capacity,
        weeks: folds.map((f) => f.week),
        leadMinutes,
        methods: methods.map((m, i) => ({
          id: m.id,
          label: m.label,
          weeks: scores[i]!.weeks,
          chosen: scores[i]!.chosen,
          ...(scores[i]!.skipped !== "" ? { skipped: scores[i]!.skipped } : {}),
        })),
      };
    }),
  };
}
