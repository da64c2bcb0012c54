/**
 * `npm run backtest -- --history <csv> --calendar <file> [--weeks N] [--profile <file>] [--capacity <load>]
 *  [--region <name>] [--service <name>] [--out <dir>]`
 *
 * Rolling-origin backtest of calendar scaling and its baselines on a recorded (or synthetic) load history
 * (components/forecast/backtest): the table on stdout, one progress line per scored week on stderr, and with
 * `--out` backtest.json, backtest.txt and backtest.svg, computed before anything is written and landing through a
 * temporary directory and renames.
 */
import { existsSync, statSync } from "fs";
import { join, resolve } from "path";
import { InputError, throwIfProblems } from "../components/core";
import type { History } from "../components/forecast";
import { BACKTEST_CLI, BACKTEST_USAGE, parseBacktestArgs, type BacktestArgs } from "./forecast/backtest-args";

/** Reads a history file: `name` as the user named it, `--region/--service` for a two-column file. */
export type HistoryLoader = (
  path: string,
  name: string,
  options: { readonly region?: string; readonly service?: string },
) => History;

export interface BacktestIo {
  /** Directory against which relative paths resolve. */
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** @default - the history module's `loadHistoryFile` */
  readonly loadHistory?: HistoryLoader;
}

function outProblem(out: string | undefined, cwd: string): void {
  if (out === undefined) return;
  const path = resolve(cwd, out);
  throwIfProblems(BACKTEST_CLI, [
    ...(existsSync(path) && !statSync(path).isDirectory()
      ? [{ path: "--out", value: out, rule: "must be a directory, or a path that does not exist yet" }]
      : []),
  ]);
}

/** Everything the run writes, computed before anything is written. */
async function compute(
  args: BacktestArgs,
  io: BacktestIo,
): Promise<{ table: string; files: Record<string, string> }> {
  const { loadCalendarFile, loadProfileFile, allowedKinds } = await import("../components/calendar");
  const { runBacktest, backtestTable, plotBacktest, backtestJson, loadHistoryFile } =
    await import("../components/forecast");
  const profile = loadProfileFile(resolve(io.cwd, args.profile), args.profile);
  const load = io.loadHistory ?? loadHistoryFile;
  const history = load(resolve(io.cwd, args.history), args.history, {
    ...(args.region !== undefined ? { region: args.region } : {}),
    ...(args.service !== undefined ? { service: args.service } : {}),
  });
  const windows = loadCalendarFile(resolve(io.cwd, args.calendar), {
    file: args.calendar,
    kinds: allowedKinds(profile),
    horizon: { from: history.from, to: history.to },
  });
  const result = runBacktest(history, windows, {
    profile,
    ...(args.capacity !== undefined ? { capacity: args.capacity } : {}),
    ...(args.weeks !== undefined ? { weeks: args.weeks } : {}),
    ...(args.region !== undefined ? { region: args.region } : {}),
    ...(args.service !== undefined ? { service: args.service } : {}),
    progress: (line) => io.stderr(`${line}\n`),
  });
  const table = backtestTable(result);
  if (args.out === undefined) return { table, files: {} };
  return {
    table,
    files: {
      "backtest.json": `${JSON.stringify(backtestJson(result, { calendar: args.calendar, profile: args.profile }), null, 2)}\n`,
      "backtest.txt": `${table}\n`,
      "backtest.svg": `${await plotBacktest(result)}\n`,
    },
  };
}

/** Runs the command; returns the exit code (0 ok, 1 bad input, 2 usage). */
export async function runBacktestCli(argv: readonly string[], io: BacktestIo): Promise<number> {
  let args: BacktestArgs | "help";
  try {
    args = parseBacktestArgs(argv);
    if (args !== "help") outProblem(args.out, io.cwd);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.stderr(`error: ${e.message}\n\n${BACKTEST_USAGE}\n`);
    return 2;
  }
  if (args === "help") {
    io.stdout(`${BACKTEST_USAGE}\n`);
    return 0;
  }
  try {
    const { table, files } = await compute(args, io);
    if (args.out !== undefined) {
      const { writeOutputs } = await import("./calendar");
      writeOutputs(resolve(io.cwd, args.out), files, args.out);
    }
    const wrote =
      args.out === undefined
        ? ""
        : `\nWrote ${Object.keys(files)
            .map((f) => join(args.out!, f))
            .join(", ")}\n`;
    io.stdout(`${table}\n${wrote}`);
    return 0;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const nothing = args.out !== undefined ? `\nNothing was written to ${args.out}.` : "";
    io.stderr(`error: ${e.message}${nothing}\n`);
    return 1;
  }
}

if (require.main === module) {
  void runBacktestCli(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  }).then((code) => {
    process.exitCode = code;
  });
}
