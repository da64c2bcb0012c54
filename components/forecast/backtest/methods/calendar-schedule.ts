/**
 * What the calendar compiler schedules for one series over one week, for a given profile: the week's known
 * windows through the need model and the compiler, as `compileCalendar` does (on windows and a profile in
 * memory), and with a learned baseline its forecast at `quantile` added before rounding, as `compileCalendar`'s
 * `forecastQuantile` does. Shared by baseline (b), today's hand profile, and method (e), the learned one.
 */
import {
  compileAll,
  forecastReplicas,
  needSeries,
  profileTiming,
  type CompileResult,
  type LoadProfile,
} from "../../../calendar";
import { DEFAULT_TRIGGER_BUDGET } from "../../../core";
import type { ForecastContext } from "../method";

/** @internal The compiled week of the context's series with `profile`, or why it cannot be compiled. */
export function compileWeek(
  context: ForecastContext,
  profile: LoadProfile,
  quantile?: number,
): CompileResult | { readonly skipped: string } {
  const sizing = profile.services[context.service];
  if (sizing === undefined) return { skipped: `the profile does not size ${context.service}` };
  const only: LoadProfile = { ...profile, services: { [context.service]: sizing } };
  const horizon = { from: context.week.start, to: context.week.end };
  const forecast =
    quantile === undefined
      ? undefined
      : (region: string, service: string) => {
          const replicas = forecastReplicas(only, region, service, quantile, horizon);
          return replicas === undefined ? undefined : { quantile, replicas };
        };
  const series = needSeries(context.windows, only, {
    regions: [context.region],
    horizon,
    ...(forecast !== undefined ? { forecast } : {}),
  });
  const [result] = compileAll(series, only, {
    triggerBudget: DEFAULT_TRIGGER_BUDGET,
    timing: profileTiming(only),
    horizon,
  });
  return result!;
}
