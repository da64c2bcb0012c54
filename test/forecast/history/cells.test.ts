/** The cell readers: the in-place decimal fast path equals `Number` exactly, and the instant parser's zones. */
import fc from "fast-check";
import { parseInstant, plainDecimal } from "../../../components/forecast/history/cells";

describe("plainDecimal", () => {
  it("gives exactly what Number gives for any plain decimal of up to 15 digits, read in place", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e9, noNaN: true }),
        fc.integer({ min: 0, max: 6 }),
        fc.string({ maxLength: 3 }),
        (v, decimals, pad) => {
          const text = v.toFixed(decimals);
          const line = `${pad},${text},${pad}`;
          const start = pad.length + 1;
          const digits = text.replace(".", "").length;
          expect(plainDecimal(line, start, start + text.length)).toBe(digits > 15 ? -1 : Number(text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("leaves signs, exponents, words, lone dots and two dots to the full parser", () => {
    for (const text of ["-1", "+1", "1e3", "abc", ".", "1.2.3", "", "0x10"]) {
      expect([text, plainDecimal(text, 0, text.length)]).toEqual([text, -1]);
    }
    expect([plainDecimal(".5", 0, 2), plainDecimal("7.", 0, 2), plainDecimal("007", 0, 3)]).toEqual([
      0.5, 7, 7,
    ]);
  });
});

describe("parseInstant", () => {
  it("reads Z and ±hh:mm offsets, with or without seconds and zero fractions", () => {
    const t = Date.parse("2026-09-07T08:00:00Z");
    expect(
      [
        "2026-09-07T08:00Z",
        "2026-09-07T08:00:00Z",
        "2026-09-07T08:00:00.000Z",
        "2026-09-07T10:00+02:00",
        "2026-09-07T02:15-05:45",
      ].map(parseInstant),
    ).toEqual([t, t, t, t, t]);
  });

  it("refuses what is not a real instant with a zone, and seconds that are not a whole minute", () => {
    expect(
      [
        "2026-09-07T08:00",
        "2026-09-07 08:00Z",
        "2026-13-01T00:00Z",
        "2026-09-07T24:00Z",
        "2026-09-07T08:00+0200",
        "2026-09-07T08:00z",
      ].map(parseInstant),
    ).toEqual(["format", "format", "format", "format", "format", "format"]);
    expect(["2026-09-07T08:00:01Z", "2026-09-07T08:00:00.5Z"].map(parseInstant)).toEqual([
      "minute",
      "minute",
    ]);
  });
});
