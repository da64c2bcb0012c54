/** The learner's report (`report.txt`): what was trained on, what was learned with its uncertainty, how well it fits. */
import { DAY_MS } from "../../core";
import type { History } from "../types";
import type { LearnResult } from "./types";

export interface ReportContext {
  readonly history: History;
  /** The calendar file and how many of its windows training saw. */
  readonly calendar?: { readonly file: string; readonly windows: number };
}

/** Columns padded to their widest cell; numbers (columns in `right`) right-aligned. */
function table(rows: readonly (readonly string[])[], right: ReadonlySet<number>): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) =>
    `  ${r.map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ")}`.trimEnd(),
  );
}

const num = (x: number, digits = 3): string => (Number.isFinite(x) ? x.toFixed(digits) : "-");
const count = (n: number): string => n.toLocaleString("en-US");

export function learnReport(result: LearnResult, context: ReportContext): string {
  const learned = result.profile.learned!;
  const { history } = context;
  const days = (Date.parse(learned.trainedTo) - Date.parse(learned.trainedFrom)) / DAY_MS;
  const lines: string[] = [];
  if (learned.synthetic)
    lines.push(
      `SYNTHETIC HISTORY: ${history.file} was generated, not recorded; these numbers check the learner, not a platform.`,
      "",
    );
  lines.push(
    `Learned from ${history.file} (load in ${learned.unit}), trained ${learned.trainedFrom} → ${learned.trainedTo} ` +
      `(${Number(days.toFixed(2))} days)` +
      (context.calendar !== undefined
        ? `; calendar ${context.calendar.file}, ${count(context.calendar.windows)} windows`
        : ""),
    "",
  );

  const q = String(learned.shareQuantile);
  const shareRows = Object.entries(learned.attendance)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .flatMap(([kind, byService]) =>
      Object.entries(byService).map(([service, e]) => [
        kind,
        service,
        num(e.estimate),
        `${num(e.low)}–${num(e.high)}`,
        count(e.samples),
        num(e.quantiles?.[q] ?? NaN),
      ]),
    );
  lines.push(
    `Attendance share (load per expected learner): mean, its 90 % interval, windows; the profile uses one window's ${q} quantile`,
  );
  if (shareRows.length === 0) lines.push("  none: no calendar window before --until");
  else
    lines.push(
      ...table(
        [["kind", "service", "share", "90 % interval", "windows", `q${q}`], ...shareRows],
        new Set([2, 3, 4, 5]),
      ),
    );
  lines.push("");

  const capacityRows = Object.entries(result.capacity).map(([service, c]) => {
    if ("given" in c) return [service, "-", `${num(c.given, 2)} (--capacity)`, "", ""];
    const value = c.censored
      ? `at least ${num(c.estimate, 2)} (objective never reached)`
      : num(c.estimate, 2);
    return [
      service,
      `${c.latencyObjectiveMs} ms`,
      value,
      c.censored ? "" : `${num(c.low, 2)}–${num(c.high, 2)}`,
      count(c.pairs),
    ];
  });
  lines.push("Capacity (load per replica at the p95 objective; learnersPerReplica = the interval's low end)");
  if (capacityRows.length === 0) lines.push("  none");
  else
    lines.push(
      ...table(
        [["service", "objective", "capacity", "90 % interval", "pairs"], ...capacityRows],
        new Set([1, 2, 3, 4]),
      ),
    );
  lines.push("");

  const fitRows = Object.entries(learned.fit).flatMap(([region, byService]) =>
    Object.entries(byService).map(([service, f]) => [
      region,
      service,
      count(f.slots),
      num(f.r2),
      num(f.mae, 2),
      `${(f.relativeMae * 100).toFixed(1)} %`,
    ]),
  );
  lines.push("Fit (baseline median + every window at its kind's mean share)");
  lines.push(
    ...table([["region", "service", "steps", "R²", "MAE", "MAE / mean"], ...fitRows], new Set([2, 3, 4, 5])),
  );
  lines.push("");
  if (result.fallbacks.length > 0)
    lines.push("Fell back to the base profile or defaults:", ...result.fallbacks.map((f) => `  - ${f}`));
  else lines.push("Nothing fell back to the base profile.");
  if (history.gaps.length > 0)
    lines.push(`${count(history.gaps.length)} gap(s) in the history were left out (never read as 0).`);
  return `${lines.join("\n")}\n`;
}
