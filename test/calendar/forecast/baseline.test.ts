import fc from "fast-check";
import {
  baselineLoad,
  forecastAhead,
  slotOfWeek,
  slotsPerWeek,
} from "../../../components/calendar/model/baseline";
import type { WeightedInterval } from "../../../components/calendar";

const H = 3_600_000;
const M = 60_000;
const bySlot = (slotMinutes: number) => ({
  zone: "Europe/London",
  levels: { "0.5": Array.from({ length: slotsPerWeek(slotMinutes) }, (_, s) => s) },
});

describe("baselineLoad", () => {
  it("numbers slots from Monday 00:00 local and keeps the local hour across the end of BST", () => {
    const series = bySlot(60);
    // Friday 23 Oct 2026 09:00 BST = 08:00Z; Monday 26 Oct 09:00 GMT = 09:00Z.
    const friday = baselineLoad(series, 60, 0.5, {
      from: Date.UTC(2026, 9, 23, 8),
      to: Date.UTC(2026, 9, 23, 9),
    });
    const monday = baselineLoad(series, 60, 0.5, {
      from: Date.UTC(2026, 9, 26, 9),
      to: Date.UTC(2026, 9, 26, 10),
    });
    expect(friday).toEqual([
      { start: Date.UTC(2026, 9, 23, 8), end: Date.UTC(2026, 9, 23, 9), weight: 4 * 24 + 9 },
    ]);
    expect(monday).toEqual([{ start: Date.UTC(2026, 9, 26, 9), end: Date.UTC(2026, 9, 26, 10), weight: 9 }]);
  });

  it("clips the first and last slot to the horizon and leaves no gap between slots", () => {
    const from = Date.UTC(2026, 8, 7, 8, 10); // Monday 09:10 BST
    const to = from + 95 * M;
    const out = baselineLoad(bySlot(30), 30, 0.5, { from, to });
    expect(out.map((i) => [(i.start - from) / M, (i.end - from) / M, i.weight])).toEqual([
      [0, 20, 18],
      [20, 50, 19],
      [50, 80, 20],
      [80, 95, 21],
    ]);
  });

  it("refuses a quantile the series does not carry", () => {
    expect(() => baselineLoad(bySlot(60), 60, 0.9, { from: 0, to: H })).toThrow(
      "baseline has no quantile 0.9",
    );
  });

  it("agrees with slotOfWeek at every slot start of a DST week in New York", () => {
    const series = {
      zone: "America/New_York",
      levels: { "0.5": Array.from({ length: slotsPerWeek(15) }, (_, s) => s) },
    };
    const from = Date.UTC(2026, 10, 1, 0);
    const out = baselineLoad(series, 15, 0.5, { from, to: from + 7 * 24 * H });
    for (const i of out) expect(i.weight).toBe(slotOfWeek(i.start, "America/New_York", 15));
    expect(out).toHaveLength(7 * 24 * 4);
  });
});

describe("forecastAhead", () => {
  /** Contiguous intervals from generated lengths (minutes) and weights. */
  const contiguous = fc
    .array(fc.tuple(fc.integer({ min: 1, max: 90 }), fc.integer({ min: 0, max: 20 })), {
      minLength: 1,
      maxLength: 30,
    })
    .map((parts) => {
      let t = 0;
      return parts.map(([len, w]): WeightedInterval => {
        const start = t;
        t += len * M;
        return { start, end: t, weight: w };
      });
    });
  const valueAt = (xs: readonly WeightedInterval[], t: number) =>
    xs.find((i) => i.start <= t && t < i.end)?.weight;

  it("is, at every minute, the highest level over [t, t + lead] (brute force), over the same span", () => {
    fc.assert(
      fc.property(contiguous, fc.integer({ min: 0, max: 120 }), (xs, leadMin) => {
        const out = forecastAhead(xs, leadMin * M);
        const end = xs[xs.length - 1]!.end;
        expect(out[0]!.start).toBe(0);
        expect(out[out.length - 1]!.end).toBe(end);
        for (let t = 0; t < end; t += M) {
          const ahead = xs.filter((i) => i.end > t && i.start <= t + leadMin * M).map((i) => i.weight);
          expect(valueAt(out, t)).toBe(Math.max(...ahead));
        }
      }),
      { numRuns: 80 },
    );
  });

  it("with no lead is the forecast itself", () => {
    const xs = [
      { start: 0, end: 30 * M, weight: 1 },
      { start: 30 * M, end: 60 * M, weight: 3 },
    ];
    expect(forecastAhead(xs, 0)).toEqual(xs);
  });
});
