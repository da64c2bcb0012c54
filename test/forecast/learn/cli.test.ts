import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { parseProfile } from "../../../components/calendar";
import { runLearnCli } from "../../../cli/learn";
import { runSynthesizeCli } from "../../../cli/synthesize";

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { cwd, stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) }, out, err };
}

describe("npm run synthesize and npm run learn", () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "learn-cli-"));
    const run = io(dir);
    expect(await runSynthesizeCli(["--out", "syn", "--weeks", "1", "--seed", "3"], run.io)).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("synthesize writes the history, its calendar and its truth", () => {
    expect(readdirSync(join(dir, "syn")).sort()).toEqual(["calendar.json", "history.csv", "truth.json"]);
    expect(readFileSync(join(dir, "syn", "history.csv"), "utf8")).toMatch(
      /^# Semester load history \(synthetic\)/,
    );
    expect(JSON.parse(readFileSync(join(dir, "syn", "truth.json"), "utf8"))).toMatchObject({
      seed: 3,
      unit: "concurrent learners",
    });
  });

  it("learn writes a profile the calendar accepts, its report (labelled synthetic) and its plot", async () => {
    const run = io(dir);
    const code = await runLearnCli(
      [
        "--history",
        "syn/history.csv",
        "--calendar",
        "syn/calendar.json",
        "--until",
        "2026-09-06T00:00:00Z",
        "--out",
        "learned",
      ],
      run.io,
    );
    expect(run.err.join("")).toContain("learning from 4 series");
    expect(code).toBe(0);
    const profile = parseProfile(readFileSync(join(dir, "learned", "profile.json"), "utf8"), "profile.json");
    expect(profile.learned).toMatchObject({
      synthetic: true,
      trainedTo: "2026-09-06T00:00:00Z",
      calendar: { file: "syn/calendar.json" },
    });
    expect(profile.learned!.history.sha256).toMatch(/^[0-9a-f]{64}$/);
    const report = readFileSync(join(dir, "learned", "report.txt"), "utf8");
    expect(report).toMatch(/^SYNTHETIC HISTORY: syn\/history.csv was generated/);
    expect(readFileSync(join(dir, "learned", "plot.svg"), "utf8")).toMatch(/^<svg/);
  });

  it("a bad flag is a usage error (exit 2) listing every problem", async () => {
    const run = io(dir);
    expect(
      await runLearnCli(["--until", "yesterday", "--share-quantile", "1", "--capacity", "api"], run.io),
    ).toBe(2);
    expect(run.err.join("")).toContain(
      [
        "error: Invalid input in npm run learn options (5 problems):",
        "  - `--history`: got missing; required",
        "  - `--out`: got missing; required",
        '  - `--until`: got "yesterday"; must be an ISO instant with a zone, e.g. 2026-10-05T00:00:00Z',
        '  - `--share-quantile`: got "1"; must be a number in (0, 1), e.g. 0.99',
        '  - `--capacity`: got "api"; must be <service>=<load per replica>',
      ].join("\n"),
    );
  });

  it("bad input fails with exit 1 and writes nothing", async () => {
    const run = io(dir);
    const code = await runLearnCli(
      [
        "--history",
        "syn/history.csv",
        "--until",
        "2026-08-31T02:00:00Z",
        "--out",
        "never",
        "--capacity",
        "apx=3",
      ],
      run.io,
    );
    expect(code).toBe(1);
    expect(run.err.join("")).toContain(
      "`capacity.apx`: got 3; must name a service of the history (api, video)",
    );
    expect(run.err.join("")).toContain("Nothing was written to never.");
    expect(existsSync(join(dir, "never"))).toBe(false);
  });
});
