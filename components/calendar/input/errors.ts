/**
 * The one error the calendar inputs throw: every problem of a file, each with where it is, what was found and
 * what is allowed, so a user fixes a calendar or profile in one pass instead of one error per run.
 */
import type { z } from "zod";

/** One problem in a calendar or profile file. */
export interface CalendarInputProblem {
  /** The file as the caller named it. */
  readonly file: string;
  /** The event's UID (iCalendar) or id (JSON), when the problem belongs to one event. */
  readonly event?: string;
  /** 1-based line of the event's `BEGIN:VEVENT` (iCalendar only). */
  readonly line?: number;
  /** The property (`DTEND`) or key path (`events[3].timezone`, `services.ai-tutor.maxReplicas`). */
  readonly field: string;
  /** The offending value as written (`missing` when absent). */
  readonly value: string;
  /** What is wrong with the value beyond its being there, for example `is before DTSTART 2026-09-21T09:00`. */
  readonly issue?: string;
  /** The rule, phrased as what is allowed. */
  readonly allowed: string;
}

/** Formats one problem as a single line: `file: event \`uid\` (line 4) field DTEND: value issue; allowed`. */
export function formatProblem(p: CalendarInputProblem): string {
  const where =
    p.event !== undefined
      ? `${p.file}: event \`${p.event}\`${p.line !== undefined ? ` (line ${p.line})` : ""} field`
      : `${p.file}${p.line !== undefined ? ` (line ${p.line})` : ""}: field`;
  return `${where} ${p.field}: ${p.value}${p.issue !== undefined ? ` ${p.issue}` : ""}; ${p.allowed}`;
}

/** Thrown by every calendar input parser with all problems found in the input. */
export class CalendarInputError extends Error {
  public readonly problems: readonly CalendarInputProblem[];

  constructor(problems: readonly CalendarInputProblem[]) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    super(`Calendar input has ${count}:\n${problems.map((p) => `  - ${formatProblem(p)}`).join("\n")}`);
    this.name = "CalendarInputError";
    this.problems = problems;
  }
}

/** Throws a `CalendarInputError` when `problems` is not empty. */
export function throwIfProblems(problems: readonly CalendarInputProblem[]): void {
  if (problems.length > 0) throw new CalendarInputError(problems);
}

/** Renders a JSON path as `events[3].timezone`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`))
    .join("");
}

/** Renders a JSON value for a message: `missing` when absent, JSON otherwise. */
export function formatJsonValue(value: unknown): string {
  return value === undefined ? "missing" : JSON.stringify(value);
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/**
 * Turns zod issues into problems. `root` is the value zod parsed and `prefix` the path of `root` in the file,
 * so a per-event parse still reports `events[3].timezone`. Unknown keys become one problem each.
 */
export function zodProblems(
  error: z.ZodError,
  root: unknown,
  file: string,
  prefix: readonly PropertyKey[] = [],
  event?: string,
): CalendarInputProblem[] {
  return error.issues.flatMap((issue): CalendarInputProblem[] => {
    const base = event !== undefined ? { file, event } : { file };
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        ...base,
        field: formatPath([...prefix, ...issue.path, key]),
        value: formatJsonValue(valueAt(root, [...issue.path, key])),
        issue: "is not a known key",
        allowed: "remove it or fix its spelling",
      }));
    }
    // A bad record key is reported at the key's path; the key itself is the bad value.
    const value =
      issue.code === "invalid_key" ? issue.path[issue.path.length - 1] : valueAt(root, issue.path);
    return [
      {
        ...base,
        field: formatPath([...prefix, ...issue.path]),
        value: formatJsonValue(value),
        allowed: issue.message,
      },
    ];
  });
}
