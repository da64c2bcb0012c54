import fc from "fast-check";
import { compileService } from "../../components/calendar/compile/compile";
import { DEFAULT_TIMING } from "../../components/calendar/model/timing";
import type { CalendarWindow, NeedSeries } from "../../components/calendar/types";
import { WEEK_MS, foldWeekly, toWeeklyCronSpec, weekOffset } from "../../components/calendar/compile/weekly";
import { localClock, unfoldLocal } from "../../components/calendar/compile/local-time";

const MIN = 60_000;
const HOUR = 60 * MIN;
const MONDAY = Date.parse("2026-10-05T00:00:00Z"); // a Monday

describe("weekly cron specs", () => {
  it("names the UTC weekday and time of an offset into the week (Monday 00:00 = 0)", () => {
    expect(weekOffset(MONDAY)).toBe(0);
    expect(weekOffset(MONDAY + 2 * 24 * HOUR + 9 * HOUR + 15 * MIN)).toBe(
      2 * 24 * HOUR + 9 * HOUR + 15 * MIN,
    );
    expect(toWeeklyCronSpec(8 * HOUR + 45 * MIN)).toBe("45 8 * * 1");
    expect(toWeeklyCronSpec(6 * 24 * HOUR + 23 * HOUR)).toBe("0 23 * * 0");
    expect(toWeeklyCronSpec(WEEK_MS)).toBe("0 0 * * 1");
  });

  it("refuses an offset that is not a whole minute within a week", () => {
    expect(() => toWeeklyCronSpec(30_000)).toThrow(
      "Invalid input in toWeeklyCronSpec (1 problem):\n" +
        "  - `offset`: got 30000; must be a whole minute within a week (0..604800000 ms)",
    );
    expect(() => toWeeklyCronSpec(WEEK_MS + MIN)).toThrow(
      "Invalid input in toWeeklyCronSpec (1 problem):\n" +
        "  - `offset`: got 604860000; must be a whole minute within a week (0..604800000 ms)",
    );
  });
});

describe("folding onto one week", () => {
  it("keeps, at each offset, the highest level any week requires, and splits a Sunday-to-Monday interval", () => {
    const steps = [
      { start: MONDAY, end: MONDAY + 9 * HOUR, replicas: 2 },
      { start: MONDAY + 9 * HOUR, end: MONDAY + 10 * HOUR, replicas: 5 },
      { start: MONDAY + 10 * HOUR, end: MONDAY + WEEK_MS + 9 * HOUR, replicas: 2 },
      { start: MONDAY + WEEK_MS + 9 * HOUR, end: MONDAY + WEEK_MS + 11 * HOUR, replicas: 4 },
      { start: MONDAY + WEEK_MS + 11 * HOUR, end: MONDAY + 2 * WEEK_MS - HOUR, replicas: 2 },
      { start: MONDAY + 2 * WEEK_MS - HOUR, end: MONDAY + 2 * WEEK_MS + HOUR, replicas: 3 },
    ];
    expect(foldWeekly(steps, 2)).toEqual([
      { start: 0, end: HOUR, replicas: 3 },
      { start: HOUR, end: 9 * HOUR, replicas: 2 },
      { start: 9 * HOUR, end: 10 * HOUR, replicas: 5 },
      { start: 10 * HOUR, end: 11 * HOUR, replicas: 4 },
      { start: 11 * HOUR, end: WEEK_MS - HOUR, replicas: 2 },
      { start: WEEK_MS - HOUR, end: WEEK_MS, replicas: 3 },
    ]);
  });

  it("unfolds weekly intervals onto every week that meets the horizon", () => {
    const [from, to] = [MONDAY + HOUR, MONDAY + 2 * WEEK_MS];
    const unfolded = unfoldLocal(
      [{ start: 9 * HOUR, end: 10 * HOUR, level: 4 }],
      localClock("Etc/UTC", from, to),
      from,
      to,
    );
    expect(unfolded).toEqual([
      { start: MONDAY + 9 * HOUR, end: MONDAY + 10 * HOUR, level: 4 },
      { start: MONDAY + WEEK_MS + 9 * HOUR, end: MONDAY + WEEK_MS + 10 * HOUR, level: 4 },
    ]);
  });

  it("never folds below what any week requires (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            at: fc.integer({ min: 0, max: 4 * 7 * 24 * 4 - 8 }),
            len: fc.integer({ min: 1, max: 8 }),
            level: fc.integer({ min: 2, max: 9 }),
          }),
          { maxLength: 12 },
        ),
        (items) => {
          const quarter = 15 * MIN;
          const intervals = items.map((i) => ({
            start: MONDAY + i.at * quarter,
            end: MONDAY + (i.at + i.len) * quarter,
            level: i.level,
          }));
          const steps: { start: number; end: number; replicas: number }[] = [];
          for (let t = MONDAY; t < MONDAY + 4 * WEEK_MS; t += quarter) {
            const level = Math.max(
              1,
              ...intervals.filter((iv) => iv.start <= t && t < iv.end).map((iv) => iv.level),
            );
            steps.push({ start: t, end: t + quarter, replicas: level });
          }
          const folded = foldWeekly(steps, 1);
          for (const s of steps) {
            const offset = weekOffset(s.start);
            const at = folded.find((f) => f.start <= offset && offset < f.end)!;
            expect(at.replicas).toBeGreaterThanOrEqual(s.replicas);
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe("compileService with weekly patterns", () => {
  const lecture = (week: number): CalendarWindow => ({
    eventId: "cs101",
    occurrenceId: `cs101@${week}`,
    summary: "CS101 lecture",
    kind: "lecture",
    region: "eu-west-2",
    learners: 1000,
    start: MONDAY + week * WEEK_MS + 9 * HOUR,
    end: MONDAY + week * WEEK_MS + 10 * HOUR + 30 * MIN,
    timezone: "UTC",
    source: { file: "test.ics" },
  });
  const windows = [0, 1, 2, 3].map(lecture);
  const series: NeedSeries = { region: "eu-west-2", service: "api", need: [], windows };
  const sizing = {
    learnersPerReplica: 100,
    minReplicas: 2,
    maxReplicas: 40,
    leadMinutes: 15,
    tailMinutes: 15,
  };
  const options = {
    triggerBudget: 2,
    timing: DEFAULT_TIMING,
    horizon: { from: MONDAY, to: MONDAY + 4 * WEEK_MS },
  };
  const weight = (w: CalendarWindow) => w.learners / sizing.learnersPerReplica;

  it("emits one Monday trigger for four weekly lectures when dated triggers would bridge whole weeks", () => {
    const dated = compileService(series, sizing, options, weight);
    const weekly = compileService(series, sizing, { ...options, weeklyPatterns: true }, weight);
    expect(dated.stats.form).toBe("dated");
    expect(weekly.stats.form).toBe("weekly");
    expect(weekly.schedule.triggers).toEqual([
      { name: "cal-w001", timezone: "UTC", start: "45 8 * * 1", end: "45 10 * * 1", desiredReplicas: 10 },
    ]);
    expect(weekly.stats.scheduledReplicaMinutes).toBeLessThan(dated.stats.scheduledReplicaMinutes);
  });

  it("keeps the dated form when weekly patterns are off (the default)", () => {
    const result = compileService(series, sizing, { ...options, triggerBudget: 8 }, weight);
    expect(result.stats.form).toBe("dated");
    expect(result.schedule.triggers.every((t) => /^\d+ \d+ \d+ \d+ \*$/.test(t.start))).toBe(true);
  });
});
