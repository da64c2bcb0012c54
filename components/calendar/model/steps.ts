/** Step functions: sums of weighted intervals as sorted, contiguous segments, and their integrals. */
import type { Segment, WeightedInterval } from "../types";

export type { WeightedInterval };

/**
 * The sum of the intervals' weights as segments from the earliest start to the latest end: sorted, contiguous
 * (0 where nothing is active) and with equal neighbours merged. Weights are summed in input order at every
 * breakpoint, so the same set of active intervals always gives the same float.
 */
export function sumSteps(intervals: readonly WeightedInterval[]): Segment[] {
  const live = intervals.filter((i) => i.end > i.start);
  const points = [...new Set(live.flatMap((i) => [i.start, i.end]))].sort((a, b) => a - b);
  const starting = new Map<number, number[]>();
  const ending = new Map<number, number[]>();
  live.forEach((iv, index) => {
    starting.set(iv.start, [...(starting.get(iv.start) ?? []), index]);
    ending.set(iv.end, [...(ending.get(iv.end) ?? []), index]);
  });
  const active = new Set<number>();
  const segments: Segment[] = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const t = points[k];
    for (const i of ending.get(t) ?? []) active.delete(i);
    for (const i of starting.get(t) ?? []) active.add(i);
    const replicas = [...active].sort((a, b) => a - b).reduce((sum, i) => sum + live[i].weight, 0);
    pushMerged(segments, { start: t, end: points[k + 1], replicas });
  }
  return segments;
}

/** @internal Appends a segment, extending the last one instead when it ends here with the same value. */
export function pushMerged(segments: Segment[], next: Segment): void {
  const last = segments[segments.length - 1];
  if (last && last.end === next.start && last.replicas === next.replicas) {
    segments[segments.length - 1] = { start: last.start, end: next.end, replicas: last.replicas };
  } else if (next.end > next.start) {
    segments.push(next);
  }
}

/** The integral of a step function over [from, to), in replica-minutes (time outside the segments counts 0). */
export function integrate(segments: readonly Segment[], from: number, to: number): number {
  let total = 0;
  for (const s of segments) {
    const overlap = Math.min(s.end, to) - Math.max(s.start, from);
    if (overlap > 0) total += (s.replicas * overlap) / 60_000;
  }
  return total;
}
