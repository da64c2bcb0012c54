/**
 * Zonal autoshift practice runs kept away from learners, as pure functions over the calendar's busy spans.
 *
 * What ARC accepts (the ARC Zonal Shift API model, aws-sdk-js-v3 `codegen/sdk-codegen/aws-models/arc-zonal-shift.json`:
 * shapes `AllowedWindow`, `AllowedWindows`, `BlockedDate`, `BlockedDates`, `OutcomeAlarms`; and its
 * `CreatePracticeRunConfiguration` documentation):
 * - `allowedWindows`: at most 15, each `Day:HH:MM-Day:HH:MM` (19 characters, `Mon`..`Sun`), UTC, and each must start
 *   and end on the same day. ARC only *starts* practice runs inside them.
 * - `blockedDates`: at most 15, `YYYY-MM-DD` (UTC); no practice run starts on those dates.
 * - `outcomeAlarms`: 1 to 10 CloudWatch alarms.
 * - A practice run lasts 30 minutes (`CancelPracticeRunResponse.expiryTime`: "30 minutes from the time when you
 *   start the practice run"), so a window must end that long before anything it must not touch.
 */

/** ARC's limits on a practice-run configuration (see the file comment). */
export const PRACTICE_RUN_LIMITS = {
  maxAllowedWindows: 15,
  maxBlockedDates: 15,
  maxOutcomeAlarms: 10,
  /** How long one practice run shifts traffic away. */
  practiceRunMinutes: 30,
} as const;

/** ARC's day names, Monday first. */
export const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
const WEEK_MINUTES = 7 * 1440;

/** One weekly window: a day and minutes of that day, `[startMinute, endMinute)`, UTC. */
export interface WeeklyWindow {
  readonly day: Weekday;
  readonly startMinute: number;
  readonly endMinute: number;
}

const WINDOW =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun):([0-9]{2}):([0-9]{2})-(Mon|Tue|Wed|Thu|Fri|Sat|Sun):([0-9]{2}):([0-9]{2})$/;

/**
 * Parses ARC's `Day:HH:MM-Day:HH:MM`. `undefined` when the text is not that format, names an impossible time, spans
 * two days (ARC refuses those) or ends before it starts.
 */
export function parseWeeklyWindow(text: string): WeeklyWindow | undefined {
  const m = WINDOW.exec(text);
  if (!m) return undefined;
  const [, d1, h1, m1, d2, h2, m2] = m as unknown as [
    string,
    Weekday,
    string,
    string,
    Weekday,
    string,
    string,
  ];
  const start = Number(h1) * 60 + Number(m1);
  const end = Number(h2) * 60 + Number(m2);
  if (d1 !== d2 || Number(h1) > 23 || Number(h2) > 23 || Number(m1) > 59 || Number(m2) > 59) return undefined;
  if (end <= start) return undefined;
  return { day: d1, startMinute: start, endMinute: end };
}

/** Formats a window the way ARC takes it. The end of the day is written `23:59` (a window cannot reach 24:00). */
export function formatWeeklyWindow(w: WeeklyWindow): string {
  const hhmm = (minute: number) => {
    const m = Math.min(minute, 1439);
    return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
  };
  return `${w.day}:${hhmm(w.startMinute)}-${w.day}:${hhmm(w.endMinute)}`;
}

/** Monday-based weekday index of an instant (1970-01-01 was a Thursday). */
function weekdayIndex(instant: number): number {
  return (((Math.floor(instant / DAY) + 3) % 7) + 7) % 7;
}

/** The Monday 00:00 UTC at or before `instant`. */
function weekStart(instant: number): number {
  const dayStart = Math.floor(instant / DAY) * DAY;
  return dayStart - weekdayIndex(instant) * DAY;
}

/** One occurrence of a weekly window. */
export interface WindowOccurrence {
  readonly window: string;
  /** Epoch ms UTC, inclusive. */
  readonly start: number;
  /** Epoch ms UTC, exclusive. */
  readonly end: number;
}

/**
 * Every occurrence of the weekly windows that overlaps `[horizon.from, horizon.to)`, sorted by start (GameDays use
 * this to stay out of practice runs). Unparseable windows are skipped; `practiceRunConflicts` reports them.
 */
export function weeklyWindowInstants(
  windows: readonly string[],
  horizon: { readonly from: number; readonly to: number },
): WindowOccurrence[] {
  const out: WindowOccurrence[] = [];
  for (const text of windows) {
    const w = parseWeeklyWindow(text);
    if (!w) continue;
    const offset = WEEKDAYS.indexOf(w.day) * DAY;
    for (let week = weekStart(horizon.from); week < horizon.to; week += 7 * DAY) {
      const start = week + offset + w.startMinute * MINUTE;
      const end = week + offset + w.endMinute * MINUTE;
      if (end > horizon.from && start < horizon.to) out.push({ window: text, start, end });
    }
  }
  return out.sort((a, b) => a.start - b.start || a.window.localeCompare(b.window));
}

/** A span to keep practice runs away from (a calendar busy interval, or just its times). */
export interface Span {
  readonly start: number;
  readonly end: number;
  /** Names for messages (calendar occurrence ids). @default [] */
  readonly occurrences?: readonly string[];
}

/** Planned load over time (for example the sum of the region's scheduled replicas). */
export interface LoadSegment {
  readonly start: number;
  readonly end: number;
  readonly value: number;
}

export interface PracticeRunWindowOptions {
  /** How long a practice run lasts after it starts. @default 30 (ARC's) */
  readonly practiceRunMinutes?: number;
  /** The shortest window worth offering ARC. @default 120 */
  readonly minimumWindowMinutes?: number;
  /** At most this many windows. @default 15 (ARC's maximum) */
  readonly maxWindows?: number;
  /** Granularity of the search; divides a day. @default 30 */
  readonly slotMinutes?: number;
  /** Planned load, to prefer the quietest windows. @default none (every free window scores 0) */
  readonly load?: readonly LoadSegment[];
}

export interface PracticeRunWindows {
  /** ARC `allowedWindows`, in week order (Monday first). Empty when no window is free. */
  readonly windows: string[];
  /** The free time the windows allow per week, minutes. */
  readonly allowedMinutesPerWeek: number;
}

/**
 * The weekly UTC windows in which a practice run may start so that it (start to start + run length) meets no busy
 * span on any day of the horizon: a weekly slot is free only if it is free in every week the horizon covers.
 * Free slots of one day join into windows; windows shorter than `minimumWindowMinutes` are dropped; of the rest the
 * `maxWindows` with the lowest mean planned load are kept. Pure.
 */
export function practiceRunWindows(
  busy: readonly Span[],
  horizon: { readonly from: number; readonly to: number },
  options: PracticeRunWindowOptions = {},
): PracticeRunWindows {
  const run = (options.practiceRunMinutes ?? PRACTICE_RUN_LIMITS.practiceRunMinutes) * MINUTE;
  const minimum = options.minimumWindowMinutes ?? 120;
  const maxWindows = options.maxWindows ?? PRACTICE_RUN_LIMITS.maxAllowedWindows;
  const slotMinutes = options.slotMinutes ?? 30;
  if (!Number.isInteger(slotMinutes) || slotMinutes <= 0 || 1440 % slotMinutes !== 0)
    throw new Error(`practiceRunWindows: slotMinutes must divide a day, got ${slotMinutes}`);
  const slot = slotMinutes * MINUTE;
  const slotsPerWeek = WEEK_MINUTES / slotMinutes;
  const blocked = new Uint8Array(slotsPerWeek);
  const load = new Float64Array(slotsPerWeek);
  const spans = [...busy].sort((a, b) => a.start - b.start);
  const loads = options.load ?? [];

  // Every slot occurrence whose start lies in the horizon.
  for (let t = Math.ceil(horizon.from / slot) * slot; t < horizon.to; t += slot) {
    const k = Math.floor((t - weekStart(t)) / MINUTE / slotMinutes);
    // A run starting anywhere in [t, t + slot) occupies up to t + slot + run.
    if (spans.some((b) => b.start < t + slot + run && t < b.end)) blocked[k] = 1;
    for (const l of loads) {
      const overlap = Math.min(l.end, t + slot) - Math.max(l.start, t);
      if (overlap > 0) load[k] = load[k]! + (l.value * overlap) / slot;
    }
  }

  const candidates: { day: number; from: number; to: number; score: number }[] = [];
  const perDay = 1440 / slotMinutes;
  for (let day = 0; day < 7; day++) {
    let k = 0;
    while (k < perDay) {
      if (blocked[day * perDay + k]) {
        k++;
        continue;
      }
      const from = k;
      let sum = 0;
      while (k < perDay && !blocked[day * perDay + k]) sum += load[day * perDay + k++]!;
      if ((k - from) * slotMinutes >= minimum) candidates.push({ day, from, to: k, score: sum / (k - from) });
    }
  }
  const kept = candidates
    .sort((a, b) => a.score - b.score || a.day - b.day || a.from - b.from)
    .slice(0, maxWindows)
    .sort((a, b) => a.day - b.day || a.from - b.from);
  const windows = kept.map((c) =>
    formatWeeklyWindow({
      day: WEEKDAYS[c.day]!,
      startMinute: c.from * slotMinutes,
      endMinute: c.to * slotMinutes,
    }),
  );
  // The last slot of a day is written as ending 23:59: count what ARC is really given.
  const allowedMinutesPerWeek = windows.reduce((sum, text) => {
    const w = parseWeeklyWindow(text)!;
    return sum + w.endMinute - w.startMinute;
  }, 0);
  return { windows, allowedMinutesPerWeek };
}

/** `YYYY-MM-DD` of an instant, UTC. */
export function utcDate(instant: number): string {
  return new Date(instant).toISOString().slice(0, 10);
}

export interface ExamBlockedDates {
  /** The earliest dates, at most the limit, sorted. */
  readonly dates: string[];
  /** Exam dates past the limit, sorted: ARC does not block them; the allowed windows still keep runs out. */
  readonly omitted: string[];
  /** The first instant no blocked date protects (start of the first omitted date); `undefined` when none is omitted. */
  readonly protectedUntil: number | undefined;
}

/**
 * Every UTC date an exam span touches (from its start's date to the date of its last millisecond), from the
 * horizon's first day on; the earliest `limit` of them. Pure.
 */
export function examBlockedDates(
  exams: readonly Span[],
  horizon: { readonly from: number },
  limit: number = PRACTICE_RUN_LIMITS.maxBlockedDates,
): ExamBlockedDates {
  const first = Math.floor(horizon.from / DAY) * DAY;
  const dates = new Set<string>();
  for (const e of exams) {
    for (let d = Math.max(first, Math.floor(e.start / DAY) * DAY); d < e.end; d += DAY) dates.add(utcDate(d));
  }
  const sorted = [...dates].sort();
  const omitted = sorted.slice(limit);
  return {
    dates: sorted.slice(0, limit),
    omitted,
    protectedUntil: omitted.length > 0 ? Date.parse(`${omitted[0]!}T00:00:00Z`) : undefined,
  };
}

/** A practice-run configuration as ARC receives it. */
export interface PracticeRunSettings {
  /** `undefined` or empty: ARC may start a run at any time not blocked. */
  readonly allowedWindows?: readonly string[];
  readonly blockedDates?: readonly string[];
}

/**
 * Every way `settings` lets a practice run meet an exam span within the horizon, as messages naming the exam:
 * an allowed window whose occurrence (plus the run's length) meets an exam, an exam date among the first
 * `maxBlockedDates` missing from `blockedDates` (without allowed windows, every exam date must be blocked), and
 * settings ARC would refuse (format, counts). Empty when the settings are safe. Pure.
 */
export function practiceRunConflicts(
  settings: PracticeRunSettings,
  exams: readonly Span[],
  horizon: { readonly from: number; readonly to: number },
  options: { readonly practiceRunMinutes?: number } = {},
): string[] {
  const run = (options.practiceRunMinutes ?? PRACTICE_RUN_LIMITS.practiceRunMinutes) * MINUTE;
  const allowed = settings.allowedWindows ?? [];
  const blocked = new Set(settings.blockedDates ?? []);
  const problems: string[] = [];
  const name = (e: Span) =>
    e.occurrences?.length ? e.occurrences.join(", ") : `${new Date(e.start).toISOString()}`;
  if (allowed.length > PRACTICE_RUN_LIMITS.maxAllowedWindows)
    problems.push(
      `${allowed.length} allowed windows: ARC takes at most ${PRACTICE_RUN_LIMITS.maxAllowedWindows}`,
    );
  if (blocked.size > PRACTICE_RUN_LIMITS.maxBlockedDates)
    problems.push(`${blocked.size} blocked dates: ARC takes at most ${PRACTICE_RUN_LIMITS.maxBlockedDates}`);
  for (const w of allowed)
    if (!parseWeeklyWindow(w)) problems.push(`allowed window ${w}: not Day:HH:MM-Day:HH:MM within one day`);
  for (const d of blocked)
    if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(d)) problems.push(`blocked date ${d}: not YYYY-MM-DD`);

  for (const o of weeklyWindowInstants(allowed, horizon)) {
    for (const e of exams) {
      if (e.start < o.end + run && o.start < e.end)
        problems.push(
          `practice-run window ${o.window} on ${utcDate(o.start)} meets exam ${name(e)} (a run may start until ${new Date(o.end).toISOString()} and lasts ${run / MINUTE} min)`,
        );
    }
  }
  const expected = examBlockedDates(exams, horizon);
  for (const date of expected.dates) {
    if (blocked.has(date)) continue;
    const exam = exams.find((e) => utcDate(e.start) <= date && date <= utcDate(e.end - 1))!;
    problems.push(`exam ${name(exam)} on ${date} is not a blocked date`);
  }
  if (allowed.length === 0 && expected.omitted.length > 0)
    problems.push(
      `exam dates ${expected.omitted.join(", ")} are past ARC's ${PRACTICE_RUN_LIMITS.maxBlockedDates} blocked dates and no allowed windows keep runs out`,
    );
  return problems;
}
