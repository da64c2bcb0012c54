/**
 * chooseSlot: the lowest-load slot of the requested length outside every critical minute and clear of the windows
 * to avoid, ties broken from the preferred start. The properties check it against an independent evaluation of
 * every grid slot, from the window's text and the generated intervals (never from the chooser's minute arrays).
 */
import fc from "fast-check";
import {
  chooseSlot,
  QUIET_WEEK,
  SLOT_STEP_MINUTES,
  type SlotRequest,
  type WeekProfile,
} from "../../components/data/window-chooser";
import {
  dailyWindow,
  formatDaily,
  formatWeekly,
  overlaps,
  weeklyWindow,
  WEEK_MINUTES,
  type Intervals,
} from "../../components/data/windows";

interface Bump {
  readonly start: number;
  readonly end: number;
  readonly load: number;
}

/** The profile of load bumps (max where they overlap) and critical intervals, minute of the week. */
function profile(bumps: readonly Bump[], critical: Intervals): WeekProfile {
  const load = new Array<number>(WEEK_MINUTES).fill(0);
  const crit = new Array<boolean>(WEEK_MINUTES).fill(false);
  for (const b of bumps) for (let m = b.start; m < b.end; m++) load[m] = Math.max(load[m]!, b.load);
  for (const [s, e] of critical) for (let m = s; m < e; m++) crit[m] = true;
  return { load, critical: crit };
}

const SUN_04 = 4 * 60;
const weekly = (minutes: number, preferredStart = SUN_04, avoid: Intervals = []) => ({
  period: "weekly" as const,
  minutes,
  preferredStart,
  avoid,
});

describe("chooseSlot", () => {
  it("keeps the preferred start on a quiet week", () => {
    expect(chooseSlot(QUIET_WEEK, weekly(60))).toMatchObject({
      window: "sun:04:00-sun:05:00",
      peak: 0,
      criticalMinutes: 0,
    });
    expect(chooseSlot(QUIET_WEEK, { ...weekly(30), period: "daily", preferredStart: 120 })?.window).toBe(
      "02:00-02:30",
    );
  });

  it("moves off load to the first quieter slot after the preferred start", () => {
    const p = profile(
      [
        { start: 0, end: SUN_04, load: 10 },
        { start: SUN_04, end: SUN_04 + 90, load: 40 },
        { start: SUN_04 + 90, end: 3 * 1440, load: 10 },
        { start: 3 * 1440, end: 3 * 1440 + 600, load: 4 },
        { start: 3 * 1440 + 600, end: WEEK_MINUTES, load: 10 },
      ],
      [],
    );
    expect(chooseSlot(p, weekly(60))).toMatchObject({ window: "wed:00:00-wed:01:00", peak: 4 });
  });

  it("never meets a critical minute while a clean slot exists, even a busier one", () => {
    const p = profile([{ start: 0, end: SUN_04, load: 50 }], [[SUN_04, WEEK_MINUTES]]);
    expect(chooseSlot(p, weekly(60))).toMatchObject({
      window: "sun:00:00-sun:01:00",
      peak: 50,
      criticalMinutes: 0,
    });
  });

  it("takes the least-loaded slot, with the fewest critical minutes, when none is clean", () => {
    const p = profile(
      [
        { start: 0, end: 1440 + 600, load: 8 },
        { start: 1440 + 600, end: 1440 + 720, load: 2 },
        { start: 1440 + 720, end: WEEK_MINUTES, load: 8 },
      ],
      [
        [0, WEEK_MINUTES - 30],
        [WEEK_MINUTES - 30, WEEK_MINUTES],
      ],
    );
    expect(chooseSlot(p, weekly(60))).toMatchObject({
      window: "mon:10:00-mon:11:00",
      peak: 2,
      criticalMinutes: 60,
    });
  });

  it("skips every slot that overlaps a window to avoid, and gives up only when all do", () => {
    expect(chooseSlot(QUIET_WEEK, weekly(60, SUN_04, [[SUN_04 + 30, SUN_04 + 45]]))?.window).toBe(
      "sun:04:45-sun:05:45",
    );
    expect(chooseSlot(QUIET_WEEK, { ...weekly(60), period: "daily", avoid: [[1440, 2880]] })).toBeUndefined();
  });

  it("wraps a weekly slot past Saturday midnight", () => {
    const p = profile([{ start: 0, end: WEEK_MINUTES - 30, load: 5 }], []);
    expect(chooseSlot(p, weekly(60, WEEK_MINUTES - 30))).toMatchObject({
      window: "sat:23:30-sun:00:30",
      intervals: [
        [WEEK_MINUTES - 30, WEEK_MINUTES],
        [0, 30],
      ],
      peak: 5,
    });
  });
});

// Properties -------------------------------------------------------------------------------------------------------

const bump = fc
  .record({
    start: fc.integer({ min: 0, max: WEEK_MINUTES - 1 }),
    length: fc.integer({ min: 1, max: 2000 }),
    load: fc.integer({ min: 0, max: 50 }),
  })
  .map(({ start, length, load }) => ({ start, end: Math.min(WEEK_MINUTES, start + length), load }));
const interval = fc
  .record({ start: fc.integer({ min: 0, max: WEEK_MINUTES - 1 }), length: fc.integer({ min: 1, max: 3000 }) })
  .map(({ start, length }): [number, number] => [start, Math.min(WEEK_MINUTES, start + length)]);
const request = fc.record({
  period: fc.constantFrom("weekly" as const, "daily" as const),
  minutes: fc.integer({ min: 30, max: 180 }),
  preferredStart: fc.integer({ min: 0, max: 1439 }),
  avoid: fc.array(interval, { maxLength: 1 }),
});

/** Every grid slot of the request, scored independently: peak from the bumps it overlaps, clean from the intervals. */
function everySlot(bumps: readonly Bump[], critical: Intervals, r: SlotRequest) {
  const period = r.period === "weekly" ? WEEK_MINUTES : 1440;
  const out: { window: string; peak: number; clean: boolean }[] = [];
  for (let k = 0; k * SLOT_STEP_MINUTES < period; k++) {
    const start = r.preferredStart + k * SLOT_STEP_MINUTES;
    const window = r.period === "weekly" ? formatWeekly(start, r.minutes) : formatDaily(start, r.minutes);
    const intervals = (r.period === "weekly" ? weeklyWindow(window) : dailyWindow(window))!.intervals;
    if (overlaps(intervals, r.avoid)) continue;
    const peak = Math.max(
      0,
      ...bumps.filter((b) => overlaps(intervals, [[b.start, b.end]])).map((b) => b.load),
    );
    out.push({ window, peak, clean: !overlaps(intervals, critical) });
  }
  return out;
}

describe("chooseSlot properties", () => {
  const inputs = fc.record({
    bumps: fc.array(bump, { maxLength: 12 }),
    critical: fc.array(interval, { maxLength: 6 }),
    request,
  });

  it("never meets a critical span when a clean slot exists, no other such slot has a strictly lower peak, and the window has the requested length and avoids what it must", () => {
    fc.assert(
      fc.property(inputs, ({ bumps, critical, request: r }) => {
        const chosen = chooseSlot(profile(bumps, critical), r);
        const slots = everySlot(bumps, critical, r);
        if (chosen === undefined) return slots.length === 0;
        const parsed = r.period === "weekly" ? weeklyWindow(chosen.window) : dailyWindow(chosen.window);
        if (parsed === undefined || parsed.minutes !== r.minutes || overlaps(parsed.intervals, r.avoid))
          return false;
        const mine = slots.find((s) => s.window === chosen.window);
        if (mine === undefined || chosen.peak !== mine.peak) return false;
        const clean = slots.filter((s) => s.clean);
        return clean.length > 0
          ? mine.clean && clean.every((s) => s.peak >= mine.peak)
          : slots.every((s) => s.peak >= mine.peak);
      }),
      { numRuns: 40 },
    );
  });
});
