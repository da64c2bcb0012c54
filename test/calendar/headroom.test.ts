/** Zone-loss headroom: the least replica count whose survivors of a zone loss cover the need, and its schedule. */
import fc from "fast-check";
import {
  headroomSegments,
  windowHeadroom,
  zoneLossHeadroom,
  zoneLossSurvivors,
} from "../../components/calendar/model/headroom";
import { compileService } from "../../components/calendar/compile/compile";
import { DEFAULT_TIMING } from "../../components/calendar/model/timing";
import type { CalendarWindow, NeedSeries } from "../../components/calendar/types";

describe("zoneLossHeadroom", () => {
  it("is the least m with m - ceil(m / Z) >= need (property over need and zones)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 2, max: 6 }), (need, zones) => {
        const m = zoneLossHeadroom(need, zones);
        expect(zoneLossSurvivors(m, zones)).toBeGreaterThanOrEqual(need);
        if (m > 0) expect(zoneLossSurvivors(m - 1, zones)).toBeLessThan(need);
        expect(m).toBe(Math.ceil((need * zones) / (zones - 1)));
      }),
    );
  });

  it("adds half for three zones and doubles for two", () => {
    expect([10, 3, 2, 1].map((n) => zoneLossHeadroom(n, 3))).toEqual([15, 5, 3, 2]);
    expect([10, 3].map((n) => zoneLossHeadroom(n, 2))).toEqual([20, 6]);
  });
});

describe("windowHeadroom", () => {
  const seg = (start: number, end: number, replicas: number) => ({ start, end, replicas });
  it("holds the headroom of the highest level still to come in the window, capped at maxReplicas", () => {
    const base = [seg(0, 10, 2), seg(10, 20, 4), seg(20, 30, 10), seg(30, 40, 3), seg(40, 50, 2)];
    expect(windowHeadroom(base, { start: 10, end: 40 }, 3, 12)).toEqual([
      { start: 10, end: 30, level: 12 },
      { start: 30, end: 40, level: 5 },
    ]);
    expect(headroomSegments([seg(0, 10, 5), seg(10, 20, 2)], [seg(0, 5, 3), seg(5, 20, 2)])).toEqual([
      seg(0, 5, 2),
      seg(5, 10, 3),
      seg(10, 20, 0),
    ]);
  });
});

describe("compileService with static stability", () => {
  const HOUR = 3_600_000;
  const from = Date.parse("2026-10-05T00:00:00Z");
  const horizon = { from, to: from + 24 * HOUR };
  const window: CalendarWindow = {
    eventId: "exam",
    occurrenceId: "exam@x",
    summary: "exam",
    kind: "exam",
    region: "eu-west-2",
    learners: 1000,
    start: from + 9 * HOUR,
    end: from + 11 * HOUR,
    timezone: "UTC",
    source: { file: "t" },
  };
  const sizing = {
    learnersPerReplica: 100,
    minReplicas: 2,
    maxReplicas: 40,
    leadMinutes: 10,
    tailMinutes: 10,
  };
  const need = [
    { start: from, end: window.start, replicas: 2 },
    { start: window.start, end: window.end, replicas: 10 },
    { start: window.end, end: horizon.to, replicas: 2 },
  ];
  const series = (zones?: number): NeedSeries => ({
    region: "eu-west-2",
    service: "api",
    need,
    windows: [window],
    ...(zones !== undefined ? { zones } : {}),
  });
  const compile = (zones?: number) =>
    compileService(series(zones), sizing, { triggerBudget: 10, timing: DEFAULT_TIMING, horizon }, () => 10);

  it("raises the window's level to 15 over 3 zones, reports the headroom and the zone-loss coverage", () => {
    const plain = compile();
    const stable = compile(3);
    const peak = (xs: readonly { replicas: number }[]) => Math.max(...xs.map((s) => s.replicas));
    expect(peak(plain.required)).toBe(10);
    expect(peak(stable.required)).toBe(15);
    expect(peak(stable.headroom)).toBe(5);
    expect(plain.headroom).toEqual([]);
    expect(plain.stats.headroomReplicaMinutes).toBe(0);
    expect(plain.stats.zoneLossCoverage).toBeNull();
    // 5 extra replicas over the window with its lead and tail, the floor's 2 -> 3 nowhere (outside windows).
    expect(stable.stats.headroomReplicaMinutes).toBe(
      stable.headroom.reduce((m, s) => m + (s.replicas * (s.end - s.start)) / 60_000, 0),
    );
    expect(stable.stats.headroomReplicaMinutes).toBeGreaterThanOrEqual(5 * 140);
    expect(stable.stats.zoneLossCoverage).toBe(1);
    expect(stable.required[0]).toEqual({ start: from, end: expect.any(Number), replicas: 2 });
  });

  it("refuses static stability over one zone", () => {
    expect(() => compile(1)).toThrow(
      "`series.zones`: got 1; static stability needs an integer >= 2 zones (one zone cannot survive its own loss)",
    );
  });
});
