/** parseHistory on good input: both file forms, the unit and synthetic comments, sorting, zones and gaps. */
import { EXPORTED_LOAD_UNIT, parseHistory } from "../../../components/forecast";

const csv = (...lines: string[]): string => `${lines.join("\n")}\n`;
const at = (iso: string): number => Date.parse(iso);

describe("parseHistory", () => {
  it("reads the exported form into series sorted by region and service, points by time, empty cells absent", () => {
    const history = parseHistory(
      csv(
        "# load = requests per second, served by the service",
        "time,region,service,load,replicas,p95_ms",
        "2026-09-07T08:01:00Z,us-east-1,course-catalog,45.5,3,",
        "2026-09-07T08:00:00Z,us-east-1,course-catalog,41.2,3,187.5",
        "2026-09-07T08:00:00Z,eu-west-2,enrollment,7,,12",
        "2026-09-07T08:00:00Z,eu-west-2,analytics,0,1,",
        "2026-09-07T08:01:00Z,eu-west-2,analytics,2,,",
        "2026-09-07T08:01:00Z,eu-west-2,enrollment,8,2,11.25",
      ),
      "load.csv",
    );
    expect(history).toEqual({
      file: "load.csv",
      unit: "requests per second",
      synthetic: false,
      stepMs: 60_000,
      from: at("2026-09-07T08:00:00Z"),
      to: at("2026-09-07T08:02:00Z"),
      gaps: [],
      series: [
        {
          region: "eu-west-2",
          service: "analytics",
          points: [
            { time: at("2026-09-07T08:00:00Z"), load: 0, replicas: 1 },
            { time: at("2026-09-07T08:01:00Z"), load: 2 },
          ],
        },
        {
          region: "eu-west-2",
          service: "enrollment",
          points: [
            { time: at("2026-09-07T08:00:00Z"), load: 7, p95Ms: 12 },
            { time: at("2026-09-07T08:01:00Z"), load: 8, replicas: 2, p95Ms: 11.25 },
          ],
        },
        {
          region: "us-east-1",
          service: "course-catalog",
          points: [
            { time: at("2026-09-07T08:00:00Z"), load: 41.2, replicas: 3, p95Ms: 187.5 },
            { time: at("2026-09-07T08:01:00Z"), load: 45.5, replicas: 3 },
          ],
        },
      ],
    });
  });

  it("reads columns by name in any order", () => {
    const history = parseHistory(
      csv(
        "p95_ms,load,service,time,region",
        "9,1.5,ai-tutor,2026-09-07T08:00Z,us-east-1",
        ",2,ai-tutor,2026-09-07T08:05Z,us-east-1",
      ),
      "x.csv",
      { unit: "concurrent learners" },
    );
    expect(history.series).toEqual([
      {
        region: "us-east-1",
        service: "ai-tutor",
        points: [
          { time: at("2026-09-07T08:00:00Z"), load: 1.5, p95Ms: 9 },
          { time: at("2026-09-07T08:05:00Z"), load: 2 },
        ],
      },
    ]);
    expect(history.stepMs).toBe(300_000);
    expect(history.unit).toBe("concurrent learners");
  });

  it("reads a time,load trace as one series of --region and --service, in any zone offset", () => {
    const history = parseHistory(
      csv(
        "# load = requests per second",
        "time,load",
        "1995-07-01T00:00-04:00,1",
        "1995-07-01T06:05+02:00,2",
        "1995-07-01T04:10:00Z,3",
      ),
      "nasa.csv",
      { region: "us-east-1", service: "course-catalog" },
    );
    expect(history.series).toEqual([
      {
        region: "us-east-1",
        service: "course-catalog",
        points: [
          { time: at("1995-07-01T04:00:00Z"), load: 1 },
          { time: at("1995-07-01T04:05:00Z"), load: 2 },
          { time: at("1995-07-01T04:10:00Z"), load: 3 },
        ],
      },
    ]);
  });

  it("keeps gaps as gaps: missing steps and empty load cells are absent points, listed as runs", () => {
    const history = parseHistory(
      csv(
        "time,load,replicas",
        "2026-09-07T08:00Z,1,2",
        "2026-09-07T08:01Z,,2",
        "2026-09-07T08:02Z,,",
        "2026-09-07T08:03Z,0,2",
        "2026-09-07T08:07Z,4,2",
        "2026-09-07T08:08Z,,",
      ),
      "gaps.csv",
      { region: "eu-west-2", service: "enrollment", unit: "requests per second" },
    );
    expect(
      history.series[0]!.points.map((p) => [new Date(p.time).toISOString().slice(11, 16), p.load]),
    ).toEqual([
      ["08:00", 1],
      ["08:03", 0],
      ["08:07", 4],
    ]);
    const runs = history.gaps.map(
      (g) =>
        `${g.region} ${g.service} ${new Date(g.start).toISOString().slice(11, 16)}-${new Date(g.end).toISOString().slice(11, 16)}`,
    );
    expect(runs).toEqual([
      "eu-west-2 enrollment 08:01-08:03",
      "eu-west-2 enrollment 08:04-08:07",
      "eu-west-2 enrollment 08:08-08:09",
    ]);
    expect([history.from, history.to]).toEqual([at("2026-09-07T08:00:00Z"), at("2026-09-07T08:09:00Z")]);
  });

  it("gives a series no leading gap when it starts later than another", () => {
    const history = parseHistory(
      csv(
        "time,region,service,load",
        "2026-09-07T08:00Z,us-east-1,analytics,1",
        "2026-09-07T08:01Z,us-east-1,analytics,1",
        "2026-09-07T08:02Z,us-east-1,analytics,1",
        "2026-09-07T08:02Z,us-east-1,enrollment,5",
      ),
      "late.csv",
      { unit: "requests per second" },
    );
    expect(history.gaps).toEqual([]);
    expect(history.series.map((s) => s.points.length)).toEqual([3, 1]);
  });

  it("takes the unit up to the first comma of `# load =`, and marks `# synthetic:` files synthetic", () => {
    const history = parseHistory(
      csv(
        "# generated for the tests",
        "#  load =  concurrent learners , sampled each minute",
        "time,load",
        "# synthetic: term generator, seed 7, attendance 0.4",
        "2026-09-07T08:00Z,1",
        "2026-09-07T08:01Z,2",
      ),
      "syn.csv",
      { region: "eu-west-2", service: "ai-tutor" },
    );
    expect([history.unit, history.synthetic]).toEqual(["concurrent learners", true]);
  });

  it("does not read `synthetic` elsewhere in a comment as the label", () => {
    const text = csv(
      "# not synthetic: recorded",
      "# load = requests per second",
      "time,load",
      "2026-09-07T08:00Z,1",
      "2026-09-07T08:01Z,1",
    );
    expect(parseHistory(text, "x.csv", { region: "eu-west-2", service: "ai-tutor" }).synthetic).toBe(false);
  });

  it("gives an exported file whose `# load =` line was removed the exporter's unit", () => {
    const text = csv(
      "# Semester load history of stack prod: one row per minute, region and service",
      "time,region,service,load,replicas,p95_ms",
      "2026-09-07T08:00:00Z,us-east-1,enrollment,1,1,",
      "2026-09-07T08:01:00Z,us-east-1,enrollment,1,1,",
    );
    expect(parseHistory(text, "prod.csv").unit).toBe(EXPORTED_LOAD_UNIT);
  });

  it("accepts a byte order mark, CRLF line ends, blank lines and cells with spaces", () => {
    const text =
      "\ufeff# load = requests per second\r\ntime, load\r\n\r\n2026-09-07T08:00Z , 1.5\r\n2026-09-07T08:01Z,2\r\n";
    const history = parseHistory(text, "win.csv", { region: "eu-west-2", service: "ai-tutor" });
    expect(history.series[0]!.points).toEqual([
      { time: at("2026-09-07T08:00:00Z"), load: 1.5 },
      { time: at("2026-09-07T08:01:00Z"), load: 2 },
    ]);
  });

  it("reads loads written with an exponent or a leading dot, and replicas 0", () => {
    const text = csv(
      "time,load,replicas",
      "2026-09-07T08:00Z,1e-3,0",
      "2026-09-07T08:01Z,.5,0",
      "2026-09-07T08:02Z,2.5E2,",
    );
    const points = parseHistory(text, "x.csv", { region: "eu-west-2", service: "ai-tutor", unit: "rps" })
      .series[0]!.points;
    expect(points.map((p) => [p.load, p.replicas])).toEqual([
      [0.001, 0],
      [0.5, 0],
      [250, undefined],
    ]);
  });
});
