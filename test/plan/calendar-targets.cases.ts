/**
 * The refresh's `--target` list on the real plans: `calendar-targets.txt` holds exactly the calendar-owned
 * resources, checked independently against the plan with the calendar off (whatever differs must be targeted),
 * with engine URNs. Run from test/plan/plan.test.ts and plan-staging.test.ts, which plan each stack once.
 */
import { isCalendarOwned } from "../../cli/plan/calendar-targets";
import type { PlannedResource } from "../../cli/plan/record";
import type { Plan } from "../../cli/plan/run";
import { planFiles } from "../../cli/plan/write";

/** Per type (the URN's last type), how many lines of the file carry it. */
function countsByType(lines: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const urn of lines) {
    const type = urn.split("::")[2]!.split("$").pop()!;
    out[type] = (out[type] ?? 0) + 1;
  }
  return out;
}

/**
 * Custom resources the calendar changes (inputs differ from the calendar-off plan, or exist only with the
 * calendar) that `owned` leaves out, as `type name`.
 */
function untargetedCalendarChanges(on: Plan, off: Plan, owned: (r: PlannedResource) => boolean): string[] {
  const offInputs = new Map(off.resources.map((r) => [r.urn, JSON.stringify(r.inputs)]));
  return on.resources
    .filter((r) => r.custom && offInputs.get(r.urn) !== JSON.stringify(r.inputs) && !owned(r))
    .map((r) => `${r.type} ${r.name}`);
}

export function prodCalendarTargetCases(
  get: () => { readonly files: Map<string, string>; readonly plan: Plan; readonly calendarOff: Plan },
): void {
  describe("calendar-targets.txt (prod)", () => {
    const lines = () => get().files.get("calendar-targets.txt")!.trimEnd().split("\n");

    it("lists the ScaledObjects, change-freeze ConfigMaps, horizon rule files and autoshift configurations", () => {
      expect(countsByType(lines())).toEqual({
        "aws:amp/ruleGroupNamespace:RuleGroupNamespace": 3,
        "aws:arczonalshift/zonalAutoshiftConfiguration:ZonalAutoshiftConfiguration": 6,
        "kubernetes:core/v1:ConfigMap": 3,
        "kubernetes:keda.sh/v1alpha1:ScaledObject": 18,
      });
    });

    it("names each resource by the URN the engine gives it: every parent's type, the root stack's left out", () => {
      expect(lines()).toContain(
        "urn:pulumi:prod::semester::semester:platform:Platform$semester:kubernetes:RegionWorkloads$" +
          "kubernetes:yaml:ConfigGroup$kubernetes:keda.sh/v1alpha1:ScaledObject::eu-west-2-learning/enrollment",
      );
      expect(lines()).toEqual([...lines()].sort());
    });

    it("targets every resource the calendar changes, checked against the plan with the calendar off", () => {
      const { plan, calendarOff } = get();
      expect(untargetedCalendarChanges(plan, calendarOff, isCalendarOwned)).toEqual([]);
      // Targeted though unchanged: ScaledObjects with no window in this horizon, which a registrar's change can give one.
      const changed = new Set(
        untargetedCalendarChanges(plan, calendarOff, () => false).map((s) => s.split(" ")[1]),
      );
      expect(
        plan.resources
          .filter((r) => isCalendarOwned(r) && !changed.has(r.name))
          .map((r) => `${r.type} ${r.name}`),
      ).toEqual([
        "kubernetes:keda.sh/v1alpha1:ScaledObject ap-northeast-1-learning/assessment-engine",
        "kubernetes:keda.sh/v1alpha1:ScaledObject eu-west-2-learning/enrollment",
        "kubernetes:keda.sh/v1alpha1:ScaledObject us-east-1-learning/assessment-engine",
      ]);
    });

    it("negative control: a target list without the autoshift configurations misses each of them", () => {
      const { plan, calendarOff } = get();
      const withoutAutoshift = (r: PlannedResource) =>
        isCalendarOwned(r) && !r.type.startsWith("aws:arczonalshift/");
      expect(untargetedCalendarChanges(plan, calendarOff, withoutAutoshift)).toHaveLength(6);
    });

    it("is not written with the calendar off: a refresh has nothing to target", () => {
      expect(planFiles(get().calendarOff).has("calendar-targets.txt")).toBe(false);
    });
  });
}

export function stagingCalendarTargetCases(get: () => { readonly files: Map<string, string> }): void {
  it("calendar-targets.txt (staging) adds the GameDays' schedules and the scheduler's role", () => {
    const lines = get().files.get("calendar-targets.txt")!.trimEnd().split("\n");
    expect(countsByType(lines)).toEqual({
      "aws:amp/ruleGroupNamespace:RuleGroupNamespace": 2,
      "aws:arczonalshift/zonalAutoshiftConfiguration:ZonalAutoshiftConfiguration": 4,
      "aws:iam/role:Role": 2,
      "aws:iam/rolePolicy:RolePolicy": 2,
      "aws:scheduler/schedule:Schedule": 28,
      "kubernetes:chaos-mesh.org/v1alpha1:Schedule": 12,
      "kubernetes:core/v1:ConfigMap": 2,
      "kubernetes:keda.sh/v1alpha1:ScaledObject": 12,
    });
  });
}
