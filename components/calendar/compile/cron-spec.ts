/**
 * Instants to 5-field cron specs for KEDA's cron scaler, and a validator for spec pairs.
 *
 * What this relies on (read upstream):
 * - kedacore/keda `pkg/scalers/cron_scaler.go` (v2.1x/v2.20): `Validate()` parses `start`/`end` with
 *   `cron.NewParser(Minute | Hour | Dom | Month | Dow)` (exactly 5 fields, no seconds, no descriptors) and rejects
 *   `start == end` only as equal *strings*. `GetMetricsAndActivity` asks robfig/cron for the next start and the next
 *   end after now (in `timezone`) and is active unless `nextStart < nextEnd` — so a pair spelt differently but
 *   firing at the same instants (`0 6 * * *` / `00 6 * * *`) is active all the time.
 * - robfig/cron `spec.go`: `Next(t)` is strictly after `t` (it starts at the upcoming second); if both day-of-month
 *   and day-of-week are restricted they match with OR, if either is `*` with AND; if nothing matches within five
 *   years it returns the zero time. A date-specific spec (`M H D Mon *`) therefore recurs every year.
 *
 * The compiler only emits UTC (`Etc/UTC`) date-specific specs: UTC has no DST, so robfig's behaviour in
 * spring-forward gaps (wall time skipped) and fall-back folds (wall time fired twice) cannot apply.
 */
import { MINUTE_MS, InputError } from "../../core";

/** @internal The only time zone the compiler emits. */
export const CRON_TIMEZONE = "Etc/UTC";

/** @internal */
export function floorToMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/** @internal */
export function ceilToMinute(ms: number): number {
  return Math.ceil(ms / MINUTE_MS) * MINUTE_MS;
}

/** @internal True when `ms` falls on 29 February (UTC). */
export function isLeapDay(ms: number): boolean {
  const d = new Date(ms);
  return d.getUTCMonth() === 1 && d.getUTCDate() === 29;
}

/**
 * The date-specific UTC spec `M H D Mon *` firing at `instant` (which must be a whole minute).
 * @throws an `InputError` when `instant` is not a finite whole minute.
 * @internal
 */
export function toCronSpec(instant: number): string {
  if (!Number.isFinite(instant) || instant % MINUTE_MS !== 0) {
    throw new InputError("toCronSpec", [
      { path: "instant", value: instant, rule: "must be a whole UTC minute (epoch ms divisible by 60000)" },
    ]);
  }
  const d = new Date(instant);
  return `${d.getUTCMinutes()} ${d.getUTCHours()} ${d.getUTCDate()} ${d.getUTCMonth() + 1} *`;
}

/** @internal A parsed 5-field spec: the set of values of each field, and whether dom/dow were `*` (robfig's star bit). */
export interface ParsedCronSpec {
  readonly minute: ReadonlySet<number>;
  readonly hour: ReadonlySet<number>;
  readonly dom: ReadonlySet<number>;
  readonly month: ReadonlySet<number>;
  readonly dow: ReadonlySet<number>;
  readonly domStar: boolean;
  readonly dowStar: boolean;
}

interface FieldBounds {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const MONTH_NAMES = {
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
};
const DOW_NAMES = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const FIELDS: readonly FieldBounds[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTH_NAMES },
  { name: "day-of-week", min: 0, max: 6, names: DOW_NAMES },
];
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function parseValue(text: string, b: FieldBounds): number | undefined {
  const named = b.names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

/** Parses one field into its value set, or returns a problem. Grammar as robfig's getRange: `*|?|a|a-b` [`/step`]. */
function parseField(text: string, b: FieldBounds): { values: Set<number>; star: boolean } | string {
  const values = new Set<number>();
  let star = false;
  for (const part of text.split(",")) {
    const [range, stepText, extra] = part.split("/");
    if (extra !== undefined || range === undefined || range === "")
      return `${b.name} \`${text}\` is malformed`;
    const step = stepText === undefined ? 1 : /^\d+$/.test(stepText) ? Number(stepText) : 0;
    if (step < 1) return `${b.name} \`${text}\` has an invalid step`;
    let lo: number | undefined;
    let hi: number | undefined;
    if (range === "*" || range === "?") {
      [lo, hi, star] = [b.min, b.max, true];
    } else {
      const bounds = range.split("-");
      if (bounds.length > 2) return `${b.name} \`${text}\` is malformed`;
      lo = parseValue(bounds[0] ?? "", b);
      hi = bounds.length === 2 ? parseValue(bounds[1] ?? "", b) : stepText === undefined ? lo : b.max;
    }
    if (lo === undefined || hi === undefined) return `${b.name} \`${text}\` is not a number or name`;
    if (lo < b.min || hi > b.max || lo > hi) return `${b.name} \`${text}\` is outside ${b.min}-${b.max}`;
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return { values, star };
}

/** @internal Parses a spec the way KEDA's validator does (5 fields only); returns the parsed spec or the problems. */
export function parseCronSpec(spec: string): ParsedCronSpec | string[] {
  const trimmed = spec.trim();
  if (trimmed.startsWith("@")) return [`\`${spec}\` is a descriptor; only 5-field specs are allowed`];
  if (/^(CRON_)?TZ=/.test(trimmed))
    return [`\`${spec}\` embeds a time zone; set the trigger's timezone instead`];
  const fields = trimmed.split(/\s+/);
  if (fields.length !== 5) {
    const hint =
      fields.length === 6
        ? " (seconds are not allowed)"
        : fields.length === 7
          ? " (years are not allowed)"
          : "";
    return [`\`${spec}\` has ${fields.length} fields; exactly 5 are allowed${hint}`];
  }
  const problems: string[] = [];
  const parsed = FIELDS.map((b, i) => {
    const r = parseField(fields[i] ?? "", b);
    if (typeof r === "string") problems.push(`\`${spec}\`: ${r}`);
    return typeof r === "string" ? { values: new Set<number>(), star: false } : r;
  });
  if (problems.length > 0) return problems;
  const [minute, hour, dom, month, dow] = parsed as [
    (typeof parsed)[0],
    (typeof parsed)[0],
    (typeof parsed)[0],
    (typeof parsed)[0],
    (typeof parsed)[0],
  ];
  return {
    minute: minute.values,
    hour: hour.values,
    dom: dom.values,
    month: month.values,
    dow: dow.values,
    domStar: dom.star,
    dowStar: dow.star,
  };
}

function sameSet(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  return a.size === b.size && [...a].every((v) => b.has(v));
}

/** @internal True when two specs fire at exactly the same instants (robfig's matching rules), whatever their spelling. */
export function sameFiringTimes(a: ParsedCronSpec, b: ParsedCronSpec): boolean {
  const dayRule = (s: ParsedCronSpec): string => (s.domStar || s.dowStar ? "and" : "or");
  return (
    sameSet(a.minute, b.minute) &&
    sameSet(a.hour, b.hour) &&
    sameSet(a.month, b.month) &&
    sameSet(a.dom, b.dom) &&
    sameSet(a.dow, b.dow) &&
    dayRule(a) === dayRule(b)
  );
}

/** A date-specific spec (one minute, hour, day and month; any weekday) that can never fire, e.g. 31 April. */
function impossibleDate(s: ParsedCronSpec): boolean {
  if (!s.dowStar || s.dom.size !== 1 || s.month.size !== 1) return false;
  const [day] = s.dom;
  const [month] = s.month;
  return day !== undefined && month !== undefined && day > (DAYS_IN_MONTH[month - 1] ?? 31);
}

function isOnlyLeapDay(s: ParsedCronSpec): boolean {
  return s.dowStar && s.dom.size === 1 && s.dom.has(29) && s.month.size === 1 && s.month.has(2);
}

/**
 * Problems with a (start, end) pair for a KEDA cron trigger, empty when it is safe: each spec must be 5 fields
 * (no seconds, years, descriptors or TZ prefix), the two must not fire at the same instants (always active), no
 * date-specific spec may name a day the month does not have, and `start` may not be 29 February: it recurs only in
 * leap years, so after the window `nextEnd` (next year) comes before `nextStart` (four years on) and the trigger
 * would be active again for years.
 * @internal
 */
export function validateCronPair(start: string, end: string): string[] {
  const s = parseCronSpec(start);
  const e = parseCronSpec(end);
  const problems = [...(Array.isArray(s) ? s : []), ...(Array.isArray(e) ? e : [])];
  if (Array.isArray(s) || Array.isArray(e)) return problems;
  if (sameFiringTimes(s, e)) {
    problems.push(
      `start \`${start}\` and end \`${end}\` fire at the same instants, so the trigger is always active`,
    );
  }
  for (const [label, spec, parsed] of [["start", start, s] as const, ["end", end, e] as const]) {
    if (impossibleDate(parsed)) problems.push(`${label} \`${spec}\` names a day its month does not have`);
  }
  if (isOnlyLeapDay(s)) {
    problems.push(
      `start \`${start}\` is 29 February, which recurs only in leap years; start on 28 February instead`,
    );
  }
  return problems;
}
