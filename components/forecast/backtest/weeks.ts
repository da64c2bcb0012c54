/**
 * The backtest's calendar of weeks: whole UTC weeks (Monday 00:00 UTC to the next Monday), the first one starting
 * at the first Monday 00:00 UTC at or after the history's first row, and the rolling origins over them.
 *
 * Why UTC Mondays: every region's history is cut at the same instants, so a week is the same span in every
 * series and in the table; a partial first week would train the methods on a week that is not comparable.
 */
import { DateTime } from "luxon";
import { DAY_MS } from "../../core";

/** @internal One week's span, epoch ms UTC: [start, end). */
export interface Week {
  readonly start: number;
  readonly end: number;
}

/** @internal One rolling origin: train on `weeks[0..forecast)`, forecast `weeks[forecast]`. */
export interface Fold {
  /** Index of the forecast week (k + 1 in 1-based terms: trained on weeks 1..k). */
  readonly forecast: number;
  readonly week: Week;
}

/** @internal Week length. */
export const WEEK_MS = 7 * DAY_MS;

/** @internal The first Monday 00:00 UTC at or after `instant`. */
export function firstMondayUtc(instant: number): number {
  const monday = DateTime.fromMillis(instant, { zone: "utc" }).startOf("week").toMillis();
  return monday < instant ? monday + WEEK_MS : monday;
}

/**
 * The whole weeks inside [from, to), at most `limit` of them (the first ones).
 * @internal
 */
export function wholeWeeks(span: { readonly from: number; readonly to: number }, limit = Infinity): Week[] {
  const weeks: Week[] = [];
  for (
    let start = firstMondayUtc(span.from);
    start + WEEK_MS <= span.to && weeks.length < limit;
    start += WEEK_MS
  )
    weeks.push({ start, end: start + WEEK_MS });
  return weeks;
}

/** @internal Every origin from k = 2 on: train on weeks 1..k, forecast week k + 1. */
export function rollingFolds(weeks: readonly Week[]): Fold[] {
  return weeks.slice(2).map((week, i) => ({ forecast: i + 2, week }));
}
