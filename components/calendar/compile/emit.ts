/**
 * From a target step function to emitted cron triggers: merged to the trigger budget (merge.ts), written as
 * date-specific or weekly UTC specs, each pair validated. The service's schedule and its placeholders'
 * (pre-provision.ts) take this one path.
 */
import type { CompileOptions, CronTrigger, Segment } from "../types";
import { CRON_TIMEZONE, isLeapDay, toCronSpec, validateCronPair } from "./cron-spec";
import { decompose, maxOf, type LevelInterval } from "./skyline";
import { integrate } from "../model/steps";
import { mergeToBudget } from "./merge";
import { WEEK_MS, foldWeekly, toWeeklyCronSpec, unfoldWeekly } from "./weekly";

/**
 * Every calendar trigger's name starts with this (`cal-001` date-specific, `cal-w001` weekly), and no other
 * trigger of a ScaledObject's does: readers of KEDA's per-trigger metrics (the dashboards) select on it.
 */
export const CALENDAR_TRIGGER_PREFIX = "cal-";

/** @internal What `emitTriggers` produces. */
export interface Emitted {
  /** The triggers' intervals in absolute time over the horizon (what KEDA will take the MAX of). */
  readonly intervals: LevelInterval[];
  readonly triggers: CronTrigger[];
  /** Which form the triggers take: date-specific (`M H D Mon *`) or weekly (`M H * * DOW`). */
  readonly form: "dated" | "weekly";
  /** Triggers the exact schedule needs before merging. */
  readonly exactTriggers: number;
}

/**
 * The triggers for `target` above `floor` within the budget. `form`: `cheaper` emits the weekly form when
 * `options.weeklyPatterns` allows it and it schedules fewer replica-minutes; `weekly` emits it whenever it exists
 * (placeholders follow their service's form, so both recur alike after the horizon).
 * @internal
 */
export function emitTriggers(
  target: readonly Segment[],
  floor: number,
  options: Pick<CompileOptions, "triggerBudget" | "horizon" | "weeklyPatterns">,
  form: "cheaper" | "weekly" | "dated" = "cheaper",
): Emitted {
  const { from, to } = options.horizon;
  const dated = datedTriggers(mergeToBudget(target, floor, options.triggerBudget));
  const allowWeekly = form === "weekly" || (form === "cheaper" && options.weeklyPatterns === true);
  const weekly =
    allowWeekly && to - from >= WEEK_MS
      ? weeklyTriggers(mergeToBudget(foldWeekly(target, floor), floor, options.triggerBudget), from, to)
      : undefined;
  const area = (e: { intervals: LevelInterval[] }) =>
    integrate(maxOf(e.intervals, floor, from, to), from, to);
  const useWeekly = weekly !== undefined && (form === "weekly" || area(weekly) < area(dated));
  const chosen = useWeekly ? weekly! : dated;
  for (const t of chosen.triggers) {
    const bad = validateCronPair(t.start, t.end);
    if (bad.length > 0)
      throw new Error(`compileService: internal error, trigger ${t.name}: ${bad.join("; ")}`);
  }
  return { ...chosen, form: useWeekly ? "weekly" : "dated", exactTriggers: decompose(target, floor).length };
}

/** Date-specific UTC triggers; a start on 29 February moves to 28 February 23:59 (it would recur only in leap years). */
function datedTriggers(chosen: readonly LevelInterval[]): Pick<Emitted, "intervals" | "triggers"> {
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
 * Day-of-week UTC triggers from week offsets. Undefined when a trigger would span the whole week: its start and
 * end would fire together, which KEDA treats as always active (the date-specific form is used then).
 */
function weeklyTriggers(
  weekly: readonly LevelInterval[],
  from: number,
  to: number,
): Pick<Emitted, "intervals" | "triggers"> | undefined {
  if (weekly.some((iv) => iv.end - iv.start >= WEEK_MS)) return undefined;
  const sorted = [...weekly].sort((a, b) => a.start - b.start || a.level - b.level);
  const triggers = sorted.map((iv, i) => ({
    name: `${CALENDAR_TRIGGER_PREFIX}w${String(i + 1).padStart(3, "0")}`,
    timezone: CRON_TIMEZONE,
    start: toWeeklyCronSpec(iv.start),
    end: toWeeklyCronSpec(iv.end),
    desiredReplicas: iv.level,
  }));
  return { intervals: unfoldWeekly(sorted, from, to), triggers };
}
