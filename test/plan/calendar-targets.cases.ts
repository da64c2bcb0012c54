/**
 * The refresh's `--target` list on the real plans: `calendar-targets.txt` holds exactly the calendar-owned
 * resources, checked independently against the plan with the calendar off (whatever differs must be targeted),
 * with engine URNs. Run from test/plan/plan.test.ts and plan-staging.test.ts, which plan each stack once.
 */
import { isCalendarOwned } from "../../cli/plan/calendar-targets";
import type { PlannedResource } from "../../cli/plan/record";
import type { Plan } from "../../cli/plan/run";
import { planFiles } from "../../cli/plan/write";
import { isActive, parseCronMetadata } from "../calendar/sim/keda-cron";
import { PLACEHOLDER_POD } from "../../components/core";

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

    it("lists the ScaledObjects, change-freeze ConfigMaps, horizon rule files, autoshift configurations, NodePools, scheduled data scaling and the stores with calendar-chosen windows", () => {
      expect(countsByType(lines())).toEqual({
        "aws:amp/ruleGroupNamespace:RuleGroupNamespace": 3,
        "aws:appautoscaling/scheduledAction:ScheduledAction": 32,
        "aws:appautoscaling/target:Target": 4,
        "aws:arczonalshift/zonalAutoshiftConfiguration:ZonalAutoshiftConfiguration": 6,
        "aws:elasticache/replicationGroup:ReplicationGroup": 3,
        "aws:rds/cluster:Cluster": 12,
        "kubernetes:core/v1:ConfigMap": 3,
        "kubernetes:karpenter.sh/v1:NodePool": 6,
        "kubernetes:apps/v1:Deployment": 15,
        "kubernetes:keda.sh/v1alpha1:ScaledObject": 33,
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
      // Targeted though unchanged: ScaledObjects with no window in this horizon, which a registrar's change can give
      // one, and the stores of a region whose windows are the static defaults this horizon.
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
        "aws:rds/cluster:Cluster semester-prod-data-ap-northeast-1-pg-0-cluster",
        "aws:rds/cluster:Cluster semester-prod-data-ap-northeast-1-pg-1-cluster",
        "aws:rds/cluster:Cluster semester-prod-data-ap-northeast-1-pg-2-cluster",
        "aws:rds/cluster:Cluster semester-prod-data-ap-northeast-1-pg-3-cluster",
        "aws:elasticache/replicationGroup:ReplicationGroup semester-prod-data-ap-northeast-1-redis-group",
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
      "aws:appautoscaling/scheduledAction:ScheduledAction": 106,
      "aws:appautoscaling/target:Target": 6,
      "aws:arczonalshift/zonalAutoshiftConfiguration:ZonalAutoshiftConfiguration": 4,
      "aws:elasticache/replicationGroup:ReplicationGroup": 2,
      "aws:rds/cluster:Cluster": 4,
      "aws:iam/role:Role": 2,
      "aws:iam/rolePolicy:RolePolicy": 2,
      "aws:scheduler/schedule:Schedule": 28,
      "kubernetes:chaos-mesh.org/v1alpha1:Schedule": 12,
      "kubernetes:core/v1:ConfigMap": 2,
      "kubernetes:karpenter.sh/v1:NodePool": 4,
      "kubernetes:apps/v1:Deployment": 10,
      "kubernetes:keda.sh/v1alpha1:ScaledObject": 22,
    });
  });
}

/** What a missed refresh leaves (prod): no calendar capacity after the horizon, every service still scaling. */
export function afterHorizonCases(get: () => { readonly plan: Plan }): void {
  it("after the horizon, without a refresh, every cron trigger stays inactive until next year, each service keeps a reactive trigger and node placeholders fall to zero", () => {
    const { plan } = get();
    const horizon = plan.platform.calendar!.schedule.horizon;
    const scaledObjects = plan.objects.filter((o) => o.object.kind === "ScaledObject").map((o) => o.object);
    const isPlaceholder = (so: (typeof scaledObjects)[number]) =>
      (so.metadata as { labels?: Record<string, string> }).labels?.[PLACEHOLDER_POD.roleLabel] ===
      PLACEHOLDER_POD.roleValue;
    expect(scaledObjects.filter((so) => !isPlaceholder(so))).toHaveLength(18);
    for (const so of scaledObjects) {
      const spec = so.spec as {
        minReplicaCount: number;
        triggers: { type: string; metadata: Record<string, string> }[];
      };
      const triggers = spec.triggers;
      // A service keeps a reactive trigger; node placeholders have only the calendar's and fall to 0 (no capacity held).
      if (isPlaceholder(so))
        expect([spec.minReplicaCount, triggers.every((t) => t.type === "cron")]).toEqual([0, true]);
      else expect(triggers.some((t) => t.type !== "cron")).toBe(true);
      for (const t of triggers.filter((x) => x.type === "cron")) {
        const trigger = parseCronMetadata(t.metadata);
        // Date-specific (`M H D Mon *`): it fires again only on the same date a year on.
        expect(t.metadata.start).toMatch(/^\d+ \d+ \d+ \d+ \*$/);
        for (const days of [0, 1, 100, 365 - 29])
          expect(isActive(trigger, horizon.to + days * 86_400_000 + 60_000)).toBe(false);
      }
    }
    // Negative control: a weekly trigger (semester:calendar.weeklyPatterns) keeps firing after the horizon.
    const weekly = parseCronMetadata({
      timezone: "Etc/UTC",
      start: "0 9 * * 1",
      end: "0 10 * * 1",
      desiredReplicas: "3",
    });
    const mondayAfter = Date.parse("2026-11-23T09:30:00Z");
    expect(mondayAfter).toBeGreaterThan(horizon.to);
    expect(isActive(weekly, mondayAfter)).toBe(true);
  });
}
