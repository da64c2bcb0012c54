/**
 * A method's weeks summed into the table's numbers: coverage as the mean over weeks and the worst week (named),
 * unmet load-minutes and replica-minutes summed over the scored slots of every week, pinball loss per slot.
 */
import type { MethodResult } from "./backtest";
import { PINBALL_QUANTILES, type PinballQuantile, type WeekScore } from "./score";

/** @internal A coverage over weeks: the mean of the weekly fractions and the worst week. */
export interface CoverageSummary {
  readonly mean: number;
  readonly worst: number;
  /** Start of the worst week, epoch ms. */
  readonly worstWeek: number;
}

/** @internal One table row. */
export interface MethodSummary {
  readonly id: string;
  readonly label: string;
  /** Null when no scored slot met a window (or the method did not run). */
  readonly inWindow: CoverageSummary | null;
  readonly all: CoverageSummary | null;
  readonly unmetLoadMinutes: number;
  /** Requested replica-minutes / need replica-minutes over the scored slots. */
  readonly replicaRatio: number;
  /** Mean pinball loss per scored slot, replicas. */
  readonly pinball: Readonly<Record<PinballQuantile, number>>;
  /** What it chose on training data, every distinct choice in fold order (`+15 % / +20 %`). */
  readonly chosen: string;
  readonly skipped?: string;
}

function coverage(
  weeks: readonly WeekScore[],
  part: (w: WeekScore) => readonly [covered: number, scored: number],
): CoverageSummary | null {
  const rated = weeks
    .map((w) => ({ week: w.weekStart, value: part(w)[0] / part(w)[1], scored: part(w)[1] }))
    .filter((w) => w.scored > 0);
  if (rated.length === 0) return null;
  const worst = rated.reduce((a, b) => (b.value < a.value ? b : a));
  const mean = rated.reduce((sum, w) => sum + w.value, 0) / rated.length;
  return { mean, worst: worst.value, worstWeek: worst.week };
}

const sum = (weeks: readonly WeekScore[], pick: (w: WeekScore) => number): number =>
  weeks.reduce((total, w) => total + pick(w), 0);

/** @internal The table row of one method. */
export function summarize(result: MethodResult): MethodSummary {
  const { weeks } = result;
  const scored = sum(weeks, (w) => w.scored);
  const pinball = Object.fromEntries(
    PINBALL_QUANTILES.map((q) => [q, scored === 0 ? NaN : sum(weeks, (w) => w.pinball[q]) / scored]),
  ) as Record<PinballQuantile, number>;
  return {
    id: result.id,
    label: result.label,
    inWindow: coverage(weeks, (w) => [w.inWindowCovered, w.inWindowScored]),
    all: coverage(weeks, (w) => [w.covered, w.scored]),
    unmetLoadMinutes: sum(weeks, (w) => w.unmetLoadMinutes),
    replicaRatio: sum(weeks, (w) => w.requestedReplicaMinutes) / sum(weeks, (w) => w.neededReplicaMinutes),
    pinball,
    chosen: [...new Set(result.chosen.filter((c) => c !== ""))].join(" / "),
    ...(result.skipped !== undefined ? { skipped: result.skipped } : {}),
  };
}
