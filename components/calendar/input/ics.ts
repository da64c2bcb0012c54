/**
 * iCalendar (RFC 5545) input: VEVENTs with kind, learners and region become `CalendarWindow`s.
 *
 * ical.js parses the file; `./recurrence` expands and converts (ical.js never converts a time here).
 * Every TZID must be an IANA zone name, converted with luxon's IANA data even when the file carries a VTIMEZONE
 * of that name: the compiler writes the window's zone into KEDA cron triggers, which KEDA evaluates with IANA
 * data, so the parser must use the same rules (and exported VTIMEZONEs are often truncated, like the sample's).
 */
import ICAL from "ical.js";
import { IANAZone } from "luxon";
import { throwIfProblems, type Problem, DAY_MS } from "../../core";
import {
  IANA_RULE,
  LEARNERS_RULE,
  RECUR_RULE,
  REGION_REQUIRED_RULE,
  TOO_MANY_RULE,
  UNKNOWN_ZONE_RULE,
  WHOLE_FILE,
  icsPath,
  regionRule,
} from "./problems";
import {
  type CalendarParseOptions,
  type EndRule,
  type EventTiming,
  type Recur,
  type WallTime,
  buildWindows,
  expandOccurrences,
  formatWall,
  parseRecur,
  sortWindows,
  wallToInstant,
} from "./recurrence";
import type { CalendarWindow } from "../types";

export type { CalendarParseOptions } from "./recurrence";

type Time = InstanceType<typeof ICAL.Time>;
type Property = InstanceType<typeof ICAL.Property>;
type Component = InstanceType<typeof ICAL.Component>;
/** A problem and the line of its event, so the file's problems can be listed top-down. */
type Found = Problem & { readonly line?: number };
/** Reports a problem of one property of the event being read; `undefined` is a missing value. */
type Report = (property: string, value: string | undefined, rule: string) => void;

/** One VEVENT as read; an override's end may be inherited from its master. */
interface RawEvent {
  readonly uid: string;
  readonly line?: number;
  readonly summary?: string;
  readonly categories?: readonly string[];
  readonly learners?: string;
  readonly region?: string;
  readonly recurrenceId?: number;
  /** RECURRENCE-ID as written, for messages. */
  readonly recurrenceShown?: string;
  readonly timing?: Omit<EventTiming, "end"> & { readonly end?: EndRule };
}

/**
 * Parses an iCalendar file into the windows overlapping the horizon, sorted by start then occurrence id.
 * Throws one `InputError` (source: the file) listing every problem of the file.
 * @internal
 */
export function parseIcs(text: string, options: CalendarParseOptions): CalendarWindow[] {
  const problems: Found[] = [];
  const file = options.file;
  let calendars: Component[] = [];
  try {
    const parsed = parseWithTextRules(text);
    const roots = typeof parsed[0] === "string" ? [parsed] : (parsed as unknown[]);
    calendars = roots.map((j) => new ICAL.Component(j as [])).filter((c) => c.name === "vcalendar");
    if (calendars.length === 0) throw new Error("no VCALENDAR component");
  } catch (e) {
    throwIfProblems(file, [
      { path: WHOLE_FILE, value: (e as Error).message, rule: "must be a valid RFC 5545 iCalendar file" },
    ]);
  }
  const lines = beginLines(text);
  const events: RawEvent[] = [];
  for (const calendar of calendars) {
    const floating = floatingZone(calendar, problems);
    for (const vevent of calendar.getAllSubcomponents("vevent")) {
      events.push(readEvent(vevent, lines[events.length], floating, problems));
    }
  }
  const windows = resolveEvents(events, options, problems);
  // Problems in file order, so a user fixes the file top-down (sort is stable within an event).
  const sorted = problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  throwIfProblems(
    file,
    sorted.map(({ line: _line, ...problem }) => problem),
  );
  return sortWindows(windows);
}

/** Reads RRULEs as text so that a malformed rule is a problem of its event, not a parse failure of the file. */
function parseWithTextRules(text: string): unknown[] {
  const design = ICAL.design;
  const original = design.defaultSet;
  const rrule = { ...original.property.rrule, defaultType: "text" };
  design.defaultSet = { ...original, property: { ...original.property, rrule } };
  try {
    return ICAL.parse(text) as unknown[];
  } finally {
    design.defaultSet = original;
  }
}

/** 1-based line numbers of `BEGIN:VEVENT`, in file order (ical.js keeps no positions). */
function beginLines(text: string): number[] {
  const result: number[] = [];
  text.split(/\r\n|\n|\r/).forEach((l, i) => {
    if (l.trim().toUpperCase() === "BEGIN:VEVENT") result.push(i + 1);
  });
  return result;
}

/** Floating times use the calendar's X-WR-TIMEZONE when it names an IANA zone, else UTC. */
function floatingZone(calendar: Component, problems: Found[]): string {
  const zone = calendar.getFirstPropertyValue("x-wr-timezone");
  if (typeof zone !== "string") return "UTC";
  if (IANAZone.isValidZone(zone)) return zone;
  problems.push({ path: "X-WR-TIMEZONE", value: zone, rule: IANA_RULE });
  return "UTC";
}

function readEvent(
  vevent: Component,
  line: number | undefined,
  floating: string,
  problems: Found[],
): RawEvent {
  const text = (name: string): string | undefined => {
    const v = vevent.getFirstPropertyValue(name);
    return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
  };
  const uid = text("uid") ?? "";
  const report: Report = (property, value, rule) =>
    problems.push({
      path: icsPath(uid, line, property),
      value,
      rule,
      ...(line !== undefined ? { line } : {}),
    });
  if (uid === "") report("UID", undefined, "required: every VEVENT needs a UID");
  const categories = vevent
    .getAllProperties("categories")
    .flatMap((p) => p.getValues().map((v) => String(v).trim()))
    .filter((v) => v !== "");
  const recurrenceProp = vevent.getFirstProperty("recurrence-id");
  const recurrence = recurrenceProp ? readTime(recurrenceProp, floating, report) : undefined;
  const timing = readTiming(vevent, floating, report, recurrenceProp !== null);
  return {
    uid,
    line,
    summary: text("summary"),
    categories: categories.length > 0 ? categories : undefined,
    learners: text("x-semester-learners"),
    region: text("x-semester-region"),
    recurrenceId: recurrence && wallToInstant(recurrence.wall, recurrence.zone),
    recurrenceShown: recurrence && formatWall(recurrence),
    timing,
  };
}

/** Reads one date or date-time value with its zone; reports bad values and unknown TZIDs. */
function readTime(prop: Property, floating: string, report: Report, value?: unknown): WallTime | undefined {
  const field = prop.name.toUpperCase();
  // ical.js decodes lazily and normalises impossible dates (month 13 becomes January), so compare with the raw text.
  const raw = (prop.toJSON() as unknown[]).slice(3).flat().map(String);
  const shown = (value === undefined ? raw[0] : String(value)).replace(/[-:]/g, "");
  let time: Time;
  try {
    time = (value ?? prop.getFirstValue()) as Time;
  } catch {
    report(field, shown, "must be a DATE (20260921) or DATE-TIME (20260921T090000) value");
    return undefined;
  }
  if (!raw.includes(time.toString())) {
    report(field, shown, "must be a real calendar date and time");
    return undefined;
  }
  const tzid = prop.getParameter("tzid");
  const utc = time.zone === ICAL.Timezone.utcTimezone;
  let zone = utc ? "UTC" : floating;
  if (!utc && typeof tzid === "string") {
    if (!IANAZone.isValidZone(tzid)) {
      report(`${field};TZID`, tzid, UNKNOWN_ZONE_RULE);
      return undefined;
    }
    zone = tzid;
  }
  const wall = Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
  return { wall, zone, isDate: time.isDate, utc };
}

/** DTSTART, DTEND or DURATION, RRULE, RDATE and EXDATE of one VEVENT. */
function readTiming(
  vevent: Component,
  floating: string,
  report: Report,
  isOverride: boolean,
): RawEvent["timing"] | undefined {
  const startProp = vevent.getFirstProperty("dtstart");
  if (!startProp) {
    report("DTSTART", undefined, "required: every VEVENT needs a DTSTART");
    return undefined;
  }
  const start = readTime(startProp, floating, report);
  const end = readEnd(vevent, start, floating, report, isOverride);
  const rrule = readRule(vevent, report);
  const values = (name: string) =>
    vevent.getAllProperties(name).flatMap((p) => p.getValues().map((v: unknown) => ({ p, v })));
  const exdates = values("exdate").flatMap(({ p, v }) => readTime(p, floating, report, v) ?? []);
  const rdates = values("rdate").flatMap(({ p, v }) => {
    if (!(v instanceof ICAL.Period)) {
      const single = readTime(p, floating, report, v);
      return single ? [{ start: single }] : [];
    }
    const s = readTime(p, floating, report, v.start);
    if (!s) return [];
    if (v.duration) return [{ start: s, end: durationRule(v.duration) }];
    const e = v.end ? readTime(p, floating, report, v.end) : undefined;
    return e ? [{ start: s, end: { kind: "at", at: e } as EndRule }] : [];
  });
  if (!start || end === null || rrule === null) return undefined;
  return { start, rdates, exdates, ...(end ? { end } : {}), ...(rrule ? { rrule } : {}) };
}

function durationRule(d: InstanceType<typeof ICAL.Duration>): EndRule {
  const sign = d.isNegative ? -1 : 1;
  const ms = ((d.hours * 60 + d.minutes) * 60 + d.seconds) * 1000;
  return { kind: "duration", days: sign * (d.weeks * 7 + d.days), ms: sign * ms };
}

/**
 * The end rule from DTEND or DURATION, checked on the first occurrence; `null` when reported, `undefined`
 * when an override inherits its master's.
 */
function readEnd(
  vevent: Component,
  start: WallTime | undefined,
  floating: string,
  report: Report,
  isOverride: boolean,
): EndRule | undefined | null {
  const endProp = vevent.getFirstProperty("dtend");
  const durationProp = vevent.getFirstProperty("duration");
  let rule: EndRule;
  let shown: string;
  if (endProp && durationProp) {
    report(
      "DURATION",
      String(durationProp.getFirstValue()),
      "is set with DTEND; set DTEND or DURATION, not both",
    );
    return null;
  } else if (endProp) {
    const end = readTime(endProp, floating, report);
    if (!end || !start) return null;
    rule = { kind: "wall", zone: end.zone, delta: end.wall - start.wall };
    shown = formatWall(end);
  } else if (durationProp) {
    const duration = durationProp.getFirstValue() as InstanceType<typeof ICAL.Duration>;
    rule = durationRule(duration);
    shown = duration.toString();
  } else if (start?.isDate) {
    return { kind: "wall", zone: start.zone, delta: DAY_MS };
  } else if (isOverride) {
    return undefined;
  } else {
    report("DTEND", undefined, "required: set DTEND or DURATION (a window needs an end)");
    return null;
  }
  if (!start) return null;
  const [first] = expandOccurrences({ start, end: rule, rdates: [], exdates: [] }, Infinity).occurrences;
  if (first.end <= first.start) {
    const issue = `${first.end === first.start ? "is equal to" : "is before"} DTSTART ${formatWall(start)}`;
    if (endProp) report("DTEND", shown, `${issue}; DTEND must be after DTSTART`);
    else report("DURATION", shown, `ends ${issue.replace("is ", "")}; DURATION must be positive`);
    return null;
  }
  return rule;
}

/** The RRULE as an ical.js Recur, `undefined` when absent and `null` when malformed (reported). */
function readRule(vevent: Component, report: Report): Recur | undefined | null {
  const props = vevent.getAllProperties("rrule");
  if (props.length === 0) return undefined;
  const raw = String(props[0].getFirstValue());
  if (props.length > 1) {
    report("RRULE", raw, "must be the event's only RRULE (RFC 5545 allows at most one)");
    return null;
  }
  const recur = parseRecur(raw);
  if (typeof recur !== "string") return recur;
  report("RRULE", raw, `${recur}; ${RECUR_RULE}`);
  return null;
}

/** Merges RECURRENCE-ID overrides into their masters, reports duplicate UIDs and builds the windows. */
function resolveEvents(
  events: readonly RawEvent[],
  options: CalendarParseOptions,
  problems: Found[],
): CalendarWindow[] {
  const masters = new Map<string, RawEvent>();
  const overrides = new Map<string, RawEvent[]>();
  const seen = new Map<string, number | undefined>();
  for (const e of events) {
    if (e.uid === "") continue;
    const key = e.recurrenceId === undefined ? e.uid : `${e.uid} ${e.recurrenceId}`;
    if (seen.has(key)) {
      problems.push(
        found(
          e,
          "UID",
          e.uid,
          `is already used by the event at line ${seen.get(key)}; UIDs must be unique (RECURRENCE-ID overrides of an event excepted)`,
        ),
      );
      continue;
    }
    seen.set(key, e.line);
    if (e.recurrenceId === undefined) masters.set(e.uid, e);
    else overrides.set(e.uid, [...(overrides.get(e.uid) ?? []), e]);
  }
  const windows: CalendarWindow[] = [];
  for (const master of masters.values()) {
    windows.push(...eventWindows(master, overrides.get(master.uid) ?? [], options, problems));
    overrides.delete(master.uid);
  }
  // An override without its master (an invitation to one instance) stands on its own.
  for (const orphan of [...overrides.values()].flat()) {
    windows.push(...eventWindows({ ...orphan, recurrenceId: undefined }, [], options, problems));
  }
  return windows;
}

/** A problem of one property of a read event. */
function found(e: RawEvent, property: string, value: string | undefined, rule: string): Found {
  return {
    path: icsPath(e.uid, e.line, property),
    value,
    rule,
    ...(e.line !== undefined ? { line: e.line } : {}),
  };
}

/** The windows of one event: its occurrences, with each overridden one replaced by its override. */
function eventWindows(
  master: RawEvent,
  overrides: readonly RawEvent[],
  options: CalendarParseOptions,
  problems: Found[],
): CalendarWindow[] {
  const meta = eventMeta(master, undefined, options, problems);
  const timing = master.timing;
  if (!timing?.end) return [];
  const { occurrences, truncated } = expandOccurrences({ ...timing, end: timing.end }, options.horizon.to);
  if (truncated) problems.push(found(master, "RRULE", timing.rrule?.toString(), TOO_MANY_RULE));
  const byStart = new Map(occurrences.map((o) => [o.start, o]));
  const windows: CalendarWindow[] = [];
  for (const o of overrides) {
    const id = o.recurrenceId as number;
    if (!byStart.delete(id) && id <= options.horizon.to) {
      problems.push(
        found(
          o,
          "RECURRENCE-ID",
          o.recurrenceShown ?? new Date(id).toISOString(),
          `matches no occurrence of \`${o.uid}\`; an override must name the original start of one occurrence`,
        ),
      );
      continue;
    }
    const overrideMeta = eventMeta(o, master, options, problems);
    const end = o.timing?.end ?? timing.end;
    if (!o.timing || !overrideMeta) continue;
    const single = expandOccurrences({ start: o.timing.start, end, rdates: [], exdates: [] }, Infinity);
    const summary = o.summary ?? master.summary ?? o.uid;
    const windowMeta = {
      ...overrideMeta,
      eventId: o.uid,
      summary,
      timezone: o.timing.start.zone,
      line: o.line,
    };
    windows.push(...buildWindows(windowMeta, single.occurrences, options));
  }
  if (!meta) return windows;
  const masterMeta = { ...meta, eventId: master.uid, summary: master.summary ?? master.uid };
  const windowMeta = { ...masterMeta, timezone: timing.start.zone, line: master.line };
  return [...windows, ...buildWindows(windowMeta, [...byStart.values()], options)];
}

/** Kind, learners and region of an event; an override inherits what it does not set from its master. */
function eventMeta(
  e: RawEvent,
  master: RawEvent | undefined,
  options: CalendarParseOptions,
  problems: Found[],
): { kind: string; learners: number; region: string } | undefined {
  const before = problems.length;
  const report = (property: string, value: string | undefined, rule: string): void => {
    problems.push(found(e, property, value, rule));
  };
  const categories = e.categories ?? master?.categories ?? [];
  const kinds = [...new Set(categories.filter((c) => options.kinds.includes(c)))];
  if (categories.length === 0) {
    report("CATEGORIES", undefined, `required: one of ${options.kinds.join(", ")}`);
  } else if (kinds.length !== 1) {
    const issue = kinds.length === 0 ? "names no known kind" : "names more than one kind";
    report(
      "CATEGORIES",
      categories.join(","),
      `${issue}; must name exactly one of ${options.kinds.join(", ")}`,
    );
  }
  const learnersRaw = e.learners ?? master?.learners;
  const learners = learnersRaw !== undefined && /^[1-9]\d*$/.test(learnersRaw) ? Number(learnersRaw) : NaN;
  if (!Number.isSafeInteger(learners)) report("X-SEMESTER-LEARNERS", learnersRaw, LEARNERS_RULE);
  const region = e.region ?? master?.region ?? options.defaultRegion;
  if (region === undefined || region === "") {
    report("X-SEMESTER-REGION", undefined, REGION_REQUIRED_RULE);
  } else {
    const rule = regionRule(region, options.regions);
    if (rule !== undefined) report("X-SEMESTER-REGION", region, rule);
  }
  if (problems.length > before || region === undefined) return undefined;
  return { kind: kinds[0], learners, region };
}
