/**
 * Reads the data rows of a history into one column store per region and service, reporting every bad cell.
 * A history has hundreds of thousands of rows, so a row is read in place: the cells are located by their commas
 * and only cut out as strings when they are new (a time, region or service not seen on the previous rows) or
 * not a plain number.
 */
import { AWS_REGION_RULE, isAwsRegion, isDnsLabel } from "../../core";
import { parseCount, parseInstant, parseNonNegative, plainDecimal } from "./cells";
import type { FixedSeries, Header } from "./columns";
import { emptyRows, type SeriesRows } from "./grid";
import {
  LOAD_RULE,
  MINUTE_RULE,
  P95_RULE,
  REPLICAS_RULE,
  SERVICE_RULE,
  TIME_RULE,
  linePath,
  type LineProblem,
} from "./problems";

/** Names remembered per column; beyond that (a file of many distinct bad names) each is simply cut and checked. */
const MAX_REMEMBERED_NAMES = 256;

export class RowReader {
  /** region -> service -> rows (nested, so finding a row's series builds no key). */
  readonly buckets = new Map<string, Map<string, SeriesRows>>();
  rows = 0;
  /** Rows left out for a bad cell. */
  dropped = 0;
  private lastTimeText = "";
  private lastTime: ReturnType<typeof parseInstant> = "format";
  /** The region and service names seen, each with whether it is valid. */
  private readonly names = { region: [] as [string, boolean][], service: [] as [string, boolean][] };
  /** Where each cell of the current row starts and ends (blanks trimmed). */
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;

  constructor(
    private readonly header: Header,
    private readonly fixed: FixedSeries | undefined,
    private readonly problems: LineProblem[],
  ) {
    this.starts = new Int32Array(header.cells);
    this.ends = new Int32Array(header.cells);
  }

  read(line: string, n: number): void {
    this.rows++;
    const cells = this.locate(line);
    if (cells !== this.header.cells) {
      const rule =
        `must have ${this.header.cells} comma-separated cells like the header ` +
        `(${linePath(this.header.line)}), not ${cells}`;
      this.reject(n, undefined, line, rule);
      return;
    }
    const { index } = this.header;
    const before = this.problems.length;
    const timeText = this.timeText(line, index.time!);
    const time = this.lastTime;
    if (time === "format") this.report(n, "time", timeText, TIME_RULE);
    else if (time === "minute") this.report(n, "time", timeText, MINUTE_RULE);
    const region =
      index.region === undefined ? (this.fixed?.region ?? "") : this.name(line, n, "region", index.region);
    const service =
      index.service === undefined
        ? (this.fixed?.service ?? "")
        : this.name(line, n, "service", index.service);
    const load = this.number(line, n, "load", index.load, parseNonNegative, LOAD_RULE);
    const replicas = this.number(line, n, "replicas", index.replicas, parseCount, REPLICAS_RULE);
    const p95Ms = this.number(line, n, "p95_ms", index.p95_ms, parseNonNegative, P95_RULE);
    if (this.problems.length > before || typeof time !== "number") {
      this.dropped++;
      return;
    }
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

  /** Finds the cells of `line` (up to the header's count); returns how many there are. */
  private locate(line: string): number {
    let count = 0;
    let pos = 0;
    for (;;) {
      const comma = line.indexOf(",", pos);
      let end = comma < 0 ? line.length : comma;
      if (count < this.header.cells) {
        let start = pos;
        while (start < end && line.charCodeAt(start) <= 32) start++;
        while (end > start && line.charCodeAt(end - 1) <= 32) end--;
        this.starts[count] = start;
        this.ends[count] = end;
      }
      count++;
      if (comma < 0) return count;
      pos = comma + 1;
    }
  }

  private cell(line: string, at: number): string {
    return line.slice(this.starts[at], this.ends[at]);
  }

  /** The time cell; exported files repeat each time once per series, so it is cut and parsed once. */
  private timeText(line: string, at: number): string {
    const start = this.starts[at]!;
    const length = this.ends[at]! - start;
    if (length !== this.lastTimeText.length || !line.startsWith(this.lastTimeText, start)) {
      this.lastTimeText = this.cell(line, at);
      this.lastTime = parseInstant(this.lastTimeText);
    }
    return this.lastTimeText;
  }

  /** A region or service cell, checked once per distinct name. */
  private name(line: string, n: number, column: "region" | "service", at: number): string {
    const start = this.starts[at]!;
    const length = this.ends[at]! - start;
    const known = this.names[column];
    let found = known.find(([name]) => name.length === length && line.startsWith(name, start));
    if (found === undefined) {
      const name = this.cell(line, at);
      found = [name, column === "region" ? isAwsRegion(name) : isDnsLabel(name)];
      if (known.length < MAX_REMEMBERED_NAMES) known.push(found);
    }
    if (!found[1]) this.report(n, column, found[0], column === "region" ? AWS_REGION_RULE : SERVICE_RULE);
    return found[0];
  }

  /** The cell's number; NaN for an absent column or an empty cell (and a bad one, which is reported). */
  private number(
    line: string,
    n: number,
    column: string,
    at: number | undefined,
    parse: (t: string) => number | undefined,
    rule: string,
  ): number {
    if (at === undefined || this.ends[at] === this.starts[at]) return NaN;
    const plain = plainDecimal(line, this.starts[at]!, this.ends[at]!);
    // A plain decimal is a valid load or latency; a count must also be whole.
    if (plain >= 0 && (parse !== parseCount || Number.isInteger(plain))) return plain;
    const text = this.cell(line, at);
    const value = parse(text);
    if (value === undefined) this.report(n, column, text, rule);
    return value ?? NaN;
  }

  private report(n: number, column: string | undefined, value: unknown, rule: string): void {
    this.problems.push({ line: n, problem: { path: linePath(n, column), value, rule } });
  }

  private reject(n: number, column: string | undefined, value: unknown, rule: string): void {
    this.report(n, column, value, rule);
    this.dropped++;
  }
}
