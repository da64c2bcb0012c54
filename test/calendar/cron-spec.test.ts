import fc from "fast-check";
import {
  ceilToMinute,
  floorToMinute,
  parseCronSpec,
  toCronSpec,
  validateCronPair,
} from "../../components/calendar/compile/cron-spec";

describe("toCronSpec", () => {
  it("writes a UTC date-specific 5-field spec", () => {
    expect(toCronSpec(Date.UTC(2025, 9, 6, 8, 50))).toBe("50 8 6 10 *");
    expect(toCronSpec(Date.UTC(2026, 0, 1, 0, 0))).toBe("0 0 1 1 *");
  });

  it("rejects an instant that is not a whole minute", () => {
    expect(() => toCronSpec(Date.UTC(2025, 9, 6, 8, 50, 30))).toThrow(
      "Invalid input in toCronSpec (1 problem):\n" +
        "  - `instant`: got 1759740630000; must be a whole UTC minute (epoch ms divisible by 60000)",
    );
  });

  it("round-trips every minute to the same UTC minute, hour, day and month", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (minutes) => {
        const t = Date.UTC(2024, 0, 1) + minutes * 60_000;
        const parsed = parseCronSpec(toCronSpec(t));
        if (Array.isArray(parsed)) return false;
        const d = new Date(t);
        return (
          parsed.minute.has(d.getUTCMinutes()) &&
          parsed.hour.has(d.getUTCHours()) &&
          parsed.dom.has(d.getUTCDate()) &&
          parsed.month.has(d.getUTCMonth() + 1) &&
          parsed.dowStar &&
          parsed.dom.size === 1
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe("minute rounding", () => {
  it("rounds starts down and ends up to the minute", () => {
    expect(floorToMinute(Date.UTC(2025, 0, 1, 9, 59, 59))).toBe(Date.UTC(2025, 0, 1, 9, 59));
    expect(ceilToMinute(Date.UTC(2025, 0, 1, 9, 59, 1))).toBe(Date.UTC(2025, 0, 1, 10, 0));
    expect(ceilToMinute(Date.UTC(2025, 0, 1, 10, 0))).toBe(Date.UTC(2025, 0, 1, 10, 0));
  });
});

describe("validateCronPair", () => {
  it("accepts a date-specific pair", () => {
    expect(validateCronPair("50 8 6 10 *", "5 10 6 10 *")).toEqual([]);
  });

  it("rejects seconds, years, descriptors and embedded time zones", () => {
    expect(validateCronPair("0 50 8 6 10 *", "@daily")).toEqual([
      "`0 50 8 6 10 *` has 6 fields; exactly 5 are allowed (seconds are not allowed)",
      "`@daily` is a descriptor; only 5-field specs are allowed",
    ]);
    expect(validateCronPair("50 8 6 10 * 2025", "CRON_TZ=UTC 0 9 6 10 *")).toEqual([
      "`50 8 6 10 * 2025` has 6 fields; exactly 5 are allowed (seconds are not allowed)",
      "`CRON_TZ=UTC 0 9 6 10 *` embeds a time zone; set the trigger's timezone instead",
    ]);
    expect(validateCronPair("0 50 8 6 10 * 2025", "0 9 6 10 *")).toEqual([
      "`0 50 8 6 10 * 2025` has 7 fields; exactly 5 are allowed (years are not allowed)",
    ]);
  });

  it("rejects a pair spelt differently that fires at the same instants (always active in KEDA)", () => {
    expect(validateCronPair("0 6 * * *", "00 6 * * *")).toEqual([
      "start `0 6 * * *` and end `00 6 * * *` fire at the same instants, so the trigger is always active",
    ]);
    expect(validateCronPair("0 6 * * mon-fri", "0 6 ? * 1-5")).toEqual([
      "start `0 6 * * mon-fri` and end `0 6 ? * 1-5` fire at the same instants, so the trigger is always active",
    ]);
  });

  it("rejects days a month does not have and a start on 29 February", () => {
    expect(validateCronPair("0 9 31 4 *", "0 10 30 2 *")).toEqual([
      "start `0 9 31 4 *` names a day its month does not have",
      "end `0 10 30 2 *` names a day its month does not have",
    ]);
    expect(validateCronPair("0 9 29 2 *", "0 10 1 3 *")).toEqual([
      "start `0 9 29 2 *` is 29 February, which recurs only in leap years; start on 28 February instead",
    ]);
    expect(validateCronPair("0 9 28 2 *", "0 10 29 2 *")).toEqual([]);
  });

  it("reports out-of-range and malformed fields", () => {
    expect(validateCronPair("60 8 6 10 *", "0 9 6 x *")).toEqual([
      "`60 8 6 10 *`: minute `60` is outside 0-59",
      "`0 9 6 x *`: month `x` is not a number or name",
    ]);
  });
});
