/**
 * The maintenance and backup windows of one region's stores (`DATA_WINDOW_KEYS`): each pinned by the stack or
 * chosen on the region's week profile (`chooseSlot`), in order, each avoiding its partners: Aurora's backup window
 * its maintenance window (AWS refuses an overlap), ElastiCache's snapshot window its maintenance window (the stack
 * rule keeps them apart too), and the two maintenance windows each other, so a region never fails over both stores
 * at once. A chosen window keeps its static default's length (`DATA_DEFAULTS`) and, on a tie, the first slot from
 * the default's start: with the calendar off (`QUIET_WEEK`) every window is its static default unless a pinned
 * partner overlaps it. Pure.
 */
import { DATA_DEFAULTS } from "./config";
import { type Problem } from "../core";
import { chooseSlot, QUIET_WEEK, scoreIntervals, type WeekProfile } from "./window-chooser";
import {
  DATA_WINDOW_KEYS,
  type DataWindowKey,
  type Intervals,
  MINIMUM_MINUTES,
  WINDOW_PERIOD,
  overlaps,
  windowIntervals,
} from "./windows";

/** The windows of a region's stores in AWS's formats, by key. */
export type DataWindows = Readonly<Record<DataWindowKey, string>>;

/** One window and how it came about. */
export interface ChosenWindow {
  readonly window: string;
  /** Set by the stack (`semester:data.<key>`), not chosen. */
  readonly pinned: boolean;
  /** The highest planned load at any of its minutes in any week of the horizon. */
  readonly peak: number;
  /** It meets no critical span of the horizon. */
  readonly clean: boolean;
}

export type RegionWindows = Readonly<Record<DataWindowKey, ChosenWindow>>;

/** Which windows a window must not overlap. */
export const WINDOW_PARTNERS: Readonly<Record<DataWindowKey, readonly DataWindowKey[]>> = {
  "redis.maintenanceWindow": ["postgres.maintenanceWindow", "redis.snapshotWindow"],
  "postgres.maintenanceWindow": ["redis.maintenanceWindow", "postgres.backupWindow"],
  "redis.snapshotWindow": ["redis.maintenanceWindow"],
  "postgres.backupWindow": ["postgres.maintenanceWindow"],
};

/** The pairs AWS (or the stack rule) refuses to overlap, daily key first; the maintenance pair is a preference. */
const REFUSED_PAIRS: readonly (readonly [DataWindowKey, DataWindowKey])[] = [
  ["redis.snapshotWindow", "redis.maintenanceWindow"],
  ["postgres.backupWindow", "postgres.maintenanceWindow"],
];

/** The static default of each key: a quiet week's choice. */
export const STATIC_WINDOWS: DataWindows = {
  "redis.maintenanceWindow": DATA_DEFAULTS.redis.maintenanceWindow,
  "postgres.maintenanceWindow": DATA_DEFAULTS.postgres.maintenanceWindow,
  "redis.snapshotWindow": DATA_DEFAULTS.redis.snapshotWindow,
  "postgres.backupWindow": DATA_DEFAULTS.postgres.backupWindow,
};

/** The pinned windows of a parsed `semester:data` section, by key. */
export function pinnedWindows(config: {
  readonly redis: { readonly maintenanceWindow?: string; readonly snapshotWindow?: string };
  readonly postgres: { readonly maintenanceWindow?: string; readonly backupWindow?: string };
}): Partial<DataWindows> {
  const pins: Partial<Record<DataWindowKey, string>> = {
    "redis.maintenanceWindow": config.redis.maintenanceWindow,
    "postgres.maintenanceWindow": config.postgres.maintenanceWindow,
    "redis.snapshotWindow": config.redis.snapshotWindow,
    "postgres.backupWindow": config.postgres.backupWindow,
  };
  return Object.fromEntries(Object.entries(pins).filter(([, w]) => w !== undefined));
}

const intervalsOf = (key: DataWindowKey, window: string): Intervals =>
  windowIntervals(WINDOW_PERIOD[key], window)?.intervals ?? [];

/**
 * A region's windows on `profile`: the pinned ones as given, the others chosen in `DATA_WINDOW_KEYS` order. The
 * pins must have passed `windowPairProblems` (then every window has room).
 */
export function chooseDataWindows(profile: WeekProfile, pinned: Partial<DataWindows>): RegionWindows {
  const fixed: Partial<Record<DataWindowKey, string>> = { ...pinned };
  const out: Partial<Record<DataWindowKey, ChosenWindow>> = {};
  for (const key of DATA_WINDOW_KEYS) {
    const pin = pinned[key];
    if (pin !== undefined) {
      const score = scoreIntervals(profile, intervalsOf(key, pin));
      out[key] = { window: pin, pinned: true, peak: score.peak, clean: score.criticalMinutes === 0 };
      continue;
    }
    const slot = roomFor(profile, key, fixed);
    if (slot === undefined)
      throw new Error(`chooseDataWindows: no room for ${key}; check windowPairProblems first`);
    fixed[key] = slot.window;
    out[key] = { window: slot.window, pinned: false, peak: slot.peak, clean: slot.criticalMinutes === 0 };
  }
  return out as RegionWindows;
}

function roomFor(profile: WeekProfile, key: DataWindowKey, fixed: Partial<Record<DataWindowKey, string>>) {
  const fallback = windowIntervals(WINDOW_PERIOD[key], STATIC_WINDOWS[key])!;
  return chooseSlot(profile, {
    period: WINDOW_PERIOD[key],
    minutes: fallback.minutes,
    preferredStart: fallback.intervals[0]![0],
    avoid: WINDOW_PARTNERS[key].flatMap((p) => (fixed[p] !== undefined ? intervalsOf(p, fixed[p]) : [])),
  });
}

/** The windows as AWS takes them. */
export function windowTexts(windows: RegionWindows): DataWindows {
  return Object.fromEntries(DATA_WINDOW_KEYS.map((k) => [k, windows[k].window])) as DataWindows;
}

/**
 * Problems of a set of pinned windows across keys, each at `path(key)`: a daily window overlapping its maintenance
 * window, and a pinned window that leaves a partner no room (a maintenance window of nearly a day overlaps every
 * daily slot). Malformed windows are skipped: their format is the schema's to report.
 */
export function windowPairProblems(
  pinned: Partial<DataWindows>,
  path: (key: DataWindowKey) => string,
): Problem[] {
  const problems: Problem[] = [];
  const valid = Object.fromEntries(
    Object.entries(pinned).filter(
      ([k, w]) => windowIntervals(WINDOW_PERIOD[k as DataWindowKey], w) !== undefined,
    ),
  ) as Partial<Record<DataWindowKey, string>>;
  for (const [daily, weekly] of REFUSED_PAIRS) {
    const d = valid[daily];
    const w = valid[weekly];
    if (d !== undefined && w !== undefined && overlaps(intervalsOf(daily, d), intervalsOf(weekly, w)))
      problems.push({ path: path(daily), value: d, rule: `must not overlap ${weekly} ${JSON.stringify(w)}` });
  }
  if (problems.length > 0) return problems;
  const fixed = { ...valid };
  for (const key of DATA_WINDOW_KEYS) {
    if (fixed[key] !== undefined) continue;
    const slot = roomFor(QUIET_WEEK, key, fixed);
    if (slot !== undefined) {
      fixed[key] = slot.window;
      continue;
    }
    const blocker = WINDOW_PARTNERS[key].find((p) => valid[p] !== undefined)!;
    problems.push({
      path: path(blocker),
      value: valid[blocker],
      rule: `leaves no ${windowIntervals(WINDOW_PERIOD[key], STATIC_WINDOWS[key])!.minutes}-minute ${key} that does not overlap it`,
      fix: "shorten it: a daily window meets every day of the week",
    });
  }
  return problems;
}

/** Format, AWS minimum and pairs of a complete set of windows (`DataTier`'s `windows` argument), at `path(key)`. */
export function windowSetProblems(windows: DataWindows, path: (key: DataWindowKey) => string): Problem[] {
  const problems: Problem[] = [];
  for (const key of DATA_WINDOW_KEYS) {
    const parsed = windowIntervals(WINDOW_PERIOD[key], windows[key]);
    const format = WINDOW_PERIOD[key] === "weekly" ? '"ddd:hh:mm-ddd:hh:mm"' : '"hh:mm-hh:mm"';
    if (parsed === undefined)
      problems.push({
        path: path(key),
        value: windows[key],
        rule: `must be a ${WINDOW_PERIOD[key]} UTC window ${format}`,
      });
    else if (parsed.minutes < MINIMUM_MINUTES[key])
      problems.push({
        path: path(key),
        value: windows[key],
        rule: `must be at least ${MINIMUM_MINUTES[key]} minutes long`,
      });
  }
  return problems.length > 0 ? problems : windowPairProblems(windows, path);
}
