/**
 * The verdict against issue 14's done-when: the forecast-aware schedule covers >= 99.9 % of slots inside calendar
 * windows and >= 99 % of all slots (mean over weeks; the worst week is stated), with at least 10 % fewer
 * replica-minutes than the cheapest baseline that reaches the same coverage; otherwise by how much it misses.
 */
import { COVERAGE_TARGET } from "./calibrate";
import { FORECAST_AWARE_ID } from "./method";
import type { MethodSummary } from "./summary";

/** @internal The saving the done-when asks for against the best baseline. */
export const REQUIRED_SAVING = 0.1;

const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;

/** @internal Whether a row reaches the coverage target (no window slots: the in-window part holds). */
export function reachesTarget(row: MethodSummary): boolean {
  return (
    row.skipped === undefined &&
    row.all !== null &&
    row.all.mean >= COVERAGE_TARGET.all &&
    (row.inWindow === null || row.inWindow.mean >= COVERAGE_TARGET.inWindow)
  );
}

/** @internal One line: PASS or MISS and the numbers behind it. */
export function verdictLine(rows: readonly MethodSummary[]): string {
  const candidate = rows.find((r) => r.id === FORECAST_AWARE_ID);
  if (candidate === undefined || candidate.skipped !== undefined)
    return `verdict: no forecast-aware schedule in this run${candidate?.skipped ? ` (${candidate.skipped})` : ""}`;
  const misses: string[] = [];
  const inWindow = candidate.inWindow;
  if (inWindow !== null && inWindow.mean < COVERAGE_TARGET.inWindow)
    misses.push(
      `in-window coverage ${pct(inWindow.mean)}, ${pct(COVERAGE_TARGET.inWindow - inWindow.mean)} short`,
    );
  const all = candidate.all;
  if (all === null) return "verdict: MISS, no scored slot";
  if (all.mean < COVERAGE_TARGET.all)
    misses.push(`overall coverage ${pct(all.mean)}, ${pct(COVERAGE_TARGET.all - all.mean)} short`);
  const peers = rows.filter((r) => r.id !== FORECAST_AWARE_ID && reachesTarget(r));
  const best = peers.reduce<MethodSummary | undefined>(
    (a, b) => (a === undefined || b.replicaRatio < a.replicaRatio ? b : a),
    undefined,
  );
  let cost = "no baseline reaches the coverage target";
  if (best !== undefined) {
    const saving = 1 - candidate.replicaRatio / best.replicaRatio;
    cost = `${pct(saving)} fewer replica-minutes than ${best.label} (${best.replicaRatio.toFixed(2)}× exact)`;
    if (saving < REQUIRED_SAVING)
      misses.push(`saving ${pct(saving)}, ${pct(REQUIRED_SAVING - saving)} short of 10 %`);
  }
  const worst = `worst week all slots ${pct(all.worst)}${inWindow !== null ? `, in windows ${pct(inWindow.worst)}` : ""}`;
  return misses.length === 0
    ? `verdict: PASS: ${cost}; ${worst}`
    : `verdict: MISS: ${misses.join("; ")}; ${cost}; ${worst}`;
}
