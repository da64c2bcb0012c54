/**
 * regionMaintenance on a synthetic calendar: the windows move off planned load and critical spans, a pinned window
 * that meets a critical span is a warning naming the window, its key and the occurrences, and a week with no clean
 * slot takes the least-loaded one with a warning. The calendar off keeps the static defaults.
 */
import { parseStackConfig } from "../../components/config/load";
import type { CalendarSchedule } from "../../components/calendar/schedule";
import type { CalendarWindow, CompileResult, NeedSeries, Segment } from "../../components/calendar/types";
import { regionMaintenance, windowConflicts } from "../../components/platform/maintenance-windows";
import { windowTexts } from "../../components/data/data-windows";

const H = 3_600_000;
const D = 24 * H;
/** A Monday: the horizon is two weeks from it. */
const T0 = Date.parse("2026-10-05T00:00:00Z");
const HORIZON = { from: T0, to: T0 + 14 * D };
const SOURCE = "stacks/Pulumi.test.yaml";

const stack = (data: unknown) =>
  parseStackConfig(
    {
      "semester:environment": "staging",
      "semester:homeRegion": "eu-west-2",
      "semester:regions": JSON.stringify([
        { region: "eu-west-2", vpcCidr: "10.40.0.0/16" },
        { region: "us-east-1", vpcCidr: "10.41.0.0/16" },
      ]),
      "semester:cluster": JSON.stringify({ kubernetesVersion: "1.35" }),
      "semester:data": JSON.stringify(data),
    },
    SOURCE,
  );

function window(id: string, region: string, start: number, end: number): CalendarWindow {
  return {
    eventId: id,
    occurrenceId: `${id}@${new Date(start).toISOString()}`,
    summary: id,
    kind: "exam",
    region,
    learners: 100,
    start,
    end,
    timezone: "UTC",
    source: { file: "t.ics" },
  };
}

/** Floor `floor` over the horizon, raised to `level` on each of `raised`. */
function steps(floor: number, level: number, raised: readonly [number, number][]): Segment[] {
  const out: Segment[] = [];
  let at = HORIZON.from;
  for (const [s, e] of raised) {
    if (s > at) out.push({ start: at, end: s, replicas: floor });
    out.push({ start: s, end: e, replicas: level });
    at = e;
  }
  if (at < HORIZON.to) out.push({ start: at, end: HORIZON.to, replicas: floor });
  return out;
}

function entry(
  region: string,
  service: string,
  windows: CalendarWindow[],
  required: Segment[],
  floor: number,
) {
  const series: NeedSeries = { region, service, need: required, windows } as NeedSeries;
  const result = {
    schedule: { region, service, minReplicaCount: floor, maxReplicaCount: 50, triggers: [], behavior: {} },
    required,
    scheduled: required,
  } as unknown as CompileResult;
  return { series, result };
}

const schedule = (entries: ReturnType<typeof entry>[]) =>
  ({
    horizon: HORIZON,
    series: entries.map((e) => e.series),
    results: entries.map((e) => e.result),
  }) as unknown as CalendarSchedule;

// eu-west-2: an enrollment exam (critical) on both Sundays 03:30-05:30, and ai-tutor (standard) busy 02:00-03:00
// every day. us-east-1: enrollment holds capacity for one window over the whole horizon.
const sunday = (week: number, h: number) => T0 + (6 + 7 * week) * D + h * H;
const exams = [0, 1].map((w) => window("exam", "eu-west-2", sunday(w, 3.5), sunday(w, 5.5)));
const daily = Array.from({ length: 14 }, (_, d): [number, number] => [
  T0 + d * D + 2 * H,
  T0 + d * D + 3 * H,
]);
const marathon = window("marathon", "us-east-1", HORIZON.from, HORIZON.to);
const CALENDAR = schedule([
  entry(
    "eu-west-2",
    "enrollment",
    exams,
    steps(
      2,
      10,
      exams.map((e) => [e.start, e.end]),
    ),
    2,
  ),
  entry("eu-west-2", "ai-tutor", [], steps(1, 8, daily), 1),
  entry("us-east-1", "enrollment", [marathon], steps(2, 10, [[HORIZON.from, HORIZON.to]]), 2),
]);

describe("regionMaintenance", () => {
  const pinned = stack({ postgres: { maintenanceWindow: "sun:04:00-sun:05:00" } });
  const result = regionMaintenance(pinned, CALENDAR, SOURCE);

  it("moves each unpinned window off planned load and critical spans, clear of its partners", () => {
    expect(windowTexts(result["eu-west-2"]!.windows)).toEqual({
      // sun:05:00 meets the exam's last half hour.
      "redis.maintenanceWindow": "sun:05:30-sun:06:30",
      "postgres.maintenanceWindow": "sun:04:00-sun:05:00",
      // 03:00 meets Sunday's exam; 05:30 and 05:45 the Redis maintenance window.
      "redis.snapshotWindow": "06:30-07:30",
      // 02:00 is clean but ai-tutor's busy hour (peak 10 against 3); 03:00 to 05:15 meet the exam or Aurora's window.
      "postgres.backupWindow": "05:30-06:30",
    });
    expect(result["eu-west-2"]!.windows["postgres.backupWindow"]).toEqual({
      window: "05:30-06:30",
      pinned: false,
      peak: 3,
      clean: true,
    });
  });

  it("warns about a pinned window that meets a critical span, naming the window, its key and each occurrence", () => {
    expect(result["eu-west-2"]!.warnings).toEqual([
      `eu-west-2: the pinned postgres.maintenanceWindow "sun:04:00-sun:05:00" (${SOURCE} \`semester:data.postgres.maintenanceWindow\`) meets critical spans: ` +
        "2026-10-11T04:00:00Z..2026-10-11T05:00:00Z (exam@2026-10-11T03:30:00.000Z); " +
        "2026-10-18T04:00:00Z..2026-10-18T05:00:00Z (exam@2026-10-18T03:30:00.000Z)",
    ]);
  });

  it("takes the least-loaded slot and warns when no slot of a window's length is clear", () => {
    const us = result["us-east-1"]!;
    expect(us.warnings).toHaveLength(4);
    expect(us.warnings[0]).toBe(
      'us-east-1: no redis.maintenanceWindow of its length is clear of critical spans; chose "sun:05:00-sun:06:00" at the lowest planned load (peak 10 replicas), which meets: ' +
        "2026-10-11T05:00:00Z..2026-10-11T06:00:00Z (marathon@2026-10-05T00:00:00.000Z); " +
        "2026-10-18T05:00:00Z..2026-10-18T06:00:00Z (marathon@2026-10-05T00:00:00.000Z)",
    );
  });

  it("keeps the static defaults and warns about nothing with the calendar off", () => {
    const off = regionMaintenance(stack({}), undefined, SOURCE);
    expect(Object.values(off).map((m) => [windowTexts(m.windows), m.warnings])).toEqual(
      Array(2).fill([
        {
          "redis.maintenanceWindow": "sun:05:00-sun:06:00",
          "postgres.maintenanceWindow": "sun:04:00-sun:05:00",
          "redis.snapshotWindow": "03:00-04:00",
          "postgres.backupWindow": "02:00-03:00",
        },
        [],
      ]),
    );
  });
});

describe("windowConflicts", () => {
  const spans = [
    {
      region: "eu-west-2",
      start: sunday(1, -0.5),
      end: sunday(1, 0.5),
      services: [],
      kinds: [],
      occurrences: ["late"],
    },
  ];

  it("finds a weekly window's occurrence across Saturday midnight as one", () => {
    expect(windowConflicts("redis.maintenanceWindow", "sat:23:30-sun:00:30", spans, HORIZON)).toEqual([
      { start: sunday(1, -0.5), end: sunday(1, 0.5), spans },
    ]);
  });

  it("finds the day a daily window meets and nothing else", () => {
    expect(
      windowConflicts("postgres.backupWindow", "00:00-00:30", spans, HORIZON).map((c) => c.start),
    ).toEqual([sunday(1, 0)]);
    expect(windowConflicts("postgres.backupWindow", "01:00-01:30", spans, HORIZON)).toEqual([]);
  });
});
