import fc from "fast-check";
import {
  PRACTICE_RUN_LIMITS,
  examBlockedDates,
  formatWeeklyWindow,
  parseWeeklyWindow,
  practiceRunConflicts,
  practiceRunWindows,
  weeklyWindowInstants,
} from "../../components/resilience";

const H = 3_600_000;
// Monday 2026-10-19 00:00 UTC, 28 days.
const FROM = Date.parse("2026-10-19T00:00:00Z");
const horizon = { from: FROM, to: FROM + 28 * 24 * H };
const at = (iso: string) => Date.parse(iso);

describe("weekly window format", () => {
  it("parses ARC's Day:HH:MM-Day:HH:MM and refuses windows that span two days or end before they start", () => {
    expect(parseWeeklyWindow("Wed:12:00-Wed:17:00")).toEqual({
      day: "Wed",
      startMinute: 720,
      endMinute: 1020,
    });
    expect(parseWeeklyWindow("Wed:12:00-Thu:01:00")).toBeUndefined();
    expect(parseWeeklyWindow("Wed:17:00-Wed:12:00")).toBeUndefined();
    expect(parseWeeklyWindow("Wed:25:00-Wed:26:00")).toBeUndefined();
    expect(parseWeeklyWindow("wed:12:00-wed:17:00")).toBeUndefined();
  });

  it("writes the end of a day as 23:59, 19 characters as ARC requires", () => {
    const text = formatWeeklyWindow({ day: "Sun", startMinute: 1380, endMinute: 1440 });
    expect(text).toBe("Sun:23:00-Sun:23:59");
    expect(text).toHaveLength(19);
  });

  it("lists every occurrence of a window within the horizon", () => {
    const occ = weeklyWindowInstants(["Mon:02:00-Mon:04:00"], horizon);
    expect(occ.map((o) => new Date(o.start).toISOString())).toEqual([
      "2026-10-19T02:00:00.000Z",
      "2026-10-26T02:00:00.000Z",
      "2026-11-02T02:00:00.000Z",
      "2026-11-09T02:00:00.000Z",
    ]);
    expect(occ[0]!.end - occ[0]!.start).toBe(2 * H);
  });
});

describe("practiceRunWindows", () => {
  it("keeps a run (start plus 30 minutes) out of a busy span in every week of the horizon", () => {
    // Busy on Tuesday 2026-10-27 10:00-12:00 only: the weekly Tuesday slots 09:30-12:00 are out in every week.
    const busy = [{ start: at("2026-10-27T10:00:00Z"), end: at("2026-10-27T12:00:00Z") }];
    const { windows } = practiceRunWindows(busy, horizon);
    expect(windows).toContain("Tue:00:00-Tue:09:30");
    expect(windows).toContain("Tue:12:00-Tue:23:59");
    expect(windows.filter((w) => w.startsWith("Tue"))).toHaveLength(2);
  });

  it("prefers the windows with the lowest planned load when more than the maximum are free", () => {
    const load = [{ start: FROM, end: FROM + 24 * H, value: 50 }]; // Monday of week one is loaded
    const { windows } = practiceRunWindows([], horizon, { maxWindows: 6, load });
    expect(windows).toHaveLength(6);
    expect(windows.some((w) => w.startsWith("Mon"))).toBe(false);
  });

  it("drops free stretches shorter than the minimum window", () => {
    // Every day busy except 01:00-02:30: 90 min free, minus the run's 30 min = 60 min of start time.
    const busy = [];
    for (let d = 0; d < 28; d++) {
      busy.push({ start: FROM + d * 24 * H, end: FROM + d * 24 * H + H });
      busy.push({ start: FROM + d * 24 * H + 2.5 * H, end: FROM + (d + 1) * 24 * H });
    }
    expect(practiceRunWindows(busy, horizon, { minimumWindowMinutes: 60 }).windows).toHaveLength(7);
    expect(practiceRunWindows(busy, horizon, { minimumWindowMinutes: 120 }).windows).toEqual([]);
  });

  it("never lets a run meet a busy span, never exceeds ARC's 15 windows (property)", () => {
    const span = fc
      .tuple(fc.integer({ min: 0, max: 28 * 24 * 4 }), fc.integer({ min: 1, max: 4 * 24 }))
      .map(([q, len]) => ({ start: FROM + q * 15 * 60_000, end: FROM + (q + len) * 15 * 60_000 }));
    fc.assert(
      fc.property(fc.array(span, { maxLength: 15 }), fc.integer({ min: 30, max: 300 }), (busy, minimum) => {
        const { windows } = practiceRunWindows(busy, horizon, { minimumWindowMinutes: minimum });
        expect(windows.length).toBeLessThanOrEqual(PRACTICE_RUN_LIMITS.maxAllowedWindows);
        for (const w of windows) {
          const p = parseWeeklyWindow(w)!;
          expect(p.endMinute - p.startMinute).toBeGreaterThanOrEqual(Math.min(minimum, 1439) - 1);
        }
        for (const o of weeklyWindowInstants(windows, horizon))
          for (const b of busy) expect(b.start < o.end + 30 * 60_000 && o.start < b.end).toBe(false);
      }),
      { numRuns: 40 },
    );
  });
});

describe("examBlockedDates", () => {
  it("blocks every UTC date an exam touches, from the horizon's first day", () => {
    const exams = [{ start: at("2026-10-20T22:00:00Z"), end: at("2026-10-21T02:00:00Z") }];
    expect(examBlockedDates(exams, horizon)).toEqual({
      dates: ["2026-10-20", "2026-10-21"],
      omitted: [],
      protectedUntil: undefined,
    });
  });

  it("takes the earliest 15 dates and says how far they protect", () => {
    const exams = Array.from({ length: 18 }, (_, d) => ({
      start: FROM + d * 24 * H + 9 * H,
      end: FROM + d * 24 * H + 11 * H,
    }));
    const r = examBlockedDates(exams, horizon);
    expect(r.dates).toHaveLength(15);
    expect(r.omitted).toEqual(["2026-11-03", "2026-11-04", "2026-11-05"]);
    expect(new Date(r.protectedUntil!).toISOString()).toBe("2026-11-03T00:00:00.000Z");
  });
});

describe("practiceRunConflicts", () => {
  const exam = {
    start: at("2026-10-21T09:00:00Z"),
    end: at("2026-10-21T12:00:00Z"),
    occurrences: ["final-exam@2026-10-21T09:00:00.000Z"],
  };

  it("accepts windows and dates that keep runs out of the exam", () => {
    expect(
      practiceRunConflicts(
        { allowedWindows: ["Wed:13:00-Wed:18:00"], blockedDates: ["2026-10-21"] },
        [exam],
        horizon,
      ),
    ).toEqual([]);
  });

  it("refuses a window a run could start in and still be shifting traffic when the exam opens, naming the exam", () => {
    expect(
      practiceRunConflicts(
        { allowedWindows: ["Wed:06:00-Wed:08:45"], blockedDates: ["2026-10-21"] },
        [exam],
        horizon,
      ),
    ).toEqual([
      "practice-run window Wed:06:00-Wed:08:45 on 2026-10-21 meets exam final-exam@2026-10-21T09:00:00.000Z (a run may start until 2026-10-21T08:45:00.000Z and lasts 30 min)",
    ]);
  });

  it("refuses a missing exam date, naming the exam", () => {
    expect(
      practiceRunConflicts({ allowedWindows: ["Mon:00:00-Mon:05:00"], blockedDates: [] }, [exam], horizon),
    ).toEqual(["exam final-exam@2026-10-21T09:00:00.000Z on 2026-10-21 is not a blocked date"]);
  });

  it("refuses more than ARC's limits and malformed entries", () => {
    const many = Array.from({ length: 16 }, () => "Mon:00:00-Mon:01:00");
    expect(practiceRunConflicts({ allowedWindows: many, blockedDates: ["21/10/2026"] }, [], horizon)).toEqual(
      ["16 allowed windows: ARC takes at most 15", "blocked date 21/10/2026: not YYYY-MM-DD"],
    );
  });
});
