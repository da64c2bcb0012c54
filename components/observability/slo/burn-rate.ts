/**
 * Multi-window, multi-burn-rate alerting as data: the SRE workbook's parameters (Beyer et al., *The Site
 * Reliability Workbook*, ch. 5 "Alerting on SLOs", "6: Multiwindow, Multi-Burn-Rate Alerts", table 5-8: page
 * 1 h / 5 m at 14.4× (2 % of a 30-day budget) and 6 h / 30 m at 6× (5 %), ticket 3 d / 6 h at 1× (10 %)), with
 * the ticket row 1 d / 2 h at 3× (10 % in a day) between them, as issue 11 lists them (Sloth's default windows
 * have the same four rows). Pure.
 *
 * Each row alerts when both its long and its short window burn the error budget `factor` times faster than the
 * SLO allows: the long window makes the alert significant (that share of the budget is gone), the short window
 * makes it reset within minutes of recovery. The factor is defined by the budget consumed, so a stack with a
 * different SLO window keeps the same budget shares (`burnRateFactor`).
 */
import type { Severity } from "../types";

/** One alerting window pair. */
export interface BurnRateWindow {
  readonly severity: Severity;
  /** Long window, a PromQL duration (`1h`). */
  readonly long: string;
  /** Short window, a twelfth of the long one (`5m`). */
  readonly short: string;
  /** The long window in hours, for the budget arithmetic. */
  readonly longHours: number;
  /** Percent of a 30-day error budget the long window consumes at `factor`. */
  readonly budgetPercent: number;
  /** The workbook's burn-rate factor for a 30-day SLO window. */
  readonly factor: number;
  /**
   * How long the condition must hold before the alert fires: half the short window (as Pyrra does, pyrra-dev/pyrra
   * `slo/rules.go` `Windows`). One noisy evaluation (a rollout's burst of 5xx, a scrape gap) does not notify;
   * the budget spent waiting is at most 0.42 % (3× over 1 h, 1× over 3 h of a 720 h budget).
   */
  readonly for: string;
}

/** The four rows, most urgent first. */
export const BURN_RATE_WINDOWS: readonly BurnRateWindow[] = [
  { severity: "page", long: "1h", short: "5m", longHours: 1, budgetPercent: 2, factor: 14.4, for: "2m" },
  { severity: "page", long: "6h", short: "30m", longHours: 6, budgetPercent: 5, factor: 6, for: "15m" },
  { severity: "ticket", long: "1d", short: "2h", longHours: 24, budgetPercent: 10, factor: 3, for: "1h" },
  { severity: "ticket", long: "3d", short: "6h", longHours: 72, budgetPercent: 10, factor: 1, for: "3h" },
];

/** @internal The workbook's reference SLO window. */
export const REFERENCE_WINDOW_DAYS = 30;

/**
 * The burn-rate factor of `w` for an SLO window of `windowDays`: the rate that consumes `budgetPercent` of the
 * budget in the long window. Integer arithmetic, one division, so 30 days gives the table's factors exactly.
 */
export function burnRateFactor(w: BurnRateWindow, windowDays: number): number {
  return (w.budgetPercent * windowDays * 24) / (100 * w.longHours);
}

/** @internal Every window a recording rule is needed for (long and short windows of all rows), shortest first. */
export const SLI_WINDOWS: readonly string[] = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"];
