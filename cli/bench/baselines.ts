/**
 * What users do today, measured with the same yardsticks as the compiled schedule: static provisioning for the
 * peak, and hand-written cron triggers, one per calendar event, with no lead. Plus an analytic "Ready" coverage:
 * replicas arrive only after the ramp the timing model predicts (`createRampModel`), so a trigger that fires at a
 * window's start leaves the first minutes short. Pure functions; no simulator (test code) involved.
 */
import {
  integrate,
  type CalendarWindow,
  type LoadProfile,
  type NeedSeries,
  type Segment,
} from "../../components/calendar";

/** The scheduled replicas of static provisioning: the series' peak need over the whole horizon. */
export function staticPeakSchedule(series: NeedSeries, from: number, to: number): Segment[] {
  const peak = series.need.reduce((m, s) => Math.max(m, s.replicas), 0);
  return [{ start: from, end: to, replicas: peak }];
}

/**
 * Hand-written triggers: one per window, active over [start, end) at the window's own replicas
 * (clamp(ceil(learners * share / learnersPerReplica), min, max)); KEDA takes the max of active triggers, floored at
 * minReplicas. Overlapping windows are not summed: a person writing one trigger per event does not either.
 */
export function perEventSchedule(
  windows: readonly CalendarWindow[],
  profile: LoadProfile,
  service: string,
  from: number,
  to: number,
): { scheduled: Segment[]; triggers: number } {
  const sizing = profile.services[service];
  const events: Array<[number, number, number]> = []; // time, +1/-1, level
  let triggers = 0;
  for (const w of windows) {
    const share = profile.kinds[w.kind]?.[service] ?? 0;
    if (share <= 0) continue;
    const raw = Math.ceil((w.learners * share) / sizing.learnersPerReplica - 1e-9);
    const level = Math.min(sizing.maxReplicas, Math.max(sizing.minReplicas, raw));
    const start = Math.max(from, w.start);
    const end = Math.min(to, w.end);
    if (end <= start) continue;
    triggers++;
    events.push([start, 1, level], [end, -1, level]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const counts = new Map<number, number>();
  let top = sizing.minReplicas;
  const scheduled: Segment[] = [];
  let t = from;
  const emit = (until: number): void => {
    if (until <= t) return;
    const last = scheduled[scheduled.length - 1];
    if (last !== undefined && last.replicas === top && last.end === t)
      scheduled[scheduled.length - 1] = { ...last, end: until };
    else scheduled.push({ start: t, end: until, replicas: top });
    t = until;
  };
  for (const [time, delta, level] of events) {
    emit(time);
    counts.set(level, (counts.get(level) ?? 0) + delta);
    if (counts.get(level) === 0) counts.delete(level);
    top = Math.max(sizing.minReplicas, ...counts.keys());
  }
  emit(to);
  return { scheduled, triggers };
}

/**
 * The replicas Ready over time when `scheduled` is what the triggers ask for. A rise from a settled level c starts
 * a ramp at that instant: level x is Ready `ramp(c, x)` seconds later, one replica at a time, capped by the
 * scheduled level (a further rise during the ramp continues it; it does not restart it). A fall takes effect at
 * once, which can only flatter excess, never coverage.
 */
export function readySchedule(
  scheduled: readonly Segment[],
  ramp: (from: number, to: number) => number,
): Segment[] {
  const out: Segment[] = [];
  const push = (start: number, end: number, replicas: number): void => {
    if (end <= start) return;
    const last = out[out.length - 1];
    if (last !== undefined && last.replicas === replicas && last.end === start)
      out[out.length - 1] = { ...last, end };
    else out.push({ start, end, replicas });
  };
  let ready = scheduled[0]?.replicas ?? 0;
  let origin: { t: number; from: number } | undefined;
  for (const s of scheduled) {
    if (s.replicas <= ready) {
      ready = s.replicas;
      origin = undefined;
      push(s.start, s.end, ready);
      continue;
    }
    origin ??= { t: s.start, from: ready };
    let t = s.start;
    while (ready < s.replicas) {
      const at = origin.t + ramp(origin.from, ready + 1) * 1000;
      if (at >= s.end) break;
      push(t, Math.max(t, at), ready);
      t = Math.max(t, at);
      ready++;
    }
    push(t, s.end, ready);
    if (ready >= s.replicas) origin = undefined;
  }
  return out;
}

/** ∫ min(need, supply) over [from, to), in replica-minutes (as `integrate`). */
export function coveredIntegral(
  need: readonly Segment[],
  supply: readonly Segment[],
  from: number,
  to: number,
): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  while (i < need.length && j < supply.length) {
    const a = need[i];
    const b = supply[j];
    const start = Math.max(a.start, b.start, from);
    const end = Math.min(a.end, b.end, to);
    if (end > start) sum += ((end - start) * Math.min(a.replicas, b.replicas)) / 60_000;
    if (a.end <= b.end) i++;
    else j++;
  }
  return sum;
}

/** Coverage and excess of a schedule against the need, both over [from, to). */
export function measure(
  need: readonly Segment[],
  scheduled: readonly Segment[],
  ready: readonly Segment[],
  from: number,
  to: number,
): { needed: number; scheduled: number; readyCovered: number } {
  return {
    needed: integrate(need, from, to),
    scheduled: integrate(scheduled, from, to),
    readyCovered: coveredIntegral(need, ready, from, to),
  };
}
