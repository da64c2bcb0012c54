import fc from "fast-check";
import { DEFAULT_TIMING, createRampModel, type Segment } from "../../../components/calendar";
import { DEFAULT_BEHAVIOR } from "../../../components/kubernetes";
import {
  lookAheadRequests,
  readinessLeadMs,
  readyPerSlot,
} from "../../../components/forecast/backtest/readiness";
import { MIN, MONDAY, WEEK } from "./histories";

const week = { start: MONDAY, end: MONDAY + WEEK };
const SLOT = 5 * MIN;

/** Requested 1 everywhere but `level` on slots [from, to). */
function step(from: number, to: number, level: number): Segment[] {
  return [
    { start: MONDAY, end: MONDAY + from * SLOT, replicas: 1 },
    { start: MONDAY + from * SLOT, end: MONDAY + to * SLOT, replicas: level },
    { start: MONDAY + to * SLOT, end: MONDAY + WEEK, replicas: 1 },
  ];
}

describe("readiness", () => {
  it("takes the lead from the ramp model (poll, sync, policies, node launch, pod start), in whole minutes", () => {
    const ramp = createRampModel(DEFAULT_TIMING, DEFAULT_BEHAVIOR);
    expect(ramp(1, 2)).toBe(30 + 15 + 10 + 120 + 90); // 265 s
    expect(readinessLeadMs(2)).toBe(5 * MIN);
    expect(readinessLeadMs(1)).toBe(5 * MIN); // a single replica still needs its pod and node
    expect(readinessLeadMs(400)).toBe(Math.ceil(ramp(1, 400) / 60) * MIN);
    expect(readinessLeadMs(400)).toBeGreaterThan(readinessLeadMs(2));
  });

  it("makes a rise Ready a lead later and a drop take effect at once", () => {
    const ready = readyPerSlot(step(10, 20, 5), week, 5 * MIN);
    expect(ready.slice(8, 22)).toEqual([1, 1, 1, 5, 5, 5, 5, 5, 5, 5, 5, 5, 1, 1]);
    const slower = readyPerSlot(step(10, 20, 5), week, 7 * MIN);
    expect(slower.slice(10, 13)).toEqual([1, 1, 5]);
  });

  it("Ready is the least requested over [slot start - lead, slot end), checked minute by minute", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 90 }), fc.integer({ min: 0, max: 9 })), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.integer({ min: 0, max: 20 }),
        (pieces, leadMinutes) => {
          const requested: Segment[] = [];
          let t = MONDAY;
          for (const [minutes, replicas] of pieces) {
            requested.push({ start: t, end: t + minutes * MIN, replicas });
            t += minutes * MIN;
          }
          requested.push({ start: t, end: MONDAY + WEEK, replicas: 3 });
          const at = (m: number): number => requested.find((s) => s.start <= m && m < s.end)!.replicas;
          const ready = readyPerSlot(requested, week, leadMinutes * MIN);
          for (let s = 0; s < 60; s++) {
            let least = Infinity;
            for (
              let m = Math.max(MONDAY, MONDAY + s * SLOT - leadMinutes * MIN);
              m < MONDAY + (s + 1) * SLOT;
              m += MIN
            )
              least = Math.min(least, at(m));
            expect(ready[s]).toBe(least);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it("gives per-slot forecasters the look-ahead: max(this slot, the next) with a lead of one slot", () => {
    const forecast = [1, 3, 2, 0, 0, 4, ...new Array<number>(2010).fill(0)];
    const requested = lookAheadRequests(forecast, week, 5 * MIN);
    expect(requested.slice(0, 6).map((s) => s.replicas)).toEqual([3, 3, 2, 0, 4, 4]);
    const ready = readyPerSlot(requested, week, 5 * MIN);
    expect(ready.slice(0, 6)).toEqual([3, 3, 2, 0, 0, 4]);
  });

  it("so a look-ahead forecast is Ready in its own slot for any lead", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 2016, maxLength: 2016 }),
        fc.integer({ min: 0, max: 30 }),
        (forecast, leadMinutes) => {
          const ready = readyPerSlot(
            lookAheadRequests(forecast, week, leadMinutes * MIN),
            week,
            leadMinutes * MIN,
          );
          return forecast.every((f, s) => ready[s]! >= f);
        },
      ),
      { numRuns: 20 },
    );
  });
});
