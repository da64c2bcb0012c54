/**
 * The time grid of a history: one row per time and series, a step that is the smallest spacing between rows
 * (whole minutes dividing a day), every row on that grid, and the gaps, which stay gaps: a missing step or an
 * empty load cell is an absent point and a listed gap, never a 0.
 *
 * Rows are held column-wise (one array per column, NaN for an empty cell): a history has hundreds of thousands.
 */
import { DAY_MS, MINUTE_MS } from "../../core";
import type { HistoryPoint } from "../types";
import { STEP_RULE, linePath, type LineProblem } from "./problems";

/** The rows of one region and service whose cells all parsed, in file order. */
export interface SeriesRows {
  readonly region: string;
  readonly service: string;
  readonly time: number[];
  readonly line: number[];
  readonly timeText: string[];
  /** NaN: an empty cell. */
  readonly load: number[];
  readonly replicas: number[];
  readonly p95Ms: number[];
}

export function emptyRows(region: string, service: string): SeriesRows {
  return { region, service, time: [], line: [], timeText: [], load: [], replicas: [], p95Ms: [] };
}

/** A row of a series, for messages. */
export interface RowRef {
  readonly line: number;
  readonly time: number;
  readonly timeText: string;
}

const ref = (rows: SeriesRows, i: number): RowRef => ({
  line: rows.line[i]!,
  time: rows.time[i]!,
  timeText: rows.timeText[i]!,
});

/** The smallest spacing between two rows of one series, and the rows it is between. */
export interface Spacing {
  readonly ms: number;
  readonly from: RowRef;
  readonly to: RowRef;
}

/**
 * The row indices of `rows` sorted by time, each time once (a repeat is reported with the line it repeats), and
 * the smallest spacing between them.
 */
export function distinctTimes(
  rows: SeriesRows,
  what: string,
  problems: LineProblem[],
): { order: number[]; spacing?: Spacing } {
  const { time, line } = rows;
  const all = time.map((_, i) => i);
  const sorted = time.every((t, i) => i === 0 || time[i - 1]! < t);
  if (sorted) return withSpacing(rows, all);
  all.sort((a, b) => time[a]! - time[b]! || line[a]! - line[b]!);
  const order: number[] = [];
  for (const i of all) {
    const prev = order[order.length - 1];
    if (prev !== undefined && time[prev] === time[i]) {
      const rule = `repeats the time of ${linePath(line[prev]!)} (${rows.timeText[prev]}) for ${what}; one row per time`;
      const path = linePath(line[i]!, "time");
      problems.push({ line: line[i]!, problem: { path, value: rows.timeText[i], rule } });
    } else order.push(i);
  }
  return withSpacing(rows, order);
}

function withSpacing(rows: SeriesRows, order: number[]): { order: number[]; spacing?: Spacing } {
  let best = -1;
  let ms = Infinity;
  for (let k = 1; k < order.length; k++) {
    const d = rows.time[order[k]!]! - rows.time[order[k - 1]!]!;
    if (d < ms) [ms, best] = [d, k];
  }
  if (best < 0) return { order };
  return { order, spacing: { ms, from: ref(rows, order[best - 1]!), to: ref(rows, order[best]!) } };
}

/** The first row of `rows` in `order`. */
export const firstRow = (rows: SeriesRows, order: readonly number[]): RowRef => ref(rows, order[0]!);

/** Whether a step is whole minutes and divides a day. */
export const dividesDay = (stepMs: number): boolean => stepMs % MINUTE_MS === 0 && DAY_MS % stepMs === 0;

/** The problem of a smallest spacing that is no step. */
export function stepProblem(spacing: Spacing): LineProblem {
  const minutes = spacing.ms / MINUTE_MS;
  const rule = `is ${minutes} min after ${linePath(spacing.from.line)} (${spacing.from.timeText}); ${STEP_RULE}`;
  const path = linePath(spacing.to.line, "time");
  return { line: spacing.to.line, problem: { path, value: spacing.to.timeText, rule } };
}

/** Reports each row (of `order`) off the grid `origin + k * step`; `spacing` is where the step comes from. */
export function offGridProblems(
  rows: SeriesRows,
  order: readonly number[],
  origin: RowRef,
  spacing: Spacing,
  problems: LineProblem[],
): void {
  const step = spacing.ms;
  const rule =
    `is off the ${step / MINUTE_MS}-minute grid from ${linePath(origin.line)} (${origin.timeText}); the step ` +
    `is the smallest spacing between rows, ${linePath(spacing.from.line)} to ${linePath(spacing.to.line)}`;
  for (const i of order) {
    if ((rows.time[i]! - origin.time) % step !== 0) {
      const path = linePath(rows.line[i]!, "time");
      problems.push({ line: rows.line[i]!, problem: { path, value: rows.timeText[i], rule } });
    }
  }
}

/** A run of missing steps [start, end). */
export interface Gap {
  readonly start: number;
  readonly end: number;
}

/**
 * The points (rows with a load) of one series in time `order`, and its gaps: every run of steps between its first
 * row and its last row + step that has no load (missing rows and empty load cells alike).
 */
export function pointsAndGaps(
  rows: SeriesRows,
  order: readonly number[],
  stepMs: number,
): { points: HistoryPoint[]; gaps: Gap[] } {
  const points: HistoryPoint[] = [];
  const gaps: Gap[] = [];
  if (order.length === 0) return { points, gaps };
  let expected = rows.time[order[0]!]!;
  for (const i of order) {
    const load = rows.load[i]!;
    if (Number.isNaN(load)) continue;
    const time = rows.time[i]!;
    if (time > expected) gaps.push({ start: expected, end: time });
    expected = time + stepMs;
    points.push(point(time, load, rows.replicas[i]!, rows.p95Ms[i]!));
  }
  const end = rows.time[order[order.length - 1]!]! + stepMs;
  if (end > expected) gaps.push({ start: expected, end });
  return { points, gaps };
}

/** A point with only the cells it has (no spread: this runs once per row). */
function point(time: number, load: number, replicas: number, p95Ms: number): HistoryPoint {
  if (Number.isNaN(replicas)) return Number.isNaN(p95Ms) ? { time, load } : { time, load, p95Ms };
  return Number.isNaN(p95Ms) ? { time, load, replicas } : { time, load, replicas, p95Ms };
}
