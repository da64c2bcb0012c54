import fc from "fast-check";
import { cheapestForm } from "../../components/calendar/compile/forms";
import { avoidTransitions, localClock, unfoldLocal } from "../../components/calendar/compile/local-time";
import { foldWeeksAtShare } from "../../components/calendar/compile/weekly";
import { maxOf, type LevelInterval } from "../../components/calendar/compile/skyline";
import type { CronTrigger, Segment } from "../../components/calendar/types";
import { TriggerTimeline, parseCronMetadata } from "./sim/keda-cron";
import {
  datedLowerBound,
  weeklyLowerBound,
  zonedWeeklyLowerBound,
} from "../../components/calendar/compile/bound";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const PRAGUE = "Europe/Prague";
// Prague moves to CEST on Sunday 2027-03-28 02:00 CET and back on Sunday 2027-10-31 03:00 CEST.
const SPRING = { from: Date.parse("2027-03-07T23:00:00Z"), to: Date.parse("2027-04-18T22:00:00Z") };
const AUTUMN = { from: Date.parse("2027-10-10T22:00:00Z"), to: Date.parse("2027-11-21T23:00:00Z") };

/** The MAX over triggers as KEDA would evaluate them (the independent simulator), floored, over [from, to). */
function kedaLevel(triggers: readonly CronTrigger[], floor: number, from: number, to: number): Segment[] {
  const lines = triggers.map((t) => ({
    level: t.desiredReplicas,
    timeline: new TriggerTimeline(parseCronMetadata(t), from, to),
  }));
  const out: Segment[] = [];
  for (let t = from; t < to;) {
    const level = lines.reduce((m, l) => (l.timeline.activeAt(t) ? Math.max(m, l.level) : m), floor);
    const next = Math.min(to, ...lines.map((l) => l.timeline.nextChangeAfter(t)));
    out.push({ start: t, end: next, replicas: level });
    t = next;
  }
  return out;
}

/** Every instant where `level` < `target`, as `[start, end)` pairs. */
function shortfalls(target: readonly Segment[], level: readonly Segment[]): [number, number][] {
  const bad: [number, number][] = [];
  for (const s of target)
    for (const l of level)
      if (l.start < s.end && l.end > s.start && l.replicas < s.replicas)
        bad.push([Math.max(s.start, l.start), Math.min(s.end, l.end)]);
  return bad;
}

/** Weekly lectures in Prague wall time (every week but `skip`), plus one-off peaks, as a target step function. */
function timetable(
  horizon: { from: number; to: number },
  lectures: readonly { day: number; hour: number; minutes: number; level: number; skip: number }[],
  peaks: readonly { at: number; minutes: number; level: number }[],
  floor: number,
): Segment[] {
  const clock = localClock(PRAGUE, horizon.from, horizon.to);
  const weekly: LevelInterval[] = lectures.map((l) => ({
    start: l.day * DAY + l.hour * HOUR,
    end: l.day * DAY + l.hour * HOUR + l.minutes * MIN,
    level: l.level,
  }));
  const occurrences = weekly.flatMap((w, i) =>
    unfoldLocal([w], clock, horizon.from, horizon.to).filter((_, week) => week !== lectures[i]!.skip),
  );
  const oneOff = peaks.map((p) => ({
    start: horizon.from + p.at * HOUR,
    end: horizon.from + p.at * HOUR + p.minutes * MIN,
    level: p.level,
  }));
  return maxOf([...occurrences, ...oneOff], floor, horizon.from, horizon.to);
}

const lecture = fc.record({
  day: fc.integer({ min: 0, max: 6 }),
  hour: fc.integer({ min: 0, max: 22 }),
  minutes: fc.integer({ min: 1, max: 24 }).map((q) => q * 15),
  level: fc.integer({ min: 3, max: 30 }),
  skip: fc.integer({ min: 0, max: 8 }),
});
const peak = fc.record({
  at: fc.integer({ min: 0, max: 6 * 24 * 7 }),
  minutes: fc.integer({ min: 30, max: 600 }),
  level: fc.integer({ min: 3, max: 60 }),
});

describe("the cheapest form (dated, weekly in the windows' zone, or mixed)", () => {
  it("keeps KEDA's MAX of the emitted triggers >= the target across both DST changes, within budget (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(SPRING, AUTUMN),
        fc.array(lecture, { minLength: 1, maxLength: 10 }),
        fc.array(peak, { maxLength: 3 }),
        fc.integer({ min: 2, max: 12 }),
        (horizon, lectures, peaks, budget) => {
          const target = timetable(horizon, lectures, peaks, 2);
          const form = cheapestForm(target, 2, { budget, horizon, weeklyZone: PRAGUE });
          expect(form.triggers.length).toBeLessThanOrEqual(budget);
          // The compiler's model of the triggers and KEDA's evaluation of the specs both cover the target.
          expect(shortfalls(target, maxOf(form.intervals, 2, horizon.from, horizon.to))).toEqual([]);
          expect(shortfalls(target, kedaLevel(form.triggers, 2, horizon.from, horizon.to))).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("writes weekly lectures in Prague time, one trigger each, where UTC would need two per slot", () => {
    const target = timetable(SPRING, [{ day: 0, hour: 9, minutes: 90, level: 10, skip: -1 }], [], 2);
    const form = cheapestForm(target, 2, { budget: 1, horizon: SPRING, weeklyZone: PRAGUE });
    expect(form.form).toBe("weekly");
    expect(form.triggers).toEqual([
      { name: "cal-w001", timezone: PRAGUE, start: "0 9 * * 1", end: "30 10 * * 1", desiredReplicas: 10 },
    ]);
    const utc = cheapestForm(target, 2, { budget: 1, horizon: SPRING, weeklyZone: "Etc/UTC" });
    const area = (f: typeof form): number =>
      maxOf(f.intervals, 2, SPRING.from, SPRING.to).reduce((a, s) => a + (s.end - s.start) * s.replicas, 0);
    expect(area(form)).toBeLessThan(area(utc));
  });

  it("takes a weekly base plus dated triggers for an exam peak when that is cheaper than either alone", () => {
    const lectures = [
      { day: 0, hour: 9, minutes: 90, level: 10, skip: -1 },
      { day: 2, hour: 14, minutes: 90, level: 12, skip: -1 },
    ];
    const target = timetable(SPRING, lectures, [{ at: 24 * 17 + 10, minutes: 180, level: 40 }], 2);
    const form = cheapestForm(target, 2, { budget: 4, horizon: SPRING, weeklyZone: PRAGUE });
    expect(form.form).toBe("mixed");
    expect(form.triggers.map((t) => t.name)).toEqual(["cal-w001", "cal-w002", "cal-001"]);
    expect(form.triggers[2]).toMatchObject({ timezone: "Etc/UTC", desiredReplicas: 40 });
  });
});

describe("the lower bound of weekly schedules written in a zone (zonedWeeklyLowerBound)", () => {
  it("never exceeds what the weekly or dated form the compiler picks spends, across both DST changes (property)", () => {
    let weekly = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(SPRING, AUTUMN),
        fc.array(lecture, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 8 }),
        (horizon, lectures, budget) => {
          const target = timetable(horizon, lectures, [], 2);
          const form = cheapestForm(target, 2, { budget, horizon, weeklyZone: PRAGUE });
          const spent = maxOf(form.intervals, 2, horizon.from, horizon.to).reduce(
            (a, x) => a + (x.end - x.start) * x.replicas,
            0,
          );
          const bound =
            form.form === "weekly"
              ? zonedWeeklyLowerBound(target, 2, budget, horizon.from, horizon.to, PRAGUE)
              : datedLowerBound(target, 2, budget, horizon.from, horizon.to);
          if (form.form === "weekly") weekly++;
          if (form.form !== "mixed") expect(spent).toBeGreaterThanOrEqual(bound);
        },
      ),
      { numRuns: 60 },
    );
    expect(weekly).toBeGreaterThan(10);
  });

  it("is tight for one lecture a week, less only the transition hour above the floor", () => {
    const target = timetable(SPRING, [{ day: 0, hour: 9, minutes: 90, level: 10, skip: -1 }], [], 2);
    const form = cheapestForm(target, 2, { budget: 1, horizon: SPRING, weeklyZone: PRAGUE });
    const spent = maxOf(form.intervals, 2, SPRING.from, SPRING.to).reduce(
      (a, x) => a + (x.end - x.start) * x.replicas,
      0,
    );
    const bound = zonedWeeklyLowerBound(target, 2, 1, SPRING.from, SPRING.to, PRAGUE);
    // The slack is the hour at level 10; the local horizon, an hour longer, already counted it at the floor 2.
    expect(spent - bound).toBe(HOUR * (10 - 2));
    // In UTC the same lecture moves an hour at the change: one weekly UTC trigger must span both hours.
    expect(weeklyLowerBound(target, 2, 1, SPRING.from, SPRING.to)).toBeGreaterThan(spent);
  });
});

describe("weekly boundaries and DST transitions (robfig fires a wall time in a gap never, in a fold twice)", () => {
  const SUNDAY_0230 = 6 * DAY + 2 * HOUR + 30 * MIN;
  const SUNDAY_0200 = 6 * DAY + 2 * HOUR;

  it("moves a start inside the transition hour to a minute before it and an end to its end", () => {
    const clock = localClock(PRAGUE, SPRING.from, SPRING.to);
    expect(avoidTransitions([{ start: SUNDAY_0230, end: SUNDAY_0230 + 15 * MIN, level: 5 }], clock)).toEqual([
      { start: SUNDAY_0200 - MIN, end: SUNDAY_0200 + HOUR, level: 5 },
    ]);
    expect(avoidTransitions([{ start: 0, end: HOUR, level: 5 }], clock)).toEqual([
      { start: 0, end: HOUR, level: 5 },
    ]);
  });

  it("would leave the spring-forward Sunday uncovered without the move (the check is not vacuous)", () => {
    const slot = { start: SUNDAY_0230, end: SUNDAY_0230 + 15 * MIN, level: 5 };
    const clock = localClock(PRAGUE, SPRING.from, SPRING.to);
    const target = maxOf(unfoldLocal([slot], clock, SPRING.from, SPRING.to), 2, SPRING.from, SPRING.to);
    // 02:30 does not exist on 2027-03-28 in Prague: a trigger starting then is not active that week.
    const naive: CronTrigger = {
      name: "cal-w001",
      timezone: PRAGUE,
      start: "30 2 * * 0",
      end: "45 2 * * 0",
      desiredReplicas: 5,
    };
    const gaps = shortfalls(target, kedaLevel([naive], 2, SPRING.from, SPRING.to));
    expect(gaps.map(([a]) => new Date(a).toISOString().slice(0, 10))).toEqual(["2027-03-28"]);
    const form = cheapestForm(target, 2, { budget: 1, horizon: SPRING, weeklyZone: PRAGUE });
    // That Sunday the slot's instants read 03:30-03:45 CEST, so one trigger spans 01:59 to 03:45 every Sunday.
    expect(form.triggers).toEqual([{ ...naive, start: "59 1 * * 0", end: "45 3 * * 0" }]);
    expect(shortfalls(target, kedaLevel(form.triggers, 2, SPRING.from, SPRING.to))).toEqual([]);
  });
});

describe("folding at a share of weeks", () => {
  it("takes the MAX at share 0, the MIN at share 1 and the median at 0.5, over the weeks present", () => {
    const monday = 4 * DAY; // 1970-01-05, a Monday
    const week = (w: number, level: number): Segment => ({
      start: monday + w * 7 * DAY,
      end: monday + w * 7 * DAY + HOUR,
      replicas: level,
    });
    const steps = [week(0, 4), week(1, 8), week(2, 6)];
    const at = (share: number): number =>
      foldWeeksAtShare(steps, 1, monday, monday + 21 * DAY, share).find((s) => s.start === 0)!.replicas;
    expect([at(0), at(0.5), at(1)]).toEqual([8, 6, 4]);
  });
});
