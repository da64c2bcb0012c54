import fc from "fast-check";
import type { BusyInterval } from "../../components/calendar";
import {
  firstPlannedDay,
  parseWeeklyWindow,
  planSlots,
  slotConflict,
  slotProblems,
  weeklyOccurrences,
  type SlotConstraints,
} from "../../components/chaos/scheduling";

const H = 3_600_000;
const D = 24 * H;
// 2026-12-02 is a Wednesday.
const FROM = Date.parse("2026-11-30T00:00:00Z");
const TO = FROM + 28 * D;
const WED = Date.parse("2026-12-02T00:00:00Z");

const busy = (start: number, end: number, occurrence = "exam@x"): BusyInterval => ({
  region: "eu-west-2",
  start,
  end,
  services: ["assessment-engine"],
  kinds: ["exam"],
  occurrences: [occurrence],
});

const base = (over: Partial<SlotConstraints> = {}): SlotConstraints => ({
  region: "eu-west-2",
  horizon: { from: FROM, to: TO },
  busy: [],
  practiceRuns: [],
  marginMs: H,
  ...over,
});

describe("practice-run windows", () => {
  it("parses Day:HH:MM-Day:HH:MM as offsets from Sunday, wrapping past the week's end", () => {
    expect(parseWeeklyWindow("Mon:09:00-Mon:11:30")).toEqual({
      text: "Mon:09:00-Mon:11:30",
      start: D + 9 * H,
      end: D + 11.5 * H,
    });
    expect(parseWeeklyWindow("Sat:22:00-Sun:02:00")).toEqual({
      text: "Sat:22:00-Sun:02:00",
      start: 6 * D + 22 * H,
      end: 7 * D + 2 * H,
    });
    expect(parseWeeklyWindow("Monday 9-11")).toBeUndefined();
  });

  it("expands a weekly window onto its weekday every week", () => {
    const w = parseWeeklyWindow("Wed:10:00-Wed:12:00")!;
    const runs = weeklyOccurrences([w], FROM, FROM + 14 * D);
    expect(runs.map((r) => new Date(r.start).toISOString())).toEqual([
      "2026-12-02T10:00:00.000Z",
      "2026-12-09T10:00:00.000Z",
    ]);
  });
});

describe("GameDay slots", () => {
  it("places the experiments one after another on the weekday, each margin apart", () => {
    const plan = planSlots(
      [
        { name: "a", durationMs: H },
        { name: "b", durationMs: H / 2 },
      ],
      "Wed",
      base({ workingHours: { start: 9 * H, end: 17 * H } }),
    );
    expect(plan.slots.slice(0, 2)).toEqual([
      { name: "a", start: WED + 9 * H, end: WED + 10 * H },
      { name: "b", start: WED + 11 * H, end: WED + 11.5 * H },
    ]);
    expect(plan.slots).toHaveLength(8);
  });

  it("moves past a calendar window and its margin, and past a practice run", () => {
    const plan = planSlots([{ name: "a", durationMs: H }], "Wed", {
      ...base({ workingHours: { start: 9 * H, end: 17 * H } }),
      busy: [busy(WED + 8 * H, WED + 11 * H)],
      practiceRuns: [parseWeeklyWindow("Wed:12:00-Wed:13:00")!],
    });
    // 11:00 + 1 h margin = 12:00, but 12:00–13:00 is a practice run, + margin: 14:00.
    expect(plan.slots[0]).toEqual({ name: "a", start: WED + 14 * H, end: WED + 15 * H });
  });

  it("skips a GameDay with no free slot and says what blocked it", () => {
    const plan = planSlots([{ name: "a", durationMs: H }], "Wed", {
      ...base({ workingHours: { start: 9 * H, end: 17 * H } }),
      busy: [busy(WED, WED + D, "final-exam@2026-12-02")],
    });
    expect(plan.slots.some((s) => s.start >= WED && s.start < WED + D)).toBe(false);
    expect(plan.skipped[0]).toMatch(
      /^a on 2026-12-02: no free slot \(last tried: within 60 min of calendar window\(s\) final-exam@2026-12-02/,
    );
  });

  it("refuses a slot inside a calendar window or a practice run, naming it", () => {
    const c = { ...base(), busy: [busy(WED + 9 * H, WED + 10 * H, "lecture@2026-12-02T09:00")] };
    expect(
      slotProblems("gameDays.experiments", [{ name: "x", start: WED + 9.5 * H, end: WED + 10 * H }], c),
    ).toEqual([
      {
        path: "gameDays.experiments.x",
        value: "2026-12-02T09:30:00Z..2026-12-02T10:00:00Z",
        rule: "a GameDay must not run within 60 min of calendar window(s) lecture@2026-12-02T09:00 (busy 2026-12-02T09:00:00Z..2026-12-02T10:00:00Z)",
      },
    ]);
    const runs = { ...base(), practiceRuns: [parseWeeklyWindow("Wed:20:00-Wed:21:00")!] };
    expect(slotConflict(WED + 20.5 * H, WED + 21 * H, runs)).toBe(
      "within 60 min of the zonal-autoshift practice-run window Wed:20:00-Wed:21:00 (2026-12-02T20:00:00Z..2026-12-02T21:00:00Z)",
    );
  });

  const arbBusy = fc.array(
    fc.record({ start: fc.integer({ min: 0, max: 28 * 96 }), len: fc.integer({ min: 1, max: 48 }) }),
    { maxLength: 25 },
  );
  const arbRuns = fc.array(
    fc.record({ day: fc.constantFrom("Mon", "Tue", "Wed", "Thu"), h: fc.integer({ min: 0, max: 21 }) }),
    { maxLength: 3 },
  );

  it("never places a slot that meets a busy span, a practice run or leaves the working hours (property)", () => {
    fc.assert(
      fc.property(arbBusy, arbRuns, fc.integer({ min: 0, max: 120 }), (spans, runs, marginMin) => {
        const c: SlotConstraints = {
          ...base({ marginMs: marginMin * 60_000, workingHours: { start: 8 * H, end: 18 * H } }),
          busy: spans.map((s) => busy(FROM + s.start * 15 * 60_000, FROM + (s.start + s.len) * 15 * 60_000)),
          practiceRuns: runs.map((r) =>
            parseWeeklyWindow(
              `${r.day}:${String(r.h).padStart(2, "0")}:00-${r.day}:${String(r.h + 2).padStart(2, "0")}:00`,
            )!,
          ),
        };
        const plan = planSlots(
          [
            { name: "a", durationMs: H },
            { name: "b", durationMs: 2 * H },
          ],
          "Wed",
          c,
        );
        for (const s of plan.slots) {
          expect(slotConflict(s.start, s.end, c)).toBeUndefined();
          expect(new Date(s.start).getUTCDay()).toBe(3);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("plans the days still ahead the same, whichever day the refresh runs (property)", () => {
    fc.assert(
      fc.property(arbBusy, fc.integer({ min: 1, max: 20 }), (spans, days) => {
        const spansAbs = spans.map((s) =>
          busy(FROM + s.start * 15 * 60_000, FROM + (s.start + s.len) * 15 * 60_000),
        );
        const at = (from: number) =>
          planSlots([{ name: "a", durationMs: H }], "Wed", {
            ...base(),
            horizon: { from, to: TO },
            busy: spansAbs.filter((b) => b.end > from),
          }).slots;
        const later = FROM + days * D;
        const firstDay = firstPlannedDay({ horizon: { from: later, to: TO }, marginMs: H });
        expect(firstDay).toBe(later + D);
        expect(at(later)).toEqual(at(FROM).filter((s) => s.start >= firstDay));
      }),
      { numRuns: 100 },
    );
  });
});
