/** The command line of `npm run learn`: flags, their checks, and the usage text. */
import {
  AWS_REGION_RULE,
  isAwsRegion,
  isDnsLabel,
  throwIfProblems,
  type Problem,
} from "../../components/core";
import { readOptions } from "../options";

/** The source of problems with the command line (printed with the usage, exit code 2). */
export const LEARN_CLI = "npm run learn options";

export const LEARN_USAGE = `Usage: npm run learn -- --history <file.csv> --until <ISO instant> --out <dir>
                         [--calendar <file.ics|file.json>] [--profile <file>] [--region <name> --service <name>]
                         [--unit <text>] [--latency-ms <ms>|<service>=<ms> ...] [--capacity <service>=<load> ...]
                         [--share-quantile <q>] [--zone <region>=<IANA zone> ...]

  --history         load history CSV: time,region,service,load[,replicas,p95_ms], or time,load with --region/--service
  --until           training ends here (excluded), an ISO instant with a zone; nothing at or after it is read
  --out             directory for profile.json, report.txt and plot.svg
  --calendar        the calendar that ran during the history; without it only the baseline and capacity are learned
  --profile         base profile: bounds, lead and tail, and shares the history cannot show
  --region/--service  the series of a two-column time,load file
  --unit            what load measures, when the file has no "# load =" comment
  --latency-ms      the p95 objective, for every service or one (repeatable); default: the standard tier's
  --capacity        load per replica to use for a service instead of learning it (repeatable)
  --share-quantile  the per-window attendance quantile the profile's shares are at, in (0, 1); default 0.99
  --zone            the zone of a region's daily rhythm (repeatable); default: the zone of its calendar windows, else UTC`;

export interface LearnArgs {
  readonly history: string;
  readonly until: number;
  readonly out: string;
  readonly calendar?: string;
  readonly profile?: string;
  readonly region?: string;
  readonly service?: string;
  readonly unit?: string;
  readonly latencyMs?: number | Readonly<Record<string, number>>;
  readonly capacity?: Readonly<Record<string, number>>;
  readonly shareQuantile?: number;
  readonly zones?: Readonly<Record<string, string>>;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses and checks the arguments; `"help"` for `--help`. Throws one `InputError` (source `LEARN_CLI`). */
export function parseLearnArgs(argv: readonly string[]): LearnArgs | "help" {
  const { values, lists, problems } = readOptions(argv, {
    history: { type: "string" },
    until: { type: "string" },
    out: { type: "string" },
    calendar: { type: "string" },
    profile: { type: "string" },
    region: { type: "string" },
    service: { type: "string" },
    unit: { type: "string" },
    "latency-ms": { type: "string", multiple: true },
    capacity: { type: "string", multiple: true },
    "share-quantile": { type: "string" },
    zone: { type: "string", multiple: true },
    help: { type: "boolean", short: "h" },
  });
  if (values.help === true) return "help";
  const str = (k: keyof typeof values): string | undefined => values[k] as string | undefined;
  const problem = (name: string, value: unknown, rule: string): void => {
    problems.push({ path: `--${name}`, value, rule });
  };
  const flagged = new Set(problems.map((p) => p.path));
  for (const flag of ["history", "until", "out"] as const)
    if ((str(flag) ?? "") === "" && !flagged.has(`--${flag}`)) problem(flag, str(flag), "required");
  const untilText = str("until");
  const until = untilText !== undefined && ISO_INSTANT.test(untilText) ? Date.parse(untilText) : NaN;
  if (untilText !== undefined && untilText !== "" && Number.isNaN(until))
    problem("until", untilText, "must be an ISO instant with a zone, e.g. 2026-10-05T00:00:00Z");
  const region = str("region");
  if (region !== undefined && !isAwsRegion(region)) problem("region", region, AWS_REGION_RULE);
  const service = str("service");
  if (service !== undefined && !isDnsLabel(service))
    problem("service", service, "must be a service name (a DNS label: lowercase letters, digits and -)");
  if ((region === undefined) !== (service === undefined))
    problem(
      region === undefined ? "region" : "service",
      undefined,
      "--region and --service go together (a two-column file's series)",
    );

  const q = str("share-quantile");
  const shareQuantile = q === undefined ? undefined : Number(q);
  if (q !== undefined && !(shareQuantile! > 0 && shareQuantile! < 1))
    problem("share-quantile", q, "must be a number in (0, 1), e.g. 0.99");

  const latency = lists["latency-ms"] ?? [];
  const latencyAll = latency.filter((v) => !v.includes("="));
  const latencyMs =
    latencyAll.length > 0
      ? positive("latency-ms", latencyAll[latencyAll.length - 1]!, problems)
      : pairs("latency-ms", latency, "<service>=<ms>", (v) => positive("latency-ms", v, problems), problems);
  const capacity = pairs(
    "capacity",
    lists.capacity ?? [],
    "<service>=<load per replica>",
    (v) => positive("capacity", v, problems),
    problems,
  );
  const zones = pairs("zone", lists.zone ?? [], "<region>=<IANA zone>", (v) => v, problems);
  throwIfProblems(LEARN_CLI, problems);
  const has = (r: Readonly<Record<string, unknown>> | undefined): boolean =>
    r !== undefined && Object.keys(r).length > 0;
  return {
    history: str("history")!,
    until,
    out: str("out")!,
    ...(str("calendar") !== undefined ? { calendar: str("calendar") } : {}),
    ...(str("profile") !== undefined ? { profile: str("profile") } : {}),
    ...(region !== undefined ? { region } : {}),
    ...(service !== undefined ? { service } : {}),
    ...(str("unit") !== undefined ? { unit: str("unit") } : {}),
    ...(typeof latencyMs === "number" || has(latencyMs) ? { latencyMs } : {}),
    ...(has(capacity) ? { capacity } : {}),
    ...(shareQuantile !== undefined ? { shareQuantile } : {}),
    ...(has(zones) ? { zones } : {}),
  };
}

function positive(flag: string, text: string, problems: Problem[]): number {
  const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(n > 0)) problems.push({ path: `--${flag}`, value: text, rule: "must be a number > 0" });
  return n;
}

/** `key=value` flags as a record; a malformed one is a problem naming the form. */
function pairs<T>(
  flag: string,
  values: readonly string[],
  form: string,
  parse: (value: string) => T,
  problems: Problem[],
): Record<string, T> {
  const out: Record<string, T> = {};
  for (const v of values) {
    const m = /^([^=]+)=(.+)$/.exec(v);
    if (m === null) problems.push({ path: `--${flag}`, value: v, rule: `must be ${form}` });
    else out[m[1]!] = parse(m[2]!);
  }
  return out;
}
