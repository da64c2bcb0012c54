/**
 * How a history file words its problems (core's one `Problem` shape): `line N <column>` for a cell, `line N` for
 * a whole row, `(file)` for the file as a whole, `--region`/`--service`/`--unit` for the options. A file with
 * thousands of bad rows lists the first `MAX_LISTED_PROBLEMS` and counts the rest in one last problem.
 */
import { WHOLE_FILE, type Problem } from "../../core";
import { HISTORY_COLUMNS } from "./format";

/** Problems listed one by one; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 20;

export { WHOLE_FILE };
/** @internal */
export const HEADER_FORMS = `${HISTORY_COLUMNS.join(",")} (region and service optional together) or time,load`;
/** @internal */
export const TIME_RULE =
  "must be an ISO 8601 date-time with a zone, such as 2026-09-07T08:00:00Z or 2026-09-07T10:00+02:00";
/** @internal */
export const MINUTE_RULE = "must be a whole minute (seconds 00): a row describes one minute or slot";
/** @internal */
export const LOAD_RULE = "must be a number >= 0 (an empty cell is a gap, never 0)";
/** @internal */
export const REPLICAS_RULE = "must be an integer >= 0, or empty";
/** @internal */
export const P95_RULE = "must be a number >= 0 (milliseconds), or empty";
/** @internal */
export const SERVICE_RULE = "must be a DNS label (lowercase letters, digits and -, at most 63)";
/** @internal Divisors of a day in minutes, the steps a history may have. */
export const STEP_RULE =
  "the step (the smallest spacing between rows) must be a whole number of minutes that divides a day, such as 1, 5, 15 or 60";

/** @internal `line 12 load`: a cell of a row; `line 12`: the whole row. */
export function linePath(line: number, column?: string): string {
  return column === undefined ? `line ${line}` : `line ${line} ${column}`;
}

/** A problem and the line it is on (0: before any line, such as an option), for sorting. */
export interface LineProblem {
  readonly line: number;
  readonly problem: Problem;
}

/**
 * @internal The problems in line order, at most `MAX_LISTED_PROBLEMS` of them, then one that counts the rest and
 * names the lines they are on.
 */
export function listedProblems(found: readonly LineProblem[]): Problem[] {
  const sorted = [...found].sort((a, b) => a.line - b.line);
  if (sorted.length <= MAX_LISTED_PROBLEMS) return sorted.map((p) => p.problem);
  const rest = sorted.slice(MAX_LISTED_PROBLEMS);
  const first = rest[0]!.line;
  const last = rest[rest.length - 1]!.line;
  return [
    ...sorted.slice(0, MAX_LISTED_PROBLEMS).map((p) => p.problem),
    {
      path: first === last ? `line ${first}` : `lines ${first}-${last}`,
      value: rest.length,
      rule: `more problems on these lines, not listed (the first ${MAX_LISTED_PROBLEMS} are above)`,
    },
  ];
}
