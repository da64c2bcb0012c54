/**
 * JSON registrar exports: `{"events":[{"id","kind","start","end","timezone","region","learners","rrule"?,"exdates"?}]}`
 * with local date-times (`2026-10-19T09:00`) in an IANA zone. Same windows, rules and errors as the iCalendar
 * parser; problems are located by key path (`events[3].timezone`) and event id.
 */
import { IANAZone } from "luxon";
import { z } from "zod";
import { throwIfProblems, type Problem } from "../../core";
import {
  IANA_ZONE,
  LEARNERS_RULE,
  RECURRENCE,
  RECUR_RULE,
  REGION_REQUIRED_RULE,
  TOO_MANY_RULE,
  UNKNOWN_ZONE_RULE,
  WHOLE_FILE,
  expected,
  jsonEventPath,
  oneOf,
  regionRule,
  schemaProblems,
  withEventId,
} from "./problems";
import {
  type CalendarParseOptions,
  type WallTime,
  buildWindows,
  expandOccurrences,
  formatWall,
  parseRecur,
  sortWindows,
} from "./recurrence";
import type { CalendarWindow } from "../types";

const LOCAL = "a local date-time such as 2026-10-19T09:00 (no offset: the zone is `timezone`)";

const eventSchema = z.strictObject(
  {
    id: z.string({ error: expected("a non-empty string") }).min(1, { error: "must be a non-empty string" }),
    kind: z.string({ error: expected("a string") }),
    start: z.string({ error: expected(LOCAL) }),
    end: z.string({ error: expected(LOCAL) }),
    timezone: z.string({ error: expected(IANA_ZONE) }),
    region: z.string({ error: expected("a string") }).optional(),
    learners: z.unknown(),
    rrule: z.string({ error: expected(RECURRENCE) }).optional(),
    exdates: z
      .array(z.string({ error: expected(LOCAL) }), { error: expected("a list of local date-times") })
      .optional(),
    summary: z.string({ error: expected("a string") }).optional(),
  },
  { error: expected("an event object") },
);
const fileSchema = z.strictObject(
  { events: z.array(z.unknown(), { error: expected("a list of events") }) },
  { error: expected('an object with "events"') },
);

/**
 * Parses a JSON calendar into the windows overlapping the horizon, sorted by start then occurrence id.
 * Accepts an optional `summary` per event (defaults to the id). Throws one `InputError` (source: the file) with
 * every problem.
 * @internal
 */
export function parseJsonCalendar(text: string, options: CalendarParseOptions): CalendarWindow[] {
  const file = options.file;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throwIfProblems(file, [{ path: WHOLE_FILE, value: (e as Error).message, rule: "must be valid JSON" }]);
  }
  const top = fileSchema.safeParse(json, { reportInput: true });
  if (!top.success) throwIfProblems(file, schemaProblems("", top.error.issues, fileSchema));
  const problems: Problem[] = [];
  const windows: CalendarWindow[] = [];
  const firstIndex = new Map<string, number>();
  (top.data?.events ?? []).forEach((raw, i) => {
    const parsed = eventSchema.safeParse(raw, { reportInput: true });
    const id = typeof (raw as { id?: unknown })?.id === "string" ? (raw as { id: string }).id : undefined;
    if (!parsed.success) {
      const found = schemaProblems(`events[${i}]`, parsed.error.issues, eventSchema);
      problems.push(...found.map((p) => ({ ...p, path: withEventId(p.path, id) })));
      return;
    }
    const e = parsed.data;
    if (firstIndex.has(e.id)) {
      problems.push({
        path: jsonEventPath(i, "id", e.id),
        value: e.id,
        rule: `is already used by events[${firstIndex.get(e.id)}]; event ids must be unique`,
      });
      return;
    }
    firstIndex.set(e.id, i);
    windows.push(...eventWindows(e, i, options, problems));
  });
  throwIfProblems(file, problems);
  return sortWindows(windows);
}

function eventWindows(
  e: z.infer<typeof eventSchema>,
  i: number,
  options: CalendarParseOptions,
  problems: Problem[],
): CalendarWindow[] {
  const before = problems.length;
  const report = (key: string, value: unknown, rule: string): void => {
    problems.push({ path: jsonEventPath(i, key, e.id), value, rule });
  };
  if (!options.kinds.includes(e.kind)) report("kind", e.kind, oneOf(options.kinds));
  if (typeof e.learners !== "number" || !Number.isSafeInteger(e.learners) || e.learners <= 0) {
    report("learners", e.learners, LEARNERS_RULE);
  }
  const region = e.region ?? options.defaultRegion;
  if (region === undefined || region === "") report("region", e.region, REGION_REQUIRED_RULE);
  else {
    const rule = regionRule(region, options.regions);
    if (rule !== undefined) report("region", region, rule);
  }
  const zoneOk = IANAZone.isValidZone(e.timezone);
  if (!zoneOk) report("timezone", e.timezone, UNKNOWN_ZONE_RULE);
  const local = (key: string, value: string): WallTime | undefined => {
    const wall = parseLocal(value);
    if (wall === undefined) report(key, value, `must be ${LOCAL}`);
    return wall === undefined ? undefined : { wall, zone: e.timezone, isDate: false };
  };
  const start = local("start", e.start);
  const end = local("end", e.end);
  const exdates = (e.exdates ?? []).map((x, j) => local(`exdates[${j}]`, x));
  const rrule = e.rrule === undefined ? undefined : parseRecur(e.rrule);
  if (typeof rrule === "string") report("rrule", e.rrule, `${rrule}; ${RECUR_RULE}`);
  if (!start || !end || !zoneOk || problems.length > before) return [];
  const timing = {
    start,
    end: { kind: "wall" as const, zone: e.timezone, delta: end.wall - start.wall },
    rdates: [],
    exdates: exdates.filter((x): x is WallTime => x !== undefined),
    ...(rrule !== undefined && typeof rrule !== "string" ? { rrule } : {}),
  };
  const { occurrences, truncated } = expandOccurrences(timing, options.horizon.to);
  const [first] = expandOccurrences({ ...timing, rrule: undefined }, Infinity).occurrences;
  if (first.end <= first.start) {
    const issue = `${first.end === first.start ? "is equal to" : "is before"} start ${formatWall(start)}`;
    report("end", e.end, `${issue}; end must be after start`);
    return [];
  }
  if (truncated) report("rrule", e.rrule, TOO_MANY_RULE);
  const meta = {
    eventId: e.id,
    summary: e.summary ?? e.id,
    kind: e.kind,
    learners: e.learners as number,
    region: region as string,
  };
  return buildWindows({ ...meta, timezone: e.timezone, index: i }, occurrences, options);
}

/** `YYYY-MM-DDTHH:MM[:SS]` as wall ms, or undefined when malformed or not a real date. */
function parseLocal(value: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(wall);
  const same = back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && back.getUTCHours() === h;
  return same && mi < 60 && s < 60 ? wall : undefined;
}
