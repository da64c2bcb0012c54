import { observeWeek, SLOT_MS } from "../../../components/forecast/backtest/slots";
import {
  needPerSlot,
  pinball,
  scoreWeek,
  slotsInWindows,
  unmetLoadMinutes,
  type WeekTruth,
} from "../../../components/forecast/backtest/score";
import { summarize } from "../../../components/forecast/backtest/summary";
import { MIN, MONDAY, WEEK } from "./histories";

const week = { start: MONDAY, end: MONDAY + WEEK };

/** Per-minute points: slot 0 holds 5, 25, 15, 10, 10; slot 1 holds 8 each minute; slot 2 is a gap; the rest 1. */
function series() {
  const points = [5, 25, 15, 10, 10, 8, 8, 8, 8, 8].map((load, i) => ({ time: MONDAY + i * MIN, load }));
  for (let t = MONDAY + 15 * MIN; t < MONDAY + WEEK; t += MIN) points.push({ time: t, load: 1 });
  return { region: "us-east-1", service: "api", points };
}

function truth(): WeekTruth {
  const observed = observeWeek(series(), week, MIN);
  const windows = [{ start: MONDAY + 6 * MIN, end: MONDAY + 16 * MIN }];
  return {
    observed,
    capacity: 10,
    need: needPerSlot(observed, 10),
    inWindow: slotsInWindows(observed, windows),
  };
}

describe("backtest scoring", () => {
  it("takes a slot's peak minute as its load and leaves a slot without data unscored", () => {
    const t = truth();
    expect(t.observed.peak.slice(0, 4)).toEqual([25, 8, NaN, 1]);
    expect(t.need.slice(0, 4)).toEqual([3, 1, NaN, 1]);
    // The window [00:06, 00:16) meets slots 1, 2 and 3.
    expect(t.inWindow.slice(0, 5)).toEqual([false, true, true, true, false]);
  });

  it("counts unmet load-minutes minute by minute against Ready x capacity", () => {
    const ready = new Array<number>(2016).fill(1);
    ready[0] = 2; // carries 20: only the 25-minute is short, by 5
    expect(unmetLoadMinutes(truth(), ready, MIN)).toBe(5);
    ready[0] = 1; // carries 10: 25 and 15 are short by 15 and 5
    expect(unmetLoadMinutes(truth(), ready, MIN)).toBe(20);
  });

  it("scores coverage, replica-minutes against need and pinball exactly", () => {
    const t = truth();
    const ready = new Array<number>(2016).fill(1);
    ready[0] = 2;
    const requested = [{ start: MONDAY, end: MONDAY + WEEK, replicas: 2 }];
    const levels = new Array<number>(2016).fill(2);
    const score = scoreWeek(
      t,
      { ready, requested, forecast: { 0.5: levels, 0.9: levels, 0.99: levels } },
      MIN,
    );
    expect(score.scored).toBe(2015);
    expect(score.covered).toBe(2014); // slot 0 needs 3, has 2
    expect([score.inWindowScored, score.inWindowCovered]).toEqual([2, 2]); // slots 1 and 3 (2 is a gap)
    expect(score.unmetLoadMinutes).toBe(5);
    expect(score.requestedReplicaMinutes).toBe(2015 * 5 * 2);
    expect(score.neededReplicaMinutes).toBe((3 + 2014) * 5);
    // Slot 0: need 3 above the forecast 2 (q per replica); the 2014 others: need 1 below it ((1 - q) per replica).
    expect(score.pinball[0.5]).toBeCloseTo(0.5 + 2014 * 0.5, 9);
    expect(score.pinball[0.9]).toBeCloseTo(0.9 + 2014 * 0.1, 9);
    expect(score.pinball[0.99]).toBeCloseTo(0.99 + 2014 * 0.01, 9);
  });

  it("defines pinball loss as q above the forecast and 1 - q below it", () => {
    expect(pinball(10, 7, 0.9)).toBeCloseTo(2.7, 12);
    expect(pinball(7, 10, 0.9)).toBeCloseTo(0.3, 12);
    expect(pinball(5, 5, 0.99)).toBe(0);
  });

  it("summarizes weeks by their mean coverage and names the worst week", () => {
    const base = {
      unmetLoadMinutes: 1,
      requestedReplicaMinutes: 30,
      neededReplicaMinutes: 20,
      pinball: { 0.5: 2, 0.9: 4, 0.99: 6 },
    };
    const row = summarize({
      id: "x",
      label: "x",
      chosen: ["+5 %", "+5 %"],
      weeks: [
        { ...base, weekStart: MONDAY, scored: 100, covered: 100, inWindowScored: 10, inWindowCovered: 9 },
        {
          ...base,
          weekStart: MONDAY + WEEK,
          scored: 100,
          covered: 90,
          inWindowScored: 0,
          inWindowCovered: 0,
        },
      ],
    });
    expect(row.all).toEqual({ mean: 0.95, worst: 0.9, worstWeek: MONDAY + WEEK });
    expect(row.inWindow).toEqual({ mean: 0.9, worst: 0.9, worstWeek: MONDAY });
    expect(row.replicaRatio).toBe(1.5);
    expect(row.unmetLoadMinutes).toBe(2);
    expect(row.pinball).toEqual({ 0.5: 0.02, 0.9: 0.04, 0.99: 0.06 });
    expect(row.chosen).toBe("+5 %");
    expect(SLOT_MS).toBe(5 * MIN);
  });
});
