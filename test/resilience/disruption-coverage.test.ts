import { disruptionCoverage, firstUncoveredMinute } from "../../cli/plan/resilience/disruption-coverage";
import type { BusyInterval } from "../../components/calendar";

const at = (iso: string) => Date.parse(iso);
const span = (start: string, end: string): BusyInterval => ({
  region: "eu-west-2",
  start: at(start),
  end: at(end),
  services: ["enrollment"],
  kinds: ["exam"],
  occurrences: [`exam@${start}`],
});
const EXAM = span("2026-12-07T09:00:00Z", "2026-12-07T11:00:00Z");
const zero = { nodes: "0", schedule: "0 9 7 12 *", duration: "2h" };

describe("disruption coverage of the plan (recorded budgets as Karpenter evaluates them)", () => {
  it("covers a span with a zero budget from its first minute for its duration, the CRD's 0s suffix included", () => {
    expect(firstUncoveredMinute([zero], EXAM.start, EXAM.end)).toBeUndefined();
    expect(firstUncoveredMinute([{ ...zero, duration: "2h0m0s" }], EXAM.start, EXAM.end)).toBeUndefined();
    expect(firstUncoveredMinute([{ nodes: "0" }], EXAM.start, EXAM.end)).toBeUndefined();
  });

  it("finds the first open minute of a budget a minute short, starting late, or shared between two budgets", () => {
    expect(firstUncoveredMinute([{ ...zero, duration: "1h59m" }], EXAM.start, EXAM.end)).toBe(
      at("2026-12-07T10:59:00Z"),
    );
    expect(firstUncoveredMinute([{ ...zero, schedule: "1 9 7 12 *" }], EXAM.start, EXAM.end)).toBe(
      EXAM.start,
    );
    const halves = [
      { ...zero, duration: "1h" },
      { nodes: "0", schedule: "0 10 * * 1", duration: "1h" },
    ];
    expect(firstUncoveredMinute(halves, EXAM.start, EXAM.end)).toBeUndefined();
  });

  it("does not count a budget that allows a node, or that leaves a reason (Empty) free", () => {
    expect(firstUncoveredMinute([{ ...zero, nodes: "1" }], EXAM.start, EXAM.end)).toBe(EXAM.start);
    expect(
      firstUncoveredMinute([{ ...zero, reasons: ["Underutilized", "Drifted"] }], EXAM.start, EXAM.end),
    ).toBe(EXAM.start);
    expect(
      firstUncoveredMinute(
        [{ ...zero, reasons: ["Underutilized", "Drifted", "Empty"] }],
        EXAM.start,
        EXAM.end,
      ),
    ).toBeUndefined();
  });

  it("names the span and the pool it leaves open, only in the pool's region, and warns on a finite or absent expiry", () => {
    const report = disruptionCoverage(
      [EXAM, { ...EXAM, region: "us-east-1" }],
      [
        { region: "eu-west-2", name: "general", budgets: [{ nodes: "10%" }], expireAfter: "Never" },
        { region: "eu-west-2", name: "ai", budgets: [zero] },
      ],
    );
    expect(report).toEqual({
      findings: [
        {
          region: "eu-west-2",
          subject: "NodePool general",
          message:
            "critical span 2026-12-07T09:00:00.000Z–2026-12-07T11:00:00.000Z (exam@2026-12-07T09:00:00Z) is not " +
            'covered from 2026-12-07T09:00:00.000Z: no budget of nodes "0" for every reason is active then',
        },
      ],
      warnings: [
        "eu-west-2 NodePool ai: expireAfter 720h is forceful and ignores disruption budgets (Karpenter v1), so a node " +
          'may expire during a critical span; "Never" leaves node refresh to drift, which the budgets govern',
      ],
      covered: 1,
    });
  });
});
