/**
 * The need model: how many replicas each service needs in each region while windows are open.
 * need(t) = clamp(ceil(sum of learners * share / learnersPerReplica), minReplicas, maxReplicas) over the windows
 * with start <= t < end; overlapping windows add up; minReplicas where no window is open.
 */
import { DateTime } from "luxon";
import { pushMerged, sumSteps } from "./steps";
import type { CalendarWindow, LoadProfile, NeedSeries, Segment, ServiceProfile } from "../types";

/** What `needSeries` covers. */
export interface NeedOptions {
  /** One series per region and service, in this order. */
  readonly regions: readonly string[];
  /** The series cover [from, to) (epoch ms) exactly. */
  readonly horizon: { readonly from: number; readonly to: number };
}

/**
 * `Math.ceil` that ignores float noise: 0.1 + 0.2 learners-per-replica sums must not add a replica, so values
 * within a relative 1e-9 above an integer round down to it.
 */
export function ceilReplicas(x: number): number {
  return Math.ceil(x - 1e-9 * Math.max(1, Math.abs(x)));
}

function share(profile: LoadProfile, kind: string, service: string): number {
  return profile.kinds[kind]?.[service] ?? 0;
}

/** Unclamped replicas (ceil of load / learnersPerReplica) of one service over the given windows. */
export function demandSteps(
  windows: readonly CalendarWindow[],
  profile: LoadProfile,
  service: string,
  horizon: NeedOptions["horizon"],
): Segment[] {
  const sizing = profile.services[service];
  const load = sumSteps(
    windows.map((w) => ({
      start: Math.max(w.start, horizon.from),
      end: Math.min(w.end, horizon.to),
      weight: w.learners * share(profile, w.kind, service),
    })),
  );
  const segments: Segment[] = [];
  for (const s of load)
    pushMerged(segments, { ...s, replicas: ceilReplicas(s.replicas / sizing.learnersPerReplica) });
  return segments;
}

function clamp(replicas: number, sizing: ServiceProfile): number {
  return Math.min(sizing.maxReplicas, Math.max(sizing.minReplicas, replicas));
}

/** The need of every region x profile service (profile order) over the whole horizon. */
export function needSeries(
  windows: readonly CalendarWindow[],
  profile: LoadProfile,
  options: NeedOptions,
): NeedSeries[] {
  const { from, to } = options.horizon;
  return options.regions.flatMap((region) =>
    Object.entries(profile.services).map(([service, sizing]) => {
      const contributing = windows.filter(
        (w) => w.region === region && share(profile, w.kind, service) > 0 && w.start < to && w.end > from,
      );
      const need: Segment[] = [];
      let t = from;
      for (const s of demandSteps(contributing, profile, service, options.horizon)) {
        pushMerged(need, { start: t, end: s.start, replicas: sizing.minReplicas });
        pushMerged(need, { start: s.start, end: s.end, replicas: clamp(s.replicas, sizing) });
        t = s.end;
      }
      pushMerged(need, { start: t, end: to, replicas: sizing.minReplicas });
      return { region, service, need, windows: contributing };
    }),
  );
}

function local(instant: number, zone: string, format: string): string {
  return DateTime.fromMillis(instant, { zone }).toFormat(format);
}

/**
 * One warning per window of the series during which the unclamped need (of all windows open at that time)
 * exceeds the service's maxReplicas, naming the window and the shortfall at its peak.
 */
export function shortfallWarnings(series: NeedSeries, profile: LoadProfile): string[] {
  const sizing = profile.services[series.service];
  const horizon = { from: -Infinity, to: Infinity };
  const demand = demandSteps(series.windows, profile, series.service, horizon);
  return series.windows.flatMap((w) => {
    const peak = Math.max(
      0,
      ...demand.filter((s) => s.start < w.end && s.end > w.start).map((s) => s.replicas),
    );
    if (peak <= sizing.maxReplicas) return [];
    const sameDay = local(w.start, w.timezone, "yyyy-MM-dd") === local(w.end, w.timezone, "yyyy-MM-dd");
    const when = `${local(w.start, w.timezone, "yyyy-MM-dd HH:mm")}–${local(w.end, w.timezone, sameDay ? "HH:mm" : "yyyy-MM-dd HH:mm")} ${w.timezone}`;
    return [
      `${series.service} in ${series.region}: "${w.summary}" (${w.occurrenceId}, ${when}) needs ${peak} replicas ` +
        `at its peak but maxReplicas is ${sizing.maxReplicas}: short by ${peak - sizing.maxReplicas} replicas`,
    ];
  });
}
