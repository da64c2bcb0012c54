import fc from "fast-check";
import { compileAll, compileService } from "../../components/calendar/compile/compile";
import { toKedaTriggers } from "../../components/calendar/compile/keda-trigger";
import { shortfallWarnings, weightsFromProfile } from "../../components/calendar/model/need";
import { DEFAULT_BEHAVIOR } from "../../components/kubernetes/keda";
import { DEFAULT_TIMING } from "../../components/calendar/model/timing";
import type {
  CalendarWindow,
  CompileOptions,
  CronTrigger,
  LoadProfile,
  NeedSeries,
  Segment,
  ServiceProfile,
} from "../../components/calendar/types";

const MIN = 60_000;
const at = (y: number, mo: number, d: number, h: number, mi: number): number => Date.UTC(y, mo - 1, d, h, mi);

const sizing: ServiceProfile = {
  learnersPerReplica: 10,
  minReplicas: 1,
  maxReplicas: 100,
  leadMinutes: 10,
  tailMinutes: 5,
};
const profile: LoadProfile = {
  services: { api: sizing },
  kinds: { lecture: { api: 1 }, exam: { api: 0.5 } },
};
const options: CompileOptions = {
  triggerBudget: 10,
  timing: { ...DEFAULT_TIMING, hpaTolerance: 0 },
  horizon: { from: at(2025, 9, 1, 0, 0), to: at(2026, 7, 31, 0, 0) },
};

function win(id: string, start: number, end: number, learners: number, kind = "lecture"): CalendarWindow {
  const occurrenceId = `${id}@${new Date(start).toISOString()}`;
  return {
    eventId: id,
    occurrenceId,
    summary: id,
    kind,
    region: "eu-west-2",
    learners,
    start,
    end,
    timezone: "Europe/London",
    source: { file: "t.ics" },
  };
}

/** need(t) = clamp(ceil(sum learners * share / lpr)) over the windows covering t (no lead, no tail). */
function needOf(windows: readonly CalendarWindow[], s: ServiceProfile, p: LoadProfile): Segment[] {
  const cuts = [...new Set(windows.flatMap((w) => [w.start, w.end]))].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [start, end] = [cuts[i]!, cuts[i + 1]!];
    const sum = windows
      .filter((w) => w.start <= start && start < w.end)
      .reduce((acc, w) => acc + (w.learners * (p.kinds[w.kind]?.api ?? 0)) / s.learnersPerReplica, 0);
    if (sum > 0)
      out.push({
        start,
        end,
        replicas: Math.min(s.maxReplicas, Math.max(s.minReplicas, Math.ceil(sum - 1e-9))),
      });
  }
  return out;
}

function series(windows: CalendarWindow[], s: ServiceProfile = sizing): NeedSeries {
  return { region: "eu-west-2", service: "api", need: needOf(windows, s, profile), windows };
}

/** Next firing strictly after t of a date-specific UTC spec `M H D Mon *` (robfig: five-year search). */
function nextFire(spec: string, t: number): number {
  const [m, h, d, mo] = spec.split(" ").map(Number) as [number, number, number, number];
  const year = new Date(t).getUTCFullYear();
  for (let y = year; y <= year + 5; y++) {
    const c = Date.UTC(y, mo - 1, d, h, m);
    if (new Date(c).getUTCDate() === d && c > t) return c;
  }
  return NaN;
}

/** KEDA cron_scaler: inactive when nextStart < nextEnd and now < nextStart; else active while now <= nextEnd. */
function activeLevel(triggers: readonly CronTrigger[], floor: number, t: number): number {
  return triggers.reduce((lvl, tr) => {
    const [s, e] = [nextFire(tr.start, t), nextFire(tr.end, t)];
    const active = !(s < e && t < s) && t <= e;
    return active ? Math.max(lvl, tr.desiredReplicas) : lvl;
  }, floor);
}

describe("compileService", () => {
  it("sums overlapping windows and nests the peak inside the lower level", () => {
    const r = compileService(
      series([
        win("a", at(2025, 10, 6, 9, 0), at(2025, 10, 6, 10, 0), 30),
        win("b", at(2025, 10, 6, 9, 30), at(2025, 10, 6, 11, 0), 20),
      ]),
      sizing,
      options,
      weightsFromProfile(profile, "api"),
    );
    expect(r.schedule.triggers).toEqual([
      { name: "cal-001", timezone: "Etc/UTC", start: "50 8 6 10 *", end: "5 10 6 10 *", desiredReplicas: 3 },
      { name: "cal-002", timezone: "Etc/UTC", start: "20 9 6 10 *", end: "5 10 6 10 *", desiredReplicas: 5 },
      { name: "cal-003", timezone: "Etc/UTC", start: "5 10 6 10 *", end: "5 11 6 10 *", desiredReplicas: 2 },
    ]);
    expect(r.stats).toEqual({
      form: "dated",
      exactTriggers: 3,
      emittedTriggers: 3,
      neededReplicaMinutes: 3 * 30 + 5 * 30 + 2 * 60,
      scheduledReplicaMinutes: r.scheduled.reduce((s, g) => s + (g.replicas * (g.end - g.start)) / MIN, 0),
      coverage: 1,
      excessRatio: r.stats.scheduledReplicaMinutes / 360,
      headroomReplicaMinutes: 0,
      zoneLossCoverage: null,
    });
    expect(r.warnings).toEqual([]);
  });

  it("crosses midnight and New Year in UTC with date-specific specs KEDA reads as one window", () => {
    const w = win("nye", at(2025, 12, 31, 23, 30), at(2026, 1, 1, 0, 30), 40);
    const r = compileService(series([w]), sizing, options, weightsFromProfile(profile, "api"));
    expect(r.schedule.triggers).toEqual([
      { name: "cal-001", timezone: "Etc/UTC", start: "20 23 31 12 *", end: "35 0 1 1 *", desiredReplicas: 4 },
    ]);
    const level = (t: number): number => activeLevel(r.schedule.triggers, 1, t);
    expect(
      [at(2025, 12, 31, 23, 19), at(2025, 12, 31, 23, 20), at(2026, 1, 1, 0, 34), at(2026, 1, 1, 0, 35)].map(
        level,
      ),
    ).toEqual([1, 4, 4, 1]);
  });

  it("emits no trigger for a level minReplicas already covers", () => {
    const r = compileService(
      series([win("small", at(2025, 10, 6, 9, 0), at(2025, 10, 6, 10, 0), 5)]),
      sizing,
      options,
      weightsFromProfile(profile, "api"),
    );
    expect(r.schedule.triggers).toEqual([]);
    expect(r.stats.coverage).toBe(1);
    expect(r.scheduled).toEqual([{ start: options.horizon.from, end: options.horizon.to, replicas: 1 }]);
  });

  it("raises levels past the HPA's 10% tolerance band", () => {
    const r = compileService(
      series([win("big", at(2025, 10, 6, 9, 0), at(2025, 10, 6, 10, 0), 110)]),
      sizing,
      { ...options, timing: DEFAULT_TIMING },
      weightsFromProfile(profile, "api"),
    );
    expect(r.schedule.triggers.map((t) => t.desiredReplicas)).toEqual([12]);
    expect(Math.max(...r.required.map((s) => s.replicas))).toBe(11);
  });

  it("starts earlier than leadMinutes when the ramp needs longer", () => {
    const slow = { ...options, timing: { ...DEFAULT_TIMING, hpaTolerance: 0, nodeProvisionSeconds: 900 } };
    const r = compileService(
      series([win("a", at(2025, 10, 6, 9, 0), at(2025, 10, 6, 10, 0), 30)]),
      sizing,
      slow,
      weightsFromProfile(profile, "api"),
    );
    // 45 s detection + 900 s node + 90 s pod = 1035 s -> 18 minutes.
    expect(r.schedule.triggers.map((t) => t.start)).toEqual(["42 8 6 10 *"]);
  });

  it("moves a start on 29 February to 28 February 23:59", () => {
    const leap = { ...options, horizon: { from: at(2027, 9, 1, 0, 0), to: at(2028, 7, 1, 0, 0) } };
    const r = compileService(
      series([win("leap", at(2028, 2, 29, 10, 10), at(2028, 2, 29, 11, 0), 30)]),
      sizing,
      leap,
      weightsFromProfile(profile, "api"),
    );
    expect(r.schedule.triggers.map((t) => [t.start, t.end])).toEqual([["59 23 28 2 *", "5 11 29 2 *"]]);
  });

  it("caps a window beyond maxReplicas at it and leaves the one shortfall warning to the need model", () => {
    const s = series([win("huge", at(2025, 10, 6, 9, 0), at(2025, 10, 6, 10, 0), 1234)]);
    const r = compileService(s, sizing, options, weightsFromProfile(profile, "api"));
    expect(Math.max(...r.schedule.triggers.map((t) => t.desiredReplicas))).toBe(100);
    expect(r.warnings).toEqual([]);
    expect(shortfallWarnings(s, profile)).toEqual([
      'api in eu-west-2: "huge" (huge@2025-10-06T09:00:00.000Z, 2025-10-06 10:00–11:00 Europe/London) needs 124 replicas at its peak but maxReplicas is 100: short by 24 replicas',
    ]);
  });

  it("lists every invalid input in one error", () => {
    expect(() =>
      compileService(
        series([]),
        { ...sizing, minReplicas: -1 },
        { ...options, triggerBudget: 0, horizon: { from: at(2025, 9, 1, 0, 0), to: at(2026, 9, 1, 0, 0) } },
        () => 1,
      ),
    ).toThrow(
      [
        "Invalid input in compileService eu-west-2/api (3 problems):",
        "  - `sizing.minReplicas`: got -1; must be an integer >= 0",
        "  - `options.triggerBudget`: got 0; must be an integer >= 1",
        '  - `options.horizon`: got {"from":1756684800000,"to":1788220800000}; `to` must be after `from` and less than 365 days later, because date-specific cron specs recur every year',
      ].join("\n"),
    );
  });

  it("keeps Ready >= need at every minute under KEDA's rules, within the budget, inside the horizon", () => {
    const from = at(2025, 10, 6, 0, 0);
    const horizon = { from, to: from + 2 * 24 * 60 * MIN };
    const windowArb = fc.record({
      start: fc.integer({ min: 0, max: 2 * 24 * 60 - 30 }),
      length: fc.integer({ min: 1, max: 300 }),
      learners: fc.integer({ min: 1, max: 300 }),
      kind: fc.constantFrom("lecture", "exam"),
    });
    fc.assert(
      fc.property(
        fc.array(windowArb, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 6 }),
        (ws, budget) => {
          const windows = ws.map((w, i) =>
            win(
              `w${i}`,
              from + w.start * MIN,
              Math.min(horizon.to, from + (w.start + w.length) * MIN),
              w.learners,
              w.kind,
            ),
          );
          const s = series(windows);
          const r = compileService(
            s,
            sizing,
            { ...options, horizon, triggerBudget: budget },
            weightsFromProfile(profile, "api"),
          );
          if (r.schedule.triggers.length > budget || r.stats.coverage !== 1) return false;
          // Both sides are piecewise constant between these instants, so checking them is checking every minute.
          const bounds = r.schedule.triggers.flatMap((t) => [
            nextFire(t.start, from - 1),
            nextFire(t.end, from - 1),
          ]);
          const cuts = [...r.required, ...s.need]
            .flatMap((g) => [g.start, g.end - MIN])
            .concat(
              bounds,
              bounds.map((b) => b - MIN),
            );
          const want = (t: number): number =>
            Math.max(
              0,
              ...[...r.required, ...s.need].filter((g) => g.start <= t && t < g.end).map((g) => g.replicas),
            );
          if (
            cuts.some((t) => t >= from && t < horizon.to && activeLevel(r.schedule.triggers, 1, t) < want(t))
          )
            return false;
          return r.scheduled.every((g) => g.start >= horizon.from && g.end <= horizon.to);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("compiles thousands of windows within the budget at full coverage (speed: npm run bench)", () => {
    const windows: CalendarWindow[] = [];
    for (let i = 0; i < 3000; i++) {
      const start = at(2025, 9, 15, 8, 0) + (i % 280) * 24 * 60 * MIN + ((i * 37) % 10) * 60 * MIN;
      windows.push(win(`l${i}`, start, start + (50 + (i % 4) * 30) * MIN, 20 + ((i * 7919) % 400)));
    }
    const r = compileService(
      series(windows),
      sizing,
      { ...options, triggerBudget: 40 },
      weightsFromProfile(profile, "api"),
    );
    expect(r.schedule.triggers.length).toBeLessThanOrEqual(40);
    expect(r.stats.coverage).toBe(1);
  });
});

describe("compileAll and KEDA objects", () => {
  it("compiles each series with its profile sizing and reports missing sizing", () => {
    const s = series([win("a", at(2025, 10, 6, 9, 0), at(2025, 10, 6, 10, 0), 30)]);
    expect(compileAll([s], profile, options).map((r) => r.schedule.triggers.length)).toEqual([1]);
    expect(() => compileAll([{ ...s, service: "search" }], profile, options)).toThrow(
      "Invalid input in compileAll (1 problem):\n" +
        "  - `profile.services.search`: got missing; required: series eu-west-2/search needs its sizing",
    );
    const badSizing = { ...profile, services: { api: { ...sizing, leadMinutes: -1 } } };
    expect(() => compileAll([{ ...s, region: "us-east-1" }, s], badSizing, options)).toThrow(
      "Invalid input in compileAll (2 problems):\n" +
        "  - `us-east-1/api: sizing.leadMinutes`: got -1; must be a number >= 0\n" +
        "  - `eu-west-2/api: sizing.leadMinutes`: got -1; must be a number >= 0",
    );
  });

  it("writes cron triggers and the HPA behavior as the KEDA CRD expects", () => {
    const r = compileService(
      series([win("a", at(2025, 10, 6, 9, 0), at(2025, 10, 6, 10, 0), 30)]),
      sizing,
      options,
      weightsFromProfile(profile, "api"),
    );
    expect(toKedaTriggers(r.schedule)).toEqual([
      {
        type: "cron",
        name: "cal-001",
        metadata: { timezone: "Etc/UTC", start: "50 8 6 10 *", end: "5 10 6 10 *", desiredReplicas: "3" },
      },
    ]);
    expect(r.schedule.behavior).toBe(DEFAULT_BEHAVIOR);
  });

  it("rejects triggers KEDA would refuse or keep always active", () => {
    const bad = {
      region: "r",
      service: "s",
      minReplicaCount: 1,
      maxReplicaCount: 5,
      behavior: {},
      triggers: [
        { name: "x", timezone: "Etc/UTC", start: "0 6 * * *", end: "00 6 * * *", desiredReplicas: 2 },
        { name: "x", timezone: "", start: "0 6 1 1 *", end: "0 7 1 1 *", desiredReplicas: 0 },
      ],
    };
    expect(() => toKedaTriggers(bad)).toThrow(
      [
        "Invalid input in toKedaTriggers r/s (4 problems):",
        '  - `triggers[0]`: got {"start":"0 6 * * *","end":"00 6 * * *"}; start `0 6 * * *` and end `00 6 * * *` fire at the same instants, so the trigger is always active',
        '  - `triggers[1].name`: got "x"; names must be non-empty and unique',
        "  - `triggers[1].desiredReplicas`: got 0; must be an integer >= 1",
        '  - `triggers[1].timezone`: got ""; must be an IANA zone such as Etc/UTC',
      ].join("\n"),
    );
  });
});
