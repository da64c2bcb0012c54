/**
 * parseHistory on bad input: one InputError for the file, each bad row named by its line with the value and the
 * rule, the first 20 listed and the rest counted, nothing returned. One case per rule; each breaks only it.
 */
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { AWS_REGION_RULE, InputError, type Problem } from "../../../components/core";
import { loadHistoryFile, parseHistory, type HistoryParseOptions } from "../../../components/forecast";

const csv = (...lines: string[]): string => `${lines.join("\n")}\n`;
const ONE = { region: "us-east-1", service: "enrollment" } as const;
const TIME =
  "must be an ISO 8601 date-time with a zone, such as 2026-09-07T08:00:00Z or 2026-09-07T10:00+02:00";
const LOAD = "must be a number >= 0 (an empty cell is a gap, never 0)";
const UNIT =
  "required: what load measures, as a comment line `# load = requests per second` (or concurrent learners, ...) " +
  "or the --unit option";

/** The error parseHistory throws for `text` (failing the test if it returns). */
function failure(text: string, options: HistoryParseOptions = {}): InputError {
  try {
    parseHistory(text, "bad.csv", options);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error("parseHistory accepted the file");
}
const problems = (text: string, options?: HistoryParseOptions): Problem[] => [
  ...failure(text, options).problems,
];

/** A good exported file with one row replaced by `row` (line 5). */
const exported = (row: string): string =>
  csv(
    "# load = requests per second",
    "time,region,service,load,replicas,p95_ms",
    "2026-09-07T08:00:00Z,us-east-1,enrollment,1,1,10",
    "2026-09-07T08:01:00Z,us-east-1,enrollment,1,1,10",
    row,
  );

describe("parseHistory refuses", () => {
  it.each([
    [
      "a time without a zone",
      "2026-09-07T08:02:00,us-east-1,enrollment,1,1,10",
      "line 5 time",
      "2026-09-07T08:02:00",
      TIME,
    ],
    [
      "an unparsable time",
      "07/09/2026 08:02,us-east-1,enrollment,1,1,10",
      "line 5 time",
      "07/09/2026 08:02",
      TIME,
    ],
    [
      "a date that does not exist",
      "2026-02-30T08:02:00Z,us-east-1,enrollment,1,1,10",
      "line 5 time",
      "2026-02-30T08:02:00Z",
      TIME,
    ],
    [
      "an offset with 60 minutes",
      "2026-09-07T08:02:00+01:60,us-east-1,enrollment,1,1,10",
      "line 5 time",
      "2026-09-07T08:02:00+01:60",
      TIME,
    ],
    [
      "a time with seconds",
      "2026-09-07T08:02:30Z,us-east-1,enrollment,1,1,10",
      "line 5 time",
      "2026-09-07T08:02:30Z",
      "must be a whole minute (seconds 00): a row describes one minute or slot",
    ],
    ["a negative load", "2026-09-07T08:02:00Z,us-east-1,enrollment,-0.5,1,10", "line 5 load", "-0.5", LOAD],
    [
      "a load that is a word",
      "2026-09-07T08:02:00Z,us-east-1,enrollment,many,1,10",
      "line 5 load",
      "many",
      LOAD,
    ],
    [
      "a hexadecimal load",
      "2026-09-07T08:02:00Z,us-east-1,enrollment,0x10,1,10",
      "line 5 load",
      "0x10",
      LOAD,
    ],
    [
      "an infinite load",
      "2026-09-07T08:02:00Z,us-east-1,enrollment,Infinity,1,10",
      "line 5 load",
      "Infinity",
      LOAD,
    ],
    [
      "fractional replicas",
      "2026-09-07T08:02:00Z,us-east-1,enrollment,1,1.5,10",
      "line 5 replicas",
      "1.5",
      "must be an integer >= 0, or empty",
    ],
    [
      "a negative latency",
      "2026-09-07T08:02:00Z,us-east-1,enrollment,1,1,-3",
      "line 5 p95_ms",
      "-3",
      "must be a number >= 0 (milliseconds), or empty",
    ],
    [
      "a region that is not an AWS region",
      "2026-09-07T08:02:00Z,moon-1,enrollment,1,1,10",
      "line 5 region",
      "moon-1",
      AWS_REGION_RULE,
    ],
    [
      "a service that is not a DNS label",
      "2026-09-07T08:02:00Z,us-east-1,Enroll_Ment,1,1,10",
      "line 5 service",
      "Enroll_Ment",
      "must be a DNS label (lowercase letters, digits and -, at most 63)",
    ],
    [
      "a row with too few cells",
      "2026-09-07T08:02:00Z,us-east-1,enrollment,1",
      "line 5",
      "2026-09-07T08:02:00Z,us-east-1,enrollment,1",
      "must have 6 comma-separated cells like the header (line 2), not 4",
    ],
    [
      "a repeated time of the same region and service, naming the first line",
      "2026-09-07T10:00+02:00,us-east-1,enrollment,2,1,10",
      "line 5 time",
      "2026-09-07T10:00+02:00",
      "repeats the time of line 3 (2026-09-07T08:00:00Z) for this series; one row per time",
    ],
  ])("%s", (_, row, path, value, rule) => {
    expect(problems(exported(row))).toEqual([{ path, value, rule }]);
  });

  it("names the series of a repeated time when the file has several", () => {
    const text = csv(
      "# load = requests per second",
      "time,region,service,load",
      "2026-09-07T08:00Z,us-east-1,enrollment,1",
      "2026-09-07T08:01Z,us-east-1,enrollment,1",
      "2026-09-07T08:01Z,eu-west-2,enrollment,1",
      "2026-09-07T08:01Z,us-east-1,enrollment,3",
    );
    expect(problems(text)).toEqual([
      {
        path: "line 6 time",
        value: "2026-09-07T08:01Z",
        rule: "repeats the time of line 4 (2026-09-07T08:01Z) for us-east-1 enrollment; one row per time",
      },
    ]);
  });

  it("a row off the grid of the smallest spacing, naming where the step comes from", () => {
    const text = csv(
      "# load = rps",
      "time,load",
      "2026-09-07T08:00Z,1",
      "2026-09-07T08:10Z,1",
      "2026-09-07T08:15Z,1",
      "2026-09-07T08:22Z,1",
    );
    expect(problems(text, ONE)).toEqual([
      {
        path: "line 6 time",
        value: "2026-09-07T08:22Z",
        rule: "is off the 5-minute grid from line 3 (2026-09-07T08:00Z); the step is the smallest spacing between rows, line 4 to line 5",
      },
    ]);
  });

  it("a smallest spacing that does not divide a day", () => {
    const text = csv(
      "# load = rps",
      "time,load",
      "2026-09-07T08:00Z,1",
      "2026-09-07T08:07Z,1",
      "2026-09-07T08:14Z,1",
    );
    expect(problems(text, ONE)).toEqual([
      {
        path: "line 4 time",
        value: "2026-09-07T08:07Z",
        rule:
          "is 7 min after line 3 (2026-09-07T08:00Z); the step (the smallest spacing between rows) must be a whole " +
          "number of minutes that divides a day, such as 1, 5, 15 or 60",
      },
    ]);
  });

  it("a header with unknown and repeated columns, or without load, or with a region but no service", () => {
    expect(problems(csv("# load = rps", "time,zone,load,load,region"))).toEqual([
      {
        path: "line 2",
        value: "zone",
        rule: "is not a history column; the columns are time, region, service, load, replicas, p95_ms",
      },
      { path: "line 2", value: "load", rule: "is column 3 already; a column appears once" },
      {
        path: "line 2",
        value: "time,zone,load,load,region",
        rule: "has a region column but no service column; give both, or neither (then --region and --service)",
      },
    ]);
    expect(problems(csv("# load = rps", "time,replicas"))).toEqual([
      {
        path: "line 2",
        value: "time,replicas",
        rule:
          "must name a time and a load column: time,region,service,load,replicas,p95_ms " +
          "(region and service optional together) or time,load",
      },
    ]);
  });

  it("a time,load file without --region and --service, or with a bad one", () => {
    const text = csv("# load = rps", "time,load", "2026-09-07T08:00Z,1", "2026-09-07T08:01Z,1");
    const required = "required: the file has no region and service columns (line 2)";
    expect(problems(text)).toEqual([
      { path: "--region", value: undefined, rule: required },
      { path: "--service", value: undefined, rule: required },
    ]);
    expect(problems(text, { region: "mars-1", service: "-x" })).toEqual([
      { path: "--region", value: "mars-1", rule: AWS_REGION_RULE },
      {
        path: "--service",
        value: "-x",
        rule: "must be a DNS label (lowercase letters, digits and -, at most 63)",
      },
    ]);
  });

  it("--region and --service for a file whose rows name their own (they would be ignored)", () => {
    const rule = "is only for a time,load file; this file has region and service columns (line 2)";
    expect(problems(exported("2026-09-07T08:02:00Z,us-east-1,enrollment,1,1,10"), ONE)).toEqual([
      { path: "--region", value: "us-east-1", rule },
      { path: "--service", value: "enrollment", rule },
    ]);
  });

  it("a file that does not say what load measures, or says two things", () => {
    const rows = ["time,load", "2026-09-07T08:00Z,1", "2026-09-07T08:01Z,1"];
    expect(problems(csv(...rows), ONE)).toEqual([{ path: "# load", value: undefined, rule: UNIT }]);
    expect(problems(csv("# load = requests per second", "# load = learners", ...rows), ONE)).toEqual([
      {
        path: "line 2",
        value: "learners",
        rule: 'differs from the unit of line 1 ("requests per second"); a file has one unit',
      },
    ]);
    expect(problems(csv("# load =  , per minute", ...rows), ONE)).toEqual([
      { path: "# load", value: undefined, rule: UNIT },
      {
        path: "line 1",
        value: "",
        rule: "must name what load measures, such as `# load = requests per second`",
      },
    ]);
    expect(problems(csv("# load = requests per second", ...rows), { ...ONE, unit: "learners" })).toEqual([
      {
        path: "--unit",
        value: "learners",
        rule: 'differs from the file\'s unit "requests per second" (line 1); drop --unit or make them agree',
      },
    ]);
  });

  it("a file with no header, no rows, one time only, or no load at all", () => {
    const fileProblem = (rule: string) => [{ path: "(file)", value: undefined, rule }];
    expect(problems(csv("# load = rps", "# nothing else"))).toEqual(
      fileProblem(
        "must have a header line: time,region,service,load,replicas,p95_ms (region and service optional together) or time,load",
      ),
    );
    expect(problems(csv("# load = rps", "time,load"), ONE)).toEqual(
      fileProblem("must have rows after the header (line 2)"),
    );
    expect(problems(csv("# load = rps", "time,load", "2026-09-07T08:00Z,1"), ONE)).toEqual(
      fileProblem("must have two times in one series, so the step is known"),
    );
    expect(
      problems(csv("# load = rps", "time,load", "2026-09-07T08:00Z,", "2026-09-07T08:01Z,"), ONE),
    ).toEqual(fileProblem("must have at least one load value: every load cell is empty"));
  });

  it("does not add a file-wide conclusion that only the dropped bad rows cause", () => {
    const text = csv("# load = rps", "time,load", "2026-09-07T08:00Z,1", "2026-09-07T08:01Z,-1");
    expect(problems(text, ONE)).toEqual([{ path: "line 4 load", value: "-1", rule: LOAD }]);
  });

  it("every problem of a row, each with its column, in one error rendered as the project's input errors are", () => {
    const e = failure(exported("2026-09-07T08:02:00Z,us-east-1,Svc,-1,x,"));
    expect(e.message).toBe(
      [
        "Invalid input in bad.csv (3 problems):",
        '  - `line 5 service`: got "Svc"; must be a DNS label (lowercase letters, digits and -, at most 63)',
        '  - `line 5 load`: got "-1"; must be a number >= 0 (an empty cell is a gap, never 0)',
        '  - `line 5 replicas`: got "x"; must be an integer >= 0, or empty',
      ].join("\n"),
    );
  });

  it("lists the first 20 problems in line order and counts the rest in one last problem", () => {
    // 25 bad rows, latest time first: the order is the file's lines, not time.
    const rows = Array.from(
      { length: 25 },
      (_, i) => `2026-09-07T09:${String(24 - i).padStart(2, "0")}Z,-${i + 1}`,
    );
    const found = problems(csv("# load = rps", "time,load", ...rows, "2026-09-07T08:00Z,1"), ONE);
    expect(found).toHaveLength(21);
    expect(found.slice(0, 20)).toEqual(
      Array.from({ length: 20 }, (_, i) => ({ path: `line ${i + 3} load`, value: `-${i + 1}`, rule: LOAD })),
    );
    expect(found[20]).toEqual({
      path: "lines 23-27",
      value: 5,
      rule: "more problems on these lines, not listed (the first 20 are above)",
    });
    expect(
      failure(csv("# load = rps", "time,load", ...rows), ONE)
        .message.split("\n")
        .slice(-1),
    ).toEqual([
      "  - `lines 23-27`: got 5; more problems on these lines, not listed (the first 20 are above)",
    ]);
  });
});

describe("loadHistoryFile", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "history-load-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("names the file as the user named it in one problem when it cannot be read", () => {
    const path = join(dir, "missing.csv");
    try {
      loadHistoryFile(path, "missing.csv");
      throw new Error("loaded a missing file");
    } catch (e) {
      expect((e as InputError).source).toBe("missing.csv");
      expect((e as InputError).problems).toEqual([
        {
          path: "(file)",
          value: "ENOENT",
          rule: `must be a readable file (ENOENT: no such file or directory, open '${path}')`,
        },
      ]);
    }
  });

  it("parses the file with the options, naming it as given", () => {
    const path = join(dir, "h.csv");
    writeFileSync(path, csv("time,load", "2026-09-07T08:00Z,1", "2026-09-07T08:01Z,2"));
    const history = loadHistoryFile(path, "h.csv", { ...ONE, unit: "requests per second" });
    expect([history.file, history.unit, history.series[0]!.points.length]).toEqual([
      "h.csv",
      "requests per second",
      2,
    ]);
  });
});
