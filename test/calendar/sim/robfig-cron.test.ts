import fc from "fast-check";
import { ZERO_TIME, activations, goDate, next, parseSpec, wallOf } from "./robfig-cron";

const LON = "Europe/London";
const NY = "America/New_York";
const iso = (ms: number): string => new Date(ms).toISOString();
const at = (s: string): number => Date.parse(s);
const nextIso = (spec: string, from: string, zone: string): string =>
  iso(next(parseSpec(spec), at(from), zone));

describe("robfig/cron v3 parser (5-field standard parser, as KEDA builds it)", () => {
  it.each([
    ["0 9 * *", "expected exactly 5 fields, found 4: [0 9 * *]"],
    ["0 0 9 * * *", "expected exactly 5 fields, found 6: [0 0 9 * * *]"],
    ["60 * * * *", "end of range (60) above maximum (59): 60"],
    ["0 24 * * *", "end of range (24) above maximum (23): 24"],
    ["0 9 0 * *", "beginning of range (0) below minimum (1): 0"],
    ["0 9 * * 7", "end of range (7) above maximum (6): 7"],
    ["5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"],
    ["*/0 * * * *", "step of range should be a positive number: */0"],
    ["1-2-3 * * * *", "too many hyphens: 1-2-3"],
    ["1/2/3 * * * *", "too many slashes: 1/2/3"],
    ["x * * * *", 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ["@daily", "parser does not accept descriptors: @daily"],
    ["", "empty spec string"],
  ])("rejects %j with upstream's message", (spec, message) => {
    expect(() => parseSpec(spec)).toThrow(message);
  });

  it("accepts names, lists, ranges and steps and sets exactly the listed values", () => {
    const s = parseSpec("0,30 8-10/2 1,15 JAN-mar mon-fri");
    const on = (v: readonly boolean[]): number[] => v.flatMap((b, i) => (b ? [i] : []));
    expect(on(s.minute.values)).toEqual([0, 30]);
    expect(on(s.hour.values)).toEqual([8, 10]);
    expect(on(s.dom.values)).toEqual([1, 15]);
    expect(on(s.month.values)).toEqual([1, 2, 3]);
    expect(on(s.dow.values)).toEqual([1, 2, 3, 4, 5]);
    expect(s.second.values[0]).toBe(true);
    expect(s.dom.star || s.dow.star).toBe(false);
  });

  it("treats N/step as N-max/step and keeps the star bit only for an unstepped star", () => {
    const s = parseSpec("5/20 * */1 * */2");
    expect(s.minute.values.flatMap((b, i) => (b ? [i] : []))).toEqual([5, 25, 45]);
    expect(s.dom.star).toBe(true);
    expect(s.dow.star).toBe(false);
  });

  it("reads a CRON_TZ prefix as the schedule's own location", () => {
    const s = parseSpec("CRON_TZ=America/New_York 0 9 * * *");
    expect(s.location).toBe(NY);
    expect(iso(next(s, at("2026-06-01T00:00:00Z"), "UTC"))).toBe("2026-06-01T13:00:00.000Z");
  });
});

describe("Go time.Date resolution of DST wall times", () => {
  it("moves a London gap wall time forward and a New York one backward", () => {
    expect(iso(goDate(2026, 3, 29, 1, 30, 0, LON))).toBe("2026-03-29T01:30:00.000Z"); // 02:30 BST
    expect(iso(goDate(2026, 3, 8, 2, 30, 0, NY))).toBe("2026-03-08T06:30:00.000Z"); // 01:30 EST
  });

  it("picks the second occurrence of a London fold time and the first of a New York one", () => {
    expect(iso(goDate(2026, 10, 25, 1, 30, 0, LON))).toBe("2026-10-25T01:30:00.000Z"); // 01:30 GMT
    expect(iso(goDate(2026, 11, 1, 1, 30, 0, NY))).toBe("2026-11-01T05:30:00.000Z"); // 01:30 EDT
  });

  it("normalises out-of-range fields like Go (April 31 is May 1)", () => {
    expect(iso(goDate(2026, 4, 31, 0, 0, 0, "UTC"))).toBe("2026-05-01T00:00:00.000Z");
    expect(iso(goDate(2026, 13, 1, 0, 0, 0, "UTC"))).toBe("2027-01-01T00:00:00.000Z");
  });
});

describe("SpecSchedule.Next", () => {
  it("reproduces upstream's own New York 2012 DST cases", () => {
    expect(nextIso("30 2 11 Mar ?", "2012-03-11T05:00:00Z", NY)).toBe("2013-03-11T06:30:00.000Z");
    expect(nextIso("0 * * * ?", "2012-03-11T06:00:00Z", NY)).toBe("2012-03-11T07:00:00.000Z");
    expect(nextIso("30 1 04 Nov ?", "2012-11-04T05:45:00Z", NY)).toBe("2012-11-04T06:30:00.000Z");
    expect(nextIso("0 1 * * ?", "2012-11-04T06:00:00Z", NY)).toBe("2012-11-05T06:00:00.000Z");
  });

  it("never fires a London wall time inside the 2026-03-29 gap and fires the hour after it", () => {
    expect(nextIso("30 1 * * *", "2026-03-28T12:00:00Z", LON)).toBe("2026-03-30T00:30:00.000Z");
    expect(nextIso("30 1 29 3 *", "2026-03-28T12:00:00Z", LON)).toBe("2027-03-29T00:30:00.000Z");
    expect(nextIso("0 2 * * *", "2026-03-28T12:00:00Z", LON)).toBe("2026-03-29T01:00:00.000Z");
    expect(nextIso("0 * * * *", "2026-03-29T00:30:00Z", LON)).toBe("2026-03-29T01:00:00.000Z");
  });

  it("fires a London wall time inside the 2026-10-25 fold twice", () => {
    const s = parseSpec("30 1 * * *");
    const fires = activations(s, at("2026-10-24T12:00:00Z"), at("2026-10-26T01:00:00Z"), LON).map(iso);
    expect(fires).toEqual([
      "2026-10-25T00:30:00.000Z", // 01:30 BST
      "2026-10-25T01:30:00.000Z", // 01:30 GMT
      "2026-10-26T01:30:00.000Z",
    ]);
  });

  it("never fires a New York wall time inside the 2026-03-08 gap", () => {
    expect(nextIso("30 2 * * *", "2026-03-07T12:00:00Z", NY)).toBe("2026-03-09T06:30:00.000Z");
    expect(nextIso("0 * * * *", "2026-03-08T06:30:00Z", NY)).toBe("2026-03-08T07:00:00.000Z"); // 03:00 EDT
  });

  it("fires a New York wall time inside the 2026-11-01 fold twice, hourly specs every real hour", () => {
    const fires = activations(
      parseSpec("30 1 * * *"),
      at("2026-10-31T12:00:00Z"),
      at("2026-11-02T06:00:00Z"),
      NY,
    );
    expect(fires.map(iso)).toEqual([
      "2026-11-01T05:30:00.000Z", // 01:30 EDT
      "2026-11-01T06:30:00.000Z", // 01:30 EST
      "2026-11-02T06:30:00.000Z",
    ]);
    const hourly = activations(
      parseSpec("0 * * * *"),
      at("2026-11-01T04:30:00Z"),
      at("2026-11-01T07:30:00Z"),
      NY,
    );
    expect(hourly.map(iso)).toEqual([
      "2026-11-01T05:00:00.000Z",
      "2026-11-01T06:00:00.000Z",
      "2026-11-01T07:00:00.000Z",
      "2026-11-01T08:00:00.000Z",
    ]);
  });

  it("ORs day-of-month and day-of-week when both are restricted, ANDs when either is a star", () => {
    // February 2026 starts on a Sunday: Fridays are the 6th, 13th, 20th, 27th.
    const or = activations(
      parseSpec("0 9 10 * 5"),
      at("2026-02-01T00:00:00Z"),
      at("2026-02-14T00:00:00Z"),
      "UTC",
    );
    expect(or.map(iso).slice(0, 3)).toEqual([
      "2026-02-06T09:00:00.000Z",
      "2026-02-10T09:00:00.000Z",
      "2026-02-13T09:00:00.000Z",
    ]);
    expect(nextIso("0 9 */1 * 5", "2026-02-06T09:00:00Z", "UTC")).toBe("2026-02-13T09:00:00.000Z");
    expect(nextIso("0 9 10 * *", "2026-02-01T00:00:00Z", "UTC")).toBe("2026-02-10T09:00:00.000Z");
    // A stepped star is not a star in v3: odd days OR Fridays.
    expect(nextIso("0 9 */2 * 5", "2026-02-05T09:00:00Z", "UTC")).toBe("2026-02-06T09:00:00.000Z");
    expect(nextIso("0 9 */2 * 5", "2026-02-06T09:00:00Z", "UTC")).toBe("2026-02-07T09:00:00.000Z");
  });

  it("finds February 29 in the next leap year and wraps the year", () => {
    expect(nextIso("0 0 29 2 *", "2026-03-01T00:00:00Z", "UTC")).toBe("2028-02-29T00:00:00.000Z");
    expect(nextIso("0 0 1 1 *", "2026-12-31T23:59:30Z", "UTC")).toBe("2027-01-01T00:00:00.000Z");
    expect(nextIso("59 23 31 12 *", "2026-12-31T23:59:00Z", "UTC")).toBe("2027-12-31T23:59:00.000Z");
  });

  it("returns Go's zero time when nothing fires within five years", () => {
    expect(next(parseSpec("0 0 30 2 *"), at("2026-01-01T00:00:00Z"), "UTC")).toBe(ZERO_TIME);
    expect(iso(ZERO_TIME)).toBe("0001-01-01T00:00:00.000Z");
  });

  it("is strictly after its argument, also from a fire instant and from a fraction of a second before one", () => {
    expect(nextIso("0 9 * * *", "2026-05-01T09:00:00Z", "UTC")).toBe("2026-05-02T09:00:00.000Z");
    expect(nextIso("0 9 * * *", "2026-05-01T08:59:59.500Z", "UTC")).toBe("2026-05-01T09:00:00.000Z");
  });

  it("agrees with its chained activation list for any instant between two activations (property)", () => {
    const specs = ["30 1 * * *", "0 2 * * *", "15 */3 * * 1-5", "0 0 1,15 * *", "45 23 * * 0", "0 1 25 10 *"];
    const zones = [LON, NY, "UTC", "Asia/Tokyo"];
    const base = at("2026-01-01T00:00:00Z");
    fc.assert(
      fc.property(
        fc.constantFrom(...specs),
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 364 * 86400 }),
        (spec, zone, offsetS) => {
          const s = parseSpec(spec);
          const t = base + offsetS * 1000;
          const n = next(s, t, zone);
          expect(n).toBeGreaterThan(t);
          const w = wallOf(n, zone);
          expect(s.minute.values[w.minute] && s.hour.values[w.hour] && w.second === 0).toBe(true);
          // Next from any point in [t, n) gives n again.
          const mid = t + Math.floor((n - t) / 2);
          expect(next(s, mid, zone)).toBe(n);
          expect(next(s, n - 1, zone)).toBe(n);
        },
      ),
      { numRuns: 150, seed: 20260329 },
    );
  });
});
