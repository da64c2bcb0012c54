import { spawnSync } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { parseAllDocuments } from "yaml";
import { USAGE, runCalendarCli } from "../../cli/calendar";
import { compileCalendar } from "../../components/calendar/schedule";
import { toKedaTriggers } from "../../components/calendar/compile/keda-trigger";

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
    expect(stdout).toMatch(/^us-east-1 {2}api {12}5 {7}5\/5 {5}9 {6}100% {3}\d\.\d\d×$/m);
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
    expect(stderr).toMatch(/^error: Calendar input has 2 problems:\n/);
    expect(stderr).toContain("event `cs101`");
    expect(stderr).toContain('"Europe/Londn"');
    expect(stderr).toContain("event `ma201`");
    expect(stderr).toContain("Nothing was written to out.\n");
    expect(existsSync(join(dir, "out"))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(["profile.json", "term.json"]);
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
      "error: --out is required\n" +
        'error: --from "2026-09-07" is not an ISO instant; write e.g. 2026-09-07T00:00:00Z\n' +
        'error: --days "365" must be an integer in 1..364 (a date-specific cron trigger recurs yearly, so the horizon ' +
        "stays under a year)\n\n" +
        `${USAGE}\n`,
    );
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
    const docs = parseAllDocuments(readFileSync(join(dir, "out", "scaledobjects.yaml"), "utf8")).map((d) =>
      d.toJS(),
    );
    expect(
      docs.map(
        (d) => `${d.metadata.labels["semester.dev/region"]} ${d.metadata.namespace}/${d.metadata.name}`,
      ),
    ).toEqual([
      "eu-west-2 edge/course-catalog",
      "eu-west-2 learning/enrollment",
      "us-east-1 edge/course-catalog",
      "us-east-1 learning/enrollment",
    ]);
    // The stack's bounds (course-catalog 3..30, enrollment 3..24), not the profile's (2..30, 1..40), and the
    // services' own triggers ahead of the calendar's.
    expect(docs.map((d) => [d.spec.minReplicaCount, d.spec.maxReplicaCount])).toEqual([
      [3, 30],
      [3, 24],
      [3, 30],
      [3, 24],
    ]);
    expect(docs.map((d) => d.spec.triggers[0].name)).toEqual(["cpu", "consumer-lag", "cpu", "consumer-lag"]);
    expect(
      docs.every((d) => d.spec.triggers.slice(1).every((t: { type: string }) => t.type === "cron")),
    ).toBe(true);

    const bad = await run([...base, "--stack", "dev", "--out", "out2"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      "error: The profile sizes `api`, `video`, which stack `dev` does not run (stacks/Pulumi.dev.yaml semester:services: " +
        "course-catalog, assessment-engine, enrollment, learner-profile, analytics, ai-tutor); " +
        "remove them from the profile or add them to the stack\nNothing was written to out2.\n",
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
      "error: Stack `prod` not found: stacks/Pulumi.prod.yaml does not exist\nNothing was written to out4.\n",
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
    expect(res.stderr).toContain("error: --input is required\n");
    expect(res.stderr).toContain('error: --days "0" must be an integer in 1..364');
  });
});
