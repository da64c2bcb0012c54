import { join } from "path";
import { loadCalendarFile } from "../../components/calendar/input/load";

const ROOT = join(__dirname, "..", "..");
const KINDS = ["lecture", "exam", "launch", "enrollment", "live"];
const horizon = { from: Date.parse("2026-09-01T00:00:00Z"), to: Date.parse("2027-06-01T00:00:00Z") };

describe("loadCalendarFile", () => {
  it("reads .ics as iCalendar and .json as a JSON calendar, naming windows after the path", () => {
    const ics = loadCalendarFile(join(ROOT, "examples/calendars/exam-season.ics"), { kinds: KINDS, horizon });
    const json = loadCalendarFile(join(ROOT, "examples/calendars/registrar-export.json"), {
      kinds: KINDS,
      horizon,
    });
    expect(ics[0].source.file).toBe(join(ROOT, "examples/calendars/exam-season.ics"));
    expect(json[0].source).toEqual({
      file: join(ROOT, "examples/calendars/registrar-export.json"),
      index: 1,
    });
    expect(ics).toHaveLength(37);
    expect(json).toHaveLength(31);
  });

  it("uses options.file as the name when given", () => {
    const ws = loadCalendarFile(join(ROOT, "stacks/calendar/autumn-term.ics"), {
      file: "autumn.ics",
      kinds: KINDS,
      horizon,
    });
    expect(ws[0].source).toEqual({ file: "autumn.ics", line: 23 });
  });

  it("rejects other extensions and unreadable files, naming the file", () => {
    expect(() =>
      loadCalendarFile("test/fixtures/calendar/bad/calendar.txt", { kinds: KINDS, horizon }),
    ).toThrow(
      "Invalid input in test/fixtures/calendar/bad/calendar.txt (1 problem):\n" +
        '  - `(extension)`: got ".txt"; must be .ics or .ical (iCalendar) or .json (JSON calendar)',
    );
    expect(() => loadCalendarFile("nowhere/missing.ics", { kinds: KINDS, horizon })).toThrow(
      "Invalid input in nowhere/missing.ics (1 problem):\n" +
        "  - `(file)`: got \"ENOENT\"; must be a readable file (ENOENT: no such file or directory, open 'nowhere/missing.ics')",
    );
    expect(() =>
      loadCalendarFile("nowhere/missing.ics", { kinds: KINDS, horizon, file: "the calendar" }),
    ).toThrow(
      "Invalid input in the calendar (1 problem):\n" +
        "  - `(file)`: got \"ENOENT\"; must be a readable file (ENOENT: no such file or directory, open 'nowhere/missing.ics')",
    );
  });
});
