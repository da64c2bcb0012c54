/**
 * Parses a load history CSV (`npm run history`'s form `time,region,service,load[,replicas,p95_ms]`, or a one-series
 * `time,load` with `--region`/`--service`) into a `History`, or throws one `InputError` naming every bad row.
 *
 * Comments (`#` lines, anywhere) carry the unit (`# load = <unit>[, description]`) and the synthetic label
 * (`# synthetic: <how>`). Repair is documented, not silent: gaps stay gaps (a missing step or an empty load cell
 * is an absent point, listed in `gaps`), never zeros; nothing else is repaired.
 */
import { AWS_REGION_RULE, InputError, isAwsRegion, isDnsLabel } from "../../core";
import type { History, HistorySeries } from "../types";
import { parseCount, parseInstant, parseNonNegative } from "./cells";
import { fixedSeries, readHeader, type FixedSeries, type Header, type SeriesOptions } from "./columns";
import { EXPORTED_LOAD_UNIT, HISTORY_TITLE, SYNTHETIC_COMMENT, UNIT_COMMENT } from "./format";
import {
  distinctTimes,
  dividesDay,
  emptyRows,
  firstRow,
  offGridProblems,
  pointsAndGaps,
  stepProblem,
  type SeriesRows,
  type Spacing,
} from "./grid";
import {
  HEADER_FORMS,
  LOAD_RULE,
  MINUTE_RULE,
  P95_RULE,
  REPLICAS_RULE,
  SERVICE_RULE,
  TIME_RULE,
  WHOLE_FILE,
  linePath,
  listedProblems,
  type LineProblem,
} from "./problems";

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
  const history = reader === undefined ? undefined : assemble(buckets, problems);
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

/** Reads data rows into one column store per region and service, reporting every bad cell. */
class RowReader {
  /** region -> service -> rows (nested, so finding a row's series allocates no key). */
  readonly buckets = new Map<string, Map<string, SeriesRows>>();
  rows = 0;
  private lastTimeText = "";
  private lastTime: ReturnType<typeof parseInstant> = "format";
  /** Whether each region and service name seen is valid, so a name is checked once, not once per row. */
  private readonly valid = { region: new Map<string, boolean>(), service: new Map<string, boolean>() };

  constructor(
    private readonly header: Header,
    private readonly fixed: FixedSeries | undefined,
    private readonly problems: LineProblem[],
  ) {}

  read(line: string, n: number): void {
    this.rows++;
    const cells = line.split(",");
    const { index } = this.header;
    if (cells.length !== this.header.cells) {
      const rule =
        `must have ${this.header.cells} comma-separated cells like the header ` +
        `(${linePath(this.header.line)}), not ${cells.length}`;
      this.report(n, undefined, line, rule);
      return;
    }
    const before = this.problems.length;
    const timeText = clean(cells[index.time!]!);
    const time = this.instant(timeText);
    if (time === "format") this.report(n, "time", timeText, TIME_RULE);
    else if (time === "minute") this.report(n, "time", timeText, MINUTE_RULE);
    let region = this.fixed?.region ?? "";
    let service = this.fixed?.service ?? "";
    if (index.region !== undefined) {
      region = clean(cells[index.region]!);
      this.checkName(n, "region", region, isAwsRegion, AWS_REGION_RULE);
    }
    if (index.service !== undefined) {
      service = clean(cells[index.service]!);
      this.checkName(n, "service", service, isDnsLabel, SERVICE_RULE);
    }
    const load = this.number(n, "load", cells, index.load, parseNonNegative, LOAD_RULE);
    const replicas = this.number(n, "replicas", cells, index.replicas, parseCount, REPLICAS_RULE);
    const p95Ms = this.number(n, "p95_ms", cells, index.p95_ms, parseNonNegative, P95_RULE);
    if (this.problems.length > before || typeof time !== "number") return;
    let services = this.buckets.get(region);
    if (services === undefined) this.buckets.set(region, (services = new Map()));
    let rows = services.get(service);
    if (rows === undefined) services.set(service, (rows = emptyRows(region, service)));
    rows.time.push(time);
    rows.line.push(n);
    rows.timeText.push(timeText);
    rows.load.push(load);
    rows.replicas.push(replicas);
    rows.p95Ms.push(p95Ms);
  }

  /** Exported files repeat each time once per series: parse it once. */
  private instant(text: string): ReturnType<typeof parseInstant> {
    if (text !== this.lastTimeText) {
      this.lastTimeText = text;
      this.lastTime = parseInstant(text);
    }
    return this.lastTime;
  }

  private checkName(
    n: number,
    column: "region" | "service",
    value: string,
    ok: (v: string) => boolean,
    rule: string,
  ): void {
    const seen = this.valid[column];
    let good = seen.get(value);
    if (good === undefined) seen.set(value, (good = ok(value)));
    if (!good) this.report(n, column, value, rule);
  }

  /** The cell's number; NaN for an absent column or an empty cell (and a bad one, which is reported). */
  private number(
    n: number,
    column: string,
    cells: readonly string[],
    at: number | undefined,
    parse: (t: string) => number | undefined,
    rule: string,
  ): number {
    if (at === undefined) return NaN;
    const text = clean(cells[at]!);
    if (text === "") return NaN;
    const value = parse(text);
    if (value === undefined) this.report(n, column, text, rule);
    return value ?? NaN;
  }

  private report(n: number, column: string | undefined, value: unknown, rule: string): void {
    this.problems.push({ line: n, problem: { path: linePath(n, column), value, rule } });
  }
}

/** A cell without surrounding blanks (trimmed only when it has some: this runs once per cell). */
const clean = (cell: string): string =>
  cell.length > 0 && (cell.charCodeAt(0) <= 32 || cell.charCodeAt(cell.length - 1) <= 32)
    ? cell.trim()
    : cell;

/** Duplicates, the step and the grid, then the sorted series and their gaps; undefined when rows are bad. */
function assemble(
  buckets: readonly SeriesRows[],
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
  if (series.every((s) => s.points.length === 0)) {
    problems.push(fileProblem(undefined, "must have at least one load value: every load cell is empty"));
  }
  return { stepMs, series, from: origin.time, to, gaps };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
