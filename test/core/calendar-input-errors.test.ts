/**
 * Every bad-input error of the calendar module and its CLIs, one row per module: the row feeds one bad input and
 * the error must be an `InputError` whose message is the one shape of core/problem.ts, exactly.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { computeOutputs, parseCalendarArgs, writeOutputs } from "../../cli/calendar";
import { parsePlanArgs } from "../../cli/plan/args";
import { generateTerm } from "../../cli/bench/term-generator";
import { compileAll, compileService } from "../../components/calendar/compile/compile";
import { toCronSpec } from "../../components/calendar/compile/cron-spec";
import { toKedaTriggers } from "../../components/calendar/compile/keda-trigger";
import { mergeToBudget } from "../../components/calendar/compile/merge";
import { toWeeklyCronSpec } from "../../components/calendar/compile/weekly";
import { parseIcs } from "../../components/calendar/input/ics";
import { parseJsonCalendar } from "../../components/calendar/input/json-calendar";
import { loadCalendarFile, loadProfileFile } from "../../components/calendar/input/load";
import { parseProfile } from "../../components/calendar/input/profile";
import { DEFAULT_TIMING } from "../../components/calendar/model/timing";
import { buildCapacityPlan } from "../../components/calendar/report/capacity-plan";
import { compileCalendar } from "../../components/calendar/schedule";
import type { CompileOptions, NeedSeries, ServiceProfile } from "../../components/calendar/types";
import { InputError } from "../../components/core/problem";

const FROM = Date.parse("2026-09-07T00:00:00Z");
const HORIZON = { from: FROM, to: FROM + 14 * 86_400_000 };
const KINDS = ["lecture", "exam"];
const SIZING: ServiceProfile = {
  learnersPerReplica: 100,
  minReplicas: 1,
  maxReplicas: 10,
  leadMinutes: 5,
  tailMinutes: 5,
};
const PROFILE = { services: { api: SIZING }, kinds: { lecture: { api: 1 } } };
const COMPILE: CompileOptions = { triggerBudget: 5, timing: DEFAULT_TIMING, horizon: HORIZON };
const SERIES: NeedSeries = { region: "eu-west-2", service: "api", need: [], windows: [] };
const EVENT = {
  id: "cs101",
  kind: "lecture",
  start: "2026-09-07T09:00",
  end: "2026-09-07T10:00",
  timezone: "Europe/London",
  learners: 300,
};

const ics = (...lines: string[]): string =>
  [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//t//t//EN",
    "BEGIN:VEVENT",
    ...lines,
    "END:VEVENT",
    "END:VCALENDAR",
  ]
    .map((l) => `${l}\r\n`)
    .join("");

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "semester-calendar-errors-"));
  writeFileSync(join(dir, "profile.json"), JSON.stringify(PROFILE));
  writeFileSync(join(dir, "term.json"), JSON.stringify({ events: [{ ...EVENT, region: "ap-northeast-1" }] }));
  writeFileSync(join(dir, "a-file"), "not a directory\n");
  mkdirSync(join(dir, "stacks"));
  writeFileSync(
    join(dir, "stacks", "Pulumi.dev.yaml"),
    [
      "config:",
      "  semester:environment: dev",
      "  semester:homeRegion: eu-west-2",
      "  semester:regions:",
      "    - region: eu-west-2",
      "      vpcCidr: 10.40.0.0/16",
      "  semester:cluster:",
      '    kubernetesVersion: "1.35"',
      "  semester:calendar:",
      "    profile: nowhere/profile.json",
      "",
    ].join("\n"),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (extra: Record<string, string | number> = {}) => ({
  input: "term.json",
  from: FROM,
  days: 14,
  out: "out",
  ...extra,
});

/** [module, one bad input, the exact message]. */
const ROWS: [string, () => unknown, () => string][] = [
  [
    "input/ics: an event property",
    () =>
      parseIcs(
        ics(
          "UID:exam-1",
          "DTSTART:20260907T090000Z",
          "DTEND:20260907T080000Z",
          "CATEGORIES:lecture",
          "X-SEMESTER-LEARNERS:10",
          "X-SEMESTER-REGION:eu-west-2",
        ),
        { file: "term.ics", kinds: KINDS, horizon: HORIZON },
      ),
    () =>
      "Invalid input in term.ics (1 problem):\n" +
      '  - `event exam-1 (line 4) DTEND`: got "2026-09-07T08:00Z"; is before DTSTART 2026-09-07T09:00Z; ' +
      "DTEND must be after DTSTART",
  ],
  [
    "input/ics: an event without a UID",
    () =>
      parseIcs(
        ics("DTSTART:20260907T090000Z", "DURATION:PT1H", "CATEGORIES:lecture", "X-SEMESTER-LEARNERS:10"),
        {
          file: "term.ics",
          kinds: KINDS,
          defaultRegion: "eu-west-2",
          horizon: HORIZON,
        },
      ),
    () =>
      "Invalid input in term.ics (1 problem):\n" +
      "  - `event without UID (line 4) UID`: got missing; required: every VEVENT needs a UID",
  ],
  [
    "input/json-calendar: a key of an event",
    () =>
      parseJsonCalendar(JSON.stringify({ events: [{ ...EVENT, region: "eu-west-2", learner: 3 }] }), {
        file: "term.json",
        kinds: KINDS,
        horizon: HORIZON,
      }),
    () =>
      "Invalid input in term.json (1 problem):\n" +
      "  - `events[0].learner (event cs101)`: got 3; unknown key; allowed keys here: id, kind, start, end, " +
      "timezone, region, learners, rrule, exdates, summary",
  ],
  [
    "input/json-calendar: an event that is not an object",
    () => parseJsonCalendar('{"events": ["cs101"]}', { file: "term.json", kinds: KINDS, horizon: HORIZON }),
    () => 'Invalid input in term.json (1 problem):\n  - `events[0]`: got "cs101"; must be an event object',
  ],
  [
    "input/profile: a service's bound",
    () =>
      parseProfile(
        JSON.stringify({ ...PROFILE, services: { api: { ...SIZING, minReplicas: 0, maxReplicas: 0 } } }),
        "p.json",
      ),
    () =>
      "Invalid input in p.json (1 problem):\n  - `services.api.maxReplicas`: got 0; must be an integer >= 1",
  ],
  [
    "input/profile: a missing section",
    () => parseProfile(JSON.stringify({ services: PROFILE.services }), "p.json"),
    () =>
      "Invalid input in p.json (1 problem):\n  - `kinds`: got missing; required: a map of window kinds to service shares",
  ],
  [
    "input/load: a calendar's file name",
    () => loadCalendarFile(join(dir, "term.csv"), { file: "term.csv", kinds: KINDS, horizon: HORIZON }),
    () =>
      "Invalid input in term.csv (1 problem):\n" +
      '  - `(extension)`: got ".csv"; must be .ics or .ical (iCalendar) or .json (JSON calendar)',
  ],
  [
    "input/load: an unreadable profile",
    () => loadProfileFile(join(dir, "missing.json"), "missing.json"),
    () =>
      "Invalid input in missing.json (1 problem):\n" +
      `  - \`(file)\`: got "ENOENT"; must be a readable file (ENOENT: no such file or directory, open '${join(dir, "missing.json")}')`,
  ],
  [
    "schedule: compileCalendar's options",
    () =>
      compileCalendar({
        calendarPath: join(dir, "term.json"),
        profilePath: join(dir, "profile.json"),
        from: FROM,
        days: 0,
        budget: 0,
      }),
    () =>
      "Invalid input in compileCalendar options (2 problems):\n" +
      "  - `days`: got 0; must be an integer in 1..364 (date-specific cron triggers recur yearly, so the horizon " +
      "stays under a year)\n" +
      "  - `budget`: got 0; must be an integer >= 1 (cron triggers per ScaledObject)",
  ],
  [
    "schedule: a service the profile does not size",
    () =>
      compileCalendar({
        calendarPath: join(dir, "term.json"),
        profilePath: join(dir, "profile.json"),
        profileName: "profile.json",
        services: ["api", "video"],
        from: FROM,
        days: 14,
      }),
    () =>
      "Invalid input in profile.json (1 problem):\n" +
      "  - `services.video`: got missing; required: the calendar schedules video (`services`), so the profile " +
      "must size it; fix: size it, or schedule only services the profile sizes: api",
  ],
  [
    "schedule: a region no alias serves (serveThroughAliases)",
    () =>
      compileCalendar({
        calendarPath: join(dir, "term.json"),
        calendarName: "term.json",
        profilePath: join(dir, "profile.json"),
        regions: ["eu-west-2"],
        regionAliases: { "us-east-1": "eu-west-2" },
        from: FROM,
        days: 14,
      }),
    () =>
      "Invalid input in term.json (1 problem):\n" +
      '  - `events[0].region (event cs101)`: got "ap-northeast-1"; must be a region this stack runs (eu-west-2) ' +
      "or one `semester:calendar.regionAliases` maps to one; fix: serve it from one of eu-west-2 with " +
      "`semester:calendar.regionAliases`",
  ],
  [
    "compile/compile: compileService",
    () => compileService(SERIES, { ...SIZING, learnersPerReplica: 0 }, COMPILE, () => 1),
    () =>
      "Invalid input in compileService eu-west-2/api (1 problem):\n" +
      "  - `sizing.learnersPerReplica`: got 0; must be > 0",
  ],
  [
    "compile/compile: compileAll",
    () => compileAll([SERIES], PROFILE, { ...COMPILE, timing: { ...DEFAULT_TIMING, hpaSyncSeconds: 0 } }),
    () =>
      "Invalid input in compileAll (1 problem):\n  - `eu-west-2/api: options.timing.hpaSyncSeconds`: got 0; must be > 0",
  ],
  [
    "compile/keda-trigger: toKedaTriggers",
    () =>
      toKedaTriggers({
        region: "eu-west-2",
        service: "api",
        minReplicaCount: 1,
        maxReplicaCount: 5,
        behavior: {},
        triggers: [
          { name: "cal-001", timezone: "Etc/UTC", start: "0 9 7 9 *", end: "0 10 7 9 *", desiredReplicas: 0 },
        ],
      }),
    () =>
      "Invalid input in toKedaTriggers eu-west-2/api (1 problem):\n" +
      "  - `triggers[0].desiredReplicas`: got 0; must be an integer >= 1",
  ],
  [
    "compile/cron-spec: toCronSpec",
    () => toCronSpec(FROM + 1),
    () =>
      "Invalid input in toCronSpec (1 problem):\n" +
      `  - \`instant\`: got ${FROM + 1}; must be a whole UTC minute (epoch ms divisible by 60000)`,
  ],
  [
    "compile/weekly: toWeeklyCronSpec",
    () => toWeeklyCronSpec(-60_000),
    () =>
      "Invalid input in toWeeklyCronSpec (1 problem):\n" +
      "  - `offset`: got -60000; must be a whole minute within a week (0..604800000 ms)",
  ],
  [
    "compile/merge: mergeToBudget",
    () => mergeToBudget([{ start: 0, end: 60_000, replicas: 3 }], 1, 0),
    () =>
      "Invalid input in mergeToBudget (1 problem):\n  - `budget`: got 0; must be >= 1: the schedule rises above its floor 1",
  ],
  [
    "report/capacity-plan: buildCapacityPlan",
    () => buildCapacityPlan({ horizon: { from: FROM, to: FROM - 1 }, series: [], results: [] }),
    () =>
      "Invalid input in buildCapacityPlan (1 problem):\n" +
      `  - \`horizon\`: got {"from":${FROM},"to":${FROM - 1}}; must end after it starts`,
  ],
  [
    "cli/bench: generateTerm",
    () => generateTerm({ sections: 1.5 }),
    () =>
      "Invalid input in generateTerm options (1 problem):\n  - `sections`: got 1.5; must be a positive integer",
  ],
  [
    "cli/calendar: a flag",
    () =>
      parseCalendarArgs([
        "--input",
        "t.ics",
        "--from",
        "2026-09-07T00:00:00Z",
        "--days",
        "7",
        "--out",
        "o",
        "--budget",
        "0",
      ]),
    () =>
      "Invalid input in npm run calendar options (1 problem):\n" +
      '  - `--budget`: got "0"; must be an integer in 1..1000 (cron triggers per ScaledObject)',
  ],
  [
    "cli/calendar: a stack that does not exist",
    () => computeOutputs(cli({ stack: "prod" }) as never, dir),
    () =>
      "Invalid input in npm run calendar options (1 problem):\n" +
      '  - `--stack`: got "prod"; must name a stack file: stacks/Pulumi.prod.yaml does not exist; fix: use one of dev',
  ],
  [
    "cli/calendar: the stack's load profile",
    () => computeOutputs(cli({ stack: "dev" }) as never, dir),
    () =>
      "Invalid input in stacks/Pulumi.dev.yaml (1 problem):\n" +
      '  - `semester:calendar.profile`: got "nowhere/profile.json"; must name an existing load profile ' +
      `(${join(dir, "nowhere/profile.json")} does not exist); fix: set it to an existing file, or pass --profile <file>`,
  ],
  [
    "cli/calendar: --out",
    () => writeOutputs(join(dir, "a-file"), {}, "a-file"),
    () =>
      "Invalid input in npm run calendar options (1 problem):\n" +
      '  - `--out`: got "a-file"; must be a directory, or a path that does not exist yet',
  ],
  [
    "cli/plan: --now",
    () => parsePlanArgs(["--stack", "prod", "--now", "2026-11-24"]),
    () =>
      "Invalid input in npm run plan options (1 problem):\n" +
      '  - `--now`: got "2026-11-24"; must be an ISO instant with a zone, e.g. 2026-11-24T00:00:00Z',
  ],
  [
    "cli/plan: an unknown flag",
    () => parsePlanArgs(["--stak", "prod"]),
    () =>
      "Invalid input in npm run plan options (2 problems):\n" +
      "  - `--stak`: got true; is not an option; the options are --stack, --out, --now, --help\n" +
      '  - `(arguments)`: got "prod"; takes no positional arguments; every input is a --flag',
  ],
];

/** The one shape: a header naming the source and the count, then one `path`: got VALUE; RULE line per problem. */
const HEADER = /^Invalid input in .+ \((1 problem|[2-9]\d* problems)\):$/;
const LINE = /^ {2}- `[^`]+`: got .+; .+$/;

async function thrown(trigger: () => unknown): Promise<unknown> {
  try {
    await trigger();
  } catch (e) {
    return e;
  }
  throw new Error("no error was thrown");
}

describe("calendar and CLI input errors", () => {
  it.each(ROWS)("%s", async (_module, trigger, message) => {
    const error = await thrown(trigger);
    expect(error).toBeInstanceOf(InputError);
    const { message: text, problems } = error as InputError;
    expect(text).toBe(message());
    const [header, ...lines] = text.split("\n");
    expect(header).toMatch(HEADER);
    expect(lines).toHaveLength(problems.length);
    for (const line of lines) expect(line).toMatch(LINE);
  });
});
