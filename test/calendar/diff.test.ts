import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { runCalendarCli } from "../../cli/calendar";

const lecture = (id: string, start: string, count: number, region: string, timezone: string) => ({
  id,
  kind: "lecture",
  start,
  end: start.replace(/T(\d\d)/, (_, h: string) => `T${String(Number(h) + 1).padStart(2, "0")}`),
  timezone,
  region,
  learners: 400,
  rrule: `FREQ=WEEKLY;COUNT=${count}`,
});
const exam = (id: string, start: string, end: string, learners: number) => ({
  id,
  kind: "exam",
  start,
  end,
  timezone: "Etc/UTC",
  region: "eu-west-2",
  learners,
});
/** The registrar's first export, and the second: the midterm moved an hour, a quiz added, ma201's last week gone. */
const V1 = {
  events: [
    lecture("cs101", "2026-09-07T09:00", 2, "eu-west-2", "Etc/UTC"),
    lecture("ma201", "2026-09-08T14:00", 2, "us-east-1", "Etc/UTC"),
    exam("midterm", "2026-09-10T09:00", "2026-09-10T11:00", 900),
  ],
};
const V2 = {
  events: [
    lecture("cs101", "2026-09-07T09:00", 2, "eu-west-2", "Etc/UTC"),
    lecture("ma201", "2026-09-08T14:00", 1, "us-east-1", "Etc/UTC"),
    exam("midterm", "2026-09-10T10:00", "2026-09-10T12:00", 900),
    exam("quiz", "2026-09-11T13:00", "2026-09-11T13:30", 200),
  ],
};
const PROFILE = {
  services: {
    api: { learnersPerReplica: 100, minReplicas: 2, maxReplicas: 30, leadMinutes: 10, tailMinutes: 10 },
    video: { learnersPerReplica: 50, minReplicas: 1, maxReplicas: 40, leadMinutes: 5, tailMinutes: 5 },
  },
  kinds: { lecture: { api: 1, video: 0.8 }, exam: { api: 1 } },
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "semester-calendar-diff-"));
  writeFileSync(join(dir, "v1.json"), JSON.stringify(V1));
  writeFileSync(join(dir, "v2.json"), JSON.stringify(V2));
  writeFileSync(join(dir, "profile.json"), JSON.stringify(PROFILE));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCalendarCli(argv, {
    cwd: dir,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr };
}
const compile = (input: string, from: string, ...rest: string[]) =>
  run("--input", input, "--profile", "profile.json", "--from", from, "--days", "14", ...rest);

describe("npm run calendar -- --diff", () => {
  beforeEach(async () => {
    expect((await compile("v1.json", "2026-09-07T00:00:00Z", "--out", "applied")).code).toBe(0);
  });

  it("prints the registrar's changes per window and per ScaledObject, and exits 3", async () => {
    const { code, stdout, stderr } = await compile(
      "v2.json",
      "2026-09-07T00:00:00Z",
      "--diff",
      "applied/capacity-plan.json",
    );
    expect(stderr).toBe("");
    expect(stdout).toBe(DIFF);
    expect(code).toBe(3);
  });

  it("says nothing changed, and exits 0, for the same calendar and horizon", async () => {
    const { code, stdout } = await compile(
      "v1.json",
      "2026-09-07T00:00:00Z",
      "--diff",
      "applied/capacity-plan.json",
    );
    expect(stdout).toBe(
      "Capacity diff against applied/capacity-plan.json: horizon 2026-09-07T00:00:00Z → 2026-09-21T00:00:00Z\n" +
        "No capacity change: 4 ScaledObjects, the same windows and triggers.\n",
    );
    expect(code).toBe(0);
  });

  it("counts the windows a day's move of the horizon lets out, apart from the registrar's changes", async () => {
    const { code, stdout } = await compile(
      "v1.json",
      "2026-09-08T00:00:00Z",
      "--diff",
      "applied/capacity-plan.json",
    );
    expect(stdout.split("\n").slice(0, 2)).toEqual([
      "Capacity diff against applied/capacity-plan.json: horizon 2026-09-08T00:00:00Z → 2026-09-22T00:00:00Z " +
        "(was 2026-09-07T00:00:00Z → 2026-09-21T00:00:00Z)",
      "  windows: 0 added, 0 removed, 0 moved; 1 left the horizon, 0 entered it",
    ]);
    expect(code).toBe(3);
  });

  it("writes nothing without --out, and refuses a previous plan that is not one", async () => {
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ version: "v0" }));
    const bad = await compile("v2.json", "2026-09-07T00:00:00Z", "--diff", "bad.json");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      "error: Invalid input in npm run calendar options (1 problem):\n" +
        '  - `--diff`: got "bad.json"; must be a capacity plan of format semester.dev/capacity-plan/v1 (its version is "v0")\n',
    );
    const missing = await compile("v2.json", "2026-09-07T00:00:00Z", "--diff", "none.json");
    expect(missing.stderr).toContain('`--diff`: got "none.json"; must name an existing capacity-plan.json');
  });

  it("still requires --out without --diff, and --input, --from and --days without --stack", async () => {
    const { code, stderr } = await run("--diff", "applied/capacity-plan.json");
    expect(code).toBe(2);
    expect(stderr.split("\n").slice(0, 4)).toEqual([
      "error: Invalid input in npm run calendar options (3 problems):",
      "  - `--input`: got missing; required",
      "  - `--from`: got missing; required",
      "  - `--days`: got missing; required",
    ]);
  });
});

/** Checked by hand: the midterm (9 replicas of api) moved an hour, so api's trigger moves with it and costs the same;
 * ma201's second week (4 api, 7 video replicas over 60 min + lead and tail) is gone: −2 × 80 and −6 × 70
 * replica-minutes; the quiz needs 2 api replicas, the floor, so it adds no trigger. */
const DIFF = [
  "Capacity diff against applied/capacity-plan.json: horizon 2026-09-07T00:00:00Z → 2026-09-21T00:00:00Z",
  "  windows: 1 added, 1 removed, 1 moved; 0 left the horizon, 0 entered it",
  "    ~ eu-west-2  exam  midterm  2026-09-10T09:00Z–2026-09-10T11:00Z → 2026-09-10T10:00Z–2026-09-10T12:00Z",
  "    − us-east-1  lecture  ma201  2026-09-15T14:00Z–2026-09-15T15:00Z  400 learners",
  "    + eu-west-2  exam  quiz  2026-09-11T13:00Z–2026-09-11T13:30Z  200 learners",
  "",
  "  region     service  peak  replica-minutes  triggers",
  "  eu-west-2  api      9     ±0               +1 −1",
  "  us-east-1  api      4     −160 (−0.4%)     +0 −1",
  "  us-east-1  video    7     −420 (−2.0%)     +0 −1",
  "3 of 4 ScaledObjects change.",
  "",
].join("\n");
