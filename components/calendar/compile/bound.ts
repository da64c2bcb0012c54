/**
 * A lower bound on the replica-ms any schedule of at most k triggers must spend to cover a step function: the
 * yardstick `npm run bench` measures the optimiser against.
 *
 * Why it is a lower bound. Let g = max(floor, MAX of k intervals) >= f. For each level h, the set {g >= h} is a
 * union of at most k intervals (those of the triggers at >= h) and contains {f >= h}. If {f >= h} has m
 * components, at most k intervals can hold them only by bridging at least m - k of the m - 1 gaps between
 * consecutive components, so |{g >= h}| - |{f >= h}| >= the sum of the m - k shortest gaps. Integrating over h
 * (the area of g minus the area of f is the integral over h of |{g >= h}| - |{f >= h}|) bounds the excess. The
 * sets {f >= h} change only at f's levels, so the sum runs over them, weighted by the height to the level below.
 * Any intervals count, nested, overlapping or not: the bound holds for every dated schedule. A weekly schedule of
 * k triggers repeats one week-long profile w >= the folded requirement (weekly.ts) with at most k intervals, so
 * each whole week of the horizon costs at least the bound of the fold (`weeklyLowerBound`). There the gaps are
 * counted round the week (a weekly trigger may run across Sunday midnight): m arcs, m gaps, at least m - k bridged.
 */
import type { Segment } from "../types";
import { WEEK_MS, foldWeekly, weekOffset } from "./weekly";

/** Area of max(f, floor) over [from, to), replica-ms. */
function areaAbove(steps: readonly Segment[], floor: number, from: number, to: number): number {
  let sum = floor * (to - from);
  for (const s of steps) {
    const len = Math.min(s.end, to) - Math.max(s.start, from);
    if (len > 0 && s.replicas > floor) sum += (s.replicas - floor) * len;
  }
  return sum;
}

/**
 * The least replica-ms above the steps that any schedule of at most `k` triggers over `floor` adds (0 when the
 * exact decomposition fits); with `period`, on a circle of that length (steps within [0, period)).
 * O(levels x segments).
 * @internal
 */
export function excessLowerBound(
  steps: readonly Segment[],
  floor: number,
  k: number,
  period?: number,
): number {
  const levels = [...new Set(steps.map((s) => s.replicas).filter((r) => r > floor))].sort((a, b) => a - b);
  let bound = 0;
  let below = floor;
  for (const h of levels) {
    const gaps: number[] = [];
    let firstStart: number | undefined;
    let lastEnd: number | undefined;
    for (const s of steps) {
      if (s.replicas < h || s.end <= s.start) continue;
      if (lastEnd !== undefined && s.start > lastEnd) gaps.push(s.start - lastEnd);
      firstStart ??= s.start;
      lastEnd = s.end;
    }
    const wrap = period !== undefined && lastEnd !== undefined ? firstStart! + period - lastEnd : 0;
    if (wrap > 0) gaps.push(wrap);
    const arcs = period !== undefined ? Math.max(1, gaps.length) : gaps.length + 1;
    const bridged = arcs - k;
    if (bridged > 0) {
      gaps.sort((a, b) => a - b);
      for (let i = 0; i < bridged; i++) bound += (h - below) * gaps[i]!;
    }
    below = h;
  }
  return bound;
}

/**
 * The least replica-ms over [from, to) of any dated schedule of at most `k` triggers covering `steps`.
 * @internal
 */
export function datedLowerBound(
  steps: readonly Segment[],
  floor: number,
  k: number,
  from: number,
  to: number,
): number {
  return areaAbove(steps, floor, from, to) + excessLowerBound(steps, floor, k);
}

/**
 * The least replica-ms over [from, to) of any weekly schedule of at most `k` triggers covering `steps`: each whole
 * week costs at least the fold's area plus its excess bound; the partial weeks at the ends at least the steps.
 * @internal
 */
export function weeklyLowerBound(
  steps: readonly Segment[],
  floor: number,
  k: number,
  from: number,
  to: number,
): number {
  const firstWhole = weekOffset(from) === 0 ? from : from - weekOffset(from) + WEEK_MS;
  const wholeWeeks = Math.max(0, Math.floor((to - firstWhole) / WEEK_MS));
  const lastWhole = firstWhole + wholeWeeks * WEEK_MS;
  if (wholeWeeks === 0) return areaAbove(steps, floor, from, to);
  const fold = foldWeekly(steps, floor);
  const perWeek = areaAbove(fold, floor, 0, WEEK_MS) + excessLowerBound(fold, floor, k, WEEK_MS);
  return (
    areaAbove(steps, floor, from, firstWhole) + wholeWeeks * perWeek + areaAbove(steps, floor, lastWhole, to)
  );
}
