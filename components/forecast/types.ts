/**
 * The forecasting module's shared vocabulary: a load history (parsed from CSV), what learning produces, and the
 * scoring a backtest reports. All instants are epoch milliseconds UTC.
 */

/** One row of history: the load at `time` (the minute or slot it describes), and what served it. */
export interface HistoryPoint {
  readonly time: number;
  /** Load in the history's unit (>= 0). */
  readonly load: number;
  /** Replicas available at `time`. @default - absent (the file has no replicas column, or an empty cell) */
  readonly replicas?: number;
  /** 95th-percentile latency at `time`, ms. @default - absent */
  readonly p95Ms?: number;
}

/** One region and service's history: points sorted by time at a fixed step; a gap is a missing point, never 0. */
export interface HistorySeries {
  readonly region: string;
  readonly service: string;
  readonly points: readonly HistoryPoint[];
}

/** A parsed history file. */
export interface History {
  /** The file as the user named it. */
  readonly file: string;
  /** What `load` measures (from the header comment `# load = ...` or `--unit`). */
  readonly unit: string;
  /** True when the header says the history is synthetic (`# synthetic: ...`). */
  readonly synthetic: boolean;
  /** The step between rows, ms (60_000 for per-minute). Every series uses it. */
  readonly stepMs: number;
  /** Sorted by region, then service. */
  readonly series: readonly HistorySeries[];
  /** [from, to): the first row's time and the last row's time + stepMs. */
  readonly from: number;
  readonly to: number;
  /** Gaps found (runs of missing steps inside a series), for the report: region/service, start, end. */
  readonly gaps: readonly {
    readonly region: string;
    readonly service: string;
    readonly start: number;
    readonly end: number;
  }[];
}
