/**
 * Baseline (c): seasonal naive, the same slot last week times (1 + margin), as a KEDA trigger replaying last
 * week's metric would do (grafana/mimir#7775). A slot without data last week takes the nearest earlier week's;
 * with none at all, the training peak. The margin is chosen on training data (calibrate.ts).
 */
import type { BacktestMethod, ForecastContext } from "../method";
import { oneLevel } from "../method";
import { scoreSlotForecast, smallestMeeting, validationFold } from "../calibrate";
import { lookAheadRequests } from "../readiness";
import { replicasFor } from "../score";

/** @internal Margins tried, smallest first. */
export const NAIVE_MARGINS = [0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 3] as const;

/** @internal Last week's load per slot (see the file comment for gaps). */
export function lastWeekLoads(context: Pick<ForecastContext, "training">): number[] {
  const weeks = context.training;
  const peak = Math.max(0, ...weeks.flatMap((w) => w.peak.filter((x) => !Number.isNaN(x))));
  return (weeks[weeks.length - 1]?.peak ?? []).map((_, s) => {
    for (let w = weeks.length - 1; w >= 0; w--) {
      const x = weeks[w]!.peak[s]!;
      if (!Number.isNaN(x)) return x;
    }
    return peak;
  });
}

function levels(context: ForecastContext, margin: number): number[] {
  return lastWeekLoads(context).map((load) => replicasFor(load * (1 + margin), context.capacity));
}

export const seasonalNaive: BacktestMethod = {
  id: "seasonal-naive",
  label: "seasonal naive",
  forecast(context) {
    const validation = validationFold(context);
    const { chosen, met } =
      validation === undefined
        ? { chosen: NAIVE_MARGINS[NAIVE_MARGINS.length - 1], met: false }
        : smallestMeeting(NAIVE_MARGINS, (m) =>
            scoreSlotForecast(validation.truth, levels(validation.context, m), context),
          );
    const forecast = levels(context, chosen);
    return {
      requested: lookAheadRequests(forecast, context.week, context.leadMs),
      forecast: oneLevel(forecast),
      chosen: `+${Math.round(chosen * 100)} %${met ? "" : " (target missed)"}`,
    };
  },
};
