/**
 * Exact decomposition of a step function into the fewest (interval, level) pieces whose pointwise MAX equals it —
 * the shape KEDA needs, because the HPA takes the largest replica proposal over all cron triggers.
 */
import type { Segment } from "../types";

/** One trigger's worth of schedule: `level` replicas on [start, end). */
export interface LevelInterval {
  readonly start: number;
  readonly end: number;
  readonly level: number;
}

/**
 * Stack-based skyline decomposition. Walk the steps left to right with a stack of open levels (strictly
 * increasing): a lower step closes every open level above it; a level equal to the top continues it; a higher
 * level opens a new interval. Levels at or below `floor` (minReplicaCount covers them) never open one, and gaps
 * between steps count as `floor`.
 *
 * Minimal: an interval at level h must lie where f >= h; two plateaus at level h separated by a point below h can
 * never share an interval, and the stack opens exactly one interval per such maximal run — so no decomposition
 * has fewer pieces. O(n) for n steps; the result is laminar (nested or disjoint), sorted by start then level.
 */
export function decompose(steps: readonly Segment[], floor: number): LevelInterval[] {
  const out: LevelInterval[] = [];
  const stack: { level: number; start: number }[] = [];
  const visit = (level: number, at: number): void => {
    let top = stack[stack.length - 1];
    while (top !== undefined && top.level > level) {
      stack.pop();
      out.push({ start: top.start, end: at, level: top.level });
      top = stack[stack.length - 1];
    }
    if (level > floor && (top === undefined || top.level < level)) stack.push({ level, start: at });
  };
  let cursor: number | undefined;
  for (const s of steps) {
    if (s.end <= s.start) continue;
    if (cursor !== undefined && s.start > cursor) visit(floor, cursor);
    visit(s.replicas, s.start);
    cursor = s.end;
  }
  if (cursor !== undefined) visit(floor, cursor);
  return out.sort((a, b) => a.start - b.start || a.level - b.level);
}

/**
 * The pointwise MAX of `intervals`, floored at `floor`, as contiguous segments over [from, to) with equal
 * neighbours merged. O(k log k) for k intervals.
 */
export function maxOf(
  intervals: readonly LevelInterval[],
  floor: number,
  from: number,
  to: number,
): Segment[] {
  const events: [number, number, 1 | -1][] = [];
  for (const iv of intervals) {
    const start = Math.max(iv.start, from);
    const end = Math.min(iv.end, to);
    if (end > start) events.push([start, iv.level, 1], [end, iv.level, -1]);
  }
  events.sort((a, b) => a[0] - b[0]);
  const active = new Map<number, number>();
  let best = floor;
  const out: Segment[] = [];
  let cursor = from;
  const emit = (end: number): void => {
    if (end <= cursor) return;
    const last = out[out.length - 1];
    if (last !== undefined && last.replicas === best) out[out.length - 1] = { ...last, end };
    else out.push({ start: cursor, end, replicas: best });
    cursor = end;
  };
  for (let i = 0; i < events.length;) {
    const at = events[i]![0];
    emit(at);
    for (; i < events.length && events[i]![0] === at; i++) {
      const [, level, delta] = events[i]!;
      const n = (active.get(level) ?? 0) + delta;
      if (n === 0) active.delete(level);
      else active.set(level, n);
    }
    best = floor;
    for (const level of active.keys()) best = Math.max(best, level);
  }
  emit(to);
  return out;
}

/**
 * Range min/max queries over sorted segments (sparse tables: O(n log n) build, O(log n) query); time the segments
 * do not cover counts as `outside`.
 * @internal
 */
export function rangeQuery(segs: readonly Segment[], outside: number) {
  const build = (pick: (a: number, b: number) => number): number[][] => {
    const table = [segs.map((s) => s.replicas)];
    for (let k = 1; 1 << k <= segs.length; k++) {
      const prev = table[k - 1]!;
      table.push(prev.slice(0, segs.length - (1 << k) + 1).map((v, i) => pick(v, prev[i + (1 << (k - 1))]!)));
    }
    return table;
  };
  const tables = { min: build(Math.min), max: build(Math.max) };
  const firstEndingAfter = (t: number): number => {
    let [lo, hi] = [0, segs.length];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (segs[mid]!.end > t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  return (kind: "min" | "max", a: number, b: number): number => {
    const pick = kind === "min" ? Math.min : Math.max;
    const lo = Math.max(a, segs[0]?.start ?? Infinity);
    const hi = Math.min(b, segs[segs.length - 1]?.end ?? -Infinity);
    if (hi <= lo) return outside;
    const i = firstEndingAfter(lo);
    const j = firstEndingAfter(hi - 1);
    const k = 31 - Math.clz32(j - i + 1);
    const t = tables[kind][k]!;
    const inside = pick(t[i]!, t[j - (1 << k) + 1]!);
    return lo > a || hi < b ? pick(inside, outside) : inside;
  };
}

/** @internal Integral of min(a, b) over [from, to) in value x ms; `b` must be contiguous over [from, to). */
export function integralOfMin(
  a: readonly Segment[],
  b: readonly Segment[],
  from: number,
  to: number,
): number {
  let sum = 0;
  let j = 0;
  for (const s of a) {
    const start = Math.max(s.start, from);
    const end = Math.min(s.end, to);
    while (j > 0 && b[j]!.start > start) j--;
    for (let k = j; k < b.length && b[k]!.start < end; k++) {
      const len = Math.min(end, b[k]!.end) - Math.max(start, b[k]!.start);
      if (len > 0) sum += Math.min(s.replicas, b[k]!.replicas) * len;
      if (b[k]!.end <= end) j = k;
    }
  }
  return sum;
}
