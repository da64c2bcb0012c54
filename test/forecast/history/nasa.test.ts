/**
 * The vendored NASA KSC 1995 trace (data/forecast/SOURCES.md) re-derives the facts its derivation relied on, from
 * the committed file: rows, the step, the two outages as gaps (never zeros), the request total, the weekly rhythm,
 * and the Shuttle events calendar lands on recorded load.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { parseJsonCalendar } from "../../../components/calendar/input/json-calendar";
import { HOUR_MS } from "../../../components/core";
import { loadHistoryFile } from "../../../components/forecast";

const ROOT = join(__dirname, "..", "..", "..");
const history = loadHistoryFile(join(ROOT, "data/forecast/nasa-ksc-1995.csv"), "nasa-ksc-1995.csv", {
  region: "us-east-1",
  service: "course-catalog",
});
const points = history.series[0]!.points;
const iso = (ms: number): string => new Date(ms).toISOString();
/** Mean load over [from, to). */
const mean = (from: number, to: number): number => {
  const inside = points.filter((p) => p.time >= from && p.time < to);
  return inside.reduce((s, p) => s + p.load, 0) / inside.length;
};

describe("the vendored NASA KSC 1995 trace", () => {
  it("is one us-east-1 series of 16,412 five-minute slots of requests per second, 1 July to 31 August EDT", () => {
    expect([history.unit, history.synthetic, history.stepMs, history.series.length]).toEqual([
      "requests per second",
      false,
      5 * 60_000,
      1,
    ]);
    expect(points).toHaveLength(16_412);
    expect([iso(history.from), iso(history.to)]).toEqual([
      "1995-07-01T04:00:00.000Z",
      "1995-09-01T04:00:00.000Z",
    ]);
  });

  it("has the missing end of July and the Hurricane Erin shutdown as its only gaps, with no rows inside", () => {
    expect(history.gaps.map((g) => [iso(g.start), iso(g.end)])).toEqual([
      ["1995-07-28T17:30:00.000Z", "1995-08-01T04:00:00.000Z"],
      ["1995-08-01T18:50:00.000Z", "1995-08-03T08:40:00.000Z"],
    ]);
    for (const g of history.gaps) expect(points.some((p) => p.time >= g.start && p.time < g.end)).toBe(false);
  });

  it("holds the upstream's requests except the partial slots next to the gaps and the surplus after the end", () => {
    // Each load is the slot's count / 300 to 4 decimals, so rounding gives the count back exactly.
    const total = points.reduce((s, p) => s + Math.round(p.load * 300), 0);
    expect(total).toBe(3_461_384);
    expect(3_461_610 - total).toBe(226);
  });

  it("is quieter on Saturdays and Sundays than on any weekday (local EDT days)", () => {
    const byDay = Array.from({ length: 7 }, () => ({ sum: 0, n: 0 }));
    for (const p of points) {
      const day = new Date(p.time - 4 * HOUR_MS).getUTCDay();
      byDay[day]!.sum += p.load;
      byDay[day]!.n++;
    }
    const means = byDay.map((d) => d.sum / d.n);
    const weekend = Math.max(means[0]!, means[6]!);
    expect(Math.min(...means.slice(1, 6))).toBeGreaterThan(1.5 * weekend);
  });

  it("has the Shuttle events at KSC in its calendar, each inside the recorded span and the launch on busy load", () => {
    const windows = parseJsonCalendar(
      readFileSync(join(ROOT, "data/forecast/nasa-ksc-1995-events.json"), "utf8"),
      {
        file: "nasa-ksc-1995-events.json",
        kinds: ["launch"],
        regions: ["us-east-1"],
        horizon: { from: history.from, to: history.to },
      },
    );
    expect(windows.map((w) => [w.eventId, iso(w.start), iso(w.end), w.learners])).toEqual([
      ["sts-71-landing", "1995-07-07T11:54:00.000Z", "1995-07-07T16:54:00.000Z", 1000],
      ["sts-70-launch", "1995-07-13T10:42:00.000Z", "1995-07-13T15:42:00.000Z", 1000],
      ["sts-70-landing", "1995-07-22T09:02:00.000Z", "1995-07-22T14:02:00.000Z", 1000],
    ]);
    for (const w of windows)
      expect(points.filter((p) => p.time >= w.start && p.time < w.end)).toHaveLength(60);
    const launch = windows[1]!;
    const weekBefore = 7 * 24 * HOUR_MS;
    expect(mean(launch.start, launch.end)).toBeGreaterThan(
      1.5 * mean(launch.start - weekBefore, launch.end - weekBefore),
    );
  });
});
