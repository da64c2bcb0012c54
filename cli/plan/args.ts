/** The command line of `npm run plan`: every bad flag is a `Problem` of one `InputError`. */
import { throwIfProblems } from "../../components/core";
import { readOptions } from "../options";

/** The source of problems with the command line (printed with the usage, exit code 2). */
export const PLAN_CLI = "npm run plan options";

export const PLAN_USAGE =
  "usage: npm run plan -- [--stack <name>] [--out <dir>] [--now <ISO instant>]\n" +
  "  defaults: --stack dev, --out dist/<stack>, --now the stack's semester:calendar.now, else today 00:00 UTC";

export interface PlanArgs {
  readonly stack?: string;
  readonly out?: string;
  /** Start of the calendar horizon, epoch ms. */
  readonly now?: number;
}

/** An ISO instant with a zone; a local time would plan differently on every machine. */
const WITH_ZONE = /(Z|[+-]\d\d:\d\d)$/;

/** Parses the arguments; `"help"` for `--help`. Throws one `InputError` (source `PLAN_CLI`) with every bad flag. */
export function parsePlanArgs(argv: readonly string[]): PlanArgs | "help" {
  const { values, problems } = readOptions(argv, {
    stack: { type: "string" },
    out: { type: "string" },
    now: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help === true) return "help";
  const text = values.now as string | undefined;
  const now = text === undefined ? undefined : Date.parse(text);
  if (text !== undefined && (Number.isNaN(now) || !WITH_ZONE.test(text))) {
    problems.push({
      path: "--now",
      value: text,
      rule: "must be an ISO instant with a zone, e.g. 2026-11-24T00:00:00Z",
    });
  }
  throwIfProblems(PLAN_CLI, problems);
  return {
    ...(values.stack !== undefined ? { stack: values.stack as string } : {}),
    ...(values.out !== undefined ? { out: values.out as string } : {}),
    ...(now !== undefined ? { now } : {}),
  };
}
