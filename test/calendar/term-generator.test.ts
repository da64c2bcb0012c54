import { DateTime } from "luxon";
import { generateTerm, seededRandom, TERM_PROFILE } from "../../cli/bench/term-generator";
import { coveredIntegral, perEventSchedule, readySchedule } from "../../cli/bench/baselines";
import type { CalendarWindow } from "../../components/calendar/types";

const small = { sections: 60 };

describe("generateTerm", () => {
  it("is deterministic for a seed and differs between seeds", () => {
    const a = generateTerm({ ...small, seed: 42 });
    const b = generateTerm({ ...small, seed: 42 });
    const c = generateTerm({ ...small, seed: 43 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(c.windows.map((w) => w.occurrenceId)).not.toEqual(a.windows.map((w) => w.occurrenceId));
  });

  it("covers three regions in their zones, with every kind the profile knows", () => {
    const term = generateTerm(small);
    expect(term.regions.map((r) => `${r.region} ${r.timezone}`)).toEqual([
      "us-east-1 America/New_York",
      "eu-west-2 Europe/London",
      "ap-northeast-1 Asia/Tokyo",
    ]);
    expect(new Set(term.windows.map((w) => w.kind))).toEqual(new Set(Object.keys(TERM_PROFILE.kinds)));
    expect(new Set(term.windows.map((w) => w.occurrenceId)).size).toBe(term.windows.length);
    const zones = new Map(term.regions.map((r) => [r.region, r.timezone]));
    const misfits = term.windows.filter(
      (w) =>
        zones.get(w.region) !== w.timezone ||
        w.end <= w.start ||
        w.start < term.horizon.from ||
        w.end > term.horizon.to,
    );
    expect(misfits).toEqual([]);
  });

  it("keeps lectures at their local wall time across the end of daylight saving time", () => {
    const term = generateTerm(small);
    const london = term.windows.filter((w) => w.region === "eu-west-2" && w.kind === "lecture");
    const byEvent = new Map<string, number[]>();
    for (const w of london) byEvent.set(w.eventId, [...(byEvent.get(w.eventId) ?? []), w.start]);
    const [starts] = [...byEvent.values()];
    const local = starts.map((s) => DateTime.fromMillis(s, { zone: "Europe/London" }).toFormat("HH:mm"));
    expect(new Set(local).size).toBe(1);
    const utc = new Set(starts.map((s) => new Date(s).toISOString().slice(11, 16)));
    expect(utc.size).toBe(2); // BST until 25 Oct 2026, GMT after
  });

  it("has a reading week without lectures and two exam weeks with only exams", () => {
    const term = generateTerm(small);
    const weekOf = (t: number): number => Math.floor((t - Date.UTC(2026, 8, 7)) / (7 * 86_400_000)) + 1;
    const lectureWeeks = new Set(
      term.windows.filter((w) => w.kind === "lecture").map((w) => weekOf(w.start)),
    );
    const examWeeks = new Set(
      term.windows.filter((w) => w.kind === "exam").map((w) => weekOf(w.start + 43_200_000)),
    );
    expect([...lectureWeeks].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12]);
    expect([...examWeeks].sort((a, b) => a - b)).toEqual([13, 14]);
    expect(term.windows.filter((w) => w.kind === "exam")).toHaveLength(60);
  });

  it("rejects options it cannot honour, listing every problem", () => {
    expect(() => generateTerm({ sections: 0, termStart: "2026-09-08", regions: [] })).toThrow(
      "Invalid input in generateTerm options (3 problems):\n" +
        "  - `sections`: got 0; must be a positive integer\n" +
        '  - `termStart`: got "2026-09-08"; must be a Monday as YYYY-MM-DD\n' +
        "  - `regions`: got []; must name at least one region",
    );
  });
});

describe("seededRandom", () => {
  it("replays the same sequence in [0, 1) for a seed", () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(Math.abs(xs.reduce((s, x) => s + x, 0) / xs.length - 0.5)).toBeLessThan(0.05);
  });
});

describe("bench baselines", () => {
  const M = 60_000;
  const ramp = (from: number, to: number): number => (to - from) * 60; // one replica Ready per minute

  it("makes a rise Ready one replica at a time after the ramp, and a fall at once", () => {
    const scheduled = [
      { start: 0, end: 10 * M, replicas: 1 },
      { start: 10 * M, end: 20 * M, replicas: 4 },
      { start: 20 * M, end: 30 * M, replicas: 2 },
    ];
    expect(readySchedule(scheduled, ramp)).toEqual([
      { start: 0, end: 11 * M, replicas: 1 },
      { start: 11 * M, end: 12 * M, replicas: 2 },
      { start: 12 * M, end: 13 * M, replicas: 3 },
      { start: 13 * M, end: 20 * M, replicas: 4 },
      { start: 20 * M, end: 30 * M, replicas: 2 },
    ]);
  });

  it("sizes hand-written per-event triggers by the event alone, taking the max where events overlap", () => {
    const w = (id: string, startMin: number, endMin: number, learners: number): CalendarWindow => ({
      eventId: id,
      occurrenceId: id,
      summary: id,
      kind: "lecture",
      region: "eu-west-2",
      learners,
      start: startMin * M,
      end: endMin * M,
      timezone: "UTC",
      source: { file: "t" },
    });
    const { scheduled, triggers } = perEventSchedule(
      [w("a", 10, 30, 360), w("b", 20, 40, 240)],
      TERM_PROFILE,
      "api",
      0,
      60 * M,
    );
    expect(triggers).toBe(2);
    expect(scheduled).toEqual([
      { start: 0, end: 10 * M, replicas: 2 },
      { start: 10 * M, end: 30 * M, replicas: 3 },
      { start: 30 * M, end: 60 * M, replicas: 2 },
    ]);
    expect(coveredIntegral([{ start: 0, end: 60 * M, replicas: 5 }], scheduled, 0, 60 * M)).toBe(140);
  });
});
