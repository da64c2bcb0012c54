/**
 * The load history file, as `npm run history` writes it and `parseHistory` reads it: the columns, the comment
 * lines that carry the unit and the synthetic label, and the exporter's title. One owner, so the writer and the
 * reader cannot drift apart.
 */

/** Every column a history file may have, in the order the exporter writes them. */
export const HISTORY_COLUMNS = ["time", "region", "service", "load", "replicas", "p95_ms"] as const;
export type HistoryColumn = (typeof HISTORY_COLUMNS)[number];

/** The exporter's first comment line starts with this (then ` <stack>: ...`). */
export const HISTORY_TITLE = "Semester load history of stack";

/** What the exporter's load measures; also the unit of an exported file whose `# load =` line was removed. */
export const EXPORTED_LOAD_UNIT = "requests per second";

/**
 * `# load = <unit>[, <description>]`: the unit is the text up to the first comma, so a comment can say how the
 * load was measured without that becoming part of the unit.
 */
export const UNIT_COMMENT = /^#\s*load\s*=\s*([^,]*?)\s*(?:,.*)?$/;

/** A comment line starting `# synthetic:` (then what generated it) marks the history synthetic. */
export const SYNTHETIC_COMMENT = /^#\s*synthetic:/;

/** The `# load = ...` line of a history whose load is `unit`, described by `description`. */
export function unitComment(unit: string, description?: string): string {
  return `# load = ${unit}${description !== undefined ? `, ${description}` : ""}`;
}
