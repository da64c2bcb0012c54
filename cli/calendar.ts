/**
 * `npm run calendar -- --input <file.ics|file.json> [--profile <file>] [--stack <name>] --from <ISO instant>
 *  --days <N> --out <dir> [--budget N] [--region <name>]`
 *
 * Compiles an academic calendar into KEDA ScaledObjects (`scaledobjects.yaml`), the auditable
 * `capacity-plan.json` and a plot (`capacity-plan.svg`). Everything is computed before anything is written, and
 * the files land through a temporary directory and renames, so a failed run leaves `--out` as it was.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "fs";
import { basename, dirname, join, resolve } from "path";
import {
  buildCapacityPlan,
  formatCoverage,
  preProvisionLine,
  preProvisionTotals,
  isoInstant,
  serializeCapacityPlan,
  forecastLine,
  type CalendarSchedule,
  type CapacityPlan,
} from "../components/calendar";
import type { SemesterConfig } from "../components/config";
import {
  DEFAULT_TRIGGER_BUDGET,
  MAX_HORIZON_DAYS,
  AWS_REGION_RULE,
  InputError,
  isAwsRegion,
  throwIfProblems,
  type Problem,
} from "../components/core";
import { readOptions } from "./options";

// Only the limits are imported up front: the compiler, the parsers and the plotting library load once the
// arguments are good, so a usage error answers at once.

export const USAGE = `Usage: npm run calendar -- --input <file.ics|file.json> --from <ISO instant> --days <N> --out <dir>
                            [--profile <file>] [--stack <name>] [--budget <N>] [--region <name>] [--weekly]
                            [--quantile <q>]
       npm run calendar -- --stack <name> --diff <previous capacity-plan.json> [--out <dir>] [--input ...] [--from ...]

  --input    academic calendar, iCalendar (.ics) or JSON (.json)
  --profile  load profile (JSON); default: the stack's semester:calendar.profile, else stacks/calendar/profile.json
  --stack    read stacks/Pulumi.<name>.yaml: its regions, trigger budget and replica bounds; the
             ScaledObjects are the stack's own (its triggers, fallback, labels), as the plan emits them
  --from     start of the horizon, an ISO instant with a zone, e.g. 2026-09-07T00:00:00Z
  --days     length of the horizon in days, 1..${MAX_HORIZON_DAYS}
  --out      directory for scaledobjects.yaml, capacity-plan.json and capacity-plan.svg
  --budget   at most N cron triggers per ScaledObject (default ${DEFAULT_TRIGGER_BUDGET})
  --region   region of calendar events that name none
  --weekly   allow weekly (day-of-week) triggers where they schedule fewer replica-minutes; they recur
             after the horizon until the next compile
  --quantile with a learned profile (npm run learn): the quantile of its baseline forecast to provide for,
             one its baseline carries (default: the stack's semester:calendar.forecastQuantile, else the
             baseline's highest)
  --diff     print what changed against a previous capacity-plan.json (windows, peaks, replica-minutes,
             triggers); exit code 0 when nothing changed, 3 when something did. With --stack, --input, --from
             and --days default to what pulumi up compiles (semester:calendar.file, today 00:00 UTC or
             semester:calendar.now, semester:calendar.horizonDays); --out is optional`;

/** Where the CLI reads and writes; injectable for tests. */
export interface CliIo {
  /** Directory that holds `stacks/` and against which relative paths resolve. */
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** The source of problems with the command line (printed with the usage, exit code 2) and its files' places. */
export const CALENDAR_CLI = "npm run calendar options";

export interface CalendarCliOptions {
  /** @default with `--stack`: its `semester:calendar.file` */
  readonly input?: string;
  readonly profile?: string;
  readonly stack?: string;
  /** @default with `--stack`: its `semester:calendar.now`, else the start of the current UTC day */
  readonly from?: number;
  /** @default with `--stack`: its `semester:calendar.horizonDays` */
  readonly days?: number;
  /** @default with `--diff`: nothing is written */
  readonly out?: string;
  /** A previous capacity-plan.json to print the change against. */
  readonly diff?: string;
  readonly budget?: number;
  readonly region?: string;
  /** Allow weekly (day-of-week) triggers. @default false */
  readonly weekly?: boolean;
  /** The learned baseline's forecast quantile. @default - the stack's, else the baseline's highest */
  readonly quantile?: number;
}

/** The load profile when neither `--profile` nor the stack names one. */
const DEFAULT_PROFILE = "stacks/calendar/profile.json";

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses and checks the arguments; `"help"` for `--help`. Throws one `InputError` (source `CALENDAR_CLI`) with a
 * problem per bad flag.
 */
export function parseCalendarArgs(argv: readonly string[]): CalendarCliOptions | "help" {
  const { values, problems } = readOptions(argv, {
    input: { type: "string" },
    profile: { type: "string" },
    stack: { type: "string" },
    from: { type: "string" },
    days: { type: "string" },
    out: { type: "string" },
    budget: { type: "string" },
    region: { type: "string" },
    weekly: { type: "boolean" },
    quantile: { type: "string" },
    diff: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help === true) return "help";
  const str = (k: keyof typeof values): string | undefined => values[k] as string | undefined;
  const flagProblems = new Set(problems.map((p) => p.path));
  const problem = (name: string, value: unknown, rule: string): void => {
    problems.push({ path: `--${name}`, value, rule });
  };
  // A stack says what pulumi up compiles; a diff prints without writing.
  const required = [
    ...(str("stack") === undefined ? (["input", "from", "days"] as const) : []),
    ...(str("diff") === undefined ? (["out"] as const) : []),
  ];
  for (const flag of required) {
    if ((str(flag) ?? "") === "" && !flagProblems.has(`--${flag}`)) problem(flag, str(flag), "required");
  }
  const fromText = str("from");
  let from = NaN;
  if (fromText !== undefined && fromText !== "") {
    from = ISO_INSTANT.test(fromText) ? Date.parse(fromText) : NaN;
    if (Number.isNaN(from))
      problem("from", fromText, "must be an ISO instant with a zone, e.g. 2026-09-07T00:00:00Z");
  }
  const int = (name: "days" | "budget", min: number, max: number, why: string): number | undefined => {
    const text = str(name);
    if (text === undefined || text === "") return undefined;
    const n = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(n >= min && n <= max)) problem(name, text, `must be an integer in ${min}..${max} (${why})`);
    return n;
  };
  const days = int(
    "days",
    1,
    MAX_HORIZON_DAYS,
    "a date-specific cron trigger recurs yearly, so the horizon stays under a year",
  );
  const budget = int("budget", 1, 1000, "cron triggers per ScaledObject");
  const stack = str("stack");
  if (stack !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(stack))
    problem("stack", stack, "must be a stack name (letters, digits, '.', '_', '-')");
  const region = str("region");
  if (region !== undefined && !isAwsRegion(region)) problem("region", region, AWS_REGION_RULE);
  const quantileText = str("quantile");
  const quantile = quantileText === undefined ? undefined : Number(quantileText);
  if (quantile !== undefined && !(/^0?\.\d+$/.test(quantileText!) && quantile > 0 && quantile < 1))
    problem("quantile", quantileText, "must be a number strictly between 0 and 1, e.g. 0.99");
  throwIfProblems(CALENDAR_CLI, problems);
  return {
    ...(str("input") !== undefined ? { input: str("input") } : {}),
    ...(fromText !== undefined ? { from } : {}),
    ...(days !== undefined ? { days } : {}),
    ...(str("out") !== undefined ? { out: str("out") } : {}),
    ...(str("diff") !== undefined ? { diff: str("diff") } : {}),
    ...(str("profile") !== undefined ? { profile: str("profile") } : {}),
    ...(stack !== undefined ? { stack } : {}),
    ...(budget !== undefined ? { budget } : {}),
    ...(region !== undefined ? { region } : {}),
    ...(values.weekly === true ? { weekly: true } : {}),
    ...(quantile !== undefined ? { quantile } : {}),
  };
}

/** What the CLI takes from a stack: the same validated config `pulumi up` and the plan use. */
export interface StackCalendarConfig {
  readonly file: string;
  /** The whole validated config: the compile options and the ScaledObjects come from it as in the plan. */
  readonly config: SemesterConfig;
}

/** Reads and validates `stacks/Pulumi.<name>.yaml` with the project's config loader. */
export async function readStack(name: string, cwd: string): Promise<StackCalendarConfig> {
  const { readStackConfig, stackFile, parseStackConfig } = await import("../components/config");
  const file = stackFile(name);
  const config = parseStackConfig(
    readStackConfig(cwd, name, { source: CALENDAR_CLI, path: "--stack" }),
    file,
  );
  return { file, config };
}

/**
 * The load profile does not exist. It is `--profile`'s when given, else the stack's `semester:calendar.profile`,
 * else the default; the problem names whichever it was.
 */
function profileNotFound(
  options: CalendarCliOptions,
  stack: StackCalendarConfig | undefined,
  path: string,
): InputError {
  const rule = `must name an existing load profile (${path} does not exist)`;
  if (options.profile !== undefined)
    return new InputError(CALENDAR_CLI, [{ path: "--profile", value: options.profile, rule }]);
  if (stack !== undefined)
    return new InputError(stack.file, [
      {
        path: "semester:calendar.profile",
        value: stack.config.calendar.profile,
        rule,
        fix: "set it to an existing file, or pass --profile <file>",
      },
    ]);
  return new InputError(CALENDAR_CLI, [
    {
      path: "--profile",
      value: undefined,
      rule: `required: the default ${DEFAULT_PROFILE} does not exist`,
      fix: "pass --profile <file>, or --stack with a semester:calendar.profile",
    },
  ]);
}

/** The profile sizes services the stack does not run: one problem per such service. */
function servicesNotRun(
  schedule: CalendarSchedule,
  stackName: string,
  stack: StackCalendarConfig,
): Problem[] {
  const services = Object.keys(stack.config.services);
  const allowed = new Set(services);
  // A bad key's value is the key, as for the profile's own key rules.
  return Object.keys(schedule.profile.services)
    .filter((s) => !allowed.has(s))
    .map((s) => ({
      path: `services.${s}`,
      value: s,
      rule:
        `must be a service stack \`${stackName}\` runs (${stack.file} semester:services: ` +
        `${services.join(", ")})`,
      fix: "remove it from the profile or add it to the stack",
    }));
}

/** The files of one run, computed in full before any is written. */
export interface CalendarOutputs {
  readonly schedule: CalendarSchedule;
  readonly plan: CapacityPlan;
  readonly files: Readonly<Record<string, string>>;
  /** The calendar file and horizon compiled (the stack's where the command line named none). */
  readonly input: string;
  readonly days: number;
}

/** Compiles and renders everything; writes nothing. */
export async function computeOutputs(options: CalendarCliOptions, cwd: string): Promise<CalendarOutputs> {
  const { compileCalendar, plotCapacity } = await import("../components/calendar");
  const { calendarScaledObjects, stackCalendarOptions } = await import("../components/platform");
  const { kubeYaml } = await import("./plan/write");
  const { startOfUtcDay } = await import("../components/platform");
  const stack = options.stack !== undefined ? await readStack(options.stack, cwd) : undefined;
  // Without a stack the parser required all three.
  const calendar = stack?.config.calendar;
  const input = options.input ?? (calendar?.file as string);
  const days = options.days ?? (calendar?.horizonDays as number);
  const from =
    options.from ?? (calendar?.now !== undefined ? Date.parse(calendar.now) : startOfUtcDay(Date.now()));
  const profileName = options.profile ?? stack?.config.calendar.profile ?? DEFAULT_PROFILE;
  const profilePath = resolve(cwd, profileName);
  if (!existsSync(profilePath)) throw profileNotFound(options, stack, profilePath);
  const schedule = compileCalendar({
    calendarPath: resolve(cwd, input),
    profilePath,
    calendarName: input,
    profileName,
    from,
    days,
    // A stack's options are the ones the plan compiles with; the command line overrides them.
    ...(stack !== undefined ? stackCalendarOptions(stack.config, stack.file) : {}),
    budget: options.budget ?? stack?.config.calendar.triggerBudget ?? DEFAULT_TRIGGER_BUDGET,
    ...(options.region !== undefined ? { defaultRegion: options.region } : {}),
    weeklyPatterns: options.weekly === true || stack?.config.calendar.weeklyPatterns === true,
    ...(options.quantile !== undefined
      ? {
          forecastQuantile: options.quantile,
          forecastQuantileSource: { source: CALENDAR_CLI, path: "--quantile" },
        }
      : {}),
  });
  if (stack !== undefined) throwIfProblems(profileName, servicesNotRun(schedule, options.stack!, stack));
  const yaml = kubeYaml(calendarScaledObjects(schedule, stack !== undefined ? { config: stack.config } : {}));
  const plan = buildCapacityPlan({
    horizon: schedule.horizon,
    series: schedule.series,
    results: schedule.results,
  });
  const svg = await plotCapacity(
    { horizon: schedule.horizon, series: schedule.series, results: schedule.results },
    { title: `Semester capacity plan — ${basename(input)}` },
  );
  return {
    schedule,
    plan,
    input,
    days,
    files: {
      "scaledobjects.yaml": yaml,
      "capacity-plan.json": serializeCapacityPlan(plan),
      "capacity-plan.svg": `${svg}\n`,
    },
  };
}

/**
 * Writes the files into a temporary sibling of `out`, then renames: the whole directory when `out` does not exist
 * yet, else file by file (each rename is atomic). Nothing is left behind on failure. `source` names the command
 * in the error for an `--out` that is a file. @default CALENDAR_CLI
 */
export function writeOutputs(
  out: string,
  files: Readonly<Record<string, string>>,
  named: string = out,
  source: string = CALENDAR_CLI,
): void {
  if (existsSync(out) && !statSync(out).isDirectory())
    throw new InputError(source, [
      { path: "--out", value: named, rule: "must be a directory, or a path that does not exist yet" },
    ]);
  mkdirSync(dirname(out), { recursive: true });
  const tmp = mkdtempSync(join(dirname(out), `.${basename(out)}.tmp-`));
  try {
    chmodSync(tmp, 0o755); // mkdtemp makes it private; the output directory is an ordinary one
    for (const [name, content] of Object.entries(files)) writeFileSync(join(tmp, name), content);
    if (!existsSync(out)) {
      renameSync(tmp, out);
      return;
    }
    for (const name of Object.keys(files)) renameSync(join(tmp, name), join(out, name));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function pad(cells: readonly string[], widths: readonly number[], right: ReadonlySet<number>): string {
  return cells
    .map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
    .join("  ")
    .trimEnd();
}

/** Replica-minutes of zone-loss headroom, `+1,234` (what static stability costs), or `-` without it. */
function headroomCell(minutes: number | undefined): string {
  return minutes === undefined ? "-" : `+${Math.round(minutes).toLocaleString("en-US")}`;
}

/** The summary table: one row per region and service, then the totals. */
export function summaryTable(schedule: CalendarSchedule): string {
  const header = ["region", "service", "windows", "triggers", "peak", "coverage", "excess", "headroom"];
  const rows = schedule.results.map((r) => {
    const s = schedule.series.find((x) => x.region === r.schedule.region && x.service === r.schedule.service);
    const peak = r.scheduled.reduce((m, x) => Math.max(m, x.replicas), 0);
    return [
      r.schedule.region,
      r.schedule.service,
      String(s?.windows.length ?? 0),
      `${r.schedule.triggers.length}/${r.stats.exactTriggers}`,
      String(peak),
      formatCoverage(r.stats.coverage),
      `${r.stats.excessRatio.toFixed(2)}×`,
      headroomCell(s?.zones === undefined ? undefined : r.stats.headroomReplicaMinutes),
    ];
  });
  const stable = schedule.results.filter((_, i) => schedule.series[i]?.zones !== undefined);
  const needed = schedule.results.reduce((sum, r) => sum + r.stats.neededReplicaMinutes, 0);
  const scheduled = schedule.results.reduce((sum, r) => sum + r.stats.scheduledReplicaMinutes, 0);
  const covered = schedule.results.reduce(
    (sum, r) => sum + r.stats.coverage * r.stats.neededReplicaMinutes,
    0,
  );
  const total = [
    "total",
    "",
    String(schedule.windows.length),
    String(schedule.results.reduce((sum, r) => sum + r.schedule.triggers.length, 0)),
    "",
    formatCoverage(needed > 0 ? covered / needed : 1),
    `${(needed > 0 ? scheduled / needed : 0).toFixed(2)}×`,
    headroomCell(
      stable.length === 0 ? undefined : stable.reduce((sum, r) => sum + r.stats.headroomReplicaMinutes, 0),
    ),
  ];
  const all = [header, ...rows, total];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const right = new Set([2, 3, 4, 5, 6, 7]);
  const rule = widths.map((w) => "─".repeat(w)).join("  ");
  return [
    pad(header, widths, right),
    rule,
    ...rows.map((r) => pad(r, widths, right)),
    rule,
    pad(total, widths, right),
  ].join("\n");
}

/** Runs the command; returns the exit code (0 ok, 1 failed, 2 usage). */
export async function runCalendarCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: CalendarCliOptions | "help";
  try {
    parsed = parseCalendarArgs(argv);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.stderr(`error: ${e.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (parsed === "help") {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const options = parsed;
  try {
    const { schedule, plan, files, days } = await computeOutputs(options, io.cwd);
    if (options.diff !== undefined) return await printDiff(options.diff, files, options, io);
    writeOutputs(resolve(io.cwd, options.out!), files, options.out);
    const { from, to } = schedule.horizon;
    const lines = [
      `Semester calendar: ${isoInstant(from)} → ${isoInstant(to)} (${days} days), ` +
        `${schedule.results.length} ScaledObjects, at most ${schedule.budget} triggers each ` +
        "(triggers shown as emitted/exact)",
      "",
      summaryTable(schedule),
      "",
    ];
    const pre = preProvisionTotals(schedule.results);
    if (pre !== undefined) lines.push(preProvisionLine(pre), "");
    if (plan.summary.forecast !== null) lines.push(forecastLine(plan.summary.forecast), "");
    if (schedule.warnings.length > 0) {
      lines.push(`${schedule.warnings.length} warning(s):`, ...schedule.warnings.map((w) => `  ! ${w}`), "");
    }
    lines.push(
      `Wrote ${Object.keys(files)
        .map((f) => join(options.out!, f))
        .join(", ")}`,
    );
    io.stdout(`${lines.join("\n")}\n`);
    return 0;
  } catch (e) {
    const nothing = options.out !== undefined ? `\nNothing was written to ${options.out}.` : "";
    io.stderr(`error: ${(e as Error).message}${nothing}\n`);
    return 1;
  }
}

/** `--diff`: prints the change against the previous plan, writes `--out` if given; 3 when something changed. */
async function printDiff(
  previousFile: string,
  files: Readonly<Record<string, string>>,
  options: CalendarCliOptions,
  io: CliIo,
): Promise<number> {
  const { capacityDiff, readCapacityPlan } = await import("./calendar-diff");
  const previous = readCapacityPlan(resolve(io.cwd, previousFile), previousFile, CALENDAR_CLI);
  const diff = capacityDiff(previous, JSON.parse(files["capacity-plan.json"]!), previousFile);
  if (options.out !== undefined) writeOutputs(resolve(io.cwd, options.out), files, options.out);
  io.stdout(diff.text);
  return diff.changed ? 3 : 0;
}

if (require.main === module) {
  void runCalendarCli(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  }).then((code) => {
    process.exitCode = code;
  });
}
