/**
 * Maintenance and backup windows in the AWS formats: weekly `ddd:hh24:mi-ddd:hh24:mi` (maintenance) and daily
 * `hh24:mi-hh24:mi` (snapshots, backups), in UTC. Pure helpers used by config validation.
 */

const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const WEEK = 7 * 24 * 60;

const WEEKLY =
  /^(sun|mon|tue|wed|thu|fri|sat):([01]\d|2[0-3]):([0-5]\d)-(sun|mon|tue|wed|thu|fri|sat):([01]\d|2[0-3]):([0-5]\d)$/;
const DAILY = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

/** Half-open minute-of-week intervals [start, end) with 0 <= start < end <= WEEK. */
type Intervals = [number, number][];

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

/** Whether two sets of intervals share at least one minute. */
export function overlaps(a: Intervals, b: Intervals): boolean {
  return a.some(([s1, e1]) => b.some(([s2, e2]) => s1 < e2 && s2 < e1));
}
