/**
 * The header line of a history file: which column holds what (by name, in any order), and whose series the rows
 * are: a file with region and service columns names them per row (the exporter's form), a `time,load` file is
 * one series whose region and service come from the options.
 */
import { AWS_REGION_RULE, isAwsRegion, isDnsLabel } from "../../core";
import { HISTORY_COLUMNS, type HistoryColumn } from "./format";
import { HEADER_FORMS, SERVICE_RULE, linePath, type LineProblem } from "./problems";

/** Cell index of each column present. */
export type ColumnIndex = Readonly<Partial<Record<HistoryColumn, number>>>;

export interface Header {
  /** The header's line number. */
  readonly line: number;
  readonly cells: number;
  readonly index: ColumnIndex;
}

/** The region and service of a one-series file; absent when the rows name theirs. */
export interface FixedSeries {
  readonly region: string;
  readonly service: string;
}

const isColumn = (name: string): name is HistoryColumn =>
  (HISTORY_COLUMNS as readonly string[]).includes(name);

/** The columns of header `text` at `line`, or undefined (with the problems) when rows cannot be read with it. */
export function readHeader(text: string, line: number, problems: LineProblem[]): Header | undefined {
  const before = problems.length;
  const report = (value: unknown, rule: string): void => {
    problems.push({ line, problem: { path: linePath(line), value, rule } });
  };
  const names = text.split(",").map((c) => c.trim());
  const index: Partial<Record<HistoryColumn, number>> = {};
  names.forEach((name, i) => {
    if (!isColumn(name))
      report(name, `is not a history column; the columns are ${HISTORY_COLUMNS.join(", ")}`);
    else if (index[name] !== undefined)
      report(name, `is column ${index[name] + 1} already; a column appears once`);
    else index[name] = i;
  });
  if (index.time === undefined || index.load === undefined) {
    report(text, `must name a time and a load column: ${HEADER_FORMS}`);
  }
  if ((index.region === undefined) !== (index.service === undefined)) {
    const [has, lacks] = index.region === undefined ? ["service", "region"] : ["region", "service"];
    report(
      text,
      `has a ${has} column but no ${lacks} column; give both, or neither (then --region and --service)`,
    );
  }
  return problems.length > before ? undefined : { line, cells: names.length, index };
}

export interface SeriesOptions {
  readonly region?: string;
  readonly service?: string;
}

/**
 * The one series of a `time,load` file from `options` (required there), or undefined for a file whose rows name
 * their region and service (the options are refused there: they would be silently ignored).
 */
export function fixedSeries(
  header: Header,
  options: SeriesOptions,
  problems: LineProblem[],
): FixedSeries | undefined {
  const report = (path: string, value: unknown, rule: string): void => {
    problems.push({ line: 0, problem: { path, value, rule } });
  };
  const { region, service } = options;
  if (header.index.region !== undefined) {
    const rule = `is only for a time,load file; this file has region and service columns (${linePath(header.line)})`;
    if (region !== undefined) report("--region", region, rule);
    if (service !== undefined) report("--service", service, rule);
    return undefined;
  }
  const required = `required: the file has no region and service columns (${linePath(header.line)})`;
  if (region === undefined) report("--region", region, required);
  else if (!isAwsRegion(region)) report("--region", region, AWS_REGION_RULE);
  if (service === undefined) report("--service", service, required);
  else if (!isDnsLabel(service)) report("--service", service, SERVICE_RULE);
  return region !== undefined && service !== undefined ? { region, service } : undefined;
}
