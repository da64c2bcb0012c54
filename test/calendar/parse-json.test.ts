import { readFileSync } from "fs";
import { join } from "path";
import { parseIcs } from "../../components/calendar/input/ics";
import { parseJsonCalendar } from "../../components/calendar/input/json-calendar";
import type { CalendarWindow } from "../../components/calendar/types";
import { AWS_REGION_RULE } from "../../components/core";

const ROOT = join(__dirname, "..", "..");
const KINDS = ["lecture", "exam", "launch", "enrollment", "live"];
const REGIONS = ["eu-west-2", "us-east-1", "ap-northeast-1"];
const HORIZON = { from: Date.parse("2026-09-01T00:00:00Z"), to: Date.parse("2027-06-01T00:00:00Z") };
const options = (file: string) => ({ file, kinds: KINDS, regions: REGIONS, horizon: HORIZON });
const read = (path: string): string => readFileSync(join(ROOT, path), "utf8");
const iso = (ms: number): string => new Date(ms).toISOString();
const spans = (ws: readonly CalendarWindow[], id: string): string[] =>
  ws.filter((w) => w.eventId === id).map((w) => `${iso(w.start)}/${iso(w.end)}`);

describe("the example registrar export (examples/calendars/registrar-export.json)", () => {
  const json = parseJsonCalendar(
    read("examples/calendars/registrar-export.json"),
    options("registrar-export.json"),
  );
  const ics = parseIcs(read("examples/calendars/exam-season.ics"), options("exam-season.ics"));

  it.each(["finals-week", "phys120-lecture", "tokyo-hackathon", "us-fall-back-office-hours"])(
    "gives %s the same windows as the iCalendar example",
    (id) => {
      expect(spans(json, id)).toEqual(spans(ics, `${id}@example.edu`));
      expect(spans(json, id).length).toBeGreaterThan(0);
    },
  );

  it("expands an RRULE with a UTC UNTIL and skips a local-time exdate", () => {
    expect(json.filter((w) => w.eventId === "hist210-seminar").map((w) => iso(w.start))).toEqual([
      "2026-11-05T23:00:00.000Z",
      "2026-11-12T23:00:00.000Z",
      "2026-11-19T23:00:00.000Z",
      "2026-12-03T23:00:00.000Z",
      "2026-12-10T23:00:00.000Z",
    ]);
    expect(spans(json, "chem105-lecture")).toHaveLength(9);
  });

  it("builds complete windows: summary (or the id), occurrence id, zone and source", () => {
    const [exam] = json.filter((w) => w.eventId === "finals-week");
    expect(exam).toEqual({
      eventId: "finals-week",
      occurrenceId: "finals-week@2026-12-07T14:00:00.000Z",
      summary: "Finals week — daily proctored exam",
      kind: "exam",
      region: "eu-west-2",
      learners: 2400,
      start: Date.parse("2026-12-07T14:00:00Z"),
      end: Date.parse("2026-12-07T16:30:00Z"),
      timezone: "Europe/London",
      source: { file: "registrar-export.json", index: 0 },
    });
    expect(json.find((w) => w.eventId === "tokyo-hackathon")?.summary).toBe("tokyo-hackathon");
  });

  it("returns windows sorted by start, then occurrence id", () => {
    const starts = json.map((w) => w.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });
});

describe("parseJsonCalendar", () => {
  const event = {
    id: "x",
    kind: "lecture",
    start: "2026-10-05T09:00",
    end: "2026-10-05T10:00",
    timezone: "Europe/London",
    learners: 10,
  };

  it("uses the default region for events without one", () => {
    const text = JSON.stringify({ events: [event] });
    const [w] = parseJsonCalendar(text, { ...options("a.json"), defaultRegion: "eu-west-2" });
    expect(w.region).toBe("eu-west-2");
  });

  it("requires a region when there is no default", () => {
    expect(() => parseJsonCalendar(JSON.stringify({ events: [event] }), options("a.json"))).toThrow(
      "Invalid input in a.json (1 problem):\n" +
        "  - `events[0].region (event x)`: got missing; required: a region, unless a default region is given",
    );
  });

  it("shifts a local time in a DST gap forward and resolves a fold to its first occurrence", () => {
    const events = [
      { ...event, id: "gap", start: "2027-03-28T01:30", end: "2027-03-28T03:00", region: "eu-west-2" },
      { ...event, id: "fold", start: "2026-10-25T01:30", end: "2026-10-25T03:00", region: "eu-west-2" },
    ];
    const ws = parseJsonCalendar(JSON.stringify({ events }), options("a.json"));
    expect(ws.map((w) => `${w.eventId} ${iso(w.start)}/${iso(w.end)}`)).toEqual([
      "fold 2026-10-25T00:30:00.000Z/2026-10-25T03:00:00.000Z",
      "gap 2027-03-28T01:30:00.000Z/2027-03-28T02:00:00.000Z",
    ]);
  });

  it("rejects a file that is not JSON, or not an object with events", () => {
    expect(() =>
      parseJsonCalendar(read("test/fixtures/calendar/bad/unparseable.json"), options("u.json")),
    ).toThrow(
      "Invalid input in u.json (1 problem):\n" +
        '  - `(file)`: got "Expected double-quoted property name in JSON at position 28"; must be valid JSON',
    );
    expect(() => parseJsonCalendar('{"event": []}', options("u.json"))).toThrow(
      "Invalid input in u.json (2 problems):\n" +
        "  - `events`: got missing; required: a list of events\n" +
        "  - `event`: got []; unknown key; allowed keys here: events",
    );
    expect(() => parseJsonCalendar('["x"]', options("u.json"))).toThrow(
      'Invalid input in u.json (1 problem):\n  - `(file)`: got ["x"]; must be an object with "events"',
    );
  });

  it("refuses a region that is not an AWS region when no stack restricts the regions", () => {
    const event = { id: "x", kind: "exam", start: "2026-10-01T09:00", end: "2026-10-01T10:00" };
    const text = JSON.stringify({
      events: [{ ...event, timezone: "UTC", region: "eu-west-7", learners: 5 }],
    });
    const open = { file: "u.json", kinds: KINDS, horizon: HORIZON };
    expect(() => parseJsonCalendar(text, open)).toThrow(
      `Invalid input in u.json (1 problem):\n  - \`events[0].region (event x)\`: got "eu-west-7"; ${AWS_REGION_RULE}`,
    );
    expect(parseJsonCalendar(text.replace("eu-west-7", "eu-west-3"), open)[0]!.region).toBe("eu-west-3");
  });

  it("lists every problem of bad-fields.json with its key path and event id", () => {
    expect(() =>
      parseJsonCalendar(read("test/fixtures/calendar/bad/bad-fields.json"), options("bad-fields.json")),
    ).toThrow(
      [
        "Invalid input in bad-fields.json (9 problems):",
        '  - `events[1].learners (event math201)`: got "950"; must be a positive integer (expected concurrent learners)',
        '  - `events[1].timezone (event math201)`: got "Europe/Lndon"; is not a known time zone; must be an IANA time zone name such as Europe/London',
        '  - `events[2].kind (event launch)`: got "party"; must be one of lecture, exam, launch, enrollment, live',
        '  - `events[2].region (event launch)`: got "moon-1"; must be one of eu-west-2, us-east-1, ap-northeast-1',
        '  - `events[2].start (event launch)`: got "2026-10-26 00:00"; must be a local date-time such as 2026-10-19T09:00 (no offset: the zone is `timezone`)',
        '  - `events[2].rrule (event launch)`: got "FREQ=SOMETIMES"; is malformed (invalid frequency "SOMETIMES" expected: "SECONDLY, MINUTELY, HOURLY, DAILY, WEEKLY, MONTHLY, YEARLY"); must be a valid RFC 5545 recurrence rule such as FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10',
        '  - `events[3].id (event cs101)`: got "cs101"; is already used by events[0]; event ids must be unique',
        "  - `events[4].start (event typo)`: got missing; required: a local date-time such as 2026-10-19T09:00 (no offset: the zone is `timezone`)",
        '  - `events[4].strat (event typo)`: got "2026-11-04T14:00"; unknown key; allowed keys here: id, kind, start, end, timezone, region, learners, rrule, exdates, summary',
      ].join("\n"),
    );
  });

  it("rejects an end before its start", () => {
    const events = [{ ...event, end: "2026-10-05T08:00", region: "eu-west-2" }];
    expect(() => parseJsonCalendar(JSON.stringify({ events }), options("a.json"))).toThrow(
      "Invalid input in a.json (1 problem):\n" +
        '  - `events[0].end (event x)`: got "2026-10-05T08:00"; is before start 2026-10-05T09:00; end must be after start',
    );
  });
});
