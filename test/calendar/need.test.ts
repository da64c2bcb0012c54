import fc from "fast-check";
import { ceilReplicas, needSeries, shortfallWarnings } from "../../components/calendar/model/need";
import type { CalendarWindow, LoadProfile } from "../../components/calendar/types";

const MIN = 60_000;
const T0 = Date.parse("2026-10-05T00:00:00Z");

function win(
  id: string,
  startMin: number,
  endMin: number,
  learners: number,
  kind = "lecture",
  region = "eu-west-2",
): CalendarWindow {
  const start = T0 + startMin * MIN;
  return {
    eventId: id,
    occurrenceId: `${id}@${new Date(start).toISOString()}`,
    summary: `${id} summary`,
    kind,
    region,
    learners,
    start,
    end: T0 + endMin * MIN,
    timezone: "Europe/London",
    source: { file: "t.ics" },
  };
}

const profile: LoadProfile = {
  services: {
    web: { learnersPerReplica: 100, minReplicas: 2, maxReplicas: 10, leadMinutes: 0, tailMinutes: 0 },
    tutor: { learnersPerReplica: 25, minReplicas: 0, maxReplicas: 4, leadMinutes: 0, tailMinutes: 0 },
  },
  kinds: { lecture: { web: 1, tutor: 0.5 }, exam: { web: 0.5 } },
};
const horizon = { from: T0, to: T0 + 240 * MIN };
const seg = (a: number, b: number, replicas: number) => ({
  start: T0 + a * MIN,
  end: T0 + b * MIN,
  replicas,
});

describe("needSeries", () => {
  it("adds overlapping windows, clamps to the service's bounds and covers the horizon with minReplicas", () => {
    const windows = [
      win("a", 60, 120, 350),
      win("b", 90, 150, 500, "exam"),
      win("c", 100, 110, 1, "lecture", "us-east-1"),
    ];
    const series = needSeries(windows, profile, { regions: ["eu-west-2", "us-east-1"], horizon });
    expect(series.map((s) => `${s.region}/${s.service}`)).toEqual([
      "eu-west-2/web",
      "eu-west-2/tutor",
      "us-east-1/web",
      "us-east-1/tutor",
    ]);
    expect(series[0].need).toEqual([
      seg(0, 60, 2),
      seg(60, 90, 4),
      seg(90, 120, 6),
      seg(120, 150, 3),
      seg(150, 240, 2),
    ]);
    // 350 * 0.5 / 25 = 7, clamped to 4; the exam has no tutor share, so it does not contribute.
    expect(series[1].need).toEqual([seg(0, 60, 0), seg(60, 120, 4), seg(120, 240, 0)]);
    expect(series[1].windows.map((w) => w.eventId)).toEqual(["a"]);
    // One learner needs ceil(0.01) = 1 replica, below minReplicas 2: the series stays flat.
    expect(series[2].need).toEqual([seg(0, 240, 2)]);
  });

  it("clips windows to the horizon", () => {
    const [web] = needSeries([win("a", -30, 30, 500)], profile, { regions: ["eu-west-2"], horizon });
    expect(web.need).toEqual([seg(0, 30, 5), seg(30, 240, 2)]);
  });

  it("does not add a replica for float noise (0.1 + 0.2 learners per 0.1)", () => {
    const p: LoadProfile = {
      services: {
        s: { learnersPerReplica: 0.1, minReplicas: 0, maxReplicas: 100, leadMinutes: 0, tailMinutes: 0 },
      },
      kinds: { lecture: { s: 0.1 }, exam: { s: 0.2 } },
    };
    const [s] = needSeries([win("a", 0, 60, 1), win("b", 0, 60, 1, "exam")], p, {
      regions: ["eu-west-2"],
      horizon,
    });
    expect(s.need[0]).toEqual(seg(0, 60, 3));
    expect(ceilReplicas(0.1 + 0.2 + 2.7)).toBe(3);
    expect(ceilReplicas(3.01)).toBe(4);
  });

  it("matches a per-minute brute force of clamp(ceil(sum learners * share / perReplica))", () => {
    const windowsArb = fc
      .array(
        fc.record({
          start: fc.integer({ min: -20, max: 200 }),
          length: fc.integer({ min: 1, max: 90 }),
          learners: fc.integer({ min: 1, max: 2000 }),
          kind: fc.constantFrom("lecture", "exam", "live"),
          region: fc.constantFrom("eu-west-2", "us-east-1"),
        }),
        { maxLength: 10 },
      )
      .map((rs) => rs.map((r, i) => win(`w${i}`, r.start, r.start + r.length, r.learners, r.kind, r.region)));
    fc.assert(
      fc.property(windowsArb, (windows) => {
        const series = needSeries(windows, profile, { regions: ["eu-west-2", "us-east-1"], horizon });
        for (const s of series) {
          const sizing = profile.services[s.service];
          expect(s.need[0].start).toBe(horizon.from);
          expect(s.need[s.need.length - 1].end).toBe(horizon.to);
          // Plain arrays, one expect per series: an expect per minute would dominate the run time.
          const actual: (number | undefined)[] = [];
          const expected: number[] = [];
          for (let t = horizon.from; t < horizon.to; t += MIN) {
            const load = windows
              .filter((w) => w.region === s.region && w.start <= t && t < w.end)
              .reduce((sum, w) => sum + w.learners * (profile.kinds[w.kind]?.[s.service] ?? 0), 0);
            const replicas = Math.ceil(load / sizing.learnersPerReplica);
            expected.push(Math.min(sizing.maxReplicas, Math.max(sizing.minReplicas, replicas)));
            actual.push(s.need.find((n) => n.start <= t && t < n.end)?.replicas);
          }
          expect(actual).toEqual(expected);
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe("shortfallWarnings", () => {
  it("names each window whose unclamped need exceeds maxReplicas, with local time, zone and shortfall", () => {
    const windows = [win("a", 60, 120, 1300), win("b", 100, 130, 50), win("c", 200, 210, 100)];
    const series = needSeries(windows, profile, { regions: ["eu-west-2"], horizon });
    expect(shortfallWarnings(series[0], profile)).toEqual([
      'web in eu-west-2: "a summary" (a@2026-10-05T01:00:00.000Z, 2026-10-05 02:00–03:00 Europe/London) needs 14 replicas at its peak but maxReplicas is 10: short by 4 replicas',
      'web in eu-west-2: "b summary" (b@2026-10-05T01:40:00.000Z, 2026-10-05 02:40–03:10 Europe/London) needs 14 replicas at its peak but maxReplicas is 10: short by 4 replicas',
    ]);
    expect(shortfallWarnings(series[1], profile)).toEqual([
      'tutor in eu-west-2: "a summary" (a@2026-10-05T01:00:00.000Z, 2026-10-05 02:00–03:00 Europe/London) needs 27 replicas at its peak but maxReplicas is 4: short by 23 replicas',
      'tutor in eu-west-2: "b summary" (b@2026-10-05T01:40:00.000Z, 2026-10-05 02:40–03:10 Europe/London) needs 27 replicas at its peak but maxReplicas is 4: short by 23 replicas',
    ]);
  });
});
