/**
 * Choosing a method's margin (or interval level, or quantile) on training data only: forecast the last training
 * week from the weeks before it with each candidate, smallest first, and keep the first that reaches the coverage
 * target there; the largest candidate when none does (the table says so). The forecast week is never looked at.
 */
import type { Segment } from "../../calendar";
import type { ForecastContext } from "./method";
import { lookAheadRequests, readyPerSlot } from "./readiness";
import {
  needPerSlot,
  scoreWeek,
  slotsInWindows,
  type QuantileForecast,
  type WeekScore,
  type WeekTruth,
} from "./score";
import type { ObservedWeek } from "./slots";

/** @internal The done-when's coverage: of slots inside calendar windows, and of all slots. */
export const COVERAGE_TARGET = { inWindow: 0.999, all: 0.99 } as const;

/** @internal Whether a week's score reaches the target (a week without window slots meets the in-window part). */
export function meetsTarget(score: WeekScore): boolean {
  const all = score.scored === 0 || score.covered / score.scored >= COVERAGE_TARGET.all;
  const inWindow =
    score.inWindowScored === 0 || score.inWindowCovered / score.inWindowScored >= COVERAGE_TARGET.inWindow;
  return all && inWindow;
}

/** @internal The context of forecasting the last training week from the earlier ones, and that week's truth. */
export function validationFold(
  context: ForecastContext,
): { readonly context: ForecastContext; readonly truth: WeekTruth } | undefined {
  const last: ObservedWeek | undefined = context.training[context.training.length - 1];
  if (last === undefined || context.training.length < 2) return undefined;
  const windows = context.windows.filter((w) => w.start < last.week.end);
  return {
    context: { ...context, training: context.training.slice(0, -1), week: last.week, windows },
    truth: {
      observed: last,
      capacity: context.capacity,
      need: needPerSlot(last, context.capacity),
      inWindow: slotsInWindows(last, windows),
    },
  };
}

/** @internal The score of a schedule on a truth week under the common readiness rule. */
export function scoreSchedule(
  truth: WeekTruth,
  requested: readonly Segment[],
  forecast: QuantileForecast,
  context: Pick<ForecastContext, "leadMs" | "stepMs">,
): WeekScore {
  const ready = readyPerSlot(requested, truth.observed.week, context.leadMs);
  return scoreWeek(truth, { ready, requested, forecast }, context.stepMs);
}

/** @internal The score of a per-slot replicas forecast, requested with the look-ahead (readiness.ts). */
export function scoreSlotForecast(
  truth: WeekTruth,
  levels: readonly number[],
  context: Pick<ForecastContext, "leadMs" | "stepMs">,
): WeekScore {
  const requested = lookAheadRequests(levels, truth.observed.week, context.leadMs);
  return scoreSchedule(truth, requested, { 0.5: levels, 0.9: levels, 0.99: levels }, context);
}

/** @internal The first candidate (ascending) whose score reaches the target, else the last; `met` says which. */
export function smallestMeeting<T>(
  candidates: readonly T[],
  score: (candidate: T) => WeekScore,
): { readonly chosen: T; readonly met: boolean } {
  for (const c of candidates) if (meetsTarget(score(c))) return { chosen: c, met: true };
  return { chosen: candidates[candidates.length - 1]!, met: false };
}
