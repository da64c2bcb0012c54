/**
 * A region's four windows: the static defaults on a quiet week, pins kept, partners never overlapping, and the
 * problems of pins that AWS would refuse, with exact messages.
 */
import fc from "fast-check";
import {
  chooseDataWindows,
  STATIC_WINDOWS,
  windowPairProblems,
  windowSetProblems,
  windowTexts,
  WINDOW_PARTNERS,
} from "../../components/data/data-windows";
import { QUIET_WEEK, type WeekProfile } from "../../components/data/window-chooser";
import {
  DATA_WINDOW_KEYS,
  MINIMUM_MINUTES,
  WEEK_MINUTES,
  WINDOW_PERIOD,
  overlaps,
  windowIntervals,
  type DataWindowKey,
} from "../../components/data/windows";

const path = (key: DataWindowKey) => `config.${key}`;
const intervals = (key: DataWindowKey, w: string) => windowIntervals(WINDOW_PERIOD[key], w)!.intervals;

describe("chooseDataWindows", () => {
  it("keeps every static default on a quiet week (the calendar off)", () => {
    expect(windowTexts(chooseDataWindows(QUIET_WEEK, {}))).toEqual({
      "redis.maintenanceWindow": "sun:05:00-sun:06:00",
      "postgres.maintenanceWindow": "sun:04:00-sun:05:00",
      "redis.snapshotWindow": "03:00-04:00",
      "postgres.backupWindow": "02:00-03:00",
    });
    expect(STATIC_WINDOWS["postgres.maintenanceWindow"]).toBe("sun:04:00-sun:05:00");
  });

  it("keeps a pin and moves an unpinned partner it overlaps to the next free slot", () => {
    const w = chooseDataWindows(QUIET_WEEK, { "redis.snapshotWindow": "05:30-06:30" });
    expect(w["redis.snapshotWindow"]).toEqual({ window: "05:30-06:30", pinned: true, peak: 0, clean: true });
    expect(w["redis.maintenanceWindow"]).toEqual({
      window: "sun:06:30-sun:07:30",
      pinned: false,
      peak: 0,
      clean: true,
    });
    expect(w["postgres.maintenanceWindow"].window).toBe("sun:04:00-sun:05:00");
  });

  it("staggers the two maintenance windows: a pinned Aurora window at ElastiCache's default moves ElastiCache's", () => {
    const w = chooseDataWindows(QUIET_WEEK, { "postgres.maintenanceWindow": "sun:05:00-sun:05:30" });
    expect(w["redis.maintenanceWindow"].window).toBe("sun:05:30-sun:06:30");
  });

  it("reports a pinned window's peak and whether it meets a critical minute", () => {
    const critical = new Array<boolean>(WEEK_MINUTES).fill(false).fill(true, 4 * 60 + 30, 4 * 60 + 40);
    const load = new Array<number>(WEEK_MINUTES).fill(3).fill(9, 4 * 60, 4 * 60 + 10);
    const w = chooseDataWindows({ load, critical }, { "postgres.maintenanceWindow": "sun:04:00-sun:05:00" });
    expect(w["postgres.maintenanceWindow"]).toEqual({
      window: "sun:04:00-sun:05:00",
      pinned: true,
      peak: 9,
      clean: false,
    });
  });

  it("never lets partners overlap and keeps the static lengths, whatever the profile", () => {
    const profile = fc
      .array(
        fc.record({
          start: fc.integer({ min: 0, max: WEEK_MINUTES - 1 }),
          length: fc.integer({ min: 1, max: 3000 }),
          load: fc.integer({ min: 0, max: 30 }),
          critical: fc.boolean(),
        }),
        { maxLength: 8 },
      )
      .map((bumps): WeekProfile => {
        const load = new Array<number>(WEEK_MINUTES).fill(0);
        const critical = new Array<boolean>(WEEK_MINUTES).fill(false);
        for (const b of bumps)
          for (let m = b.start; m < Math.min(WEEK_MINUTES, b.start + b.length); m++) {
            load[m] = Math.max(load[m]!, b.load);
            if (b.critical) critical[m] = true;
          }
        return { load, critical };
      });
    fc.assert(
      fc.property(profile, (p) => {
        const w = windowTexts(chooseDataWindows(p, {}));
        return DATA_WINDOW_KEYS.every(
          (key) =>
            windowIntervals(WINDOW_PERIOD[key], w[key])!.minutes ===
              windowIntervals(WINDOW_PERIOD[key], STATIC_WINDOWS[key])!.minutes &&
            WINDOW_PARTNERS[key].every((q) => !overlaps(intervals(key, w[key]), intervals(q, w[q]))),
        );
      }),
      { numRuns: 15 },
    );
  });
});

describe("window problems", () => {
  it("refuses a daily window overlapping its maintenance window, naming both", () => {
    expect(
      windowPairProblems(
        { "postgres.maintenanceWindow": "tue:02:00-tue:03:00", "postgres.backupWindow": "02:30-03:00" },
        path,
      ),
    ).toEqual([
      {
        path: "config.postgres.backupWindow",
        value: "02:30-03:00",
        rule: 'must not overlap postgres.maintenanceWindow "tue:02:00-tue:03:00"',
      },
    ]);
  });

  it("refuses a pinned window that leaves its partner no room", () => {
    expect(windowPairProblems({ "redis.maintenanceWindow": "wed:00:00-wed:23:30" }, path)).toEqual([
      {
        path: "config.redis.maintenanceWindow",
        value: "wed:00:00-wed:23:30",
        rule: "leaves no 60-minute redis.snapshotWindow that does not overlap it",
        fix: "shorten it: a daily window meets every day of the week",
      },
    ]);
  });

  it("checks a complete set's formats and AWS minimums before its pairs", () => {
    expect(
      windowSetProblems(
        {
          ...STATIC_WINDOWS,
          "redis.maintenanceWindow": "sun:05:00-sun:05:30",
          "postgres.backupWindow": "2am",
        },
        (key) => `windows.eu-west-2.${key}`,
      ),
    ).toEqual([
      {
        path: "windows.eu-west-2.redis.maintenanceWindow",
        value: "sun:05:00-sun:05:30",
        rule: `must be at least ${MINIMUM_MINUTES["redis.maintenanceWindow"]} minutes long`,
      },
      {
        path: "windows.eu-west-2.postgres.backupWindow",
        value: "2am",
        rule: 'must be a daily UTC window "hh:mm-hh:mm"',
      },
    ]);
    expect(windowSetProblems(STATIC_WINDOWS, path)).toEqual([]);
  });
});
