import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { runBacktestCli, type BacktestIo } from "../../../cli/backtest";
import { makeHistory, weekdayLectures } from "./histories";

function io(cwd: string, history = makeHistory({ weeks: 3, windows: weekdayLectures(3, 200) })) {
  const out: string[] = [];
  const err: string[] = [];
  const value: BacktestIo = {
    cwd,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    loadHistory: () => history,
  };
  return { value, out, err };
}

function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), "backtest-cli-"));
  writeFileSync(
    join(dir, "profile.json"),
    JSON.stringify({
      services: {
        api: { learnersPerReplica: 10, minReplicas: 1, maxReplicas: 200, leadMinutes: 5, tailMinutes: 5 },
      },
      kinds: { lecture: { api: 0.5 } },
    }),
  );
  writeFileSync(join(dir, "calendar.json"), JSON.stringify({ events: [] }));
  return dir;
}

describe("npm run backtest", () => {
  it("refuses bad flags in one message with the usage, exit 2", async () => {
    const { value, err } = io(workdir());
    const code = await runBacktestCli(["--weeks", "2", "--capacity", "-1x", "--service", "API"], value);
    expect(code).toBe(2);
    expect(err.join("").split("\n\nUsage:")[0]).toBe(
      [
        "error: Invalid input in npm run backtest options (5 problems):",
        "  - `--capacity`: got missing; needs a value: --capacity <value>",
        "  - `--history`: got missing; required",
        "  - `--calendar`: got missing; required",
        '  - `--weeks`: got "2"; must be an integer >= 3 (train on weeks 1..k for k >= 2, forecast week k + 1)',
        "  - `--service`: got \"API\"; must be a DNS label (lowercase letters, digits and '-', at most 63)",
      ].join("\n"),
    );
  });

  it("refuses an --out that is a file before reading anything, exit 2", async () => {
    const dir = workdir();
    writeFileSync(join(dir, "taken"), "x");
    const { value, err } = io(dir);
    const code = await runBacktestCli(
      ["--history", "h.csv", "--calendar", "calendar.json", "--out", "taken"],
      value,
    );
    expect(code).toBe(2);
    expect(err.join("")).toContain(
      '- `--out`: got "taken"; must be a directory, or a path that does not exist yet',
    );
  });

  it("fails on bad input with exit 1 and writes nothing", async () => {
    const dir = workdir();
    const { value, err } = io(dir);
    const args = ["--history", "h.csv", "--calendar", "calendar.json", "--profile", "profile.json"];
    const code = await runBacktestCli([...args, "--service", "video", "--out", "out"], value);
    expect(code).toBe(1);
    expect(err.join("")).toBe(
      [
        "error: Invalid input in backtest (1 problem):",
        '  - `--region/--service`: got "*/video"; must name a series of test-history.csv (us-east-1/api)',
        "Nothing was written to out.",
        "",
      ].join("\n"),
    );
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("asks for --capacity when the profile does not size the service", async () => {
    const dir = workdir();
    writeFileSync(join(dir, "other.json"), JSON.stringify({ services: {}, kinds: {} }));
    const { value, err } = io(dir);
    const code = await runBacktestCli(
      ["--history", "h.csv", "--calendar", "calendar.json", "--profile", "other.json"],
      value,
    );
    expect(code).toBe(1);
    expect(err.join("")).toContain(
      "- `--capacity`: got missing; required: the profile does not size api, so the load one replica carries is unknown; fix: pass --capacity <load per replica>, or a --profile with services.api",
    );
  });

  it("prints the table, reports progress on stderr and writes the three files", async () => {
    const dir = workdir();
    const { value, out, err } = io(dir);
    const args = [
      "--history",
      "h.csv",
      "--calendar",
      "calendar.json",
      "--profile",
      "profile.json",
      "--out",
      "out",
    ];
    expect(await runBacktestCli(args, value)).toBe(0);
    expect(err.join("")).toBe("us-east-1/api: week 3 of 3 (from 2026-09-21) scored\n");
    const text = out.join("");
    expect(text).toMatch(
      /^us-east-1\/api \(test-history.csv, requests per second\): capacity 10 per replica/,
    );
    for (const label of [
      "static peak",
      "calendar, hand profile",
      "seasonal naive",
      "MSTL/ETS (augurs)",
      "forecast-aware (learned)",
    ])
      expect(text).toContain(`  ${label} `);
    expect(readdirSync(join(dir, "out")).sort()).toEqual(["backtest.json", "backtest.svg", "backtest.txt"]);
    const json = JSON.parse(readFileSync(join(dir, "out", "backtest.json"), "utf8"));
    expect(json.series[0].methods.map((m: { id: string }) => m.id)).toEqual([
      "static-peak",
      "hand-calendar",
      "seasonal-naive",
      "mstl-ets",
      "forecast-aware",
    ]);
    expect(readFileSync(join(dir, "out", "backtest.svg"), "utf8")).toMatch(/^<svg/);
  });
});
