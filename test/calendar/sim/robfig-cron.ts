/**
 * A re-implementation of robfig/cron v3's spec parser (parser.go) and `SpecSchedule.Next` (spec.go), used only by
 * the simulator. It follows the upstream algorithm step by step, including its quirks, because KEDA's cron scaler
 * decides activity from exactly these `Next` values. Written from reading upstream; no code is copied.
 *
 * Time zones: Go's `time.Date` resolves a wall time that falls in a DST gap or fold with one particular rule
 * (see {@link goDate}); `Next` calls it when it resets fields, so DST behaviour depends on it. Luxon supplies
 * only the UTC offset of a zone at an instant.
 */
import { IANAZone } from "luxon";

// Globals are bound once: jest runs tests in a vm context where every global lookup (Math, Date, Infinity) is
// slow enough to dominate the simulator's inner loops.
const { floor } = Math;
const dateUTC = Date.UTC;

/** Go's zero `time.Time` (0001-01-01T00:00:00Z) in epoch ms: what `Next` returns when nothing fires within 5 years. */
export const ZERO_TIME = -62135596800000;

/** A parsed field: which values match, and whether the field was written with `*`/`?` (upstream's star bit). */
export interface CronField {
  readonly values: readonly boolean[];
  readonly star: boolean;
}

/** upstream SpecSchedule: one bit set per field, plus the location the spec is evaluated in. */
export interface SpecSchedule {
  readonly second: CronField;
  readonly minute: CronField;
  readonly hour: CronField;
  readonly dom: CronField;
  readonly month: CronField;
  readonly dow: CronField;
  /** IANA zone from a `TZ=`/`CRON_TZ=` prefix; undefined is Go's time.Local (use the zone of the time passed to Next). */
  readonly location?: string;
}

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

// spec.go: the bounds of each field and the month/day names.
const SECONDS: Bounds = { min: 0, max: 59 };
const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = {
  min: 1,
  max: 12,
  names: {
    jan: 1,
    feb: 2,
    mar: 3,
    apr: 4,
    may: 5,
    jun: 6,
    jul: 7,
    aug: 8,
    sep: 9,
    oct: 10,
    nov: 11,
    dec: 12,
  },
};
const DOW: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

/** Which fields a parser expects (upstream ParseOption flags; KEDA uses minute|hour|dom|month|dow). */
export interface ParserOptions {
  /** Accept a leading seconds field (6 fields). @default false */
  readonly seconds?: boolean;
  /** Accept `@daily`-style descriptors. @default false (KEDA's cron scaler does not pass `Descriptor`) */
  readonly descriptors?: boolean;
}

export class CronParseError extends Error {}

/**
 * Parse a spec the way `cron.NewParser(Minute | Hour | Dom | Month | Dow).Parse` does (the parser KEDA validates
 * with). Mirrors upstream Parse: empty spec rejected; optional `TZ=`/`CRON_TZ=` prefix; descriptors only when
 * enabled; `strings.Fields` split; exact field count (normalizeFields); seconds defaulted to "0".
 */
export function parseSpec(spec: string, options: ParserOptions = {}): SpecSchedule {
  if (spec.length === 0) throw new CronParseError("empty spec string");
  let location: string | undefined;
  let rest = spec;
  // parser.go: a TZ=/CRON_TZ= prefix ends at the first space; the location is what lies between "=" and it.
  if (rest.startsWith("TZ=") || rest.startsWith("CRON_TZ=")) {
    const space = rest.indexOf(" ");
    if (space === -1) throw new CronParseError(`invalid location descriptor: ${rest}`);
    const name = rest.slice(rest.indexOf("=") + 1, space);
    if (!IANAZone.isValidZone(name))
      throw new CronParseError(`provided bad location ${name}: unknown time zone`);
    location = name;
    rest = rest.slice(space).trim();
  }
  if (rest.startsWith("@")) {
    if (!options.descriptors) throw new CronParseError(`parser does not accept descriptors: ${rest}`);
    return parseDescriptor(rest, location);
  }
  // strings.Fields: split on runs of white space.
  const fields = rest.split(/\s+/).filter((f) => f.length > 0);
  const expected = options.seconds ? 6 : 5;
  if (fields.length !== expected) {
    throw new CronParseError(
      `expected exactly ${expected} fields, found ${fields.length}: [${fields.join(" ")}]`,
    );
  }
  const full = options.seconds ? fields : ["0", ...fields];
  return {
    second: getField(full[0], SECONDS),
    minute: getField(full[1], MINUTES),
    hour: getField(full[2], HOURS),
    dom: getField(full[3], DOM),
    month: getField(full[4], MONTHS),
    dow: getField(full[5], DOW),
    location,
  };
}

function parseDescriptor(spec: string, location: string | undefined): SpecSchedule {
  const make = (f: readonly string[]): SpecSchedule => ({
    second: getField(f[0], SECONDS),
    minute: getField(f[1], MINUTES),
    hour: getField(f[2], HOURS),
    dom: getField(f[3], DOM),
    month: getField(f[4], MONTHS),
    dow: getField(f[5], DOW),
    location,
  });
  switch (spec) {
    case "@yearly":
    case "@annually":
      return make(["0", "0", "0", "1", "1", "*"]);
    case "@monthly":
      return make(["0", "0", "0", "1", "*", "*"]);
    case "@weekly":
      return make(["0", "0", "0", "*", "*", "0"]);
    case "@daily":
    case "@midnight":
      return make(["0", "0", "0", "*", "*", "*"]);
    case "@hourly":
      return make(["0", "0", "*", "*", "*", "*"]);
    default:
      // "@every" yields a ConstantDelaySchedule upstream; the simulator never needs it.
      throw new CronParseError(`unrecognized descriptor: ${spec}`);
  }
}

/** parser.go getField: a comma-separated list of ranges, OR-ed together (empty items are skipped like FieldsFunc). */
function getField(field: string, bounds: Bounds): CronField {
  const values: boolean[] = new Array<boolean>(bounds.max + 1).fill(false);
  let star = false;
  for (const expr of field.split(",").filter((e) => e.length > 0)) {
    const r = getRange(expr, bounds);
    for (let i = r.start; i <= r.end; i += r.step) values[i] = true;
    star = star || r.star;
  }
  return { values, star };
}

/** parser.go getRange: `*` | `?` | number | number-number, each optionally `/step`. */
function getRange(expr: string, bounds: Bounds): { start: number; end: number; step: number; star: boolean } {
  const rangeAndStep = expr.split("/");
  const lowAndHigh = rangeAndStep[0].split("-");
  const singleDigit = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === "*" || lowAndHigh[0] === "?") {
    start = bounds.min;
    end = bounds.max;
    star = true;
  } else {
    start = parseIntOrName(lowAndHigh[0], bounds.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1], bounds.names);
    else throw new CronParseError(`too many hyphens: ${expr}`);
  }
  let step: number;
  if (rangeAndStep.length === 1) step = 1;
  else if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1]);
    // "N/step" means "N-max/step".
    if (singleDigit) end = bounds.max;
    // v3: a stepped star ("*/2") no longer counts as a star for the day-of-month/day-of-week rule.
    if (step > 1) star = false;
  } else throw new CronParseError(`too many slashes: ${expr}`);
  if (start < bounds.min) {
    throw new CronParseError(`beginning of range (${start}) below minimum (${bounds.min}): ${expr}`);
  }
  if (end > bounds.max)
    throw new CronParseError(`end of range (${end}) above maximum (${bounds.max}): ${expr}`);
  if (start > end)
    throw new CronParseError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronParseError(`step of range should be a positive number: ${expr}`);
  return { start, end, step, star };
}

function parseIntOrName(expr: string, names: Readonly<Record<string, number>> | undefined): number {
  const named = names?.[expr.toLowerCase()];
  return named ?? mustParseInt(expr);
}

/** strconv.Atoi accepts an optional sign and decimal digits; negatives are then rejected. */
function mustParseInt(expr: string): number {
  if (!/^[+-]?\d+$/.test(expr)) {
    throw new CronParseError(
      `failed to parse int from ${expr}: strconv.Atoi: parsing "${expr}": invalid syntax`,
    );
  }
  const n = Number(expr);
  if (n < 0) throw new CronParseError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

// ---------------------------------------------------------------------------------------------------------------
// Go time semantics needed by Next, on epoch ms plus an IANA zone.

const zones = new Map<string, IANAZone>();
function zoneOf(name: string): IANAZone {
  let z = zones.get(name);
  if (z === undefined) {
    z = IANAZone.create(name);
    if (!z.isValid) throw new CronParseError(`unknown time zone ${name}`);
    zones.set(name, z);
  }
  return z;
}

// Offsets are cached: luxon's Intl-based lookup is slow (about 0.1 ms a call under jest) and the search loops ask
// thousands of times. Per zone and UTC week: if the week's first and last instants share an offset, the whole
// week has it (zones change at most once a week); otherwise the single transition is found by bisection to the
// quarter hour (every transition since 1970 falls on a quarter hour UTC).
interface WeekOffsets {
  readonly before: number;
  readonly after: number;
  /** First instant with the `after` offset (Infinity when the week is uniform). */
  readonly switchAt: number;
}
const offsetCache = new Map<IANAZone, Map<number, WeekOffsets>>();
const DAY_MS = 86400000;
const WEEK_MS = 7 * DAY_MS;
const QUARTER_MS = 900000;

function weekOffsets(zone: IANAZone, week: number): WeekOffsets {
  const start = week * WEEK_MS;
  const before = zone.offset(start) * 60000;
  const after = zone.offset(start + WEEK_MS - 1) * 60000;
  if (before === after) return { before, after, switchAt: Number.POSITIVE_INFINITY };
  let lo = 0; // quarter index known to have `before`
  let hi = WEEK_MS / QUARTER_MS; // quarter index known to have `after` (exclusive end)
  while (hi - lo > 1) {
    const mid = floor((lo + hi) / 2);
    if (zone.offset(start + mid * QUARTER_MS) * 60000 === before) lo = mid;
    else hi = mid;
  }
  return { before, after, switchAt: start + hi * QUARTER_MS };
}

/** UTC offset of `zone` at instant `ms`, in ms. */
function offsetAt(zone: IANAZone, ms: number): number {
  let weeks = offsetCache.get(zone);
  if (weeks === undefined) {
    weeks = new Map();
    offsetCache.set(zone, weeks);
  }
  const week = floor(ms / WEEK_MS);
  let w = weeks.get(week);
  if (w === undefined) {
    w = weekOffsets(zone, week);
    weeks.set(week, w);
  }
  return ms < w.switchAt ? w.before : w.after;
}

/** Wall-clock fields of instant `ms` in `zone` (Go's t.Date()/t.Clock()/t.Weekday() after t.In(loc)). */
export interface Wall {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly weekday: number;
}
export function wallOf(ms: number, zone: string): Wall {
  const local = ms + offsetAt(zoneOf(zone), ms);
  // Integer civil-from-days (proleptic Gregorian): cheaper than a Date per call in the search loops.
  const days = floor(local / DAY_MS);
  const secs = floor((local - days * DAY_MS) / 1000);
  const z = days + 719468;
  const era = floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = floor((doe - floor(doe / 1460) + floor(doe / 36524) - floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + floor(yoe / 4) - floor(yoe / 100));
  const mp = floor((5 * doy + 2) / 153);
  const day = doy - floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return {
    year,
    month,
    day,
    hour: floor(secs / 3600),
    minute: floor((secs % 3600) / 60),
    second: secs % 60,
    weekday: (((days + 4) % 7) + 7) % 7, // 1970-01-01 was a Thursday
  };
}

/**
 * Go's `time.Date(y, mo, d, h, mi, s, 0, loc)`: fields out of range are normalised (Date.UTC does the same
 * carrying), then the offset is looked up at the wall time read as UTC; if the UTC instant that offset gives lies
 * outside that offset's period, the offset in force at that instant is used instead (Go's time.Date; an offset of
 * zero is taken as is). Consequences the tests pin: the missing London wall time 01:30 on 2026-03-29 resolves to
 * 02:30 BST, the missing New York wall time 02:30 on 2026-03-08 to 01:30 EST; an ambiguous wall time resolves to
 * the second (GMT) occurrence in London and to the first (EDT) occurrence in New York.
 */
export function goDate(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  zone: string,
): number {
  const z = zoneOf(zone);
  const wall = dateUTC(year, month - 1, day, hour, minute, second);
  const first = offsetAt(z, wall);
  if (first === 0) return wall; // upstream only adjusts when the looked-up offset is non-zero
  const utc = wall - first;
  const second2 = offsetAt(z, utc);
  return wall - (second2 === first ? first : second2);
}

/** Go's t.AddDate(0, months, days): add to the wall fields, then resolve them with time.Date. */
function addDate(ms: number, zone: string, months: number, days: number): number {
  const w = wallOf(ms, zone);
  return goDate(w.year, w.month + months, w.day + days, w.hour, w.minute, w.second, zone);
}

/** Increments from `value` to the next matching value, or to the wrap at `size` (value 0), whichever is first. */
function stepsToMatch(values: readonly boolean[], value: number, size: number): number {
  for (let v = value + 1; v < size; v++) if (values[v]) return v - value;
  return size - value;
}

function dayMatches(s: SpecSchedule, w: Wall): boolean {
  // spec.go dayMatches: if either day field is a star, both must match; otherwise either may.
  const domMatch = s.dom.values[w.day] === true;
  const dowMatch = s.dow.values[w.weekday] === true;
  if (s.dom.star || s.dow.star) return domMatch && dowMatch;
  return domMatch || dowMatch;
}

/**
 * upstream SpecSchedule.Next: the first activation strictly after `t` (epoch ms), evaluated in the schedule's
 * location, or in `zone` (the zone of the time passed in, as KEDA passes `time.Now().In(location)`) when the spec
 * had no TZ prefix. Returns {@link ZERO_TIME} when nothing matches within five years.
 *
 * Mirrors spec.go: start at the next whole second; then for month, day, hour, minute, second in turn, while the
 * field does not match, increment it (the first increment resets the smaller fields: `added`), and go back to the
 * month check whenever a field wraps. Days are added with AddDate (wall clock) and nudged back to midnight when
 * DST moved it; hours, minutes and seconds are added as absolute durations. That is why a wall time inside a
 * spring-forward gap never matches (the hour loop steps from 01:xx straight to 03:xx) and why a wall time inside
 * the autumn fold matches twice (adding one absolute hour to 01:xx summer time gives 01:xx winter time).
 */
export function next(s: SpecSchedule, t: number, zone: string): number {
  const loc = s.location ?? zone;
  // Start at the earliest possible time: the upcoming whole second.
  let cur = floor(t / 1000) * 1000 + 1000;
  let added = false;
  const yearLimit = wallOf(cur, loc).year + 5;

  for (;;) {
    // WRAP:
    let w = wallOf(cur, loc);
    if (w.year > yearLimit) return ZERO_TIME;

    let wrapped = false;
    while (!s.month.values[w.month]) {
      if (!added) {
        added = true;
        cur = goDate(w.year, w.month, 1, 0, 0, 0, loc);
      }
      cur = addDate(cur, loc, 1, 0);
      w = wallOf(cur, loc);
      if (w.month === 1) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) continue;

    while (!dayMatches(s, w)) {
      if (!added) {
        added = true;
        cur = goDate(w.year, w.month, w.day, 0, 0, 0, loc);
      }
      cur = addDate(cur, loc, 0, 1);
      w = wallOf(cur, loc);
      // Midnight may not exist or may be doubled: move back to the hour 0 the day was meant to start at.
      if (w.hour !== 0) {
        cur += (w.hour > 12 ? 24 - w.hour : -w.hour) * 3600000;
        w = wallOf(cur, loc);
      }
      if (w.day === 1) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) continue;

    while (!s.hour.values[w.hour]) {
      if (!added) {
        added = true;
        cur = goDate(w.year, w.month, w.day, w.hour, 0, 0, loc);
      }
      cur += 3600000;
      w = wallOf(cur, loc);
      if (w.hour === 0) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) continue;

    while (!s.minute.values[w.minute]) {
      if (!added) {
        added = true;
        cur = floor(cur / 60000) * 60000; // t.Truncate(time.Minute): absolute, not wall-clock
      }
      // Upstream adds one minute per iteration; when no UTC offset change lies ahead in this hour, the local
      // minute just counts up, so jump straight to the first matching minute or to the wrap at minute 0.
      const steps = stepsToMatch(s.minute.values, w.minute, 60);
      const target = cur + steps * 60000;
      if (steps > 1 && offsetAt(zoneOf(loc), target) === offsetAt(zoneOf(loc), cur)) cur = target;
      else cur += 60000;
      w = wallOf(cur, loc);
      if (w.minute === 0) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) continue;

    while (!s.second.values[w.second]) {
      if (!added) {
        added = true;
        cur = floor(cur / 1000) * 1000;
      }
      // Within a minute no offset changes (transitions fall on whole minutes): jump like the minute loop.
      cur += stepsToMatch(s.second.values, w.second, 60) * 1000;
      w = wallOf(cur, loc);
      if (w.second === 0) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) continue;

    return cur;
  }
}

/**
 * Every activation of `s` in (from, until], plus the first one after `until` (or ZERO_TIME when none), computed by
 * chaining {@link next}. The simulator looks `Next(t)` up in this list instead of re-running the search per poll.
 */
export function activations(s: SpecSchedule, from: number, until: number, zone: string): number[] {
  const out: number[] = [];
  let t = from;
  for (;;) {
    const n = next(s, t, zone);
    out.push(n);
    if (n === ZERO_TIME || n > until) return out;
    t = n;
  }
}
