/**
 * When a region is busy: the spans during which the calendar holds capacity above a service's floor for a window
 * (the window with the lead and tail its schedule really uses), merged per region. Other layers read these spans
 * to stay out of the way of learners: zonal-autoshift practice runs, GameDays and the change freeze.
 */
import type { CalendarSchedule } from "../schedule";
import type { CalendarWindow, CompileResult } from "../types";

/** One merged span of a region during which at least one selected window is open or being ramped for. */
export interface BusyInterval {
  readonly region: string;
  /** Inclusive start, epoch ms UTC. */
  readonly start: number;
  /** Exclusive end, epoch ms UTC. */
  readonly end: number;
  /** The services holding capacity for a window here, sorted. */
  readonly services: readonly string[];
  /** The kinds of the windows, sorted. */
  readonly kinds: readonly string[];
  /** The windows' occurrence ids (`event@ISO start`), sorted. */
  readonly occurrences: readonly string[];
}

/** @internal Which windows count. */
export interface BusyFilter {
  /** Only these services' schedules. @default every scheduled service */
  readonly services?: readonly string[];
  /** Only windows of these kinds. @default every kind */
  readonly kinds?: readonly string[];
}

interface Span {
  readonly start: number;
  readonly end: number;
  readonly service: string;
  readonly window: CalendarWindow;
}

/**
 * The busy spans of every region, sorted by region then start. A window's span runs from where its service's
 * required schedule rises above the floor before the window (its lead, lengthened where the ramp needs it) to where
 * it returns to the floor after it (its tail); a window whose service never rises above the floor (a share of 0)
 * is not busy. Spans of one region that overlap or touch are merged.
 */
export function busyIntervals(schedule: CalendarSchedule, filter: BusyFilter = {}): BusyInterval[] {
  const services = filter.services === undefined ? undefined : new Set(filter.services);
  const kinds = filter.kinds === undefined ? undefined : new Set(filter.kinds);
  const byRegion = new Map<string, Span[]>();
  schedule.series.forEach((series, i) => {
    if (services !== undefined && !services.has(series.service)) return;
    const result = schedule.results[i]!;
    for (const window of series.windows) {
      if (kinds !== undefined && !kinds.has(window.kind)) continue;
      const span = raisedSpan(result, window);
      if (span === undefined) continue;
      const list = byRegion.get(series.region) ?? [];
      list.push({ ...span, service: series.service, window });
      byRegion.set(series.region, list);
    }
  });
  const out: BusyInterval[] = [];
  for (const region of [...byRegion.keys()].sort()) {
    const spans = byRegion.get(region)!.sort((a, b) => a.start - b.start || a.end - b.end);
    let group: Span[] = [];
    let end = -Infinity;
    const flush = () => {
      if (group.length > 0) out.push(merged(region, group, end));
      group = [];
    };
    for (const s of spans) {
      if (s.start > end) flush();
      group.push(s);
      end = Math.max(end, s.end);
    }
    flush();
  }
  return out;
}

/** Whether [start, end) meets any busy span of its region. */
export function overlapsBusy(
  busy: readonly BusyInterval[],
  region: string,
  start: number,
  end: number,
): BusyInterval | undefined {
  return busy.find((b) => b.region === region && b.start < end && start < b.end);
}

/**
 * The span around `window` in which the required schedule is above the floor: the contiguous raised segments
 * that overlap the window, extended back and forward. `undefined` when the window raises nothing.
 */
function raisedSpan(
  result: CompileResult,
  window: CalendarWindow,
): { start: number; end: number } | undefined {
  const floor = result.schedule.minReplicaCount;
  const segments = result.required;
  let first = -1;
  let last = -1;
  segments.forEach((s, k) => {
    if (s.replicas > floor && s.start < window.end && window.start < s.end) {
      if (first < 0) first = k;
      last = k;
    }
  });
  if (first < 0) return undefined;
  while (
    first > 0 &&
    segments[first - 1]!.replicas > floor &&
    segments[first - 1]!.end === segments[first]!.start
  )
    first--;
  while (
    last + 1 < segments.length &&
    segments[last + 1]!.replicas > floor &&
    segments[last + 1]!.start === segments[last]!.end
  )
    last++;
  return { start: segments[first]!.start, end: segments[last]!.end };
}

function merged(region: string, group: readonly Span[], end: number): BusyInterval {
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
  return {
    region,
    start: group[0]!.start,
    end,
    services: sorted(group.map((s) => s.service)),
    kinds: sorted(group.map((s) => s.window.kind)),
    occurrences: sorted(group.map((s) => s.window.occurrenceId)),
  };
}
