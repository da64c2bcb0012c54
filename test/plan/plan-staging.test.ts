/**
 * The offline plan of the staging stack (two regions, every part of the program: GameDays scheduled, Chaos Mesh),
 * planned twice: the two runs must be byte-identical, and the suites of other modules that read staging share them.
 */
import { gameDayPlanCases } from "../chaos/plan.cases";
import { stagingDatabaseRoleCases } from "../platform/database-roles.cases";
import { planOnce, type IsolatedPlan } from "../support/plan-once";
import { stagingCalendarTargetCases } from "./calendar-targets.cases";

describe("offline plan of the staging stack", () => {
  let runs: [IsolatedPlan, IsolatedPlan];
  beforeAll(async () => {
    runs = [await planOnce("staging"), await planOnce("staging")];
  }, 240_000);

  // Suites of other modules that read the same plan (each plan costs seconds; jest cannot share across files).
  stagingDatabaseRoleCases(() => runs[0].plan);
  gameDayPlanCases(() => ({ plan: runs[0].plan, checks: runs[0].checks }));
  stagingCalendarTargetCases(() => runs[0]);

  it("is byte-identical across two runs", () => {
    const [a, b] = runs;
    expect([...b.files.keys()]).toEqual([...a.files.keys()]);
    expect([...a.files.keys()]).toContain("k8s/eu-west-2.yaml");
    for (const [file, content] of a.files) expect(b.files.get(file)).toBe(content);
  });

  it("passes every check: schemas, policies, wiring, observability, resilience", () => {
    const { checks } = runs[0];
    expect(checks.schemaProblems).toEqual([]);
    expect(checks.policy.findings.filter((f) => f.level === "mandatory")).toEqual([]);
    expect(checks.wiring.findings).toEqual([]);
    expect(checks.observability.findings).toEqual([]);
    expect(checks.resilience.findings).toEqual([]);
  });
});
