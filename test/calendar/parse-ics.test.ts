import { readFileSync } from "fs";
import { join } from "path";
import { InputError } from "../../components/core/problem";
import { AWS_REGION_RULE } from "../../components/core";
import { parseIcs } from "../../components/calendar/input/ics";
import { wallToInstant } from "../../components/calendar/input/recurrence";
import type { CalendarWindow } from "../../components/calendar/types";

const KINDS = ["lecture", "exam", "launch", "enrollment", "live"];
const REGIONS = ["eu-west-2", "us-east-1", "ap-northeast-1"];
const HORIZON = { from: Date.parse("2026-09-01T00:00:00Z"), to: Date.parse("2027-06-01T00:00:00Z") };
const ROOT = join(__dirname, "..", "..");

function parse(text: string, horizon = HORIZON, file = "test.ics"): CalendarWindow[] {
  return parseIcs(text, { file, kinds: KINDS, regions: REGIONS, horizon });
}
function parseFile(path: string): CalendarWindow[] {
  return parse(readFileSync(join(ROOT, path), "utf8"));
}
const iso = (ms: number): string => new Date(ms).toISOString();
const spans = (ws: readonly CalendarWindow[], id: string): string[] =>
  ws.filter((w) => w.eventId === id).map((w) => `${iso(w.start)}/${iso(w.end)}`);

/** A calendar with one event; `lines` are its properties besides UID and the defaults given. */
function calendar(...events: string[][]): string {
  const body = events.map((lines, i) =>
    [
      "BEGIN:VEVENT",
      `UID:e${i}@test`,
      ...(lines.some((l) => l.startsWith("CATEGORIES")) ? [] : ["CATEGORIES:lecture"]),
      ...(lines.some((l) => l.startsWith("X-SEMESTER-LEARNERS")) ? [] : ["X-SEMESTER-LEARNERS:10"]),
      ...(lines.some((l) => l.startsWith("X-SEMESTER-REGION")) ? [] : ["X-SEMESTER-REGION:eu-west-2"]),
      ...lines,
      "END:VEVENT",
    ].join("\r\n"),
  );
  return ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", ...body, "END:VCALENDAR", ""].join("\r\n");
}

describe("the sample autumn term (stacks/calendar/autumn-term.ics)", () => {
  const windows = parseFile("stacks/calendar/autumn-term.ics");

  it("places the Asia/Tokyo launch at midnight local, 15:00Z the day before", () => {
    const [launch] = windows.filter((w) => w.eventId === "data-science-mooc-launch@example.edu");
    expect(launch).toEqual({
      eventId: "data-science-mooc-launch@example.edu",
      occurrenceId: "data-science-mooc-launch@example.edu@2026-10-25T15:00:00.000Z",
      summary: "Data Science for Everyone — MOOC launch (Asia cohort)",
      kind: "launch",
      region: "ap-northeast-1",
      learners: 12000,
      start: Date.parse("2026-10-25T15:00:00Z"),
      end: Date.parse("2026-10-25T18:00:00Z"),
      timezone: "Asia/Tokyo",
      source: { file: "test.ics", line: 56 },
    });
  });

  it("lets the New York evening lab cross midnight UTC, an hour later once New York leaves DST", () => {
    expect(spans(windows, "bio110-lab@example.edu").slice(0, 2)).toEqual([
      "2026-10-29T23:00:00.000Z/2026-10-30T01:30:00.000Z",
      "2026-11-06T00:00:00.000Z/2026-11-06T02:30:00.000Z",
    ]);
    // UNTIL=20261210T235959Z is an instant: 10 Dec 19:00 EST is 11 Dec 00:00Z, so the last lab is 3 Dec.
    expect(spans(windows, "bio110-lab@example.edu")).toHaveLength(6);
  });

  it("excludes the London lecture on 26 and 28 October (EXDATE) and keeps 09:00 local across the change", () => {
    const starts = windows.filter((w) => w.eventId === "cs101-lecture@example.edu").map((w) => iso(w.start));
    expect(starts.filter((s) => s.startsWith("2026-10-2"))).toEqual(["2026-10-21T08:00:00.000Z"]);
    expect(starts).toContain("2026-09-21T08:00:00.000Z");
    expect(starts).toContain("2026-11-02T09:00:00.000Z");
    expect(starts[starts.length - 1]).toBe("2026-12-09T09:00:00.000Z");
    expect(starts).toHaveLength(22);
  });

  it("counts COUNT=12 occurrences of the Monday maths lecture", () => {
    expect(spans(windows, "math201-lecture@example.edu")).toHaveLength(12);
  });

  it("gives the revision marathon across the European fall-back four real hours (00:30 BST to 03:30 GMT)", () => {
    expect(spans(windows, "revision-marathon@example.edu")).toEqual([
      "2026-10-24T23:30:00.000Z/2026-10-25T03:30:00.000Z",
    ]);
  });

  it("keeps the study hall's local end time on the New York fall-back night, making it three hours long", () => {
    expect(spans(windows, "night-study-hall@example.edu")).toEqual([
      "2026-10-18T04:30:00.000Z/2026-10-18T06:30:00.000Z",
      "2026-10-25T04:30:00.000Z/2026-10-25T06:30:00.000Z",
      "2026-11-01T04:30:00.000Z/2026-11-01T07:30:00.000Z",
      "2026-11-08T05:30:00.000Z/2026-11-08T07:30:00.000Z",
    ]);
  });

  it("returns windows sorted by start, then occurrence id", () => {
    const keys = windows.map((w) => [w.start, w.occurrenceId] as const);
    const sorted = [...keys].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
    expect(keys).toEqual(sorted);
    expect(windows).toHaveLength(48);
  });
});

describe("the example exam-season calendar (examples/calendars/exam-season.ics)", () => {
  const windows = parseFile("examples/calendars/exam-season.ics");

  it("expands the exam week into five daily windows", () => {
    expect(spans(windows, "finals-week@example.edu")).toEqual(
      [7, 8, 9, 10, 11].map(
        (d) =>
          `2026-12-${String(d).padStart(2, "0")}T14:00:00.000Z/2026-12-${String(d).padStart(2, "0")}T16:30:00.000Z`,
      ),
    );
  });

  it("replaces the overridden CHEM105 lecture by its RECURRENCE-ID override, inheriting kind and region", () => {
    const chem = windows.filter((w) => w.eventId === "chem105-lecture@example.edu");
    expect(chem).toHaveLength(10);
    const moved = chem.find((w) => iso(w.start).startsWith("2026-10-20"));
    expect(moved).toMatchObject({
      start: Date.parse("2026-10-20T14:00:00Z"),
      end: Date.parse("2026-10-20T15:30:00Z"),
      learners: 650,
      kind: "lecture",
      region: "eu-west-2",
      summary: "CHEM105 General Chemistry — lecture (moved for a guest speaker)",
      source: { file: "test.ics", line: 38 },
    });
  });

  it("keeps overlapping lectures as separate windows", () => {
    const oct6 = windows
      .filter((w) => iso(w.start).startsWith("2026-10-06"))
      .map((w) => `${w.eventId} ${iso(w.start)}`);
    expect(oct6).toEqual([
      "phys120-lecture@example.edu 2026-10-06T09:00:00.000Z",
      "chem105-lecture@example.edu 2026-10-06T09:30:00.000Z",
    ]);
  });

  it("lets the Tokyo hackathon cross local midnight", () => {
    expect(spans(windows, "tokyo-hackathon@example.edu")).toEqual([
      "2026-11-14T13:00:00.000Z/2026-11-14T17:00:00.000Z",
    ]);
  });

  it("resolves times in a DST fold to their first occurrence (RFC 5545)", () => {
    expect(spans(windows, "eu-fall-back-stream@example.edu")).toEqual([
      "2026-10-25T00:30:00.000Z/2026-10-25T03:00:00.000Z",
    ]);
    expect(spans(windows, "us-fall-back-office-hours@example.edu")).toEqual([
      "2026-11-01T05:30:00.000Z/2026-11-01T08:00:00.000Z",
    ]);
  });

  it("shifts times in a DST gap forward by the gap (RFC 5545)", () => {
    expect(spans(windows, "eu-spring-forward-review@example.edu")).toEqual([
      "2027-03-28T01:30:00.000Z/2027-03-28T03:00:00.000Z",
    ]);
    expect(spans(windows, "us-spring-forward-office-hours@example.edu")).toEqual([
      "2027-03-14T07:30:00.000Z/2027-03-14T08:00:00.000Z",
    ]);
  });

  it("drops the Thanksgiving seminar (EXDATE) and adds the extra Tuesday one (RDATE)", () => {
    expect(
      windows.filter((w) => w.eventId === "hist210-seminar@example.edu").map((w) => iso(w.start)),
    ).toEqual([
      "2026-11-05T23:00:00.000Z",
      "2026-11-12T23:00:00.000Z",
      "2026-11-19T23:00:00.000Z",
      "2026-12-01T23:00:00.000Z",
      "2026-12-03T23:00:00.000Z",
      "2026-12-10T23:00:00.000Z",
    ]);
  });

  it("makes an all-day event the whole local day in its zone", () => {
    expect(spans(windows, "spring-enrollment-day@example.edu")).toEqual([
      "2027-01-11T05:00:00.000Z/2027-01-12T05:00:00.000Z",
    ]);
  });
});

describe("parseIcs", () => {
  it("reads UTC values, DURATION and floating all-day dates (UTC days)", () => {
    const ws = parse(
      calendar(
        ["DTSTART:20261001T120000Z", "DURATION:PT45M"],
        ["DTSTART;VALUE=DATE:20261002", "CATEGORIES:enrollment"],
      ),
    );
    expect(ws.map((w) => `${w.eventId} ${iso(w.start)}/${iso(w.end)} ${w.timezone}`)).toEqual([
      "e0@test 2026-10-01T12:00:00.000Z/2026-10-01T12:45:00.000Z UTC",
      "e1@test 2026-10-02T00:00:00.000Z/2026-10-03T00:00:00.000Z UTC",
    ]);
  });

  it("adds a DURATION's days on the local calendar and its hours exactly", () => {
    const ws = parse(calendar(["DTSTART;TZID=Europe/London:20261024T120000", "DURATION:P1DT1H"]));
    // 24 Oct 12:00 BST + 1 day = 25 Oct 12:00 GMT, + 1 h.
    expect(spans(ws, "e0@test")).toEqual(["2026-10-24T11:00:00.000Z/2026-10-25T13:00:00.000Z"]);
  });

  it("bounds a rule without an end by the horizon and keeps windows that straddle its edges", () => {
    const horizon = { from: Date.parse("2026-10-05T09:30:00Z"), to: Date.parse("2026-10-19T09:30:00Z") };
    const ws = parse(
      calendar(["DTSTART:20200106T090000Z", "DTEND:20200106T100000Z", "RRULE:FREQ=WEEKLY"]),
      horizon,
    );
    expect(ws.map((w) => iso(w.start))).toEqual([
      "2026-10-05T09:00:00.000Z",
      "2026-10-12T09:00:00.000Z",
      "2026-10-19T09:00:00.000Z",
    ]);
  });

  it("uses the IANA zone even when the file's VTIMEZONE for that TZID says otherwise", () => {
    const wrong = [
      "BEGIN:VTIMEZONE",
      "TZID:Europe/London",
      "BEGIN:STANDARD",
      "DTSTART:19700101T000000",
      "TZOFFSETFROM:+0500",
      "TZOFFSETTO:+0500",
      "END:STANDARD",
      "END:VTIMEZONE",
    ].join("\r\n");
    const text = calendar([
      "DTSTART;TZID=Europe/London:20261001T090000",
      "DTEND;TZID=Europe/London:20261001T100000",
    ]);
    const ws = parse(text.replace("PRODID:-//test//EN", `PRODID:-//test//EN\r\n${wrong}`));
    expect(iso(ws[0].start)).toBe("2026-10-01T08:00:00.000Z");
  });

  it("reads floating times in the calendar's X-WR-TIMEZONE", () => {
    const text = calendar(["DTSTART:20261001T090000", "DTEND:20261001T100000"]).replace(
      "VERSION:2.0",
      "VERSION:2.0\r\nX-WR-TIMEZONE:America/New_York",
    );
    expect(parse(text).map((w) => `${iso(w.start)} ${w.timezone}`)).toEqual([
      "2026-10-01T13:00:00.000Z America/New_York",
    ]);
  });

  it("uses the default region for events without X-SEMESTER-REGION", () => {
    const text = calendar([
      "DTSTART:20261001T120000Z",
      "DTEND:20261001T130000Z",
      "X-SEMESTER-REGION;X-NONE=1:",
    ]).replace(/X-SEMESTER-REGION;X-NONE=1:\r\n/, "");
    const ws = parseIcs(text, { file: "t.ics", kinds: KINDS, defaultRegion: "us-east-1", horizon: HORIZON });
    expect(ws[0].region).toBe("us-east-1");
  });

  it("refuses a region that is not an AWS region when no stack restricts the regions", () => {
    const text = calendar([
      "DTSTART:20261001T120000Z",
      "DTEND:20261001T130000Z",
      "X-SEMESTER-REGION:eu-west-7",
    ]);
    const open = { file: "t.ics", kinds: KINDS, horizon: HORIZON };
    expect(() => parseIcs(text, open)).toThrow(
      "Invalid input in t.ics (1 problem):\n" +
        `  - \`event e0@test (line 4) X-SEMESTER-REGION\`: got "eu-west-7"; ${AWS_REGION_RULE}`,
    );
    expect(parseIcs(text.replace("eu-west-7", "eu-west-3"), open)[0]!.region).toBe("eu-west-3");
  });

  it("rejects a file whose VTIMEZONE defines a TZID that is not an IANA name", () => {
    const text = calendar([
      "DTSTART;TZID=GMT Standard Time:20261001T090000",
      "DTEND;TZID=GMT Standard Time:20261001T100000",
    ]);
    expect(() => parse(text)).toThrow(
      "Invalid input in test.ics (2 problems):\n" +
        '  - `event e0@test (line 4) DTSTART;TZID`: got "GMT Standard Time"; is not a known time zone; must be an IANA time zone name such as Europe/London\n' +
        '  - `event e0@test (line 4) DTEND;TZID`: got "GMT Standard Time"; is not a known time zone; must be an IANA time zone name such as Europe/London',
    );
  });

  it("rejects an impossible date rather than letting it roll over", () => {
    expect(() => parse(calendar(["DTSTART:20261301T090000Z", "DTEND:20261301T100000Z"]))).toThrow(
      "Invalid input in test.ics (2 problems):\n" +
        '  - `event e0@test (line 4) DTSTART`: got "20261301T090000Z"; must be a real calendar date and time\n' +
        '  - `event e0@test (line 4) DTEND`: got "20261301T100000Z"; must be a real calendar date and time',
    );
  });

  it("rejects an RRULE whose expansion would not end before the horizon in 10000 occurrences", () => {
    expect(() =>
      parse(calendar(["DTSTART:20200101T000000Z", "DTEND:20200101T000001Z", "RRULE:FREQ=HOURLY"])),
    ).toThrow(
      "Invalid input in test.ics (1 problem):\n" +
        '  - `event e0@test (line 4) RRULE`: got "FREQ=HOURLY"; must have at most 10000 occurrences before the horizon ends',
    );
  });
});

describe("wallToInstant", () => {
  const wall = (s: string): number => Date.parse(`${s}Z`);
  it.each([
    ["2026-03-08T02:30:00", "America/New_York", "2026-03-08T07:30:00.000Z"], // gap: shifted forward by an hour
    ["2026-11-01T01:30:00", "America/New_York", "2026-11-01T05:30:00.000Z"], // fold: first (EDT)
    ["2026-03-29T01:30:00", "Europe/London", "2026-03-29T01:30:00.000Z"], // gap: 02:30 BST
    ["2026-10-25T01:30:00", "Europe/London", "2026-10-25T00:30:00.000Z"], // fold: first (BST)
    ["2026-11-01T04:00:00", "America/New_York", "2026-11-01T09:00:00.000Z"], // after a fold: EST
    ["2026-07-01T09:00:00", "UTC", "2026-07-01T09:00:00.000Z"],
  ])("maps %s in %s to %s", (local, zone, expected) => {
    expect(iso(wallToInstant(wall(local), zone))).toBe(expected);
  });
});

describe("bad iCalendar inputs (test/fixtures/calendar/bad)", () => {
  const messageOf = (name: string): string => {
    try {
      parse(readFileSync(join(ROOT, "test/fixtures/calendar/bad", name), "utf8"), HORIZON, name);
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).source).toBe(name);
      return (e as Error).message;
    }
    throw new Error(`${name} parsed without error`);
  };
  const one = (name: string, line: string): string => `Invalid input in ${name} (1 problem):\n  - ${line}`;

  it.each([
    [
      "dtend-before-dtstart.ics",
      '`event cs101@x (line 4) DTEND`: got "2026-09-21T08:00"; is before DTSTART 2026-09-21T09:00; DTEND must be after DTSTART',
    ],
    [
      "dtend-equals-dtstart.ics",
      '`event cs101@x (line 4) DTEND`: got "2026-09-21T09:00"; is equal to DTSTART 2026-09-21T09:00; DTEND must be after DTSTART',
    ],
    [
      "duplicate-uid.ics",
      '`event cs101@x (line 14) UID`: got "cs101@x"; is already used by the event at line 4; UIDs must be unique (RECURRENCE-ID overrides of an event excepted)',
    ],
    [
      "learners-missing.ics",
      "`event cs101@x (line 4) X-SEMESTER-LEARNERS`: got missing; must be a positive integer (expected concurrent learners)",
    ],
    [
      "learners-not-a-number.ics",
      '`event cs101@x (line 4) X-SEMESTER-LEARNERS`: got "lots"; must be a positive integer (expected concurrent learners)',
    ],
    [
      "malformed-rrule.ics",
      '`event cs101@x (line 4) RRULE`: got "FREQ=WEEKLY;BYDAY=MO,XX"; is malformed (invalid BYDAY value "XX"); must be a valid RFC 5545 recurrence rule such as FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10',
    ],
    [
      "override-matches-nothing.ics",
      '`event cs101@x (line 15) RECURRENCE-ID`: got "2026-09-22T09:00"; matches no occurrence of `cs101@x`; an override must name the original start of one occurrence',
    ],
    [
      "unknown-kind.ics",
      '`event cs101@x (line 4) CATEGORIES`: got "seminar,CS101"; names no known kind; must name exactly one of lecture, exam, launch, enrollment, live',
    ],
    [
      "unknown-region.ics",
      '`event cs101@x (line 4) X-SEMESTER-REGION`: got "eu-central-9"; must be one of eu-west-2, us-east-1, ap-northeast-1',
    ],
    [
      "unparseable.ics",
      '`(file)`: got "invalid line (no token \\";\\" or \\":\\") \\"this line is not iCalendar\\""; must be a valid RFC 5545 iCalendar file',
    ],
  ])("%s", (name, line) => {
    expect(messageOf(name)).toBe(one(name, line));
  });

  it("unknown-tzid.ics: names the TZID of both DTSTART and DTEND", () => {
    expect(messageOf("unknown-tzid.ics")).toBe(
      "Invalid input in unknown-tzid.ics (2 problems):\n" +
        '  - `event cs101@x (line 4) DTSTART;TZID`: got "Europe/Lndon"; is not a known time zone; must be an IANA time zone name such as Europe/London\n' +
        '  - `event cs101@x (line 4) DTEND;TZID`: got "Europe/Lndon"; is not a known time zone; must be an IANA time zone name such as Europe/London',
    );
  });

  it("many-problems.ics: lists every problem of the file in file order, in one error", () => {
    expect(messageOf("many-problems.ics")).toBe(
      [
        "Invalid input in many-problems.ics (7 problems):",
        '  - `event cs101@x (line 4) DTEND`: got "2026-09-21T08:00"; is before DTSTART 2026-09-21T09:00; DTEND must be after DTSTART',
        '  - `event cs101@x (line 4) X-SEMESTER-LEARNERS`: got "0"; must be a positive integer (expected concurrent learners)',
        '  - `event math201@x (line 14) DTSTART;TZID`: got "Mars/Olympus_Mons"; is not a known time zone; must be an IANA time zone name such as Europe/London',
        '  - `event math201@x (line 14) DTEND;TZID`: got "Mars/Olympus_Mons"; is not a known time zone; must be an IANA time zone name such as Europe/London',
        '  - `event bio110@x (line 24) CATEGORIES`: got "party"; names no known kind; must name exactly one of lecture, exam, launch, enrollment, live',
        '  - `event bio110@x (line 24) X-SEMESTER-LEARNERS`: got "many"; must be a positive integer (expected concurrent learners)',
        '  - `event bio110@x (line 24) X-SEMESTER-REGION`: got "moon-1"; must be one of eu-west-2, us-east-1, ap-northeast-1',
      ].join("\n"),
    );
  });

  it("carries the problems as data", () => {
    try {
      parse(
        readFileSync(join(ROOT, "test/fixtures/calendar/bad/dtend-before-dtstart.ics"), "utf8"),
        HORIZON,
        "a.ics",
      );
    } catch (e) {
      expect((e as InputError).source).toBe("a.ics");
      expect((e as InputError).problems).toEqual([
        {
          path: "event cs101@x (line 4) DTEND",
          value: "2026-09-21T08:00",
          rule: "is before DTSTART 2026-09-21T09:00; DTEND must be after DTSTART",
        },
      ]);
      return;
    }
    throw new Error("no error");
  });
});
