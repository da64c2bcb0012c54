/**
 * Small hand-made histories and calendars for the backtest tests: a daily rhythm plus windows that add load,
 * deterministic (no randomness unless a seed is given).
 */
import type { CalendarWindow, LoadProfile } from "../../../components/calendar";
import type { History, HistoryPoint } from "../../../components/forecast/types";

export const MONDAY = Date.UTC(2026, 8, 7); // 2026-09-07, a Monday
export const MIN = 60_000;
export const DAY = 1440 * MIN;
export const WEEK = 7 * DAY;

/** A window of `learners` in us-east-1 on [start, start + minutes). */
export function window(
  id: string,
  start: number,
  minutes: number,
  learners: number,
  kind = "lecture",
): CalendarWindow {
  return {
    eventId: id,
    occurrenceId: `${id}@${new Date(start).toISOString()}`,
    summary: id,
    kind,
    region: "us-east-1",
    learners,
    start,
    end: start + minutes * MIN,
    timezone: "America/New_York",
    source: { file: "test.json", index: 0 },
  };
}

/** A lecture every weekday at 14:00 UTC for an hour, `learners` each, over `weeks` weeks. */
export function weekdayLectures(weeks: number, learners: number): CalendarWindow[] {
  const out: CalendarWindow[] = [];
  for (let d = 0; d < weeks * 7; d++) {
    if (d % 7 >= 5) continue;
    out.push(window(`lec-${d}`, MONDAY + d * DAY + 14 * 60 * MIN, 60, learners));
  }
  return out;
}

/** A simple pseudo-random generator (mulberry32) for noisy histories. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface HistoryOptions {
  readonly weeks: number;
  readonly stepMinutes?: number;
  /** Load outside windows at t. @default a daily rhythm 20..60 */
  readonly base?: (t: number) => number;
  /** Load each open window adds per learner. @default 0.5 */
  readonly share?: number;
  readonly windows?: readonly CalendarWindow[];
  readonly noise?: number;
  readonly seed?: number;
  readonly synthetic?: boolean;
  /** Instants [from, to) with no data. */
  readonly gaps?: readonly [number, number][];
}

export const dailyRhythm = (t: number): number =>
  40 - 20 * Math.cos((2 * Math.PI * ((t - MONDAY) % DAY)) / DAY);

/** One us-east-1/api series starting Monday 2026-09-07 00:00 UTC. */
export function makeHistory(options: HistoryOptions): History {
  const step = (options.stepMinutes ?? 5) * MIN;
  const rand = random(options.seed ?? 1);
  const base = options.base ?? dailyRhythm;
  const share = options.share ?? 0.5;
  const points: HistoryPoint[] = [];
  const to = MONDAY + options.weeks * WEEK;
  for (let t = MONDAY; t < to; t += step) {
    if ((options.gaps ?? []).some(([a, b]) => t >= a && t < b)) continue;
    const open = (options.windows ?? []).filter((w) => w.start <= t && t < w.end);
    const load = base(t) + open.reduce((sum, w) => sum + w.learners * share, 0);
    points.push({ time: t, load: Math.max(0, load * (1 + (options.noise ?? 0) * (rand() - 0.5))) });
  }
  return {
    file: "test-history.csv",
    unit: "requests per second",
    synthetic: options.synthetic ?? false,
    stepMs: step,
    series: [{ region: "us-east-1", service: "api", points }],
    from: MONDAY,
    to,
    gaps: [],
  };
}

/** A profile sizing `api` at `learnersPerReplica`, lectures sending `share` of their learners. */
export function apiProfile(learnersPerReplica = 10, share = 0.5): LoadProfile {
  return {
    services: {
      api: { learnersPerReplica, minReplicas: 1, maxReplicas: 200, leadMinutes: 5, tailMinutes: 5 },
    },
    kinds: {
      lecture: { api: share },
      exam: { api: share },
      launch: { api: share },
      enrollment: {},
      live: {},
    },
  };
}
