/**
 * Parses a load history CSV (`npm run history`'s form `time,region,service,load[,replicas,p95_ms]`, or a one-series
 * `time,load` with `--region`/`--service`) into a `History`, or throws one `InputError` naming every bad row.
 *
 * Comments (`#` lines, anywhere) carry the unit (`# load = <unit>[, description]`) and the synthetic label
 * (`# synthetic: <how>`). Repair is documented, not silent: gaps stay gaps (a missing step or an empty load cell
 * is an absent point, listed in `gaps`), never zeros; nothing else is repaired.
 */
import { InputError } from "../../core";
import type { History, HistorySeries } from "../types";
import { fixedSeries, readHeader, type Header, type SeriesOptions } from "./columns";
import { EXPORTED_LOAD_UNIT, HISTORY_TITLE, SYNTHETIC_COMMENT, UNIT_COMMENT } from "./format";
import {
  distinctTimes,
  dividesDay,
  firstRow,
  offGridProblems,
  pointsAndGaps,
  stepProblem,
  type SeriesRows,
  type Spacing,
} from "./grid";
import { HEADER_FORMS, WHOLE_FILE, linePath, listedProblems, type LineProblem } from "./problems";
import { RowReader } from "./rows";

export interface HistoryParseOptions extends SeriesOptions {
  /** What load measures when the file has no `# load =` comment. @default - the file's comment (required then) */
  readonly unit?: string;
}

/** What the comment lines say. */
interface Comments {
  unit?: { readonly text: string; readonly line: number };
  synthetic: boolean;
  /** The exporter's title line is present. */
  exported: boolean;
}

/** Parses `text`; `file` names the file in the history and in problems. */
export function parseHistory(text: string, file: string, options: HistoryParseOptions = {}): History {
  const problems: LineProblem[] = [];
  const comments: Comments = { synthetic: false, exported: false };
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split("\n");
  let header: Header | undefined;
  let headerLine: string | undefined;
  let reader: RowReader | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === "")) continue;
    if (line.charCodeAt(0) === 35) readComment(line, i + 1, comments, problems);
    else if (headerLine === undefined) {
      headerLine = line;
      header = readHeader(line, i + 1, problems);
      if (header !== undefined)
        reader = new RowReader(header, fixedSeries(header, options, problems), problems);
    } else reader?.read(line, i + 1);
  }
  const unit = unitOf(comments, options.unit, problems);
  if (headerLine === undefined) {
    problems.push(fileProblem(undefined, `must have a header line: ${HEADER_FORMS}`));
  } else if (header !== undefined && reader!.rows === 0) {
    problems.push(fileProblem(undefined, `must have rows after the header (${linePath(header.line)})`));
  }
  const buckets = [...(reader?.buckets.values() ?? [])].flatMap((services) => [...services.values()]);
  // A file-wide conclusion (no step, no load) drawn after bad rows were dropped would blame the file, not them.
  const history = reader === undefined ? undefined : assemble(buckets, reader.dropped === 0, problems);
  if (problems.length > 0 || history === undefined) throw new InputError(file, listedProblems(problems));
  return { file, unit: unit!, synthetic: comments.synthetic, ...history };
}

const fileProblem = (value: unknown, rule: string): LineProblem => ({
  line: 0,
  problem: { path: WHOLE_FILE, value, rule },
});

function readComment(line: string, n: number, comments: Comments, problems: LineProblem[]): void {
  const unit = UNIT_COMMENT.exec(line)?.[1];
  if (unit !== undefined) {
    const first = comments.unit;
    const report = (rule: string): void => {
      problems.push({ line: n, problem: { path: linePath(n), value: unit, rule } });
    };
    if (unit === "") report("must name what load measures, such as `# load = requests per second`");
    else if (first === undefined) comments.unit = { text: unit, line: n };
    else if (first.text !== unit)
      report(`differs from the unit of ${linePath(first.line)} ("${first.text}"); a file has one unit`);
  }
  if (SYNTHETIC_COMMENT.test(line)) comments.synthetic = true;
  if (line.startsWith(`# ${HISTORY_TITLE} `)) comments.exported = true;
}

/** The file's unit, else the option, else the exporter's when its title is there; a conflict is refused. */
function unitOf(comments: Comments, option: string | undefined, problems: LineProblem[]): string | undefined {
  const stated = comments.unit;
  if (stated !== undefined && option !== undefined && option !== stated.text) {
    const rule = `differs from the file's unit "${stated.text}" (${linePath(stated.line)}); drop --unit or make them agree`;
    problems.push({ line: 0, problem: { path: "--unit", value: option, rule } });
  }
  const unit = stated?.text ?? option ?? (comments.exported ? EXPORTED_LOAD_UNIT : undefined);
  if (unit === undefined) {
    const rule =
      "required: what load measures, as a comment line `# load = requests per second` (or concurrent learners, ...) " +
      "or the --unit option";
    problems.push({ line: 0, problem: { path: "# load", value: undefined, rule } });
  }
  return unit;
}

/** Duplicates, the step and the grid, then the sorted series and their gaps; undefined when rows are bad. */
function assemble(
  buckets: readonly SeriesRows[],
  rowsOk: boolean,
  problems: LineProblem[],
): Omit<History, "file" | "unit" | "synthetic"> | undefined {
  const sorted = [...buckets].sort((a, b) => cmp(a.region, b.region) || cmp(a.service, b.service));
  let spacing: Spacing | undefined;
  const ordered = sorted.map((rows) => {
    const what = sorted.length === 1 ? "this series" : `${rows.region} ${rows.service}`;
    const found = distinctTimes(rows, what, problems);
    if (found.spacing !== undefined && (spacing === undefined || found.spacing.ms < spacing.ms)) {
      spacing = found.spacing;
    }
    return { rows, order: found.order };
  });
  if (ordered.length === 0) return undefined;
  if (spacing === undefined) {
    if (rowsOk)
      problems.push(fileProblem(undefined, "must have two times in one series, so the step is known"));
    return undefined;
  }
  if (!dividesDay(spacing.ms)) {
    problems.push(stepProblem(spacing));
    return undefined;
  }
  const origin = ordered.map((s) => firstRow(s.rows, s.order)).reduce((a, b) => (b.time < a.time ? b : a));
  ordered.forEach((s) => offGridProblems(s.rows, s.order, origin, spacing!, problems));
  const stepMs = spacing.ms;
  const series: HistorySeries[] = [];
  const gaps: History["gaps"][number][] = [];
  let to = -Infinity;
  for (const { rows, order } of ordered) {
    const { region, service } = rows;
    const found = pointsAndGaps(rows, order, stepMs);
    series.push({ region, service, points: found.points });
    gaps.push(...found.gaps.map((g) => ({ region, service, ...g })));
    to = Math.max(to, rows.time[order[order.length - 1]!]! + stepMs);
  }
  if (rowsOk && series.every((s) => s.points.length === 0)) {
    problems.push(fileProblem(undefined, "must have at least one load value: every load cell is empty"));
  }
  return { stepMs, series, from: origin.time, to, gaps };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
