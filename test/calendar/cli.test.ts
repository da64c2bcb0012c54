import { spawnSync } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { parseAllDocuments } from "yaml";
import { USAGE, runCalendarCli } from "../../cli/calendar";
import { compileCalendar } from "../../components/calendar/schedule";
import { toKedaTriggers } from "../../components/calendar/compile/keda-trigger";
import { AWS_REGION_RULE } from "../../components/core";

const CALENDAR = {
  events: [
    {
      id: "cs101",
      summary: "CS101 Lecture",
      kind: "lecture",
      start: "2026-09-07T09:00",
      end: "2026-09-07T10:30",
      timezone: "Europe/London",
      region: "eu-west-2",
      learners: 400,
      rrule: "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4",
    },
    {
      id: "ma201",
      kind: "lecture",
      start: "2026-09-08T14:00",
      end: "2026-09-08T15:00",
      timezone: "America/New_York",
      region: "us-east-1",
      learners: 250,
      rrule: "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=4",
    },
    {
      id: "midterm",
      kind: "exam",
      start: "2026-09-17T09:00",
      end: "2026-09-17T12:00",
      timezone: "America/New_York",
      region: "us-east-1",
      learners: 900,
    },
  ],
};
const PROFILE = {
  services: {
    api: { learnersPerReplica: 100, minReplicas: 2, maxReplicas: 30, leadMinutes: 10, tailMinutes: 10 },
    video: { learnersPerReplica: 50, minReplicas: 1, maxReplicas: 40, leadMinutes: 5, tailMinutes: 5 },
  },
  kinds: { lecture: { api: 1, video: 0.8 }, exam: { api: 1 } },
};
const FROM = "2026-09-07T00:00:00Z";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "semester-calendar-cli-"));
  writeFileSync(join(dir, "term.json"), JSON.stringify(CALENDAR));
  writeFileSync(join(dir, "profile.json"), JSON.stringify(PROFILE));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCalendarCli(args, {
    cwd: dir,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr };
}

const base = ["--input", "term.json", "--profile", "profile.json", "--from", FROM, "--days", "14"];

describe("npm run calendar", () => {
  it("writes one ScaledObject per region and service, the plan and the plot", async () => {
    const { code, stdout, stderr } = await run([...base, "--out", "out", "--budget", "5"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(readdirSync(join(dir, "out")).sort()).toEqual([
      "capacity-plan.json",
      "capacity-plan.svg",
      "scaledobjects.yaml",
    ]);
    const docs = parseAllDocuments(readFileSync(join(dir, "out", "scaledobjects.yaml"), "utf8")).map((d) =>
      d.toJS(),
    );
    expect(
      docs.map((d) => [
        d.kind,
        d.metadata.name,
        d.metadata.namespace,
        d.metadata.labels,
        d.spec.scaleTargetRef.name,
      ]),
    ).toEqual([
      [
        "ScaledObject",
        "api",
        "learning",
        { "semester.dev/region": "eu-west-2", "semester.dev/service": "api" },
        "api",
      ],
      [
        "ScaledObject",
        "video",
        "learning",
        { "semester.dev/region": "eu-west-2", "semester.dev/service": "video" },
        "video",
      ],
      [
        "ScaledObject",
        "api",
        "learning",
        { "semester.dev/region": "us-east-1", "semester.dev/service": "api" },
        "api",
      ],
      [
        "ScaledObject",
        "video",
        "learning",
        { "semester.dev/region": "us-east-1", "semester.dev/service": "video" },
        "video",
      ],
    ]);
    expect(docs.every((d) => d.apiVersion === "keda.sh/v1alpha1")).toBe(true);
    expect(docs.map((d) => [d.spec.minReplicaCount, d.spec.maxReplicaCount])).toEqual([
      [2, 30],
      [1, 40],
      [2, 30],
      [1, 40],
    ]);

    const compiled = compileCalendar({
      calendarPath: join(dir, "term.json"),
      profilePath: join(dir, "profile.json"),
      from: Date.parse(FROM),
      days: 14,
      budget: 5,
    });
    expect(docs.map((d) => d.spec.triggers)).toEqual(compiled.results.map((r) => toKedaTriggers(r.schedule)));
    expect(docs.map((d) => d.spec.advanced.horizontalPodAutoscalerConfig.behavior)).toEqual(
      compiled.results.map((r) => JSON.parse(JSON.stringify(r.schedule.behavior))),
    );
    expect(docs.every((d) => d.spec.triggers.length >= 1 && d.spec.triggers.length <= 5)).toBe(true);

    const plan = JSON.parse(readFileSync(join(dir, "out", "capacity-plan.json"), "utf8"));
    expect(plan.horizon).toEqual({ from: FROM, to: "2026-09-21T00:00:00Z", days: 14 });
    expect(plan.summary.scaledObjects).toBe(4);
    expect(plan.regions["us-east-1"].api.triggers).toEqual(compiled.results[2].schedule.triggers);
    expect(readFileSync(join(dir, "out", "capacity-plan.svg"), "utf8")).toContain(
      ">us-east-1 · video</text>",
    );

    expect(stdout).toContain("region     service  windows  triggers  peak  coverage  excess");
    expect(stdout).toMatch(/^us-east-1 {2}api {12}5 {7}5\/5 {5}9 {6}100% {3}\d\.\d\d× {9}-$/m);
    expect(stdout).toContain("Wrote out/scaledobjects.yaml, out/capacity-plan.json, out/capacity-plan.svg\n");
  });

  it("writes nothing and exits 1 with every problem when the calendar is invalid", async () => {
    const bad = {
      events: [
        { ...CALENDAR.events[0], timezone: "Europe/Londn" },
        { ...CALENDAR.events[1], learners: -3 },
      ],
    };
    writeFileSync(join(dir, "term.json"), JSON.stringify(bad));
    const { code, stdout, stderr } = await run([...base, "--out", "out"]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      "error: Invalid input in term.json (2 problems):\n" +
        '  - `events[0].timezone (event cs101)`: got "Europe/Londn"; is not a known time zone; must be an IANA time zone name such as Europe/London\n' +
        "  - `events[1].learners (event ma201)`: got -3; must be a positive integer (expected concurrent learners)\n" +
        "Nothing was written to out.\n",
    );
    expect(existsSync(join(dir, "out"))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(["profile.json", "term.json"]);
  });

  it("refuses an event region that is not an AWS region even without a stack, and a --region that is not one", async () => {
    const bad = { events: [{ ...CALENDAR.events[0], region: "eu-west-7" }, CALENDAR.events[1]] };
    writeFileSync(join(dir, "term.json"), JSON.stringify(bad));
    const { code, stderr } = await run([...base, "--out", "out"]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      "error: Invalid input in term.json (1 problem):\n" +
        `  - \`events[0].region (event cs101)\`: got "eu-west-7"; ${AWS_REGION_RULE}\n` +
        "Nothing was written to out.\n",
    );
    expect(existsSync(join(dir, "out"))).toBe(false);
    const flag = await run([...base, "--out", "out", "--region", "eu-west-7"]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain(`  - \`--region\`: got "eu-west-7"; ${AWS_REGION_RULE}\n`);
  });

  it("leaves an existing output directory untouched when a run fails", async () => {
    mkdirSync(join(dir, "out"));
    writeFileSync(join(dir, "out", "scaledobjects.yaml"), "previous\n");
    writeFileSync(
      join(dir, "profile.json"),
      JSON.stringify({ ...PROFILE, services: { api: { ...PROFILE.services.api, minReplicas: 50 } } }),
    );
    const { code, stderr } = await run([...base, "--out", "out"]);
    expect(code).toBe(1);
    expect(stderr).toContain("services.api.minReplicas");
    expect(readdirSync(join(dir, "out"))).toEqual(["scaledobjects.yaml"]);
    expect(readFileSync(join(dir, "out", "scaledobjects.yaml"), "utf8")).toBe("previous\n");
  });

  it("rejects a bad command line with every problem and the usage, exit 2", async () => {
    const { code, stderr } = await run(["--input", "term.json", "--from", "2026-09-07", "--days", "365"]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      "error: Invalid input in npm run calendar options (3 problems):\n" +
        "  - `--out`: got missing; required\n" +
        '  - `--from`: got "2026-09-07"; must be an ISO instant with a zone, e.g. 2026-09-07T00:00:00Z\n' +
        '  - `--days`: got "365"; must be an integer in 1..364 (a date-specific cron trigger recurs yearly, so the ' +
        "horizon stays under a year)\n\n" +
        `${USAGE}\n`,
    );
  });

  it("reports unknown flags, flags without a value, switches with one and positional arguments with the rest", async () => {
    const { code, stderr } = await run([
      ...base.slice(0, -2),
      "--dayz",
      "14",
      "--weekly=yes",
      "--out",
      "--budget",
      "x",
    ]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      "error: Invalid input in npm run calendar options (6 problems):\n" +
        "  - `--dayz`: got true; is not an option; the options are --input, --profile, --stack, --from, --days, " +
        "--out, --budget, --region, --weekly, --quantile, --diff, --help\n" +
        '  - `(arguments)`: got "14"; takes no positional arguments; every input is a --flag\n' +
        '  - `--weekly`: got "yes"; is a switch and takes no value\n' +
        "  - `--out`: got missing; needs a value: --out <value>\n" +
        '  - `(arguments)`: got "x"; takes no positional arguments; every input is a --flag\n' +
        "  - `--days`: got missing; required\n\n" +
        `${USAGE}\n`,
    );
  });

  it("prints the usage for --help and exits 0", async () => {
    const { code, stdout, stderr } = await run(["--help", "--days", "0"]);
    expect([code, stdout, stderr]).toEqual([0, `${USAGE}\n`, ""]);
  });

  it("refuses an --out that is a file, naming the flag as given", async () => {
    writeFileSync(join(dir, "out"), "a file\n");
    const { code, stderr } = await run([...base, "--out", "out"]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      "error: Invalid input in npm run calendar options (1 problem):\n" +
        '  - `--out`: got "out"; must be a directory, or a path that does not exist yet\n' +
        "Nothing was written to out.\n",
    );
  });

  it("names the load profile that does not exist by the flag or stack key that chose it", async () => {
    const noProfile = ["--input", "term.json", "--from", FROM, "--days", "14", "--out", "out"];
    const given = await run([...noProfile, "--profile", "nowhere.json"]);
    expect(given.stderr).toBe(
      "error: Invalid input in npm run calendar options (1 problem):\n" +
        `  - \`--profile\`: got "nowhere.json"; must name an existing load profile (${join(dir, "nowhere.json")} does not exist)\n` +
        "Nothing was written to out.\n",
    );
    const byDefault = await run(noProfile);
    expect(byDefault.stderr).toBe(
      "error: Invalid input in npm run calendar options (1 problem):\n" +
        "  - `--profile`: got missing; required: the default stacks/calendar/profile.json does not exist; " +
        "fix: pass --profile <file>, or --stack with a semester:calendar.profile\n" +
        "Nothing was written to out.\n",
    );
    expect([given.code, byDefault.code]).toEqual([1, 1]);
  });

  it("takes services, namespaces and regions from the stack's validated config and requires profile services to be stack services", async () => {
    mkdirSync(join(dir, "stacks"));
    const stack = [
      "config:",
      "  semester:environment: dev",
      "  semester:homeRegion: eu-west-2",
      "  semester:regions:",
      "    - region: eu-west-2",
      "      vpcCidr: 10.40.0.0/16",
      "    - region: us-east-1",
      "      vpcCidr: 10.41.0.0/16",
      "  semester:cluster:",
      '    kubernetesVersion: "1.35"',
      "  semester:services:",
      "    course-catalog:",
      "      namespace: edge",
      "",
    ].join("\n");
    writeFileSync(join(dir, "stacks", "Pulumi.dev.yaml"), stack);
    const sized = {
      services: {
        "course-catalog": PROFILE.services.api,
        enrollment: PROFILE.services.video,
      },
      kinds: { lecture: { "course-catalog": 1, enrollment: 0.8 }, exam: { "course-catalog": 1 } },
    };
    writeFileSync(join(dir, "stack-profile.json"), JSON.stringify(sized));
    const args = ["--input", "term.json", "--profile", "stack-profile.json", "--from", FROM, "--days", "14"];
    const ok = await run([...args, "--stack", "dev", "--out", "out"]);
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    const all = parseAllDocuments(readFileSync(join(dir, "out", "scaledobjects.yaml"), "utf8")).map((d) =>
      d.toJS(),
    );
    // Each service's node placeholders' ScaledObject comes first (pre-provisioning is on by default), as in the plan.
    expect(
      all.map(
        (d) => `${d.metadata.labels["semester.dev/region"]} ${d.metadata.namespace}/${d.metadata.name}`,
      ),
    ).toEqual([
      "eu-west-2 edge/course-catalog-placeholder",
      "eu-west-2 edge/course-catalog",
      "eu-west-2 learning/enrollment-placeholder",
      "eu-west-2 learning/enrollment",
      "us-east-1 edge/course-catalog-placeholder",
      "us-east-1 edge/course-catalog",
      "us-east-1 learning/enrollment-placeholder",
      "us-east-1 learning/enrollment",
    ]);
    const placeholders = all.filter((d) => d.metadata.name.endsWith("-placeholder"));
    expect(placeholders.map((d) => [d.spec.minReplicaCount, d.spec.maxReplicaCount])).toEqual([
      [0, 30],
      [0, 24],
      [0, 30],
      [0, 24],
    ]);
    const docs = all.filter((d) => !d.metadata.name.endsWith("-placeholder"));
    // The stack's bounds (course-catalog 3..30, enrollment 3..24), not the profile's (2..30, 1..40), and the
    // services' own triggers ahead of the calendar's.
    expect(docs.map((d) => [d.spec.minReplicaCount, d.spec.maxReplicaCount])).toEqual([
      [3, 30],
      [3, 24],
      [3, 30],
      [3, 24],
    ]);
    // The services' own triggers, the calendar's, then the SLO's latency pressure (for request-rate services),
    // on the region's PromQL endpoint, whose URL is known after deploy.
    expect(docs.map((d) => d.spec.triggers[0].name)).toEqual([
      "request-rate",
      "consumer-lag",
      "request-rate",
      "consumer-lag",
    ]);
    const names = (d: { spec: { triggers: { name: string; type: string }[] } }) =>
      d.spec.triggers.slice(1).map((t) => (t.type === "cron" ? "cron" : t.name));
    expect(names(docs[0]).at(-1)).toBe("latency-pressure");
    expect(new Set(names(docs[0]).slice(0, -1))).toEqual(new Set(["cron"]));
    expect(new Set(names(docs[1]))).toEqual(new Set(["cron"]));
    expect(docs[0].spec.triggers[0].metadata.serverAddress).toBe("${late:promql-url}");

    const bad = await run([...base, "--stack", "dev", "--out", "out2"]);
    expect(bad.code).toBe(1);
    const runs =
      "(stacks/Pulumi.dev.yaml semester:services: course-catalog, assessment-engine, enrollment, learner-profile, " +
      "analytics, ai-tutor); fix: remove it from the profile or add it to the stack";
    expect(bad.stderr).toBe(
      "error: Invalid input in profile.json (2 problems):\n" +
        `  - \`services.api\`: got "api"; must be a service stack \`dev\` runs ${runs}\n` +
        `  - \`services.video\`: got "video"; must be a service stack \`dev\` runs ${runs}\n` +
        "Nothing was written to out2.\n",
    );
    expect(existsSync(join(dir, "out2"))).toBe(false);

    writeFileSync(
      join(dir, "stacks", "Pulumi.dev.yaml"),
      stack.replace("region: us-east-1", "region: us-east-9"),
    );
    const invalid = await run([...args, "--stack", "dev", "--out", "out3"]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(
      /^error: Invalid input in stacks\/Pulumi\.dev\.yaml \(1 problem\):\n {2}- `semester:regions\[1\]\.region`: got "us-east-9"; expected an AWS region/,
    );

    const missing = await run([...base, "--stack", "prod", "--out", "out4"]);
    expect(missing.stderr).toBe(
      "error: Invalid input in npm run calendar options (1 problem):\n" +
        '  - `--stack`: got "prod"; must name a stack file: stacks/Pulumi.prod.yaml does not exist; fix: use one of dev\n' +
        "Nothing was written to out4.\n",
    );
  });

  it("exits non-zero from the shell on a usage error", () => {
    const root = resolve(__dirname, "../..");
    const res = spawnSync(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", "cli/calendar.ts", "--days", "0"],
      {
        cwd: root,
        encoding: "utf8",
      },
    );
    expect(res.status).toBe(2);
    expect(res.stderr).toBe(
      "error: Invalid input in npm run calendar options (4 problems):\n" +
        "  - `--input`: got missing; required\n" +
        "  - `--from`: got missing; required\n" +
        "  - `--out`: got missing; required\n" +
        '  - `--days`: got "0"; must be an integer in 1..364 (a date-specific cron trigger recurs yearly, so the ' +
        "horizon stays under a year)\n\n" +
        `${USAGE}\n`,
    );
  });
});
