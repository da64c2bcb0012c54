/**
 * How the calendar inputs word their problems, in the project's one `Problem` shape (core/problem.ts): the path
 * forms that locate a problem in a calendar or profile file, and the rules the iCalendar and JSON parsers share.
 *
 * Paths: a JSON key path (`events[3].timezone`, `services.ai-tutor.maxReplicas`), with the event's id when the
 * problem belongs to one (`events[3].timezone (event cs101)`); an iCalendar event, its line and property
 * (`event cs101@x (line 4) DTEND`); `(file)` when the file as a whole cannot be read or parsed.
 */
import type { z } from "zod";
import { AWS_REGION_RULE, WHOLE_FILE, isAwsRegion, problemsFromZod, type Problem } from "../../core";
import type { CalendarWindow } from "../types";
import { MAX_OCCURRENCES } from "./recurrence";

/** @internal */
export const IANA_ZONE = "an IANA time zone name such as Europe/London";
/** @internal */
export const IANA_RULE = `must be ${IANA_ZONE}`;
/** @internal */
export const UNKNOWN_ZONE_RULE = `is not a known time zone; ${IANA_RULE}`;
/** @internal */
export const RECURRENCE = "a valid RFC 5545 recurrence rule such as FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10";
/** @internal */
export const RECUR_RULE = `must be ${RECURRENCE}`;
/** @internal */
export const TOO_MANY_RULE = `must have at most ${MAX_OCCURRENCES} occurrences before the horizon ends`;
/** @internal */
export const LEARNERS_RULE = "must be a positive integer (expected concurrent learners)";
/** @internal */
export const REGION_REQUIRED_RULE = "required: a region, unless a default region is given";

/**
 * @internal What is wrong with an event's region: one of `allowed` when a stack restricts the regions (they are AWS
 * regions), else any AWS region; `undefined` when it is fine.
 */
export function regionRule(region: string, allowed: readonly string[] | undefined): string | undefined {
  if (allowed !== undefined) return allowed.includes(region) ? undefined : oneOf(allowed);
  return isAwsRegion(region) ? undefined : AWS_REGION_RULE;
}

/** @internal The path of a whole file that cannot be read or parsed (core's, shared with every input). */
export { WHOLE_FILE };

/** @internal A zod `error` that words a missing value as `required: WHAT` and a wrong one as `must be WHAT`. */
export const expected =
  (what: string) =>
  (issue: { readonly input?: unknown }): string =>
    issue.input === undefined ? `required: ${what}` : `must be ${what}`;

/** @internal */
export const oneOf = (values: readonly string[]): string => `must be one of ${values.join(", ")}`;

/** @internal `event cs101@x (line 4) DTEND`: an iCalendar event (by UID), its `BEGIN:VEVENT` line and one property. */
export function icsPath(uid: string | undefined, line: number | undefined, property: string): string {
  const event = uid === undefined || uid === "" ? "event without UID" : `event ${uid}`;
  return `${event}${line !== undefined ? ` (line ${line})` : ""} ${property}`;
}

/** @internal `events[3].timezone (event cs101)`: a key of one JSON event, with its id when it has one. */
export function jsonEventPath(index: number, key: string, id?: string): string {
  return withEventId(`events[${index}]${key === "" ? "" : `.${key}`}`, id);
}

/** @internal A JSON key path inside one event, followed by the event's id when it has one. */
export function withEventId(path: string, id: string | undefined): string {
  return id !== undefined ? `${path} (event ${id})` : path;
}

/** @internal Where a window's region was written: its event's region key (JSON) or X-SEMESTER-REGION (iCalendar). */
export function windowRegionPath(window: CalendarWindow): string {
  const { index, line } = window.source;
  return index !== undefined
    ? jsonEventPath(index, "region", window.eventId)
    : icsPath(window.eventId, line, "X-SEMESTER-REGION");
}

/**
 * zod issues as problems under `prefix`, each with the rule its calendar schema words (every schema here gives
 * one); an unknown key gets core's answer, naming the keys allowed at its place. zod must have run with
 * `reportInput: true`.
 * @internal
 */
export function schemaProblems(
  prefix: string,
  issues: readonly z.core.$ZodIssue[],
  schema: z.ZodType,
): Problem[] {
  return issues.flatMap((issue) =>
    problemsFromZod(prefix, [issue], schema).map((p) => ({
      ...p,
      path: p.path === "" ? WHOLE_FILE : p.path,
      rule: issue.code === "unrecognized_keys" ? p.rule : issue.message,
    })),
  );
}
