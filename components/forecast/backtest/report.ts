/** The backtest as JSON (`backtest.json`): inputs, per series and method the summary, every week's sums and choices. */
import type { BacktestResult } from "./backtest";
import { COVERAGE_TARGET } from "./calibrate";
import { SLOT_MINUTES } from "./slots";
import { summarize } from "./summary";
import { verdictLine } from "./verdict";

/** @internal Version of the JSON's shape. */
export const BACKTEST_JSON_VERSION = 1;

const iso = (ms: number): string => new Date(ms).toISOString();

/** @internal The JSON document; `inputs` names the calendar and profile files as the user gave them. */
export function backtestJson(
  result: BacktestResult,
  inputs: { readonly calendar: string; readonly profile: string },
): unknown {
  const { history } = result;
  return {
    version: BACKTEST_JSON_VERSION,
    history: {
      file: history.file,
      unit: history.unit,
      synthetic: history.synthetic,
      stepMinutes: history.stepMs / 60_000,
    },
    ...inputs,
    slotMinutes: SLOT_MINUTES,
    coverageTarget: COVERAGE_TARGET,
    series: result.series.map((s) => {
      const rows = s.methods.map(summarize);
      return {
        region: s.region,
        service: s.service,
        capacity: s.capacity,
        forecastWeeks: s.weeks.map((w) => iso(w.start)),
        leadMinutes: s.leadMinutes,
        verdict: verdictLine(rows),
        methods: s.methods.map((m, i) => {
          const row = rows[i]!;
          const cov = (c: typeof row.all) => (c === null ? null : { ...c, worstWeek: iso(c.worstWeek) });
          return {
            ...row,
            inWindow: cov(row.inWindow),
            all: cov(row.all),
            weeks: m.weeks.map((w, k) => ({ ...w, weekStart: iso(w.weekStart), chosen: m.chosen[k] })),
          };
        }),
      };
    }),
  };
}
