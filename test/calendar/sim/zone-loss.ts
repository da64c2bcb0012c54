/**
 * The zone-loss check, independent of the compiler: given the pods the simulator placed over Z zones, lose the
 * worst zone at an instant t0 of a window and count what is left.
 *
 * Model: at t0 every pod of the lost zone is gone and nothing replaces it (with `minDomains: Z` and
 * `DoNotSchedule`, new pods of the service cannot schedule while a zone is down, see
 * kubernetes/learning-service.ts `staticZoneSpread`). The survivors are the pods of the other zones created
 * before t0; each counts from when it is Ready until the simulator deleted it. The worst zone is the one with the
 * most Ready pods at t0 (every such zone is tried). The requirement: survivors >= need at every instant of the
 * window from t0 on.
 *
 * "At any instant": the survivors of a loss at t0 depend only on which pods exist, are Ready and in which zone at
 * t0, and the span checked, [t0, end), shrinks as t0 grows; so between two consecutive pod events the earliest t0
 * is the worst, and checking t0 at the window's start and at every pod creation, readiness and deletion inside the
 * window covers every instant, not a sample.
 */
import type { CalendarWindow, Segment } from "../../../components/calendar/types";
import type { Pod } from "./simulate";

export interface ZoneLossGap {
  readonly window: CalendarWindow;
  /** The loss instant that leaves the longest shortfall, and the zone lost. */
  readonly t0: number;
  readonly zone: number;
  /** Minutes of the window after t0 with survivors < need. */
  readonly minutes: number;
  /** The deepest shortfall: need and survivors there. */
  readonly need: number;
  readonly survivors: number;
}

/** Minutes of [from, to) where `level` < need, and the deepest point; `level` is a sorted list of +1/-1 events. */
function shortfall(
  need: readonly Segment[],
  events: readonly [number, number][],
  from: number,
  to: number,
): { minutes: number; need: number; survivors: number } {
  const cuts = new Set<number>([from, to]);
  for (const s of need) for (const t of [s.start, s.end]) if (t > from && t < to) cuts.add(t);
  for (const [t] of events) if (t > from && t < to) cuts.add(t);
  const times = [...cuts].sort((a, b) => a - b);
  let level = 0;
  let e = 0;
  let n = 0;
  let ms = 0;
  let worst = { need: 0, survivors: 0, depth: 0 };
  for (let k = 0; k + 1 < times.length; k++) {
    const t = times[k]!;
    while (e < events.length && events[e]![0] <= t) level += events[e++]![1];
    while (n < need.length && need[n]!.end <= t) n++;
    const required = need[n] !== undefined && need[n]!.start <= t ? need[n]!.replicas : 0;
    if (level < required) {
      ms += times[k + 1]! - t;
      if (required - level > worst.depth)
        worst = { need: required, survivors: level, depth: required - level };
    }
  }
  return { minutes: ms / 60_000, need: worst.need, survivors: worst.survivors };
}

/** Survivors of losing `zone` at t0, as sorted +1/-1 events from t0 on. */
function survivorEvents(pods: readonly Pod[], zone: number, t0: number): [number, number][] {
  const events: [number, number][] = [];
  for (const p of pods) {
    if (p.zone === zone || p.createdAt >= t0 || p.deletedAt <= t0) continue;
    const ready = Math.max(p.readyAt, t0);
    if (ready >= p.deletedAt) continue;
    events.push([ready, 1]);
    if (p.deletedAt < Infinity) events.push([p.deletedAt, -1]);
  }
  return events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/**
 * The worst zone loss of each window of the series (clipped to the horizon), where it leaves survivors below the
 * need; windows a zone loss cannot hurt are absent.
 */
export function zoneLossGaps(
  pods: readonly Pod[],
  zones: number,
  need: readonly Segment[],
  windows: readonly CalendarWindow[],
  horizon: { readonly from: number; readonly to: number },
): ZoneLossGap[] {
  const gaps: ZoneLossGap[] = [];
  for (const window of windows) {
    const start = Math.max(window.start, horizon.from);
    const end = Math.min(window.end, horizon.to);
    if (end <= start) continue;
    const live = pods.filter((p) => p.createdAt < end && p.deletedAt > start);
    const candidates = new Set<number>([start]);
    for (const p of live)
      for (const t of [p.createdAt, p.readyAt, p.deletedAt]) if (t > start && t < end) candidates.add(t);
    let worst: ZoneLossGap | undefined;
    for (const t0 of [...candidates].sort((a, b) => a - b)) {
      const ready = new Array<number>(zones).fill(0);
      for (const p of live) if (p.readyAt <= t0 && p.deletedAt > t0) ready[p.zone]!++;
      const most = Math.max(...ready);
      for (let zone = 0; zone < zones; zone++) {
        if (ready[zone] !== most) continue;
        const s = shortfall(need, survivorEvents(live, zone, t0), t0, end);
        if (s.minutes > 0 && (worst === undefined || s.minutes > worst.minutes))
          worst = { window, t0, zone, ...s };
      }
    }
    if (worst !== undefined) gaps.push(worst);
  }
  return gaps;
}
