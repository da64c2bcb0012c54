import fc from "fast-check";
import { integrate, sumSteps, type WeightedInterval } from "../../components/calendar/model/steps";
import type { Segment } from "../../components/calendar/types";

const MIN = 60_000;
const interval = fc
  .record({
    start: fc.integer({ min: 0, max: 120 }),
    length: fc.integer({ min: -5, max: 60 }),
    weight: fc.double({ min: 0, max: 50, noNaN: true }),
  })
  .map(({ start, length, weight }) => ({ start: start * MIN, end: (start + length) * MIN, weight }));

/** The sum at minute t, by brute force: every interval covering t, in input order. */
function bruteForce(intervals: readonly WeightedInterval[], t: number): number {
  return intervals
    .filter((i) => i.end > i.start && i.start <= t && t < i.end)
    .reduce((s, i) => s + i.weight, 0);
}
function valueAt(segments: readonly Segment[], t: number): number | undefined {
  return segments.find((s) => s.start <= t && t < s.end)?.replicas;
}

describe("sumSteps", () => {
  it("adds overlapping intervals, fills gaps with 0 and merges equal neighbours", () => {
    expect(
      sumSteps([
        { start: 0, end: 10, weight: 2 },
        { start: 5, end: 15, weight: 3 },
        { start: 10, end: 15, weight: 2 },
        { start: 20, end: 30, weight: 1 },
        { start: 25, end: 25, weight: 99 },
      ]),
    ).toEqual([
      { start: 0, end: 5, replicas: 2 },
      { start: 5, end: 15, replicas: 5 },
      { start: 15, end: 20, replicas: 0 },
      { start: 20, end: 30, replicas: 1 },
    ]);
  });

  it("returns nothing for no (or only empty) intervals", () => {
    expect(sumSteps([])).toEqual([]);
    expect(sumSteps([{ start: 5, end: 5, weight: 1 }])).toEqual([]);
  });

  it("matches a per-minute brute force and is sorted, contiguous and merged", () => {
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 12 }), (intervals) => {
        const segments = sumSteps(intervals);
        const live = intervals.filter((i) => i.end > i.start);
        if (live.length === 0) return segments.length === 0;
        const from = Math.min(...live.map((i) => i.start));
        const to = Math.max(...live.map((i) => i.end));
        expect(segments[0].start).toBe(from);
        expect(segments[segments.length - 1].end).toBe(to);
        segments.forEach((s, k) => {
          expect(s.end).toBeGreaterThan(s.start);
          if (k > 0) {
            expect(s.start).toBe(segments[k - 1].end);
            expect(s.replicas).not.toBe(segments[k - 1].replicas);
          }
        });
        const actual: (number | undefined)[] = [];
        const expected: number[] = [];
        for (let t = from; t < to; t += MIN) {
          actual.push(valueAt(segments, t));
          expected.push(bruteForce(intervals, t));
        }
        expect(actual).toEqual(expected);
        return true;
      }),
      { numRuns: 100 },
    );
  });
});

describe("integrate", () => {
  it("integrates replica-minutes over [from, to), counting 0 outside the segments", () => {
    const segments = [
      { start: 0, end: 10 * MIN, replicas: 2 },
      { start: 10 * MIN, end: 20 * MIN, replicas: 5 },
    ];
    expect(integrate(segments, 0, 20 * MIN)).toBe(70);
    expect(integrate(segments, 5 * MIN, 15 * MIN)).toBe(35);
    expect(integrate(segments, -10 * MIN, 40 * MIN)).toBe(70);
    expect(integrate(segments, 30 * MIN, 40 * MIN)).toBe(0);
  });

  it("equals the per-minute sum of a step function on whole minutes", () => {
    fc.assert(
      fc.property(
        fc.array(interval, { maxLength: 8 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        (intervals, a, b) => {
          const [from, to] = [Math.min(a, b) * MIN, Math.max(a, b) * MIN];
          const segments = sumSteps(intervals);
          let expected = 0;
          for (let t = from; t < to; t += MIN) expected += valueAt(segments, t) ?? 0;
          expect(integrate(segments, from, to)).toBeCloseTo(expected, 6);
        },
      ),
      { numRuns: 100 },
    );
  });
});
