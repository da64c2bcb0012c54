/**
 * The recovery check the property test applies: what a learner found against the synthetic truth, with the
 * tolerances stated once. Returns one line per miss, so a failing seed says what and by how much.
 */
import type { LearnedEstimate, LoadProfile } from "../../../components/calendar";
import { syntheticBaseline, type LearnResult, type SyntheticTruth } from "../../../components/forecast";

/**
 * A share is recovered when it is within 5 % + 2.5 standard errors of a kind's mean attendance (sd / sqrt(windows):
 * with two launch windows the mean of their attendance factors alone is off by 10 % one time in three) plus 0.01.
 */
export function shareTolerance(truth: SyntheticTruth, share: number, windows: number): number {
  return share * (0.05 + (2.5 * truth.attendance.sd) / Math.sqrt(windows)) + 0.01;
}
/** Capacity within 2 % of the truth, and its low end (the profile's learnersPerReplica) at most 0.5 % above it. */
export const CAPACITY_TOLERANCE = 0.02;
/** The baseline's median level within 5 % of the true baseline, mean absolute relative error over the steps. */
export const BASELINE_TOLERANCE = 0.05;

export function shareMisses(
  attendance: Readonly<Record<string, Readonly<Record<string, LearnedEstimate>>>>,
  truth: SyntheticTruth,
): string[] {
  const misses: string[] = [];
  for (const kind of Object.keys(truth.windowsByKind)) {
    for (const [service, share] of Object.entries(truth.shares[kind] ?? {})) {
      const e = attendance[kind]?.[service];
      if (e === undefined) {
        misses.push(`${kind} x ${service}: not learned`);
        continue;
      }
      const tol = shareTolerance(truth, share, e.samples);
      if (Math.abs(e.estimate - share) > tol)
        misses.push(
          `${kind} x ${service}: ${e.estimate.toFixed(4)} vs truth ${share} (tolerance ${tol.toFixed(4)}, ${e.samples} windows)`,
        );
    }
  }
  return misses;
}

export function capacityMisses(profile: LoadProfile, truth: SyntheticTruth): string[] {
  const misses: string[] = [];
  for (const [service, curve] of Object.entries(truth.capacity)) {
    const c = profile.learned?.capacity[service];
    if (c === undefined) {
      misses.push(`${service}: no capacity`);
      continue;
    }
    if (Math.abs(c.estimate - curve.capacity) > CAPACITY_TOLERANCE * curve.capacity)
      misses.push(`${service}: capacity ${c.estimate} vs truth ${curve.capacity}`);
    if (c.low > curve.capacity * 1.005) misses.push(`${service}: low ${c.low} above truth ${curve.capacity}`);
    if (profile.services[service]?.learnersPerReplica !== c.low)
      misses.push(`${service}: learnersPerReplica is not the low end`);
  }
  return misses;
}

/** Mean absolute relative error of each series' median level against the true baseline, over every 6th step. */
export function baselineErrors(result: LearnResult, truth: SyntheticTruth): Record<string, number> {
  const errors: Record<string, number> = {};
  for (const s of result.series) {
    const levels = result.profile.baseline!.series[s.grid.region]![s.grid.service]!.levels["0.5"]!;
    let sum = 0;
    let n = 0;
    for (let k = 0; k < s.grid.load.length; k += 6) {
      const t = s.grid.from + (k + 0.5) * s.grid.stepMs;
      const real = syntheticBaseline(truth, s.grid.region, s.grid.service, t);
      sum += Math.abs(levels[s.grid.slot[k]]! - real) / real;
      n++;
    }
    errors[`${s.grid.region}/${s.grid.service}`] = sum / n;
  }
  return errors;
}
