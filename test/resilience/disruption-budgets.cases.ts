/**
 * No voluntary node disruption in a critical span, checked on the real prod plan: its NodePools carry the
 * calendar's zero budgets after their own, schema-valid, every critical span lies in an active one of every pool of
 * its region, and a broken copy of a pool's budgets is a finding naming the span and the pool. Run from
 * test/plan/plan.test.ts, which plans prod once for every suite that reads it.
 */
import type { PlanChecks } from "../../cli/plan/check";
import { analyseResilience } from "../../cli/plan/resilience";
import type { Plan } from "../../cli/plan/run";

type NodePool = {
  kind: string;
  metadata: { name: string };
  spec: { disruption: { budgets: Record<string, unknown>[] }; template: { spec: { expireAfter: string } } };
};

export function prodDisruptionBudgetCases(
  prod: () => { readonly plan: Plan; readonly checks: PlanChecks },
): void {
  const pools = (region: string) =>
    prod()
      .plan.objects.filter((o) => o.region === region && (o.object as { kind?: string }).kind === "NodePool")
      .map((o) => o.object as unknown as NodePool);

  describe("calendar disruption budgets in the prod plan", () => {
    it('gives every NodePool of a region its own budgets, then the calendar\'s nodes "0" windows, and no expiry', () => {
      const tokyo = pools("ap-northeast-1");
      expect(
        tokyo.map((p) => [p.metadata.name, p.spec.disruption.budgets, p.spec.template.spec.expireAfter]),
      ).toEqual([
        ["ai", [{ nodes: "10%" }, { nodes: "0", schedule: "30 14 25 10 *", duration: "4h" }], "Never"],
        ["general", [{ nodes: "10%" }, { nodes: "0", schedule: "30 14 25 10 *", duration: "4h" }], "Never"],
      ]);
      // London's Monday slot is weekly; the Monday before the clocks go back is an hour earlier in UTC.
      expect(pools("eu-west-2")[1]!.spec.disruption.budgets).toContainEqual({
        nodes: "0",
        schedule: "25 8 * * 1",
        duration: "3h20m",
      });
    });

    it("proves every critical span of every region inside an active zero budget of each of its pools", () => {
      const { checks } = prod();
      expect(checks.schemaProblems).toEqual([]);
      expect(checks.resilience.findings).toEqual([]);
      expect(checks.resilience.proven.protectedSpans).toBe(34);
    });

    it("reports a span a pool's broken budgets leave open, naming the span and the pool", () => {
      const { plan } = prod();
      const broken = plan.objects.map((o) => {
        const pool = o.object as unknown as NodePool;
        if (o.region !== "eu-west-2" || pool.kind !== "NodePool" || pool.metadata.name !== "general")
          return o;
        const budgets = pool.spec.disruption.budgets.filter((b) => b.schedule !== "25 8 * * 1");
        return { ...o, object: { ...pool, spec: { ...pool.spec, disruption: { budgets } } } as never };
      });
      const findings = analyseResilience({ ...plan, objects: broken }).findings;
      const open = (day: string) =>
        `eu-west-2 NodePool general: critical span ${day}T08:40:00.000Z–${day}T11:45:00.000Z ` +
        `(cs101-lecture@example.edu@${day}T09:00:00.000Z, math201-lecture@example.edu@${day}T10:00:00.000Z) ` +
        `is not covered from ${day}T08:40:00.000Z: no budget of nodes "0" for every reason is active then`;
      expect(findings.map((f) => `${f.region} ${f.subject}: ${f.message}`)).toEqual([
        open("2026-11-02"),
        open("2026-11-09"),
      ]);
    });
  });
}
