import fc from "fast-check";
import { mergeToBudget } from "../../components/calendar/compile/merge";
import { decompose, type LevelInterval } from "../../components/calendar/compile/skyline";
import type { Segment } from "../../components/calendar/types";

/** Steps with the given levels and lengths. */
function steps(parts: readonly (readonly [number, number])[]): Segment[] {
  let t = 0;
  return parts.map(([replicas, len]) => {
    const s = { start: t, end: t + len, replicas };
    t += len;
    return s;
  });
}

function maxAt(intervals: readonly LevelInterval[], floor: number, t: number): number {
  return intervals.reduce((m, iv) => (iv.start <= t && t < iv.end ? Math.max(m, iv.level) : m), floor);
}

/** Area of the merged MAX above the steps (unit-time sampling is exact: every breakpoint is an integer). */
function excess(intervals: readonly LevelInterval[], s: readonly Segment[], floor: number): number {
  let sum = 0;
  for (const seg of s)
    for (let t = seg.start; t < seg.end; t++)
      sum += maxAt(intervals, floor, t) - Math.max(seg.replicas, floor);
  return sum;
}

const stepsArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 6 })), {
  minLength: 1,
  maxLength: 30,
});

describe("mergeToBudget", () => {
  it("returns the exact decomposition when it fits", () => {
    const s = steps([
      [1, 5],
      [4, 3],
      [1, 2],
      [6, 1],
    ]);
    expect(mergeToBudget(s, 1, 2)).toEqual(decompose(s, 1));
  });

  it("bridges two equal peaks across a short gap rather than anything costlier", () => {
    const s = steps([
      [4, 10],
      [1, 2],
      [4, 10],
      [1, 50],
      [2, 3],
    ]);
    // Exact: [0,10)@4, [12,22)@4, [72,75)@2. Bridging the 2-long gap costs 3*2 = 6.
    expect(mergeToBudget(s, 1, 2)).toEqual([
      { start: 0, end: 22, level: 4 },
      { start: 72, end: 75, level: 2 },
    ]);
  });

  it("lifts a low shoulder into its peak when that is cheaper than bridging", () => {
    const s = steps([
      [2, 1],
      [9, 10],
      [2, 1],
      [1, 100],
      [9, 10],
    ]);
    // Exact: [0,12)@2 with [1,11)@9 inside, and [112,122)@9. Lifting the shoulders costs 7*2 = 14.
    expect(mergeToBudget(s, 1, 2)).toEqual([
      { start: 0, end: 12, level: 9 },
      { start: 112, end: 122, level: 9 },
    ]);
  });

  it("throws when a zero budget cannot hold a schedule above the floor", () => {
    expect(() => mergeToBudget(steps([[3, 1]]), 1, 0)).toThrow(
      "Invalid input in mergeToBudget (1 problem):\n" +
        "  - `budget`: got 0; must be >= 1: the schedule rises above its floor 1",
    );
  });

  it("respects the budget and still covers every step", () => {
    fc.assert(
      fc.property(
        stepsArb,
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 1, max: 12 }),
        (parts, floor, budget) => {
          const s = steps(parts);
          const out = mergeToBudget(s, floor, budget);
          const covered = s.every((seg) => {
            for (let t = seg.start; t < seg.end; t++) if (maxAt(out, floor, t) < seg.replicas) return false;
            return true;
          });
          return out.length <= budget && covered;
        },
      ),
      { numRuns: 150 },
    );
  });

  it("adds no excess when the budget holds the exact decomposition", () => {
    fc.assert(
      fc.property(stepsArb, fc.integer({ min: 0, max: 2 }), (parts, floor) => {
        const s = steps(parts);
        const exact = decompose(s, floor).length;
        return excess(mergeToBudget(s, floor, Math.max(1, exact)), s, floor) === 0;
      }),
      { numRuns: 150 },
    );
  });

  it("never uncovers a point and never gets cheaper as the budget shrinks", () => {
    fc.assert(
      fc.property(stepsArb, (parts) => {
        const s = steps(parts);
        const exact = decompose(s, 0).length;
        let previous = 0;
        for (let budget = exact; budget >= 1; budget--) {
          const out = mergeToBudget(s, 0, budget);
          const gaps = s.some((seg) => maxAt(out, 0, seg.start) < seg.replicas);
          const cost = excess(out, s, 0);
          if (gaps || cost < previous) return false;
          previous = cost;
        }
        return true;
      }),
      { numRuns: 60 },
    );
  });

  it("fits thousands of intervals into the budget (its speed is measured in npm run bench)", () => {
    const parts: [number, number][] = [];
    for (let i = 0; i < 4000; i++)
      parts.push([1 + ((i * 7919) % 13), 1 + ((i * 104729) % 17)], [0, 3 + (i % 5)]);
    const s = steps(parts);
    const out = mergeToBudget(s, 0, 50);
    expect(out.length).toBeLessThanOrEqual(50);
  });
});
