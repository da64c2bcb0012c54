/**
 * Baseline (b): today's calendar scaling, the week's windows compiled with the hand-written profile
 * (`--profile`); nothing learned, nothing outside windows but the profile's floor.
 */
import type { BacktestMethod } from "../method";
import { oneLevel } from "../method";
import { peakPerSlot } from "../readiness";
import { compileWeek } from "./calendar-schedule";

export const handCalendar: BacktestMethod = {
  id: "hand-calendar",
  label: "calendar, hand profile",
  forecast(context) {
    const result = compileWeek(context, context.profile);
    if ("skipped" in result) return result;
    return { requested: result.scheduled, forecast: oneLevel(peakPerSlot(result.scheduled, context.week)) };
  },
};
