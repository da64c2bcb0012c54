/** The learner's options and results, shared by the orchestrator, the report and the plot. */
import type { BaselineSeries, FitQuality, LoadProfile } from "../../calendar";
import type { CapacityFit } from "./capacity";
import type { SeriesGrid } from "./grid";

export interface LearnOptions {
  /** Training ends here (exclusive), epoch ms: nothing at or after it is read. */
  readonly until: number;
  /** The per-window share quantile the profile's `kinds` are at. @default 0.99 */
  readonly shareQuantile?: number;
  /** Quantiles of the baseline, ascending in (0, 1). @default [0.5, 0.9, 0.99] */
  readonly quantiles?: readonly number[];
  /** Baseline slot length, minutes (one of BASELINE_SLOT_MINUTES, a multiple of the history's step). @default 30, or the step when longer */
  readonly slotMinutes?: number;
  /** p95 objective per service (ms), or one for all. @default the observability module's standard tier objective */
  readonly latencyMs?: number | Readonly<Record<string, number>>;
  /** service -> load per replica to use instead of learning it. @default {} */
  readonly capacity?: Readonly<Record<string, number>>;
  /** region -> IANA zone of its baseline. @default - the zone most of the region's windows are written in, else Etc/UTC */
  readonly zones?: Readonly<Record<string, string>>;
  /** The history's and calendar's sha256 for the provenance. @default - "" and none */
  readonly historySha256?: string;
  readonly calendar?: { readonly file: string; readonly sha256: string };
  /** Bootstrap resamples per interval. @default 200 */
  readonly rounds?: number;
  /** Seed of the bootstrap. @default 1 */
  readonly seed?: number;
  /** The source named by input errors. @default "learnProfile options" */
  readonly source?: string;
}

/** What one series' fit gives the report and the plot. */
export interface LearnedSeries {
  readonly grid: SeriesGrid;
  readonly baseline: BaselineSeries;
  readonly level: Float64Array;
  readonly predicted: Float64Array;
  readonly quality: FitQuality;
}

export interface LearnResult {
  readonly profile: LoadProfile;
  readonly series: readonly LearnedSeries[];
  readonly capacity: Readonly<Record<string, CapacityFit | { readonly given: number }>>;
  /** What fell back to the base profile or a default, one sentence each. */
  readonly fallbacks: readonly string[];
}
