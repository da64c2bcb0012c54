/**
 * One cell of a history row: an ISO 8601 instant with a zone, a load, a replica count or a latency. Plain
 * regular expressions and `Date.UTC`, no date library: a history has hundreds of thousands of rows.
 */
import { MINUTE_MS } from "../../core";

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^\+?\d+$/;

/** Why a time cell is refused. */
export type TimeFault = "format" | "minute";

/**
 * Epoch ms of `2026-09-07T08:00:00Z`, `2026-09-07T10:00+02:00`, ...; `"format"` when it is not ISO 8601 with a
 * zone (Z or ±hh:mm) or not a real date and time, `"minute"` when it has seconds: a row describes a minute.
 */
export function parseInstant(text: string): number | TimeFault {
  const m = ISO.exec(text);
  if (m === null) return "format";
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const s = m[6] === undefined ? 0 : Number(m[6]);
  const offset = m[8] === "Z" ? 0 : (m[9] === "-" ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const back = new Date(wall);
  const real =
    back.getUTCFullYear() === y &&
    back.getUTCMonth() === mo - 1 &&
    back.getUTCDate() === d &&
    h < 24 &&
    mi < 60 &&
    s < 60 &&
    Number(m[11] ?? 0) < 60;
  if (!real) return "format";
  if (s !== 0 || /[1-9]/.test(m[7] ?? "")) return "minute";
  return wall - offset * MINUTE_MS;
}

/**
 * The value of `text[start, end)` when it is plain digits with at most one `.` and at most 15 digits, else -1 (then
 * parse the cell's text). Exact: the digits as an integer below 2^53 divided by a power of ten up to 10^15 are both
 * exact doubles, and one IEEE division rounds correctly, so this is what `Number` gives (Clinger's fast path).
 * It reads the row in place, without cutting a string per cell.
 */
export function plainDecimal(text: string, start: number, end: number): number {
  let digits = 0;
  let mantissa = 0;
  let scale = -1;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (scale >= 0) return -1;
      scale = 0;
    } else if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      if (++digits > 15) return -1;
      if (scale >= 0) scale++;
    } else return -1;
  }
  if (digits === 0) return -1;
  return scale > 0 ? mantissa / POWERS_OF_TEN[scale]! : mantissa;
}
const POWERS_OF_TEN = Array.from({ length: 16 }, (_, i) => 10 ** i);

/** A finite number >= 0, or undefined when `text` is anything else (negative, `0x10`, `Infinity`, words). */
export function parseNonNegative(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** A safe integer >= 0, or undefined. */
export function parseCount(text: string): number | undefined {
  if (!INTEGER.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}
