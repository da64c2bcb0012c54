/**
 * The forms a compiled schedule can take, and the choice between them. KEDA takes the MAX over all of a
 * ScaledObject's triggers, so one object may carry:
 * - dated: date-specific UTC specs (`M H D Mon *`) from the budgeted target;
 * - weekly: day-of-week specs (`M H * * DOW`) in the timetable's zone, from the target folded onto one local week
 *   (the MAX over weeks);
 * - mixed: weekly triggers for the recurring base (the level at least a share of the weeks require at each offset)
 *   plus dated triggers for what that base does not cover: the target wherever it exceeds the unfolded weekly
 *   level, the floor elsewhere. The budget is split between the two.
 * Every candidate's MAX is >= the target at every instant (the dated part covers whatever the weekly part does
 * not), so the cheapest by scheduled replica-ms is emitted.
 */
import type { CronTrigger, Segment } from "../types";
import { CRON_TIMEZONE, isLeapDay, toCronSpec } from "./cron-spec";
import { maxOf, type LevelInterval } from "./skyline";
import { mergeToBudget } from "./merge";
import { integrate } from "../model/steps";
import { WEEK_MS, foldWeeksAtShare, toWeeklyCronSpec } from "./weekly";
import { avoidTransitions, localClock, toLocalSteps, unfoldLocal, type LocalClock } from "./local-time";

/**
 * Every calendar trigger's name starts with this (`cal-001` date-specific, `cal-w001` weekly), and no other
 * trigger of a ScaledObject's does: readers of KEDA's per-trigger metrics (the dashboards) select on it.
 */
export const CALENDAR_TRIGGER_PREFIX = "cal-";

/** @internal Shares of weeks the mixed form's weekly base is tried at (1 would be what every week has; on the bench
 * timetables 1 and 0.75 never won, so they are not tried). */
export const MIXED_SHARES = [0.5, 0.25] as const;
/** @internal Fractions of the budget the mixed form gives its weekly part (0.25 never won on the bench). */
export const MIXED_SPLITS = [0.5, 0.75] as const;

/** @internal The forms a schedule can take. */
export type ScheduleForm = "dated" | "weekly" | "mixed";

/** @internal One form's triggers and their intervals in absolute time over the horizon (what KEDA takes the MAX of). */
export interface Emitted {
  readonly form: ScheduleForm;
  readonly intervals: LevelInterval[];
  readonly triggers: CronTrigger[];
}

/** Date-specific UTC triggers; a start on 29 February moves to 28 February 23:59 (it would recur only in leap years). */
function datedTriggers(chosen: readonly LevelInterval[]): Omit<Emitted, "form"> {
  const intervals = chosen
    .map((iv) => {
      if (!isLeapDay(iv.start)) return iv;
      const d = new Date(iv.start);
      return { ...iv, start: Date.UTC(d.getUTCFullYear(), 1, 28, 23, 59) };
    })
    .sort((a, b) => a.start - b.start || a.level - b.level);
  const triggers = intervals.map((iv, i) => ({
    name: `${CALENDAR_TRIGGER_PREFIX}${String(i + 1).padStart(3, "0")}`,
    timezone: CRON_TIMEZONE,
    start: toCronSpec(iv.start),
    end: toCronSpec(iv.end),
    desiredReplicas: iv.level,
  }));
  return { intervals, triggers };
}

/**
 * Day-of-week triggers in the clock's zone from local week offsets, boundaries moved off DST transitions.
 * Undefined when a trigger would span a whole week: its start and end would fire together, which KEDA treats as
 * always active.
 */
function weeklyTriggers(
  weekly: readonly LevelInterval[],
  clock: LocalClock,
  from: number,
  to: number,
): Omit<Emitted, "form"> | undefined {
  const safe = avoidTransitions(weekly, clock);
  if (safe.some((iv) => iv.end - iv.start >= WEEK_MS)) return undefined;
  const wrap = (offset: number): number => ((offset % WEEK_MS) + WEEK_MS) % WEEK_MS;
  const sorted = [...safe].sort((a, b) => a.start - b.start || a.level - b.level);
  const triggers = sorted.map((iv, i) => ({
    name: `${CALENDAR_TRIGGER_PREFIX}w${String(i + 1).padStart(3, "0")}`,
    timezone: clock.zone,
    start: toWeeklyCronSpec(wrap(iv.start)),
    end: toWeeklyCronSpec(wrap(iv.end)),
    desiredReplicas: iv.level,
  }));
  return { intervals: unfoldLocal(sorted, clock, from, to), triggers };
}

/** The target where it exceeds `base` (both contiguous over the same span), the floor elsewhere. */
function above(target: readonly Segment[], base: readonly Segment[], floor: number): Segment[] {
  const out: Segment[] = [];
  let j = 0;
  for (const s of target) {
    if (s.replicas <= floor) continue;
    for (; j > 0 && base[j]!.start > s.start; j--);
    for (; j < base.length && base[j]!.end <= s.start; j++);
    for (let k = j; k < base.length && base[k]!.start < s.end; k++) {
      const b = base[k]!;
      if (s.replicas > b.replicas)
        out.push({ start: Math.max(s.start, b.start), end: Math.min(s.end, b.end), replicas: s.replicas });
    }
  }
  return out;
}

/** @internal What `cheapestForm` may try besides the dated form. */
export interface FormOptions {
  readonly budget: number;
  readonly horizon: { readonly from: number; readonly to: number };
  /** The zone weekly triggers are written in; undefined: dated only. */
  readonly weeklyZone?: string;
  /**
   * Prefer a recurring form (weekly or mixed) over the dated one whatever it costs, where one exists: placeholders
   * whose service recurs must recur too. @default false
   */
  readonly recurring?: boolean;
}

/**
 * The cheapest of the dated form and, with `weeklyZone` and a horizon of at least a week, the weekly form and the
 * mixed form at each of `MIXED_SHARES` x `MIXED_SPLITS`.
 * @internal
 */
export function cheapestForm(target: readonly Segment[], floor: number, options: FormOptions): Emitted {
  const { budget, horizon } = options;
  const { from, to } = horizon;
  const area = (ivs: readonly LevelInterval[]): number => integrate(maxOf(ivs, floor, from, to), from, to);
  let best: Emitted = { form: "dated", ...datedTriggers(mergeToBudget(target, floor, budget)) };
  let bestArea = area(best.intervals);
  if (options.weeklyZone === undefined || to - from < WEEK_MS) return best;
  const clock = localClock(options.weeklyZone, from, to);
  const local = toLocalSteps(target, clock);
  const [localFrom, localTo] = [clock.toLocal(from, "start"), clock.toLocal(to, "end")];
  const consider = (share: number, weeklyBudget: number): void => {
    const fold = foldWeeksAtShare(local, floor, localFrom, localTo, share);
    const weekly = weeklyTriggers(mergeToBudget(fold, floor, weeklyBudget), clock, from, to);
    if (weekly === undefined || weekly.triggers.length === 0) return;
    const rest = above(target, maxOf(weekly.intervals, floor, from, to), floor);
    const datedBudget = budget - weekly.triggers.length;
    if (rest.length > 0 && datedBudget < 1) return;
    const dated = datedTriggers(rest.length === 0 ? [] : mergeToBudget(rest, floor, datedBudget));
    const candidate: Emitted = {
      form: dated.triggers.length === 0 ? "weekly" : "mixed",
      intervals: [...weekly.intervals, ...dated.intervals],
      triggers: [...weekly.triggers, ...dated.triggers],
    };
    const candidateArea = area(candidate.intervals);
    const displacesDated = options.recurring === true && best.form === "dated";
    if (displacesDated || candidateArea < bestArea) [best, bestArea] = [candidate, candidateArea];
  };
  consider(0, budget);
  for (const share of MIXED_SHARES)
    for (const split of MIXED_SPLITS) consider(share, Math.max(1, Math.round(budget * split)));
  return best;
}
