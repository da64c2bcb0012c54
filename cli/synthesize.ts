/**
 * `npm run synthesize -- --out <dir> [--seed N] [--weeks N] [--start-week N]`
 *
 * Writes a synthetic load history with a known truth (components/forecast/synthetic): `history.csv` (format A,
 * labelled synthetic), `calendar.json` (the windows that drove it, in the JSON calendar format) and `truth.json`
 * (the shares, attendance, capacities and baseline it was generated with). Atomic like `npm run calendar`.
 */
import { join, resolve } from "path";
import { InputError, throwIfProblems } from "../components/core";
import { readOptions } from "./options";

export const SYNTHESIZE_CLI = "npm run synthesize options";

export const SYNTHESIZE_USAGE = `Usage: npm run synthesize -- --out <dir> [--seed <N>] [--weeks <N>] [--start-week <N>]

  --out         directory for history.csv, calendar.json and truth.json
  --seed        seed of every random draw (default 1)
  --weeks       weeks of history, 1..20 (default 3)
  --start-week  the term week it starts with: 0 enrollment, 1..12 teaching (7 reading week), 13-14 exams (default 0)`;

interface SynthesizeArgs {
  readonly out: string;
  readonly seed?: number;
  readonly weeks?: number;
  readonly startWeek?: number;
}

function parseSynthesizeArgs(argv: readonly string[]): SynthesizeArgs | "help" {
  const { values, problems } = readOptions(argv, {
    out: { type: "string" },
    seed: { type: "string" },
    weeks: { type: "string" },
    "start-week": { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help === true) return "help";
  const out = values.out as string | undefined;
  if ((out ?? "") === "" && !problems.some((p) => p.path === "--out"))
    problems.push({ path: "--out", value: out, rule: "required" });
  const int = (name: "seed" | "weeks" | "start-week", min: number, max: number): number | undefined => {
    const text = values[name] as string | undefined;
    if (text === undefined) return undefined;
    const n = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(n >= min && n <= max)) problems.push({ path: `--${name}`, value: text, rule: `must be an integer in ${min}..${max}` });
    return n;
  };
  const seed = int("seed", 0, 2 ** 31 - 1);
  const weeks = int("weeks", 1, 20);
  const startWeek = int("start-week", 0, 14);
  throwIfProblems(SYNTHESIZE_CLI, problems);
  return {
    out: out!,
    ...(seed !== undefined ? { seed } : {}),
    ...(weeks !== undefined ? { weeks } : {}),
    ...(startWeek !== undefined ? { startWeek } : {}),
  };
}

/** Runs the command; returns the exit code (0 ok, 1 failed, 2 usage). */
export async function runSynthesizeCli(
  argv: readonly string[],
  io: { readonly cwd: string; readonly stdout: (t: string) => void; readonly stderr: (t: string) => void },
): Promise<number> {
  let args: SynthesizeArgs | "help";
  try {
    args = parseSynthesizeArgs(argv);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.stderr(`error: ${e.message}\n\n${SYNTHESIZE_USAGE}\n`);
    return 2;
  }
  if (args === "help") {
    io.stdout(`${SYNTHESIZE_USAGE}\n`);
    return 0;
  }
  try {
    const { calendarJson, synthesizeHistory } = await import("../components/forecast");
    const { writeOutputs } = await import("./calendar");
    const { csv, truth, windows, history } = synthesizeHistory({
      ...(args.seed !== undefined ? { seed: args.seed } : {}),
      ...(args.weeks !== undefined ? { weeks: args.weeks } : {}),
      ...(args.startWeek !== undefined ? { startWeek: args.startWeek } : {}),
      file: join(args.out, "history.csv"),
    });
    const files = {
      "history.csv": csv,
      "calendar.json": calendarJson(windows),
      "truth.json": `${JSON.stringify(truth, null, 2)}\n`,
    };
    writeOutputs(resolve(io.cwd, args.out), files, args.out, SYNTHESIZE_CLI);
    const rows = history.series.reduce((n, s) => n + s.points.length, 0);
    io.stdout(
      `Synthetic history (${truth.from} → ${truth.to}, ${rows.toLocaleString("en-US")} rows, ${windows.length} windows, ` +
        `seed ${truth.seed}): wrote ${Object.keys(files)
          .map((f) => join(args.out, f))
          .join(", ")}\n`,
    );
    return 0;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.stderr(`error: ${e.message}\nNothing was written to ${args.out}.\n`);
    return 1;
  }
}

if (require.main === module) {
  void runSynthesizeCli(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  }).then((code) => {
    process.exitCode = code;
  });
}
