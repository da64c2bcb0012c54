import type { LoadProfile } from "../../../components/calendar";
import { fitProfile, parseHistory, synthesizeHistory, type History } from "../../../components/forecast";
import { isotonic } from "../../../components/forecast/learn/capacity";
import { nnls } from "../../../components/forecast/learn/attendance";
import { fillRound } from "../../../components/forecast/learn/baseline-fit";

const { history, windows } = synthesizeHistory({ weeks: 1, stepMinutes: 15, sections: 10 });

describe("learnProfile input errors", () => {
  it("names every bad option at once, with the value and the rule", () => {
    expect(() =>
      fitProfile(history, windows, undefined, {
        until: history.from + 3_600_000,
        shareQuantile: 1,
        slotMinutes: 10,
        capacity: { apx: 30 },
        latencyMs: { video: -1 },
      }),
    ).toThrow(
      [
        "Invalid input in learnProfile options (5 problems):",
        '  - `until`: got "2026-08-31T01:00:00Z"; must leave at least a day of history after its start 2026-08-31T00:00:00Z (training is [start, until))',
        "  - `shareQuantile`: got 1; must be in (0, 1)",
        "  - `slotMinutes`: got 10; must be one of 5, 10, 15, 20, 30, 60 and a multiple of the history's 15-minute step",
        "  - `capacity.apx`: got 30; must name a service of the history (api, video)",
        "  - `latencyMs.video`: got -1; must be a number > 0",
      ].join("\n"),
    );
  });

  it("requires --capacity for a service without replicas and p95 when the base profile counts another unit", () => {
    const rps: History = {
      ...history,
      unit: "requests per second",
      series: history.series.map((s) => ({
        ...s,
        points: s.points.map((p) => ({ time: p.time, load: p.load })),
      })),
    };
    const base: LoadProfile = {
      services: {
        api: { learnersPerReplica: 100, minReplicas: 1, maxReplicas: 9, leadMinutes: 5, tailMinutes: 5 },
      },
      kinds: {},
    };
    expect(() =>
      fitProfile(rps, windows, base, { until: history.to, rounds: 5, source: "npm run learn options" }),
    ).toThrow(
      [
        "Invalid input in npm run learn options (2 problems):",
        "  - `capacity.api`: got missing; the history has no replicas and p95_ms for api to learn its capacity from, and the base profile's learnersPerReplica is in concurrent learners, not requests per second; fix: pass --capacity api=<load per replica in requests per second>",
        "  - `capacity.video`: got missing; the history has no replicas and p95_ms for video to learn its capacity from, and the base profile does not size it; fix: pass --capacity video=<load per replica in requests per second>",
      ].join("\n"),
    );
    const given = fitProfile(rps, windows, base, {
      until: history.to,
      rounds: 5,
      capacity: { api: 12, video: 7 },
    });
    expect(given.profile.services.api).toEqual({
      learnersPerReplica: 12,
      minReplicas: 1,
      maxReplicas: 9,
      leadMinutes: 5,
      tailMinutes: 5,
    });
    expect(given.profile.learned!.capacity).toEqual({});
  });

  it('says "at least" when the history never reaches the objective, and does not extrapolate', () => {
    const result = fitProfile(history, windows, undefined, { until: history.to, rounds: 5, latencyMs: 1e6 });
    const api = result.capacity.api as { censored: boolean; estimate: number; low: number; high: number };
    expect(api.censored).toBe(true);
    const top = Math.max(
      ...history.series
        .filter((s) => s.service === "api")
        .flatMap((s) => s.points.map((p) => p.load / p.replicas!)),
    );
    expect(api.estimate).toBeLessThanOrEqual(top);
    expect(api.low).toBe(api.estimate);
    expect(api.high).toBe(api.estimate);
  });

  it("refuses synthesizer options out of range, all at once", () => {
    expect(() =>
      synthesizeHistory({ weeks: 0, stepMinutes: 7, capacities: { api: 0 }, noise: { load: 1 } }),
    ).toThrow(
      [
        "Invalid input in synthesizeHistory options (4 problems):",
        "  - `weeks`: got 0; must be an integer in 1..20",
        "  - `stepMinutes`: got 7; must be one of 1, 2, 5, 10, 15, 30, 60 (divides an hour)",
        "  - `capacities.api`: got 0; must be > 0",
        "  - `noise.load`: got 1; must be in [0, 1)",
      ].join("\n"),
    );
  });
});

describe("the learner's building blocks", () => {
  it("isotonic regression pools violators into their weighted mean", () => {
    expect(isotonic([1, 3, 2, 4], [1, 1, 3, 1])).toEqual([1, 2.25, 2.25, 4]);
    expect(isotonic([5, 4, 3], [1, 1, 1])).toEqual([4, 4, 4]);
  });

  it("NNLS clips a negative coordinate to 0 and re-solves the rest", () => {
    // y = 2 x1 - 1 x2 on orthogonal columns: unconstrained (2, -1), NNLS (2, 0).
    const beta = nnls(Float64Array.from([1, 0, 0, 1]), Float64Array.from([2, -1]), 2);
    expect(beta).toEqual([2, 0]);
    // Correlated columns: A = [[2, 1], [1, 2]], c = [3, 3] -> (1, 1).
    const both = nnls(Float64Array.from([2, 1, 1, 2]), Float64Array.from([3, 3]), 2);
    both.forEach((b) => expect(b).toBeCloseTo(1, 9));
  });

  it("fills a time of day no clean step saw by interpolating round the clock", () => {
    expect(Array.from(fillRound([NaN, 2, NaN, 4, NaN, NaN]))).toEqual([2.5, 2, 3, 4, 3.5, 3]);
    expect(Array.from(fillRound([NaN, NaN]))).toEqual([0, 0]);
  });

  it("writes a synthetic CSV that reads back as the same history, labelled synthetic", () => {
    const small = synthesizeHistory({ weeks: 1, stepMinutes: 60, sections: 5 });
    expect(small.csv.split("\n").slice(0, 3)).toEqual([
      "# Semester load history (synthetic): one row per 60 minutes, region and service",
      expect.stringMatching(
        /^# synthetic: generated by npm run synthesize \(seed 1, 1 weeks from 2026-08-31T00:00:00Z, \d+ windows/,
      ),
      "# load = concurrent learners, the mean over the step from time",
    ]);
    expect(parseHistory(small.csv, "synthetic.csv")).toEqual(small.history);
  });
});
