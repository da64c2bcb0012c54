/**
 * Maintenance and backup windows in the AWS formats: weekly `ddd:hh24:mi-ddd:hh24:mi` (maintenance) and daily
 * `hh24:mi-hh24:mi` (snapshots, backups), in UTC. Pure helpers used by config validation and the window chooser.
 * Minutes of the week count from Sunday 00:00 UTC, as AWS's day names do.
 */

/**
 * The four windows of a region's stores, in the order they are chosen: the weekly ones first (maintenance reboots
 * and fails over, a backup does not), ElastiCache's before Aurora's (its 60-minute minimum is the harder to place).
 */
export const DATA_WINDOW_KEYS = [
  "redis.maintenanceWindow",
  "postgres.maintenanceWindow",
  "redis.snapshotWindow",
  "postgres.backupWindow",
] as const;
export type DataWindowKey = (typeof DATA_WINDOW_KEYS)[number];

/**
 * AWS's shortest window per key. Relied on: RDS `ModifyDBCluster` (PreferredMaintenanceWindow and
 * PreferredBackupWindow "must be at least 30 minutes", UTC, the backup window "must not conflict with the preferred
 * maintenance window"); ElastiCache `ReplicationGroup` (maintenance and snapshot windows "a 60 minute period" at
 * least, UTC).
 */
export const MINIMUM_MINUTES: Readonly<Record<DataWindowKey, number>> = {
  "redis.maintenanceWindow": 60,
  "postgres.maintenanceWindow": 30,
  "redis.snapshotWindow": 60,
  "postgres.backupWindow": 30,
};

/** Whether a key's window recurs weekly (`ddd:hh24:mi-ddd:hh24:mi`) or daily (`hh24:mi-hh24:mi`). */
export const WINDOW_PERIOD: Readonly<Record<DataWindowKey, "weekly" | "daily">> = {
  "redis.maintenanceWindow": "weekly",
  "postgres.maintenanceWindow": "weekly",
  "redis.snapshotWindow": "daily",
  "postgres.backupWindow": "daily",
};

const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
/** @internal Minutes in a week and a day. */
export const WEEK_MINUTES = 7 * 24 * 60;
/** @internal */
export const DAY_MINUTES = 24 * 60;
const WEEK = WEEK_MINUTES;

const WEEKLY =
  /^(sun|mon|tue|wed|thu|fri|sat):([01]\d|2[0-3]):([0-5]\d)-(sun|mon|tue|wed|thu|fri|sat):([01]\d|2[0-3]):([0-5]\d)$/;
const DAILY = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

/** Half-open minute-of-week intervals [start, end) with 0 <= start < end <= WEEK. */
export type Intervals = [number, number][];

function span(start: number, end: number, period: number): Intervals {
  const length = (((end - start) % period) + period) % period;
  const s = ((start % WEEK) + WEEK) % WEEK;
  return s + length <= WEEK
    ? [[s, s + length]]
    : [
        [s, WEEK],
        [0, s + length - WEEK],
      ];
}

/** Minute-of-week intervals of a weekly window, or undefined when malformed. */
export function weeklyWindow(window: string): { intervals: Intervals; minutes: number } | undefined {
  const m = WEEKLY.exec(window);
  if (!m) return undefined;
  const at = (d: string, h: string, mi: string) =>
    DAYS.indexOf(d as (typeof DAYS)[number]) * 1440 + +h * 60 + +mi;
  const start = at(m[1], m[2], m[3]);
  const end = at(m[4], m[5], m[6]);
  const minutes = (((end - start) % WEEK) + WEEK) % WEEK;
  return { intervals: span(start, end, WEEK), minutes };
}

/** Minute-of-week intervals of a daily window repeated on every day, or undefined when malformed. */
export function dailyWindow(window: string): { intervals: Intervals; minutes: number } | undefined {
  const m = DAILY.exec(window);
  if (!m) return undefined;
  const start = +m[1] * 60 + +m[2];
  const end = +m[3] * 60 + +m[4];
  const minutes = (((end - start) % 1440) + 1440) % 1440;
  const intervals: Intervals = [];
  for (let day = 0; day < 7; day++)
    intervals.push(...span(day * 1440 + start, day * 1440 + start + minutes, WEEK));
  return { intervals, minutes };
}

/** A window of either period as minute-of-week intervals, or undefined when malformed. */
export function windowIntervals(
  period: "weekly" | "daily",
  window: string,
): { intervals: Intervals; minutes: number } | undefined {
  return period === "weekly" ? weeklyWindow(window) : dailyWindow(window);
}

/** Whether two sets of intervals share at least one minute. */
export function overlaps(a: Intervals, b: Intervals): boolean {
  return a.some(([s1, e1]) => b.some(([s2, e2]) => s1 < e2 && s2 < e1));
}

const hhmm = (minuteOfDay: number) =>
  `${String(Math.floor(minuteOfDay / 60)).padStart(2, "0")}:${String(minuteOfDay % 60).padStart(2, "0")}`;

/** The weekly window of `minutes` from minute-of-week `start`, e.g. `sun:04:00-sun:05:00` (wraps past Saturday). */
export function formatWeekly(start: number, minutes: number): string {
  const at = (m: number) => {
    const w = ((m % WEEK) + WEEK) % WEEK;
    return `${DAYS[Math.floor(w / 1440)]}:${hhmm(w % 1440)}`;
  };
  return `${at(start)}-${at(start + minutes)}`;
}

/** The daily window of `minutes` from minute-of-day `start`, e.g. `02:00-03:00` (wraps past midnight). */
export function formatDaily(start: number, minutes: number): string {
  return `${hhmm(start % 1440)}-${hhmm((start + minutes) % 1440)}`;
}
