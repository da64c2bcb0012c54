/** Baseline (a): provision the training weeks' peak need all week, the way a fixed fleet is sized. */
import type { BacktestMethod } from "../method";
import { oneLevel } from "../method";
import { needPerSlot } from "../score";

export const staticPeak: BacktestMethod = {
  id: "static-peak",
  label: "static peak",
  forecast(context) {
    const peak = Math.max(
      0,
      ...context.training.flatMap((w) => needPerSlot(w, context.capacity).filter((n) => !Number.isNaN(n))),
    );
    const slots = context.training[0]?.peak.length ?? 0;
    return {
      requested: [{ start: context.week.start, end: context.week.end, replicas: peak }],
      forecast: oneLevel(new Array<number>(slots).fill(peak)),
    };
  },
};
