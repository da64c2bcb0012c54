/**
 * The backtest as a person reads it: per series a heading, one aligned row per method and the verdict line.
 * Rows and headings of a synthetic history say SYNTHETIC.
 */
import type { BacktestResult, SeriesBacktest } from "./backtest";
import { summarize, type CoverageSummary, type MethodSummary } from "./summary";
import { verdictLine } from "./verdict";

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;

/** Columns padded to their widest cell; numbers right-aligned. */
function align(rows: readonly (readonly string[])[], left: ReadonlySet<number>): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    `  ${r.map((c, i) => (left.has(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ")}`.trimEnd(),
  );
}

function weekName(series: SeriesBacktest, start: number): string {
  const index = series.weeks.findIndex((w) => w.start === start);
  return `wk ${index + 3} ${day(start).slice(5)}`;
}

function coverageCells(series: SeriesBacktest, c: CoverageSummary | null): [string, string] {
  return c === null ? ["-", "-"] : [pct(c.mean), `${pct(c.worst)} (${weekName(series, c.worstWeek)})`];
}

function row(series: SeriesBacktest, r: MethodSummary, synthetic: boolean): string[] {
  const tag = synthetic ? ["SYNTHETIC"] : [];
  if (r.skipped !== undefined) return [...tag, r.label, `skipped: ${r.skipped}`, "", "", "", "", "", "", ""];
  const pinball = [0.5, 0.9, 0.99].map((q) => r.pinball[q as 0.5].toFixed(2)).join(" / ");
  return [
    ...tag,
    r.label,
    ...coverageCells(series, r.inWindow),
    ...coverageCells(series, r.all),
    Math.round(r.unmetLoadMinutes).toLocaleString("en-US"),
    `${r.replicaRatio.toFixed(2)}×`,
    pinball,
    r.chosen || "-",
  ];
}

/** @internal The heading, table and verdict of one series. */
export function seriesTable(result: BacktestResult, series: SeriesBacktest): string {
  const { history } = result;
  const synthetic = history.synthetic;
  const leads = [...new Set(series.leadMinutes)];
  const lead = leads.length === 1 ? `${leads[0]}` : `${Math.min(...leads)}-${Math.max(...leads)}`;
  const first = series.weeks[0]!;
  const heading =
    `${synthetic ? "SYNTHETIC " : ""}${series.region}/${series.service} (${history.file}, ${history.unit}): ` +
    `capacity ${series.capacity} per replica; forecast weeks 3-${series.weeks.length + 2} ` +
    `(Mondays 00:00 UTC from ${day(first.start)}), each trained on the weeks before it; readiness lead ${lead} min`;
  const header = [
    ...(synthetic ? ["data"] : []),
    "method",
    "in-window",
    "worst week",
    "all slots",
    "worst week",
    "unmet load-min",
    "× exact",
    "pinball .5 / .9 / .99",
    "chosen on training",
  ];
  const rows = series.methods.map((m) => row(series, summarize(m), synthetic));
  const offset = synthetic ? 1 : 0;
  const left = new Set([0, offset, offset + 2, offset + 4, offset + 8]);
  const verdict = verdictLine(series.methods.map(summarize));
  return [heading, ...align([header, ...rows], left), `  ${synthetic ? "SYNTHETIC " : ""}${verdict}`].join(
    "\n",
  );
}

/** @internal Every series' table, separated by a blank line. */
export function backtestTable(result: BacktestResult): string {
  return result.series.map((s) => seriesTable(result, s)).join("\n\n");
}
