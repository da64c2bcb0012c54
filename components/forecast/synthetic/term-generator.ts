/**
 * A seeded generator of a realistic university term in three regions, for the benchmark and for tests that need
 * a calendar of realistic size: thousands of course sections meeting weekly in each region's local time, a
 * reading week, two exam weeks with large exams, MOOC launches and enrollment days. The default term (September
 * to December 2026) spans the end of daylight saving time in London (25 Oct) and New York (1 Nov); Tokyo has none.
 *
 * Deterministic: the same options give the same windows, in the same order, on every machine.
 */
import { DateTime } from "luxon";
import type { CalendarWindow, LoadProfile } from "../../calendar";
import { DAY_MS, throwIfProblems, type Problem } from "../../core";

/** A region of the generated term and the zone its courses are written in. */
export interface TermRegion {
  readonly region: string;
  readonly timezone: string;
  /** Share of all sections taught in this region. */
  readonly share: number;
}

export interface TermOptions {
  /**
   * Seed of the pseudo-random generator.
   * @default 1
   */
  readonly seed?: number;
  /**
   * Course sections over all regions.
   * @default 2400
   */
  readonly sections?: number;
  /**
   * First day of teaching (a Monday), `YYYY-MM-DD`.
   * @default "2026-09-07"
   */
  readonly termStart?: string;
  /**
   * The regions and their zones.
   * @default us-east-1 America/New_York 45%, eu-west-2 Europe/London 35%, ap-northeast-1 Asia/Tokyo 20%
   */
  readonly regions?: readonly TermRegion[];
}

/** The generated term: windows sorted by start, and the horizon that covers them. */
export interface Term {
  readonly windows: readonly CalendarWindow[];
  /** From the first enrollment day to the end of the second exam week, epoch ms UTC. */
  readonly horizon: { readonly from: number; readonly to: number };
  readonly regions: readonly TermRegion[];
}

export const DEFAULT_TERM_REGIONS: readonly TermRegion[] = [
  { region: "us-east-1", timezone: "America/New_York", share: 0.45 },
  { region: "eu-west-2", timezone: "Europe/London", share: 0.35 },
  { region: "ap-northeast-1", timezone: "Asia/Tokyo", share: 0.2 },
];

/**
 * The load profile the benchmark compiles the term with: every kind reaches the API, lectures and launches stream
 * video, exams hit the assessment service.
 */
export const TERM_PROFILE: LoadProfile = {
  services: {
    api: { learnersPerReplica: 120, minReplicas: 2, maxReplicas: 400, leadMinutes: 10, tailMinutes: 10 },
    video: { learnersPerReplica: 60, minReplicas: 2, maxReplicas: 400, leadMinutes: 5, tailMinutes: 10 },
    assessment: {
      learnersPerReplica: 80,
      minReplicas: 1,
      maxReplicas: 300,
      leadMinutes: 15,
      tailMinutes: 15,
    },
  },
  kinds: {
    lecture: { api: 1, video: 0.7 },
    exam: { api: 1, assessment: 1 },
    launch: { api: 1, video: 1 },
    enrollment: { api: 1 },
    live: { api: 1, video: 1 },
  },
};

/** Teaching weeks are 1-6 and 8-12 (week 7 is reading week); weeks 13 and 14 are exam weeks. */
const READING_WEEK = 7;
const EXAM_WEEKS = [13, 14] as const;
const WEEKS = 14;

/** sfc32: small, fast and good enough for workload synthesis; seeded through splitmix32 so any integer works. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}

function pick<T>(rnd: () => number, weighted: ReadonlyArray<readonly [T, number]>): T {
  const total = weighted.reduce((sum, [, w]) => sum + w, 0);
  let x = rnd() * total;
  for (const [value, w] of weighted) {
    x -= w;
    if (x < 0) return value;
  }
  return weighted[weighted.length - 1][0];
}

function int(rnd: () => number, min: number, max: number): number {
  return min + Math.floor(rnd() * (max - min + 1));
}

/** Start hours of classes: mornings and early afternoons dominate, evening classes exist. */
const START_HOURS: ReadonlyArray<readonly [number, number]> = [
  [8, 6],
  [9, 12],
  [10, 14],
  [11, 13],
  [12, 8],
  [13, 12],
  [14, 11],
  [15, 9],
  [16, 6],
  [17, 4],
  [18, 3],
  [19, 2],
];
const DURATIONS: ReadonlyArray<readonly [number, number]> = [
  [50, 40],
  [75, 22],
  [80, 10],
  [110, 10],
  [120, 8],
  [150, 6],
  [180, 4],
];
/** Weekday patterns (1 = Monday): Mon/Wed/Fri, Tue/Thu, Mon/Wed, one day a week. */
const PATTERNS: ReadonlyArray<readonly [readonly number[], number]> = [
  [[1, 3, 5], 25],
  [[2, 4], 30],
  [[1, 3], 15],
  [[1], 6],
  [[2], 6],
  [[3], 6],
  [[4], 6],
  [[5], 6],
];

interface Builder {
  readonly region: TermRegion;
  readonly out: CalendarWindow[];
}

function addWindow(
  b: Builder,
  eventId: string,
  summary: string,
  kind: string,
  learners: number,
  local: DateTime,
  minutes: number,
): void {
  const start = local.toMillis();
  b.out.push({
    eventId,
    occurrenceId: `${eventId}@${new Date(start).toISOString()}`,
    summary,
    kind,
    region: b.region.region,
    learners,
    start,
    end: start + minutes * 60_000,
    timezone: b.region.timezone,
    source: { file: "term-generator" },
  });
}

/** Learners per section: most sections are small, a few lectures are very large (roughly log-uniform 30..400). */
function sectionSize(rnd: () => number): number {
  return Math.round(30 * Math.pow(400 / 30, Math.pow(rnd(), 1.6)));
}

/** Generates the term. */
export function generateTerm(options: TermOptions = {}): Term {
  const seed = options.seed ?? 1;
  const sections = options.sections ?? 2400;
  const regions = options.regions ?? DEFAULT_TERM_REGIONS;
  const termStart = options.termStart ?? "2026-09-07";
  const problems: Problem[] = [];
  if (!Number.isInteger(sections) || sections < 1)
    problems.push({ path: "sections", value: sections, rule: "must be a positive integer" });
  const startDay = DateTime.fromISO(termStart, { zone: "UTC" });
  if (!startDay.isValid || startDay.weekday !== 1)
    problems.push({ path: "termStart", value: termStart, rule: "must be a Monday as YYYY-MM-DD" });
  if (regions.length === 0)
    problems.push({ path: "regions", value: regions, rule: "must name at least one region" });
  throwIfProblems("generateTerm options", problems);

  const rnd = seededRandom(seed);
  const windows: CalendarWindow[] = [];
  const totalShare = regions.reduce((sum, r) => sum + r.share, 0);
  let remaining = sections;

  regions.forEach((region, index) => {
    const b: Builder = { region, out: windows };
    const count =
      index === regions.length - 1 ? remaining : Math.round((sections * region.share) / totalShare);
    remaining -= count;
    // Zone conversions are the slow part: memoize local day and wall time (a term has few distinct ones).
    const days = new Map<number, DateTime>();
    const day = (week: number, weekday: number): DateTime => {
      const offset = (week - 1) * 7 + (weekday - 1);
      let d = days.get(offset);
      if (d === undefined) {
        d = DateTime.fromObject(
          { year: startDay.year, month: startDay.month, day: startDay.day },
          { zone: region.timezone },
        ).plus({ days: offset });
        days.set(offset, d);
      }
      return d;
    };
    const times = new Map<string, DateTime>();
    const at = (d: DateTime, hour: number, minute = 0): DateTime => {
      const k = `${d.toMillis()}:${hour}:${minute}`;
      let t = times.get(k);
      if (t === undefined) {
        t = d.set({ hour, minute });
        times.set(k, t);
      }
      return t;
    };

    // Enrollment: the Thursday and Friday before term and the first Monday (add/drop), office hours.
    for (const [week, weekday] of [
      [0, 4],
      [0, 5],
      [1, 1],
    ] as const) {
      const d = day(week, weekday);
      addWindow(
        b,
        `${region.region}-enrollment-${d.toISODate()}`,
        "Enrollment",
        "enrollment",
        int(rnd, 1500, 4000),
        at(d, 9),
        8 * 60,
      );
    }

    // MOOC launches: three per region, at a local evening or lunchtime, with thousands of learners.
    for (let i = 0; i < 3; i++) {
      const week = pick(rnd, [
        [1, 3],
        [4, 2],
        [READING_WEEK, 3],
        [9, 2],
      ] as const);
      const d = day(week, int(rnd, 1, 5));
      addWindow(
        b,
        `${region.region}-mooc-${i + 1}`,
        `MOOC launch ${i + 1}`,
        "launch",
        int(rnd, 3000, 9000),
        at(
          d,
          pick(rnd, [
            [12, 1],
            [18, 2],
            [19, 2],
          ] as const),
        ),
        4 * 60,
      );
    }

    // Live events: a weekly town hall on Wednesdays at 17:00 in teaching weeks.
    for (let week = 1; week <= 12; week++) {
      if (week === READING_WEEK) continue;
      const d = day(week, 3);
      addWindow(b, `${region.region}-townhall`, "Town hall", "live", int(rnd, 300, 1200), at(d, 17), 60);
    }

    // Exam slots: 09:00, 13:30 and 17:00 local on weekdays of both exam weeks.
    const slots = EXAM_WEEKS.flatMap((week) =>
      [1, 2, 3, 4, 5].flatMap((weekday) =>
        [
          [9, 0],
          [13, 30],
          [17, 0],
        ].map(([h, m]) => at(day(week, weekday), h, m)),
      ),
    );

    for (let s = 0; s < count; s++) {
      const code = `${region.region}-C${String(s + 1).padStart(4, "0")}`;
      const learners = sectionSize(rnd);
      const pattern = pick(rnd, PATTERNS);
      const hour = pick(rnd, START_HOURS);
      const minute = rnd() < 0.3 ? 30 : 0;
      const minutes = pick(rnd, DURATIONS);
      for (let week = 1; week <= 12; week++) {
        if (week === READING_WEEK) continue;
        for (const weekday of pattern) {
          addWindow(
            b,
            code,
            `Section ${code}`,
            "lecture",
            learners,
            at(day(week, weekday), hour, minute),
            minutes,
          );
        }
      }
      // One final exam per section; large sections sit in the same slots, which makes the exam peaks.
      const slot = slots[int(rnd, 0, slots.length - 1)];
      addWindow(b, `${code}-exam`, `Exam ${code}`, "exam", learners, slot, learners > 150 ? 180 : 120);
    }
  });

  windows.sort((a, b) => a.start - b.start || (a.occurrenceId < b.occurrenceId ? -1 : 1));
  const from = Math.floor(windows[0].start / DAY_MS) * DAY_MS;
  const lastExamDay = startDay.plus({ days: (WEEKS - 1) * 7 + 5 });
  const to = Math.max(
    lastExamDay.toMillis() + DAY_MS,
    Math.ceil(windows[windows.length - 1].end / DAY_MS) * DAY_MS,
  );
  return { windows, horizon: { from, to }, regions };
}
