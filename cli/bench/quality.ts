/**
 * How close the compiled schedules come to the best possible at each trigger budget: per case and budget, the
 * scheduled replica-minutes against the exact (unbudgeted) schedule and against the lower bound (compile/bound.ts)
 * that no schedule of that many dated or weekly triggers can beat.
 */
import {
  compileAll,
  datedLowerBound,
  weeklyLowerBound,
  type CompileOptions,
  type LoadProfile,
  type NeedSeries,
} from "../../components/calendar";
import { MINUTE_MS } from "../../components/core";

/** One calendar the bench compiles. */
export interface BenchCase {
  readonly name: string;
  readonly series: readonly NeedSeries[];
  readonly profile: LoadProfile;
  readonly horizon: { readonly from: number; readonly to: number };
}

/** One row of the quality table: a case at a budget, summed over its ScaledObjects. */
export interface QualityRow {
  readonly budget: number;
  readonly triggersMax: number;
  readonly weekly: number;
  readonly scaledObjects: number;
  readonly coverage: number;
  /** Scheduled / exact replica-minutes, over all ScaledObjects and for the worst one. */
  readonly overExact: number;
  readonly worstOverExact: number;
  /** Scheduled / lower-bound replica-minutes. */
  readonly overBound: number;
  readonly compileMs: number;
}

/** The median of `xs` (compile times). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** The quality rows of one case at each budget; compile time is the median of `runs` compiles of all its series. */
export function measureQuality(
  c: BenchCase,
  budgets: readonly number[],
  base: Omit<CompileOptions, "triggerBudget" | "horizon">,
  runs: number,
): QualityRow[] {
  const { from, to } = c.horizon;
  const exact = compileAll(c.series, c.profile, { ...base, horizon: c.horizon, triggerBudget: 1e6 });
  return budgets.map((budget) => {
    const options = { ...base, horizon: c.horizon, triggerBudget: budget, weeklyPatterns: true };
    const times: number[] = [];
    let results = compileAll(c.series, c.profile, options);
    for (let r = 0; r < runs; r++) {
      const t0 = process.hrtime.bigint();
      results = compileAll(c.series, c.profile, options);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    let scheduled = 0;
    let exactArea = 0;
    let bound = 0;
    let needed = 0;
    let covered = 0;
    let worst = 1;
    results.forEach((r, i) => {
      const e = exact[i]!;
      const floor = r.schedule.minReplicaCount;
      // The exact schedule is the target itself (floored), so the bounds are taken over it.
      const target = e.scheduled;
      const lower =
        Math.min(
          datedLowerBound(target, floor, budget, from, to),
          weeklyLowerBound(target, floor, budget, from, to),
        ) / MINUTE_MS;
      scheduled += r.stats.scheduledReplicaMinutes;
      exactArea += e.stats.scheduledReplicaMinutes;
      bound += lower;
      needed += r.stats.neededReplicaMinutes;
      covered += r.stats.coverage * r.stats.neededReplicaMinutes;
      worst = Math.max(worst, r.stats.scheduledReplicaMinutes / e.stats.scheduledReplicaMinutes);
    });
    return {
      budget,
      triggersMax: Math.max(...results.map((r) => r.schedule.triggers.length)),
      weekly: results.filter((r) => r.stats.form === "weekly").length,
      scaledObjects: results.length,
      coverage: needed === 0 ? 1 : covered / needed,
      overExact: scheduled / exactArea,
      worstOverExact: worst,
      overBound: scheduled / bound,
      compileMs: median(times),
    };
  });
}
