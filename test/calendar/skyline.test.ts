import fc from "fast-check";
import { decompose, maxOf, type LevelInterval } from "../../components/calendar/compile/skyline";
import type { Segment } from "../../components/calendar/types";

/** Unit-length steps 0..n with the given levels. */
function steps(levels: readonly number[]): Segment[] {
  return levels.map((replicas, i) => ({ start: i, end: i + 1, replicas }));
}

function maxAt(intervals: readonly LevelInterval[], floor: number, t: number): number {
  return intervals.reduce((m, iv) => (iv.start <= t && t < iv.end ? Math.max(m, iv.level) : m), floor);
}

/** The fewest intervals whose MAX (floored) equals the levels, by exhaustive search. */
function bruteForceMinimum(levels: readonly number[], floor: number, atMost: number): number {
  const n = levels.length;
  const candidates: LevelInterval[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j <= n; j++) {
      const low = Math.min(...levels.slice(i, j));
      for (let h = floor + 1; h <= low; h++) candidates.push({ start: i, end: j, level: h });
    }
  }
  const fits = (chosen: readonly LevelInterval[]): boolean =>
    levels.every((l, t) => maxAt(chosen, floor, t) === Math.max(l, floor));
  const search = (size: number, from: number, chosen: LevelInterval[]): boolean => {
    if (chosen.length === size) return fits(chosen);
    for (let k = from; k < candidates.length; k++) {
      chosen.push(candidates[k]!);
      if (search(size, k + 1, chosen)) return true;
      chosen.pop();
    }
    return false;
  };
  for (let size = 0; size <= atMost; size++) if (search(size, 0, [])) return size;
  return Infinity;
}

describe("decompose", () => {
  it("nests a higher plateau inside a lower one that continues after it", () => {
    expect(decompose(steps([3, 5, 2]), 1)).toEqual([
      { start: 0, end: 2, level: 3 },
      { start: 1, end: 2, level: 5 },
      { start: 2, end: 3, level: 2 },
    ]);
  });

  it("reuses a level across a higher bump and needs no trigger at or below the floor", () => {
    expect(decompose(steps([1, 3, 5, 3, 1, 3]), 1)).toEqual([
      { start: 1, end: 4, level: 3 },
      { start: 2, end: 3, level: 5 },
      { start: 5, end: 6, level: 3 },
    ]);
    expect(decompose(steps([2, 2, 1, 0]), 2)).toEqual([]);
  });

  it("treats gaps between steps as the floor", () => {
    const gapped: Segment[] = [
      { start: 0, end: 10, replicas: 4 },
      { start: 20, end: 30, replicas: 4 },
    ];
    expect(decompose(gapped, 1)).toEqual([
      { start: 0, end: 10, level: 4 },
      { start: 20, end: 30, level: 4 },
    ]);
  });

  it("reproduces the step function exactly", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 3 }),
        (levels, floor) => {
          const out = decompose(steps(levels), floor);
          return levels.every((l, t) => maxAt(out, floor, t) === Math.max(l, floor));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("uses no more intervals than an exhaustive search finds", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 1 }),
        (levels, floor) => {
          const count = decompose(steps(levels), floor).length;
          return bruteForceMinimum(levels, floor, count) === count;
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("maxOf", () => {
  it("returns contiguous segments over the horizon, floored and merged", () => {
    expect(
      maxOf(
        [
          { start: 10, end: 30, level: 3 },
          { start: 20, end: 25, level: 5 },
          { start: 30, end: 40, level: 3 },
        ],
        1,
        0,
        50,
      ),
    ).toEqual([
      { start: 0, end: 10, replicas: 1 },
      { start: 10, end: 20, replicas: 3 },
      { start: 20, end: 25, replicas: 5 },
      { start: 25, end: 40, replicas: 3 },
      { start: 40, end: 50, replicas: 1 },
    ]);
  });
});
