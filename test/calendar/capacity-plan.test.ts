import {
  buildCapacityPlan,
  isoInstant,
  preProvisionLine,
  serializeCapacityPlan,
} from "../../components/calendar/report/capacity-plan";
import type { CalendarWindow, CompileResult, NeedSeries, Segment } from "../../components/calendar/types";

const H = 3_600_000;
const FROM = Date.UTC(2026, 8, 7); // Monday 7 Sep 2026
const TO = FROM + 24 * H;

function window(id: string, region: string, startH: number, endH: number, learners: number): CalendarWindow {
  const start = FROM + startH * H;
  return {
    eventId: id,
    occurrenceId: `${id}@${new Date(start).toISOString()}`,
    summary: id,
    kind: "lecture",
    region,
    learners,
    start,
    end: FROM + endH * H,
    timezone: "Europe/London",
    source: { file: "term.ics", line: 3 },
  };
}

function seg(startH: number, endH: number, replicas: number): Segment {
  return { start: FROM + startH * H, end: FROM + endH * H, replicas };
}

function series(region: string, service: string, windows: CalendarWindow[], need: Segment[]): NeedSeries {
  return { region, service, windows, need };
}

function result(
  region: string,
  service: string,
  scheduled: Segment[],
  warnings: string[] = [],
): CompileResult {
  return {
    schedule: {
      region,
      service,
      minReplicaCount: 1,
      maxReplicaCount: 10,
      triggers: [
        {
          name: `${service}-1`,
          timezone: "Etc/UTC",
          start: "50 8 7 9 *",
          end: "0 11 7 9 *",
          desiredReplicas: 4,
        },
      ],
      behavior: { scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: "Max" } },
    },
    required: [seg(0, 8, 1), seg(8, 11, 4), seg(11, 24, 1)],
    headroom: [],
    scheduled,
    stats: {
      form: "dated",
      exactTriggers: 1,
      emittedTriggers: 1,
      neededReplicaMinutes: 480,
      scheduledReplicaMinutes: 1620,
      coverage: 1,
      excessRatio: 3.375,
      headroomReplicaMinutes: 0,
      zoneLossCoverage: null,
    },
    leads: [],
    warnings,
  };
}

const lecture = window("cs101", "eu-west-2", 9, 11, 300);
const euApi = series("eu-west-2", "api", [lecture], [seg(0, 9, 0), seg(9, 11, 4), seg(11, 24, 0)]);
const usApi = series("us-east-1", "api", [window("ma201", "us-east-1", 14, 15, 100)], [seg(0, 24, 0)]);
const scheduled = [seg(0, 8, 1), seg(8, 11, 4), seg(11, 24, 1)];

describe("buildCapacityPlan", () => {
  it("writes segments as ISO instants and keeps the compiler's figures per region and service", () => {
    const plan = buildCapacityPlan({
      horizon: { from: FROM, to: TO },
      series: [euApi],
      results: [result("eu-west-2", "api", scheduled, ["api: window cs101 needs 12 replicas, max is 10"])],
      warnings: ["term.ics: 1 event outside the horizon"],
    });
    const api = plan.regions["eu-west-2"].api;
    expect(plan.horizon).toEqual({ from: "2026-09-07T00:00:00Z", to: "2026-09-08T00:00:00Z", days: 1 });
    expect(api.need).toEqual([
      { start: "2026-09-07T00:00:00Z", end: "2026-09-07T09:00:00Z", replicas: 0 },
      { start: "2026-09-07T09:00:00Z", end: "2026-09-07T11:00:00Z", replicas: 4 },
      { start: "2026-09-07T11:00:00Z", end: "2026-09-08T00:00:00Z", replicas: 0 },
    ]);
    expect(api.scheduled[1]).toEqual({
      start: "2026-09-07T08:00:00Z",
      end: "2026-09-07T11:00:00Z",
      replicas: 4,
    });
    expect(api.triggers).toEqual([
      { name: "api-1", timezone: "Etc/UTC", start: "50 8 7 9 *", end: "0 11 7 9 *", desiredReplicas: 4 },
    ]);
    expect(api.windows).toBe(1);
    expect(api.peakNeed).toBe(4);
    expect(api.peakScheduled).toBe(4);
    expect(api.stats.excessRatio).toBe(3.375);
    expect(plan.warnings).toEqual([
      "term.ics: 1 event outside the horizon",
      "api: window cs101 needs 12 replicas, max is 10",
    ]);
  });

  it("sums the summary over every series, weighting coverage by needed replica-minutes", () => {
    const partial: CompileResult = {
      ...result("us-east-1", "api", [seg(0, 24, 1)]),
      stats: {
        form: "dated",
        exactTriggers: 2,
        emittedTriggers: 1,
        neededReplicaMinutes: 120,
        scheduledReplicaMinutes: 1440,
        coverage: 0.5,
        excessRatio: 12,
        headroomReplicaMinutes: 0,
        zoneLossCoverage: null,
      },
    };
    const plan = buildCapacityPlan({
      horizon: { from: FROM, to: TO },
      series: [euApi, usApi],
      results: [result("eu-west-2", "api", scheduled), partial],
    });
    expect(plan.summary).toEqual({
      regions: 2,
      services: 1,
      scaledObjects: 2,
      windows: 2,
      triggers: 2,
      neededReplicaMinutes: 600,
      scheduledReplicaMinutes: 3060,
      coverage: 0.9,
      minCoverage: 0.5,
      excessRatio: 5.1,
      staticStability: { headroomReplicaMinutes: 0, byService: {} },
      preProvision: null,
      forecast: null,
      warnings: 0,
    });
  });

  it("reports every window's lead and the placeholders' cost before and after pre-provisioning", () => {
    const base = result("eu-west-2", "api", scheduled);
    const lead = (minutes: number) => ({ occurrenceId: "exam@x", start: FROM, minutes });
    const withPlaceholders = {
      ...base,
      leads: [lead(3)],
      preProvision: {
        schedule: { ...base.schedule, minReplicaCount: 0, triggers: [] },
        required: [],
        scheduled: [],
        nodeLeadMinutes: 4,
        emptyNodeSeconds: 105,
        exactTriggers: 1,
        reservedReplicaMinutes: 30,
        leadsWithout: [lead(5)],
        scheduledReplicaMinutesWithout: base.stats.scheduledReplicaMinutes + 12,
      },
    };
    const plan = buildCapacityPlan({
      horizon: { from: FROM, to: TO },
      series: [euApi],
      results: [withPlaceholders],
    });
    expect(plan.regions["eu-west-2"]!.api!.leads).toEqual([
      { window: "exam@x", start: isoInstant(FROM), minutes: 3, withoutPreProvision: 5 },
    ]);
    expect(plan.summary.preProvision).toEqual({
      series: 1,
      windows: 1,
      meanLeadMinutes: { before: 5, after: 3 },
      maxLeadMinutes: { before: 5, after: 3 },
      replicaMinutes: {
        before: base.stats.scheduledReplicaMinutes + 12,
        after: base.stats.scheduledReplicaMinutes,
        placeholders: 30,
      },
    });
    expect(preProvisionLine(plan.summary.preProvision!)).toBe(
      `pre-provisioned nodes (1 series, 1 scale-out windows): lead 5.0 → 3.0 min mean (max 5 → 3); ` +
        `replica-minutes ${(base.stats.scheduledReplicaMinutes + 12).toLocaleString("en-US")} → ` +
        `${base.stats.scheduledReplicaMinutes.toLocaleString("en-US")} + 30 placeholder`,
    );
  });

  it("serializes identically whatever order the series and results arrive in", () => {
    const a = buildCapacityPlan({
      horizon: { from: FROM, to: TO },
      series: [euApi, usApi],
      results: [result("eu-west-2", "api", scheduled), result("us-east-1", "api", scheduled)],
    });
    const b = buildCapacityPlan({
      horizon: { from: FROM, to: TO },
      series: [usApi, euApi],
      results: [result("us-east-1", "api", scheduled), result("eu-west-2", "api", scheduled)],
    });
    expect(serializeCapacityPlan(b)).toBe(serializeCapacityPlan(a));
    expect(Object.keys(a.regions)).toEqual(["eu-west-2", "us-east-1"]);
    expect(Object.keys(a)).toEqual(["version", "horizon", "summary", "regions", "warnings"]);
    expect(Object.keys(a.regions["eu-west-2"].api)).toEqual([
      "region",
      "service",
      "windows",
      "occurrences",
      "minReplicaCount",
      "maxReplicaCount",
      "peakNeed",
      "peakScheduled",
      "stats",
      "zones",
      "need",
      "required",
      "headroom",
      "scheduled",
      "triggers",
      "behavior",
      "leads",
      "preProvision",
      "forecast",
      "warnings",
    ]);
  });

  it("rejects results and series that do not pair up, listing every one", () => {
    expect(() =>
      buildCapacityPlan({
        horizon: { from: FROM, to: FROM },
        series: [euApi],
        results: [result("us-east-1", "api", scheduled)],
      }),
    ).toThrow(
      "Invalid input in buildCapacityPlan (3 problems):\n" +
        '  - `series[0]`: got "eu-west-2/api"; must have a compile result\n' +
        '  - `results[0]`: got "us-east-1/api"; must have a need series\n' +
        `  - \`horizon\`: got {"from":${FROM},"to":${FROM}}; must end after it starts`,
    );
  });
});

describe("isoInstant", () => {
  it("drops zero milliseconds and keeps others", () => {
    expect(isoInstant(FROM)).toBe("2026-09-07T00:00:00Z");
    expect(isoInstant(FROM + 5)).toBe("2026-09-07T00:00:00.005Z");
  });
});
