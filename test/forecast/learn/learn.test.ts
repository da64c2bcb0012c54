import fc from "fast-check";
import type { LoadProfile } from "../../../components/calendar";
import { fitProfile, seededRandom, synthesizeHistory, type History } from "../../../components/forecast";
import { fitAttendance } from "../../../components/forecast/learn/attendance";
import { BASELINE_TOLERANCE, baselineErrors, capacityMisses, shareMisses } from "./recovery";

/** Small and fast: two weeks of 15-minute rows, 30 sections, 25 bootstrap rounds. */
const SMALL = { weeks: 2, stepMinutes: 15, sections: 30 } as const;
const FAST = { rounds: 25 } as const;

/** A hand profile in the synthetic unit, with shares for every kind (exam included) that the history may not show. */
const BASE: LoadProfile = {
  services: {
    api: { learnersPerReplica: 10, minReplicas: 2, maxReplicas: 80, leadMinutes: 10, tailMinutes: 10 },
    video: { learnersPerReplica: 10, minReplicas: 1, maxReplicas: 60, leadMinutes: 5, tailMinutes: 10 },
  },
  kinds: { exam: { api: 0.77, video: 0.07 }, lecture: { api: 1, video: 1 } },
};

describe("learnProfile on synthetic histories", () => {
  it("recovers every share, capacity and baseline within the stated tolerance over many seeds", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom(0, 1, 12, 13),
        (seed, startWeek) => {
          const { history, windows, truth } = synthesizeHistory({ ...SMALL, seed, startWeek });
          const result = fitProfile(history, windows, BASE, { until: history.to, ...FAST });
          const learned = result.profile.learned!;
          expect(shareMisses(learned.attendance, truth)).toEqual([]);
          expect(capacityMisses(result.profile, truth)).toEqual([]);
          for (const [series, error] of Object.entries(baselineErrors(result, truth)))
            expect({ series, ok: error <= BASELINE_TOLERANCE }).toEqual({ series, ok: true });
          // A kind the history cannot show keeps the base profile's share, and the report's fallbacks say so.
          if (truth.windowsByKind.exam === undefined) {
            expect(result.profile.kinds.exam).toEqual({ api: 0.77, video: 0.07 });
            expect(result.fallbacks).toContain(
              "exam x api: no window before --until; kept the base profile's share 0.77",
            );
          }
        },
      ),
      { numRuns: 20, seed: 14 },
    );
  });

  it("puts the profile's shares at the per-window share quantile and its learnersPerReplica at the capacity's low end", () => {
    const { history, windows } = synthesizeHistory({ ...SMALL, seed: 5, startWeek: 12 });
    const { profile } = fitProfile(history, windows, BASE, {
      until: history.to,
      shareQuantile: 0.9,
      ...FAST,
    });
    const lecture = profile.learned!.attendance.lecture!.api!;
    expect(profile.kinds.lecture!.api).toBe(lecture.quantiles!["0.9"]);
    expect(lecture.quantiles!["0.9"]!).toBeGreaterThan(lecture.estimate);
    expect(profile.services.api!.learnersPerReplica).toBe(profile.learned!.capacity.api!.low);
    expect(profile.services.api).toMatchObject({
      minReplicas: 2,
      maxReplicas: 80,
      leadMinutes: 10,
      tailMinutes: 10,
    });
    expect(profile.learned).toMatchObject({
      unit: "concurrent learners",
      synthetic: true,
      shareQuantile: 0.9,
    });
  });

  it("negative control: a learner that ignores the baseline misses the shares", () => {
    const { history, windows, truth } = synthesizeHistory({ ...SMALL, seed: 3, startWeek: 12 });
    const { series } = fitProfile(history, windows, BASE, { until: history.to, ...FAST });
    const grids = series.filter((s) => s.grid.service === "api").map((s) => s.grid);
    const shares = fitAttendance(
      grids,
      grids.map((g) => new Float64Array(g.load.length)),
      { quantiles: [0.5], rounds: 10, rnd: seededRandom(1) },
    );
    const misses = shareMisses(
      { lecture: { api: shares.lecture! }, exam: { api: shares.exam! } },
      {
        ...truth,
        shares: { lecture: { api: truth.shares.lecture!.api! }, exam: { api: truth.shares.exam!.api! } },
        windowsByKind: { lecture: 1, exam: 1 },
      },
    );
    expect(misses).toHaveLength(2);
  });

  it("reads nothing at or after --until: changing the history and calendar after it changes no byte of the profile", () => {
    const { history, windows } = synthesizeHistory({ ...SMALL, seed: 9, weeks: 3 });
    const until = history.from + 15 * 86_400_000;
    const changed: History = {
      ...history,
      series: history.series.map((s) => ({
        ...s,
        points: s.points.map((p) => (p.time >= until ? { ...p, load: p.load * 3, p95Ms: 5000 } : p)),
      })),
    };
    const extra = {
      ...windows[0]!,
      occurrenceId: "late@x",
      start: until + 3_600_000,
      end: until + 7_200_000,
      learners: 5000,
    };
    const learn = (h: History, w: typeof windows, u: number) =>
      JSON.stringify(fitProfile(h, w, BASE, { until: u, ...FAST }).profile);
    expect(learn(changed, [...windows, extra], until)).toBe(learn(history, windows, until));
    // Negative control: a learner trained past --until (to the end) sees the change.
    expect(learn(changed, windows, history.to)).not.toBe(learn(history, windows, history.to));
  });
});
