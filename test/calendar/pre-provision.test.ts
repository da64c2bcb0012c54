import fc from "fast-check";
import { compilePlaceholders, scaleOuts } from "../../components/calendar/compile/pre-provision";
import { compileService } from "../../components/calendar/compile/compile";
import { DEFAULT_TIMING, RAMP_ENDS, createRampModel } from "../../components/calendar/model/timing";
import { DEFAULT_BEHAVIOR, PLACEHOLDER_BEHAVIOR, behaviorProblems } from "../../components/kubernetes/keda";
import type { CompileOptions, CompiledSchedule, Segment } from "../../components/calendar/types";

const MIN = 60_000;
const T0 = Date.UTC(2026, 9, 5, 0, 0);
const at = (minutes: number): number => T0 + minutes * MIN;
const options: CompileOptions = {
  triggerBudget: 10,
  timing: DEFAULT_TIMING,
  horizon: { from: T0, to: at(24 * 60) },
};
const service: CompiledSchedule = {
  region: "eu-west-2",
  service: "web",
  minReplicaCount: 2,
  maxReplicaCount: 40,
  triggers: [],
  behavior: DEFAULT_BEHAVIOR,
};
const steps = (...points: [number, number][]): Segment[] =>
  points.map(([m, replicas], i) => ({
    start: at(m),
    end: i + 1 < points.length ? at(points[i + 1]![0]) : at(24 * 60),
    replicas,
  }));
const show = (segs: readonly Segment[]) =>
  segs.map((s) => `${(s.start - T0) / MIN}..${(s.end - T0) / MIN} ${s.replicas}`);

describe("scaleOuts", () => {
  it("lists each rise with the levels before and after, and no fall", () => {
    expect(scaleOuts(steps([0, 2], [600, 12], [660, 20], [720, 2]))).toEqual([
      { at: at(600), from: 2, to: 12 },
      { at: at(660), from: 12, to: 20 },
    ]);
  });
});

const DATED = { form: "dated", weeklyZone: "Etc/UTC" } as const;

describe("compilePlaceholders", () => {
  it("holds each scale-out's size for its node lead, ending one poll and sync before the service's trigger", () => {
    const p = compilePlaceholders(service, steps([0, 2], [600, 12], [720, 2]), options, DATED);
    // End: 600 min - 45 s (30 s polling + 15 s sync), rounded down to 599. Lead: 45 s to see the trigger, 0 -> 10
    // in one step, + 10 s batch + 120 s launch = 175 s -> 3 minutes: the node runs by 598:55, before 600.
    expect(show(p.required)).toEqual(["0..596 0", "596..599 10", "599..1440 0"]);
    expect(p.nodeLeadMinutes).toBe(4);
    // Empty from 599 until the service's last pod exists (2 -> 12 in one step, 45 s after 600).
    expect(p.emptyNodeSeconds).toBe(60 + 45);
    expect(p.schedule).toEqual({
      region: "eu-west-2",
      service: "web",
      minReplicaCount: 0,
      maxReplicaCount: 40,
      triggers: [
        {
          name: "cal-001",
          timezone: "Etc/UTC",
          start: "56 9 5 10 *",
          end: "59 9 5 10 *",
          desiredReplicas: 10,
        },
      ],
      behavior: PLACEHOLDER_BEHAVIOR,
    });
    expect(p.reservedReplicaMinutes).toBe(30);
  });

  it("adds up the placeholders of scale-outs whose spans overlap", () => {
    const p = compilePlaceholders(service, steps([0, 2], [600, 12], [602, 20], [720, 2]), options, DATED);
    expect(show(p.required)).toEqual(["0..596 0", "596..598 10", "598..599 18", "599..601 8", "601..1440 0"]);
  });

  it("holds at least every scale-out's size for its node lead, gone before the service's trigger acts (property)", () => {
    const own = createRampModel(DEFAULT_TIMING, PLACEHOLDER_BEHAVIOR, RAMP_ENDS.placeholderNode);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 5, max: 120 }), fc.integer({ min: 2, max: 40 })), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.integer({ min: 1, max: 12 }),
        (gaps, budget) => {
          let m = 0;
          const points: [number, number][] = [[0, 2]];
          for (const [gap, level] of gaps) points.push([(m += gap), level]);
          const scheduled = steps(...points);
          const p = compilePlaceholders(service, scheduled, { ...options, triggerBudget: budget }, DATED);
          expect(p.schedule.triggers.length).toBeLessThanOrEqual(budget);
          for (const s of scaleOuts(scheduled)) {
            const lead = Math.ceil(own(0, s.to - s.from) / 60) * MIN;
            const end = Math.floor((s.at - 45_000) / MIN) * MIN;
            // Their nodes run before the service's trigger fires.
            expect(end - lead + own(0, s.to - s.from) * 1000).toBeLessThanOrEqual(s.at);
            for (const seg of p.scheduled)
              if (seg.start < end && seg.end > Math.max(options.horizon.from, end - lead))
                expect(seg.replicas).toBeGreaterThanOrEqual(s.to - s.from);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("compileService with preProvision", () => {
  const window = {
    eventId: "exam",
    occurrenceId: `exam@${new Date(at(600)).toISOString()}`,
    summary: "exam",
    kind: "exam",
    region: "eu-west-2",
    learners: 3000,
    start: at(600),
    end: at(720),
    timezone: "UTC",
    source: { file: "t.ics" },
  };
  const series = {
    region: "eu-west-2",
    service: "web",
    need: steps([0, 2], [600, 30], [720, 2]),
    windows: [window],
  };
  const sizing = { learnersPerReplica: 100, minReplicas: 2, maxReplicas: 40, leadMinutes: 0, tailMinutes: 0 };

  it("shortens a ramp-bound lead by the node launch and reports both leads and both costs", () => {
    const r = compileService(series, sizing, { ...options, preProvision: true }, () => 30);
    // Without: 2 -> 12 -> 24 -> 30 (+10 or double per 15 s), the last step at 75 s, + 120 + 90 = 285 s -> 5 min.
    expect(r.preProvision?.leadsWithout).toEqual([
      { occurrenceId: window.occurrenceId, start: at(600), minutes: 5 },
    ]);
    // With: 75 s + 5 s preemption + 90 s = 170 s -> 3 minutes.
    expect(r.leads).toEqual([{ occurrenceId: window.occurrenceId, start: at(600), minutes: 3 }]);
    expect(r.stats.scheduledReplicaMinutes).toBeLessThan(r.preProvision!.scheduledReplicaMinutesWithout);
    expect(r.preProvision!.reservedReplicaMinutes).toBeGreaterThan(0);
    expect(r.preProvision!.schedule.triggers.length).toBeGreaterThan(0);
  });

  it("leaves the result without placeholders when pre-provisioning is off", () => {
    const r = compileService(series, sizing, options, () => 30);
    expect(r.preProvision).toBeUndefined();
    expect(r.leads.map((l) => l.minutes)).toEqual([5]);
  });

  it("gives placeholders a behavior the KEDA CRD accepts", () => {
    expect(behaviorProblems(PLACEHOLDER_BEHAVIOR)).toEqual([]);
  });
});
