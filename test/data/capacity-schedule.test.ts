import fc from "fast-check";
import {
  capacitySchedule,
  type CapacityScheduleInput,
} from "../../components/data/scaling/capacity-schedule";
import type { Segment } from "../../components/calendar";

const MIN = 60_000;
const from = Date.UTC(2026, 9, 19);
const horizon = { from, to: from + 2 * 24 * 60 * MIN };
const at = (minutes: number) => from + minutes * MIN;

const base: CapacityScheduleInput = {
  load: [],
  servicesPerUnit: 5,
  staticCount: 2,
  maxCount: 8,
  leadMinutes: 20,
  actionBudget: 24,
  horizon,
};

/** The count a list of actions holds at `t`, replayed from the initial count (independent of the segments). */
function replay(initial: number, actions: readonly { at: number; capacity: number }[], t: number): number {
  let count = initial;
  for (const a of actions) if (a.at <= t) count = a.capacity;
  return count;
}

/** What the load needs at `t`: ceil(load / per), within [static, max]; 0 replicas outside the segments. */
function needAt(input: CapacityScheduleInput, t: number): number {
  const load = input.load.find((s) => s.start <= t && t < s.end)?.replicas ?? 0;
  return Math.min(input.maxCount, Math.max(input.staticCount, Math.ceil(load / input.servicesPerUnit)));
}

describe("capacitySchedule", () => {
  it("raises the readers 20 minutes before the read services need them and returns to the static count after", () => {
    const load: Segment[] = [{ start: at(600), end: at(700), replicas: 17 }];
    const s = capacitySchedule({ ...base, load });
    expect(s.initial).toBe(2);
    expect(s.actions).toEqual([
      { at: at(580), capacity: 4 },
      { at: at(700), capacity: 2 },
    ]);
    expect(s.capped).toEqual([]);
  });

  it("emits nothing when the load never needs more than the static count", () => {
    const s = capacitySchedule({ ...base, load: [{ start: at(10), end: at(50), replicas: 10 }] });
    expect(s.actions).toEqual([]);
    expect(s.scheduled).toEqual([{ start: from, end: horizon.to, replicas: 2 }]);
  });

  it("starts raised when the lead reaches back before the horizon, with no action at its start", () => {
    const s = capacitySchedule({ ...base, load: [{ start: at(10), end: at(60), replicas: 20 }] });
    expect(s.initial).toBe(4);
    expect(s.actions).toEqual([{ at: at(60), capacity: 2 }]);
  });

  it("ends with a return to the static count at the horizon's end when a window runs past it", () => {
    const s = capacitySchedule({
      ...base,
      load: [{ start: horizon.to - 30 * MIN, end: horizon.to + 60 * MIN, replicas: 12 }],
    });
    expect(s.actions).toEqual([
      { at: horizon.to - 50 * MIN, capacity: 3 },
      { at: horizon.to, capacity: 2 },
    ]);
  });

  it("caps at the most readers allowed and reports where the load needed more", () => {
    const s = capacitySchedule({ ...base, load: [{ start: at(100), end: at(200), replicas: 60 }] });
    expect(s.actions.map((a) => a.capacity)).toEqual([8, 2]);
    expect(s.capped).toEqual([{ start: at(100), end: at(200), need: 12 }]);
  });

  it("bridges a gap shorter than the lead instead of removing readers it would have to add back", () => {
    const s = capacitySchedule({
      ...base,
      load: [
        { start: at(100), end: at(160), replicas: 15 },
        { start: at(170), end: at(230), replicas: 15 },
      ],
    });
    expect(s.actions).toEqual([
      { at: at(80), capacity: 3 },
      { at: at(230), capacity: 2 },
    ]);
  });

  it("fits a busy week into 2 actions by holding the highest level over it", () => {
    const load = Array.from({ length: 10 }, (_, i) => ({
      start: at(120 * i + 60),
      end: at(120 * i + 90),
      replicas: 11 + (i % 3) * 5,
    }));
    const s = capacitySchedule({ ...base, load, actionBudget: 2 });
    expect(s.actions).toEqual([
      { at: at(40), capacity: 5 },
      { at: at(1170), capacity: 2 },
    ]);
  });

  const loads = fc
    .array(
      fc.record({
        start: fc.integer({ min: -60, max: 2 * 24 * 60 + 60 }),
        length: fc.integer({ min: 1, max: 300 }),
        replicas: fc.integer({ min: 0, max: 80 }),
      }),
      { maxLength: 12 },
    )
    .map((xs) => {
      // Disjoint sorted segments, like a summed series (sumSteps).
      const points = [...new Set(xs.flatMap((x) => [x.start, x.start + x.length]))].sort((a, b) => a - b);
      return points.slice(0, -1).map((p, i) => ({
        start: at(p),
        end: at(points[i + 1]!),
        replicas: xs
          .filter((x) => x.start <= p && p < x.start + x.length)
          .reduce((sum, x) => sum + x.replicas, 0),
      }));
    });
  const inputs = fc.record({
    load: loads,
    servicesPerUnit: fc.integer({ min: 1, max: 12 }),
    staticCount: fc.integer({ min: 1, max: 3 }),
    extra: fc.integer({ min: 0, max: 10 }),
    leadMinutes: fc.integer({ min: 0, max: 90 }),
    actionBudget: fc.integer({ min: 2, max: 30 }),
  });

  it("holds, on every minute, at least what the load needs over the next lead minutes, within budget and bounds (property, replayed)", () => {
    fc.assert(
      fc.property(inputs, ({ extra, ...rest }) => {
        const input = { ...rest, maxCount: rest.staticCount + extra, horizon };
        const s = capacitySchedule(input);
        expect(s.actions.length).toBeLessThanOrEqual(input.actionBudget);
        const times = s.actions.map((a) => a.at);
        expect(times).toEqual([...times].sort((a, b) => a - b));
        expect(new Set(times).size).toBe(times.length);
        for (const a of s.actions) {
          expect(a.at).toBeGreaterThan(horizon.from);
          expect(a.at).toBeLessThanOrEqual(horizon.to);
          expect(a.capacity).toBeGreaterThanOrEqual(input.staticCount);
          expect(a.capacity).toBeLessThanOrEqual(input.maxCount);
        }
        if (s.actions.length > 0) expect(s.actions[s.actions.length - 1]!.capacity).toBe(input.staticCount);
        // Every minute from t - lead to t already holds what t needs: the readers had the lead to become available.
        const short: number[] = [];
        for (let m = 0; m < 2 * 24 * 60; m += 10) {
          const need = needAt(input, at(m));
          if (need === input.staticCount) continue;
          for (let back = 0; back <= Math.min(input.leadMinutes, m); back += 5)
            if (replay(s.initial, s.actions, at(m - back)) < need) short.push(m - back);
        }
        expect(short).toEqual([]);
      }),
      { numRuns: 120 },
    );
  });
});
