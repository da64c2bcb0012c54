/** The command line of `npm run backtest`: its usage, and the flags parsed and checked in one pass. */
import { AWS_REGION_RULE, isAwsRegion, isDnsLabel, throwIfProblems } from "../../components/core";
import { readOptions } from "../options";

export const BACKTEST_USAGE = `Usage: npm run backtest -- --history <file.csv> --calendar <file.ics|file.json>
                            [--weeks <N>] [--profile <file>] [--capacity <load per replica>]
                            [--region <name>] [--service <name>] [--out <dir>]

  --history   load history (CSV: time,region,service,load[,replicas,p95_ms], or time,load with --region/--service)
  --calendar  the academic calendar of the same period, iCalendar (.ics) or JSON (.json)
  --weeks     use the first N whole weeks (Monday 00:00 UTC to Monday), N >= 3; default every whole week
  --profile   hand-written load profile (JSON), default stacks/calendar/profile.json: baseline "calendar,
              hand profile" compiles with it, and its learnersPerReplica sizes the truth unless --capacity
  --capacity  load one replica carries, in the history's unit
  --region    the region of a two-column history, or the one region to backtest
  --service   the service of a two-column history, or the one service to backtest
  --out       directory for backtest.json, backtest.txt and backtest.svg`;

/** The source of problems with the command line (printed with the usage, exit code 2). */
export const BACKTEST_CLI = "npm run backtest options";

export interface BacktestArgs {
  readonly history: string;
  readonly calendar: string;
  readonly profile: string;
  readonly weeks?: number;
  readonly capacity?: number;
  readonly region?: string;
  readonly service?: string;
  readonly out?: string;
}

/** @default the profile `npm run calendar` uses without a stack. */
export const DEFAULT_BACKTEST_PROFILE = "stacks/calendar/profile.json";

/** Parses and checks the arguments; `"help"` for `--help`. Throws one `InputError` (source `BACKTEST_CLI`). */
export function parseBacktestArgs(argv: readonly string[]): BacktestArgs | "help" {
  const { values, problems } = readOptions(argv, {
    history: { type: "string" },
    calendar: { type: "string" },
    weeks: { type: "string" },
    profile: { type: "string" },
    capacity: { type: "string" },
    region: { type: "string" },
    service: { type: "string" },
    out: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help === true) return "help";
  const str = (k: keyof typeof values): string | undefined => values[k] as string | undefined;
  const seen = new Set(problems.map((p) => p.path));
  for (const flag of ["history", "calendar"] as const)
    if ((str(flag) ?? "") === "" && !seen.has(`--${flag}`))
      problems.push({ path: `--${flag}`, value: str(flag), rule: "required" });
  const weeksText = str("weeks");
  const weeks = weeksText === undefined ? undefined : /^\d+$/.test(weeksText) ? Number(weeksText) : NaN;
  if (weeks !== undefined && !(weeks >= 3))
    problems.push({
      path: "--weeks",
      value: weeksText,
      rule: "must be an integer >= 3 (train on weeks 1..k for k >= 2, forecast week k + 1)",
    });
  const capacityText = str("capacity");
  const capacity = capacityText === undefined ? undefined : Number(capacityText);
  if (capacity !== undefined && !(Number.isFinite(capacity) && capacity > 0))
    problems.push({
      path: "--capacity",
      value: capacityText,
      rule: "must be a number > 0 (load per replica, in the history's unit)",
    });
  const region = str("region");
  if (region !== undefined && !isAwsRegion(region))
    problems.push({ path: "--region", value: region, rule: AWS_REGION_RULE });
  const service = str("service");
  if (service !== undefined && !isDnsLabel(service))
    problems.push({
      path: "--service",
      value: service,
      rule: "must be a DNS label (lowercase letters, digits and '-', at most 63)",
    });
  throwIfProblems(BACKTEST_CLI, problems);
  return {
    history: str("history")!,
    calendar: str("calendar")!,
    profile: str("profile") ?? DEFAULT_BACKTEST_PROFILE,
    ...(weeks !== undefined ? { weeks } : {}),
    ...(capacity !== undefined ? { capacity } : {}),
    ...(region !== undefined ? { region } : {}),
    ...(service !== undefined ? { service } : {}),
    ...(str("out") !== undefined ? { out: str("out") } : {}),
  };
}
