/**
 * busyIntervals: the spans a region holds capacity above a service's floor for windows (lead and tail included),
 * merged per region, filtered by service and kind; windows that raise nothing (a share of 0) are not busy.
 */
import { busyIntervals, overlapsBusy } from "../../components/calendar/report/busy";
import type { CalendarSchedule } from "../../components/calendar/schedule";
import type { CalendarWindow, CompileResult, NeedSeries, Segment } from "../../components/calendar/types";

const H = 3_600_000;
const T0 = Date.parse("2026-10-05T00:00:00Z");
const at = (h: number) => T0 + h * H;
const seg = (a: number, b: number, replicas: number): Segment => ({ start: at(a), end: at(b), replicas });

function window(id: string, region: string, kind: string, start: number, end: number): CalendarWindow {
  return {
    eventId: id,
    occurrenceId: `${id}@${new Date(at(start)).toISOString()}`,
    summary: id,
    kind,
    region,
    learners: 100,
    start: at(start),
    end: at(end),
    timezone: "UTC",
    source: { file: "t.ics" },
  };
}

/** A series and a result whose required schedule is `required` over a floor of 2. */
function entry(region: string, service: string, windows: CalendarWindow[], required: Segment[]) {
  const series: NeedSeries = { region, service, need: required, windows };
  const result = {
    schedule: { region, service, minReplicaCount: 2, maxReplicaCount: 20, triggers: [], behavior: {} },
    required,
    headroom: [],
    scheduled: required,
  } as unknown as CompileResult;
  return { series, result };
}

function schedule(entries: ReturnType<typeof entry>[]): CalendarSchedule {
  return {
    series: entries.map((e) => e.series),
    results: entries.map((e) => e.result),
  } as unknown as CalendarSchedule;
}

const lecture = window("lecture", "eu-west-2", "lecture", 9, 10);
const exam = window("exam", "eu-west-2", "exam", 10, 12);
const late = window("late", "eu-west-2", "lecture", 18, 19);
const tokyo = window("tokyo", "ap-northeast-1", "live", 1, 2);
const noShare = window("no-share", "eu-west-2", "live", 14, 15);

const plan = schedule([
  // web: lead 30 min, tail 15 min; the lecture and the exam touch, the late lecture stands alone.
  entry(
    "eu-west-2",
    "web",
    [lecture, exam, late, noShare],
    [
      seg(0, 8.5, 2),
      seg(8.5, 10, 5),
      seg(10, 12.25, 8),
      seg(12.25, 17.5, 2),
      seg(17.5, 19.25, 4),
      seg(19.25, 24, 2),
    ],
  ),
  // assess holds capacity from 9:40 for the exam; its span overlaps web's and merges with it.
  entry("eu-west-2", "assess", [exam], [seg(0, 9.67, 2), seg(9.67, 12.5, 6), seg(12.5, 24, 2)]),
  entry("ap-northeast-1", "web", [tokyo], [seg(0, 0.5, 2), seg(0.5, 2.25, 3), seg(2.25, 24, 2)]),
]);

describe("busyIntervals", () => {
  it("merges overlapping and touching spans per region, lead and tail included, sorted by region then start", () => {
    expect(busyIntervals(plan)).toEqual([
      {
        region: "ap-northeast-1",
        start: at(0.5),
        end: at(2.25),
        services: ["web"],
        kinds: ["live"],
        occurrences: [tokyo.occurrenceId],
      },
      {
        region: "eu-west-2",
        start: at(8.5),
        end: at(12.5),
        services: ["assess", "web"],
        kinds: ["exam", "lecture"],
        occurrences: [exam.occurrenceId, lecture.occurrenceId].sort(),
      },
      {
        region: "eu-west-2",
        start: at(17.5),
        end: at(19.25),
        services: ["web"],
        kinds: ["lecture"],
        occurrences: [late.occurrenceId],
      },
    ]);
  });

  it("leaves out a window whose service never rises above its floor (a share of 0)", () => {
    const all = busyIntervals(plan).flatMap((b) => b.occurrences);
    expect(all).not.toContain(noShare.occurrenceId);
  });

  it("filters by service and by kind", () => {
    expect(busyIntervals(plan, { services: ["assess"] }).map((b) => [b.region, b.start, b.end])).toEqual([
      ["eu-west-2", at(9.67), at(12.5)],
    ]);
    expect(busyIntervals(plan, { kinds: ["lecture"] }).map((b) => [b.start, b.end, b.occurrences])).toEqual([
      // The lecture's raised run continues into the exam's (they touch), so its span reaches the exam's tail.
      [at(8.5), at(12.25), [lecture.occurrenceId]],
      [at(17.5), at(19.25), [late.occurrenceId]],
    ]);
    expect(busyIntervals(plan, { services: [], kinds: ["exam"] })).toEqual([]);
  });

  it("answers overlap queries per region with half-open spans", () => {
    const busy = busyIntervals(plan);
    expect(overlapsBusy(busy, "eu-west-2", at(12.5), at(13))).toBeUndefined();
    expect(overlapsBusy(busy, "eu-west-2", at(12), at(13))?.start).toBe(at(8.5));
    expect(overlapsBusy(busy, "us-east-1", at(0), at(24))).toBeUndefined();
    expect(overlapsBusy(busy, "ap-northeast-1", at(0), at(0.5))).toBeUndefined();
  });
});
