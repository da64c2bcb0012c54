import fc from "fast-check";
import { cronWindows, type CronWindow } from "../../components/calendar";
import { activations, parseSpec } from "./sim/robfig-cron";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** Monday 2026-10-19 00:00 UTC. */
const MONDAY = Date.parse("2026-10-19T00:00:00Z");
const span = (start: number, minutes: number) => ({ start, end: start + minutes * MIN });

/**
 * Independent of the compiler: Karpenter's `Budget.IsActive` (kubernetes-sigs/karpenter pkg/apis/v1/nodepool.go)
 * is "the next hit after `t - duration` of `TZ=UTC <schedule>` is not after `t`", so a window is active on
 * [h, h + duration) for each hit h. The hits come from robfig/cron re-implemented from upstream (cron iteration).
 */
function hits(w: CronWindow, from: number, until: number): number[] {
  return activations(parseSpec(`TZ=UTC ${w.schedule}`), from, until, "UTC").filter(
    (h) => h > from && h <= until,
  );
}

/** Per span not wholly inside active windows, its first uncovered minute (ISO). */
function uncovered(
  windows: readonly CronWindow[],
  spans: readonly { start: number; end: number }[],
): string[] {
  if (spans.length === 0) return [];
  const from =
    Math.min(...spans.map((s) => s.start)) - Math.max(0, ...windows.map((w) => w.durationMinutes)) * MIN;
  const until = Math.max(...spans.map((s) => s.end));
  const active = windows
    .flatMap((w) => hits(w, from, until).map((h) => [h, h + w.durationMinutes * MIN] as const))
    .sort((a, b) => a[0] - b[0]);
  const out: string[] = [];
  for (const s of spans) {
    let cursor = Math.floor(s.start / MIN) * MIN;
    for (const [a, b] of active) if (a <= cursor && b > cursor) cursor = b;
    if (cursor < s.end) out.push(new Date(cursor).toISOString());
  }
  return out;
}

describe("cron windows (Karpenter budget form)", () => {
  it("makes one weekly schedule of a slot that recurs on Mondays and Wednesdays at 09:00", () => {
    const spans = [0, 1, 2].flatMap((w) => [
      span(MONDAY + w * WEEK + 9 * HOUR, 120),
      span(MONDAY + w * WEEK + 2 * DAY + 9 * HOUR, 120),
    ]);
    expect(cronWindows(spans, { maxWindows: 10 })).toEqual({
      windows: [{ schedule: "0 9 * * 1,3", durationMinutes: 120 }],
      bridges: 0,
      bridgedMinutes: 0,
    });
  });

  it("keeps a one-off span date-specific and shares a schedule between days of a month with the same time", () => {
    const spans = [
      span(Date.parse("2026-11-03T14:00:00Z"), 90),
      span(Date.parse("2026-11-20T14:00:00Z"), 90),
      span(Date.parse("2026-12-01T14:00:00Z"), 90),
    ];
    expect(cronWindows(spans, { maxWindows: 10 }).windows).toEqual([
      { schedule: "0 14 1 12 *", durationMinutes: 90 },
      { schedule: "0 14 3,20 11 *", durationMinutes: 90 },
    ]);
  });

  it("starts each window settleMs early on whole minutes and merges spans that then meet", () => {
    const spans = [span(MONDAY + 9 * HOUR + 30_000, 60), span(MONDAY + 10 * HOUR + 10 * MIN, 30)];
    expect(cronWindows(spans, { maxWindows: 10, settleMs: 15 * MIN }).windows).toEqual([
      { schedule: "45 8 19 10 *", durationMinutes: 115 },
    ]);
  });

  it("bridges the smallest gaps until the windows fit the cap, and says how much it added", () => {
    const spans = [
      span(MONDAY + 1 * HOUR, 60),
      span(MONDAY + 2 * HOUR + 10 * MIN, 60), // 10 min after the first
      span(MONDAY + 6 * HOUR, 60), // 2 h 50 min after the second
    ];
    expect(cronWindows(spans, { maxWindows: 2 })).toEqual({
      windows: [
        { schedule: "0 1 19 10 *", durationMinutes: 130 },
        { schedule: "0 6 19 10 *", durationMinutes: 60 },
      ],
      bridges: 1,
      bridgedMinutes: 10,
    });
    expect(cronWindows(spans, { maxWindows: 1 }).windows).toEqual([
      { schedule: "0 1 19 10 *", durationMinutes: 360 },
    ]);
  });

  it("covers a span across midnight and a weekly slot on Sunday night", () => {
    const spans = [0, 1].map((w) => span(MONDAY - 1 * HOUR + w * WEEK, 180));
    const { windows } = cronWindows(spans, { maxWindows: 5 });
    expect(windows).toEqual([{ schedule: "0 23 * * 0", durationMinutes: 180 }]);
    expect(uncovered(windows, spans)).toEqual([]);
  });

  it("the independent check fails when a window is missing or a minute short (negative controls)", () => {
    const spans = [span(MONDAY + 9 * HOUR, 60), span(Date.parse("2026-11-03T14:00:00Z"), 30)];
    const { windows } = cronWindows(spans, { maxWindows: 10 });
    expect(uncovered(windows, spans)).toEqual([]);
    expect(
      windows.flatMap((_, i) => uncovered(windows.slice(0, i).concat(windows.slice(i + 1)), spans)),
    ).toEqual(["2026-11-03T14:00:00.000Z", "2026-10-19T09:00:00.000Z"]);
    const short = windows.map((w) => ({ ...w, durationMinutes: w.durationMinutes - 1 }));
    expect(uncovered(short, spans)).toEqual(["2026-10-19T09:59:00.000Z", "2026-11-03T14:29:00.000Z"]);
  });

  // Spans on a 5-minute grid over up to ~8 weeks: some repeat weekly (a timetable), the rest are one-offs.
  const spansArb = fc
    .tuple(
      fc.array(
        fc.record({
          offset: fc.integer({ min: 0, max: WEEK / (5 * MIN) - 1 }),
          minutes: fc.integer({ min: 5, max: 300 }),
          weeks: fc.integer({ min: 1, max: 8 }),
        }),
        { maxLength: 6 },
      ),
      fc.array(
        fc.record({
          at: fc.integer({ min: 0, max: (56 * DAY) / (5 * MIN) }),
          minutes: fc.integer({ min: 1, max: 600 }),
        }),
        { maxLength: 8 },
      ),
    )
    .map(([slots, oneOffs]) => [
      ...slots.flatMap((s) =>
        Array.from({ length: s.weeks }, (_, w) => span(MONDAY + w * WEEK + s.offset * 5 * MIN, s.minutes)),
      ),
      ...oneOffs.map((o) => span(MONDAY + o.at * 5 * MIN + 17_000, o.minutes)),
    ]);

  it("property: every minute of every span is inside an active window, within the cap", () => {
    fc.assert(
      fc.property(
        spansArb,
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 30 }),
        (spans, cap, settle) => {
          const { windows } = cronWindows(spans, { maxWindows: cap, settleMs: settle * MIN });
          expect(windows.length).toBeLessThanOrEqual(Math.max(1, cap));
          expect(uncovered(windows, spans)).toEqual([]);
          // The settle margin is protected too.
          expect(
            uncovered(
              windows,
              spans.map((s) => ({ start: s.start - settle * MIN, end: s.start })),
            ),
          ).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("property: without a cap to meet, a date-specific window fires only where a span starts", () => {
    fc.assert(
      fc.property(spansArb, (spans) => {
        const { windows, bridges } = cronWindows(spans, { maxWindows: 49 });
        fc.pre(bridges === 0);
        const starts = new Set(spans.map((s) => Math.floor(s.start / MIN) * MIN));
        for (const w of windows.filter((x) => /^\d+ \d+ [\d,]+ \d+ \*$/.test(x.schedule)))
          for (const h of hits(w, MONDAY - DAY, MONDAY + 64 * DAY)) expect(starts.has(h)).toBe(true);
      }),
      { numRuns: 30 },
    );
  });
});
