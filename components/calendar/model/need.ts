/**
 * The need model: how many replicas each service needs in each region while windows are open.
 * need(t) = clamp(ceil(sum of learners * share / learnersPerReplica), minReplicas, maxReplicas) over the windows
 * with start <= t < end; overlapping windows add up; minReplicas where no window is open. With a learned baseline,
 * its forecast load (at the chosen quantile) is added to the sum before rounding: the baseline keeps running
 * during a window, so the two add up rather than one replacing the other.
 */
import { DateTime } from "luxon";
import { pushMerged, sumSteps, type WeightedInterval } from "./steps";
import { zoneLossHeadroom } from "./headroom";
import type { CalendarWindow, LoadProfile, NeedSeries, Segment, ServiceProfile } from "../types";

/** @internal What `needSeries` covers. */
export interface NeedOptions {
  /** One series per region and service, in this order. */
  readonly regions: readonly string[];
  /** The series cover [from, to) (epoch ms) exactly. */
  readonly horizon: { readonly from: number; readonly to: number };
  /**
   * Static stability: the zones a service spreads over in a region (its windows get zone-loss headroom), or
   * undefined for none. @default - the profile's `zoneSpread.zones` of each service
   */
  readonly zones?: (region: string, service: string) => number | undefined;
  /**
   * The learned baseline's forecast of a region's service in fractional replicas over the horizon (see
   * `forecastReplicas`), added to the windows before rounding. @default - none: the calendar alone
   */
  readonly forecast?: (region: string, service: string) => NeedSeries["forecast"];
}

/**
 * `Math.ceil` that ignores float noise: 0.1 + 0.2 learners-per-replica sums must not add a replica, so values
 * within a relative 1e-9 above an integer round down to it.
 * @internal
 */
export function ceilReplicas(x: number): number {
  return Math.ceil(x - 1e-9 * Math.max(1, Math.abs(x)));
}

function share(profile: LoadProfile, kind: string, service: string): number {
  return profile.kinds[kind]?.[service] ?? 0;
}

/** @internal Replicas (fractional, before rounding) a window needs of one service. */
export type WindowWeight = (window: CalendarWindow) => number;

/** @internal Weights from a load profile: learners * share(kind, service) / learnersPerReplica; unknown kinds weigh 0. */
export function weightsFromProfile(profile: LoadProfile, service: string): WindowWeight {
  const lpr = profile.services[service]?.learnersPerReplica ?? NaN;
  return (w) => (w.learners * share(profile, w.kind, service)) / lpr;
}

/** @internal A service's replica bounds: the profile's, or the stack's when compiling for a stack. */
export type ReplicaBounds = Pick<ServiceProfile, "minReplicas" | "maxReplicas">;

/**
 * Unclamped replicas over weighted intervals: ceil of the sum of the weights open at each instant. This is the one
 * sum of overlapping windows: the need below and the compiler's required schedule (windows with lead and tail)
 * both come from it.
 * @internal
 */
export function replicaSteps(intervals: readonly WeightedInterval[]): Segment[] {
  const segments: Segment[] = [];
  for (const s of sumSteps(intervals)) pushMerged(segments, { ...s, replicas: ceilReplicas(s.replicas) });
  return segments;
}

/**
 * `replicaSteps` clamped to the bounds over exactly [from, to): contiguous, `minReplicas` where no interval is
 * open, intervals clipped to the horizon.
 * @internal
 */
export function levelSteps(
  intervals: readonly WeightedInterval[],
  bounds: ReplicaBounds,
  horizon: NeedOptions["horizon"],
): Segment[] {
  const { from, to } = horizon;
  const clipped = intervals.map((i) => ({ ...i, start: Math.max(i.start, from), end: Math.min(i.end, to) }));
  const out: Segment[] = [];
  let t = from;
  for (const s of sumSteps(clipped)) {
    const level = Math.min(bounds.maxReplicas, Math.max(bounds.minReplicas, ceilReplicas(s.replicas)));
    pushMerged(out, { start: t, end: s.start, replicas: bounds.minReplicas });
    pushMerged(out, { ...s, replicas: level });
    t = s.end;
  }
  pushMerged(out, { start: t, end: to, replicas: bounds.minReplicas });
  return out;
}

/** The windows as weighted intervals of one service (their own start and end). */
function weighted(windows: readonly CalendarWindow[], weight: WindowWeight): WeightedInterval[] {
  return windows.map((w) => ({ start: w.start, end: w.end, weight: weight(w) }));
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
      const weight = weightsFromProfile(profile, service);
      const forecast = options.forecast?.(region, service);
      const intervals = [...weighted(contributing, weight), ...(forecast?.replicas ?? [])];
      const need = levelSteps(intervals, sizing, options.horizon);
      const zones = options.zones ? options.zones(region, service) : sizing.zoneSpread?.zones;
      return {
        region,
        service,
        need,
        windows: contributing,
        ...(zones !== undefined ? { zones } : {}),
        ...(forecast !== undefined ? { forecast } : {}),
      };
    }),
  );
}

function local(instant: number, zone: string, format: string): string {
  return DateTime.fromMillis(instant, { zone }).toFormat(format);
}

/** @internal A window during which the unclamped need of its series (every window open then) exceeds `maxReplicas`. */
export interface Shortfall {
  readonly region: string;
  readonly service: string;
  readonly window: CalendarWindow;
  /** The unclamped need at the window's peak (with its zone-loss headroom when `zones` is set). */
  readonly peak: number;
  readonly maxReplicas: number;
  /** Static stability: the zones the peak's headroom is for. @default - none (the need alone) */
  readonly zones?: number;
  /** With `zones`: the peak need before the headroom. */
  readonly need?: number;
}

/**
 * @internal Every window of the series whose peak need exceeds the series' maxReplicas (the bounds it was
 * modelled with); with static stability (`series.zones`), whose peak need with its zone-loss headroom does.
 */
export function shortfalls(series: NeedSeries, profile: LoadProfile): Shortfall[] {
  const { maxReplicas, minReplicas } = profile.services[series.service];
  const demand = replicaSteps([
    ...weighted(series.windows, weightsFromProfile(profile, series.service)),
    ...(series.forecast?.replicas ?? []),
  ]);
  const zones = series.zones;
  return series.windows.flatMap((window) => {
    const need = Math.max(
      0,
      ...demand.filter((s) => s.start < window.end && s.end > window.start).map((s) => s.replicas),
    );
    // The headroom is on the level the window runs at, which is never below the floor.
    const peak = zones === undefined ? need : zoneLossHeadroom(Math.max(need, minReplicas), zones);
    if (peak <= maxReplicas) return [];
    const base = { region: series.region, service: series.service, window, peak, maxReplicas };
    return [zones === undefined ? base : { ...base, zones, need }];
  });
}

/** @internal A window for messages: `"summary" (occurrence id, local start–end zone)`. */
export function describeWindow(w: CalendarWindow): string {
  const sameDay = local(w.start, w.timezone, "yyyy-MM-dd") === local(w.end, w.timezone, "yyyy-MM-dd");
  const when = `${local(w.start, w.timezone, "yyyy-MM-dd HH:mm")}–${local(w.end, w.timezone, sameDay ? "HH:mm" : "yyyy-MM-dd HH:mm")} ${w.timezone}`;
  return `"${w.summary}" (${w.occurrenceId}, ${when})`;
}

/** @internal `1 replica`, `4 replicas`. */
export function replicaCount(n: number): string {
  return `${n} replica${n === 1 ? "" : "s"}`;
}

/**
 * The warning for a shortfall: the service, region, window (with its local time), its peak need and the limit it
 * exceeds (`limit` words it: the profile's `maxReplicas is 10` by default, or the stack's key).
 * @internal
 */
export function shortfallWarning(f: Shortfall, limit = `maxReplicas is ${f.maxReplicas}`): string {
  const needs =
    f.zones === undefined
      ? `needs ${replicaCount(f.peak)} at its peak`
      : `needs ${replicaCount(f.need ?? f.peak)} at its peak, ${f.peak} with the headroom to survive a zone loss (${f.zones} zones)`;
  return (
    `${f.service} in ${f.region}: ${describeWindow(f.window)} ${needs} ` +
    `but ${limit}: short by ${replicaCount(f.peak - f.maxReplicas)}`
  );
}

/**
 * One warning per window of the series during which the unclamped need (of all windows open at that time)
 * exceeds the service's maxReplicas, naming the window and the shortfall at its peak.
 * @internal
 */
export function shortfallWarnings(series: NeedSeries, profile: LoadProfile): string[] {
  return shortfalls(series, profile).map((f) => shortfallWarning(f));
}
