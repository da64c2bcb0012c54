/**
 * Choosing one maintenance or backup window on a week's profile: the slot of the requested length with the lowest
 * planned load among those that meet no critical minute and do not overlap the windows it must avoid. A weekly
 * window recurs every week and a daily one every day, so the profile is already the MAX over every week of the
 * horizon at each minute (and a daily slot is scored over all seven of its days). Pure: no Pulumi, no calendar.
 */
import {
  type Intervals,
  WEEK_MINUTES,
  DAY_MINUTES,
  formatDaily,
  formatWeekly,
  overlaps,
  windowIntervals,
} from "./windows";

/** The week as the chooser sees it, minute by minute from Sunday 00:00 UTC (`WEEK_MINUTES` entries each). */
export interface WeekProfile {
  /** Planned load at each minute: the highest any week of the horizon plans there. */
  readonly load: ArrayLike<number>;
  /** Whether a critical span of any week of the horizon meets that minute. */
  readonly critical: ArrayLike<boolean>;
}

/** A week with no planned load and nothing critical: what the chooser sees with the calendar off. */
export const QUIET_WEEK: WeekProfile = {
  load: new Array<number>(WEEK_MINUTES).fill(0),
  critical: new Array<boolean>(WEEK_MINUTES).fill(false),
};

/** Candidate starts lie on this grid (anchored at the preferred start), minutes. */
export const SLOT_STEP_MINUTES = 15;

export interface SlotRequest {
  readonly period: "weekly" | "daily";
  readonly minutes: number;
  /**
   * Minute of the week (weekly) or of the day (daily) ties are broken from: among equally good slots the first at
   * or after it wins, so a quiet week keeps the static default.
   */
  readonly preferredStart: number;
  /** Minutes of the week the window must not overlap (a partner window). */
  readonly avoid: Intervals;
}

/** How a window fares on a profile. */
export interface SlotScore {
  /** The highest planned load at any of its minutes. */
  readonly peak: number;
  /** Planned load summed over its minutes (load-minutes in one week). */
  readonly total: number;
  /** Its minutes that meet a critical span. */
  readonly criticalMinutes: number;
}

export interface ChosenSlot extends SlotScore {
  /** The window in AWS's format for its period. */
  readonly window: string;
  readonly intervals: Intervals;
}

/** The score of a window's minute-of-week intervals on `profile`. */
export function scoreIntervals(profile: WeekProfile, intervals: Intervals): SlotScore {
  let peak = 0;
  let total = 0;
  let criticalMinutes = 0;
  for (const [start, end] of intervals)
    for (let m = start; m < end; m++) {
      const load = profile.load[m] ?? 0;
      peak = Math.max(peak, load);
      total += load;
      if (profile.critical[m] === true) criticalMinutes++;
    }
  return { peak, total, criticalMinutes };
}

/**
 * The best slot for `request`: clean (no critical minute) before not, then the lowest peak, then the lowest total,
 * then the first from the preferred start. `undefined` when every candidate overlaps `avoid`.
 */
export function chooseSlot(profile: WeekProfile, request: SlotRequest): ChosenSlot | undefined {
  const period = request.period === "weekly" ? WEEK_MINUTES : DAY_MINUTES;
  const format = request.period === "weekly" ? formatWeekly : formatDaily;
  let best: ChosenSlot | undefined;
  for (let offset = 0; offset < period; offset += SLOT_STEP_MINUTES) {
    const window = format(request.preferredStart + offset, request.minutes);
    // Scored from the text AWS receives, so the two cannot disagree.
    const intervals = windowIntervals(request.period, window)!.intervals;
    if (overlaps(intervals, request.avoid)) continue;
    const candidate = { window, intervals, ...scoreIntervals(profile, intervals) };
    if (best === undefined || better(candidate, best)) best = candidate;
  }
  return best;
}

function better(a: SlotScore, b: SlotScore): boolean {
  const clean = (s: SlotScore) => (s.criticalMinutes === 0 ? 0 : 1);
  if (clean(a) !== clean(b)) return clean(a) < clean(b);
  if (a.peak !== b.peak) return a.peak < b.peak;
  if (clean(a) === 1 && a.criticalMinutes !== b.criticalMinutes) return a.criticalMinutes < b.criticalMinutes;
  return a.total < b.total;
}
