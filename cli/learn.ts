/**
 * `npm run learn -- --history <csv> --until <ISO> --out <dir> [--calendar <ics|json>] [--profile <json>] ...`
 *
 * Learns a load profile from a history (components/forecast/learn): the seasonal baseline per region and service,
 * the attendance share per kind and service, the capacity per service at its latency objective, trained on
 * [first row, --until) only. Writes `profile.json`, `report.txt` and `plot.svg`. Everything is computed before
 * anything is written, and the files land through a temporary directory and renames, so a failed run leaves
 * `--out` as it was.
 */
import { createHash } from "crypto";
import { readFileSync } from "fs";
import { join, resolve } from "path";
import { InputError } from "../components/core";
import { LEARN_CLI, LEARN_USAGE, parseLearnArgs, type LearnArgs } from "./forecast/learn-args";

export interface LearnIo {
  /** Directory against which relative paths resolve. */
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** The files of one run, computed in full before any is written. */
export async function learnOutputs(args: LearnArgs, io: LearnIo): Promise<Readonly<Record<string, string>>> {
  const { allowedKinds, loadCalendarFile, loadProfileFile } = await import("../components/calendar");
  const { learnProfile, loadHistoryFile } = await import("../components/forecast");
  const sha256 = (path: string): string => createHash("sha256").update(readFileSync(path)).digest("hex");
  io.stderr(`reading ${args.history} ...\n`);
  const historyPath = resolve(io.cwd, args.history);
  const history = loadHistoryFile(historyPath, args.history, {
    ...(args.region !== undefined ? { region: args.region } : {}),
    ...(args.service !== undefined ? { service: args.service } : {}),
    ...(args.unit !== undefined ? { unit: args.unit } : {}),
  });
  const base = args.profile !== undefined ? loadProfileFile(resolve(io.cwd, args.profile), args.profile) : undefined;
  const calendarPath = args.calendar !== undefined ? resolve(io.cwd, args.calendar) : undefined;
  const windows =
    calendarPath !== undefined
      ? loadCalendarFile(calendarPath, {
          file: args.calendar!,
          kinds: allowedKinds(base ?? { services: {}, kinds: {} }),
          horizon: { from: history.from, to: Math.min(args.until, history.to) },
          ...(args.region !== undefined ? { defaultRegion: args.region } : {}),
        })
      : [];
  io.stderr(
    `learning from ${history.series.length} series and ${windows.length} windows (bootstrap intervals take a few seconds) ...\n`,
  );
  const { profile, report, plotSvg } = await learnProfile(history, windows, base, {
    until: args.until,
    source: LEARN_CLI,
    historySha256: sha256(historyPath),
    ...(calendarPath !== undefined ? { calendar: { file: args.calendar!, sha256: sha256(calendarPath) } } : {}),
    ...(args.shareQuantile !== undefined ? { shareQuantile: args.shareQuantile } : {}),
    ...(args.latencyMs !== undefined ? { latencyMs: args.latencyMs } : {}),
    ...(args.capacity !== undefined ? { capacity: args.capacity } : {}),
    ...(args.zones !== undefined ? { zones: args.zones } : {}),
  });
  return {
    "profile.json": `${JSON.stringify(profile, null, 2)}\n`,
    "report.txt": report,
    "plot.svg": `${plotSvg}\n`,
  };
}

/** Runs the command; returns the exit code (0 ok, 1 failed, 2 usage). */
export async function runLearnCli(argv: readonly string[], io: LearnIo): Promise<number> {
  let args: LearnArgs | "help";
  try {
    args = parseLearnArgs(argv);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.stderr(`error: ${e.message}\n\n${LEARN_USAGE}\n`);
    return 2;
  }
  if (args === "help") {
    io.stdout(`${LEARN_USAGE}\n`);
    return 0;
  }
  try {
    const files = await learnOutputs(args, io);
    const { writeOutputs } = await import("./calendar");
    writeOutputs(resolve(io.cwd, args.out), files, args.out, LEARN_CLI);
    const written = Object.keys(files).map((f) => join(args.out, f));
    io.stdout(`${files["report.txt"]}\nWrote ${written.join(", ")}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.stderr(`error: ${e.message}\nNothing was written to ${args.out}.\n`);
    return 1;
  }
}

if (require.main === module) {
  void runLearnCli(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  }).then((code) => {
    process.exitCode = code;
  });
}
