/**
 * From a target step function to emitted cron triggers: the cheapest form within the trigger budget (forms.ts),
 * each start/end pair validated. The service's schedule and its placeholders' (pre-provision.ts) take this one path.
 */
import type { CompileOptions, Segment } from "../types";
import { validateCronPair } from "./cron-spec";
import { decompose } from "./skyline";
import { cheapestForm, type Emitted as FormEmitted, type ScheduleForm } from "./forms";

export { CALENDAR_TRIGGER_PREFIX } from "./forms";

/** @internal What `emitTriggers` produces. */
export interface Emitted extends FormEmitted {
  /** Triggers the exact schedule needs before merging. */
  readonly exactTriggers: number;
}

/**
 * The triggers for `target` above `floor` within the budget, written in `weeklyZone` where weekly. Without
 * `follow`: the cheapest form `options.weeklyPatterns` allows. With `follow` (placeholders follow their service):
 * dated when the service is dated, else a recurring form (weekly or mixed) where one exists, so both keep
 * recurring alike after the horizon.
 * @internal
 */
export function emitTriggers(
  target: readonly Segment[],
  floor: number,
  options: Pick<CompileOptions, "triggerBudget" | "horizon" | "weeklyPatterns">,
  weeklyZone: string,
  follow?: ScheduleForm,
): Emitted {
  const weekly = follow === undefined ? options.weeklyPatterns === true : follow !== "dated";
  const chosen = cheapestForm(target, floor, {
    budget: options.triggerBudget,
    horizon: options.horizon,
    ...(weekly ? { weeklyZone } : {}),
    ...(follow !== undefined && follow !== "dated" ? { recurring: true } : {}),
  });
  for (const t of chosen.triggers) {
    const bad = validateCronPair(t.start, t.end);
    if (bad.length > 0)
      throw new Error(`compileService: internal error, trigger ${t.name}: ${bad.join("; ")}`);
  }
  return { ...chosen, exactTriggers: decompose(target, floor).length };
}
