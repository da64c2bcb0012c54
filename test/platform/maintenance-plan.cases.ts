/**
 * Maintenance where nobody is learning, checked on the real prod plan: every region's recorded Aurora and
 * ElastiCache windows are the ones the platform chose, meet none of the region's critical spans (checked from the
 * text the resources received), and the summary shows them; with the calendar off they are the static defaults.
 * The negative controls move a recorded window into a critical span and give Strimzi the wrong windows: the plan
 * check must report both. Run from test/plan/plan.test.ts, which plans prod once for every suite that reads it.
 */
import type { PlanChecks } from "../../cli/plan/check";
import { maintenanceFindings } from "../../cli/plan/resilience/maintenance";
import type { Plan } from "../../cli/plan/run";
import { planSummary } from "../../cli/plan/summary";
import { STATIC_WINDOWS, windowTexts } from "../../components/data/data-windows";
import { formatWeekly } from "../../components/data/windows";
import { criticalSpans } from "../../components/platform/critical-spans";
import { windowConflicts } from "../../components/platform/maintenance-windows";

export interface MaintenancePlans {
  readonly prod: { readonly plan: Plan; readonly checks: PlanChecks };
  readonly calendarOff: Plan;
}

const AURORA = "aws:rds/cluster:Cluster";
const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";

/** Each region's recorded windows, by key, deduplicated over its shards. */
function recorded(plan: Plan): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, Set<string>>> = {};
  const add = (region: string, key: string, value: unknown) =>
    ((out[region] ??= {})[key] ??= new Set()).add(String(value));
  for (const r of plan.resources) {
    const i = r.inputs as Record<string, unknown>;
    if (r.type === AURORA) {
      add(r.region!, "postgres.maintenanceWindow", i.preferredMaintenanceWindow);
      add(r.region!, "postgres.backupWindow", i.preferredBackupWindow);
    }
    if (r.type === REDIS) {
      add(r.region!, "redis.maintenanceWindow", i.maintenanceWindow);
      add(r.region!, "redis.snapshotWindow", i.snapshotWindow);
    }
  }
  return Object.fromEntries(
    Object.entries(out).map(([region, keys]) => [
      region,
      Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, [...v]])),
    ]),
  );
}

const single = (windows: Record<string, string>) =>
  Object.fromEntries(Object.entries(windows).map(([k, v]) => [k, [v]]));

export function maintenancePlanCases(plans: () => MaintenancePlans): void {
  describe("data tier maintenance windows in the prod plan", () => {
    it("records in every region the windows the platform chose, and they meet none of its critical spans", () => {
      const { plan, checks } = plans().prod;
      const schedule = plan.platform.calendar!.schedule;
      const spans = criticalSpans(schedule, plan.config.services);
      const byRegion = recorded(plan);
      expect(Object.keys(byRegion).sort()).toEqual(["ap-northeast-1", "eu-west-2", "us-east-1"]);
      expect(spans.length).toBeGreaterThan(0);
      for (const [region, keys] of Object.entries(byRegion)) {
        expect(keys).toEqual(single(windowTexts(plan.platform.maintenance[region]!.windows)));
        for (const [key, [window]] of Object.entries(keys))
          expect([
            region,
            key,
            windowConflicts(
              key as never,
              window!,
              spans.filter((s) => s.region === region),
              schedule.horizon,
            ),
          ]).toEqual([region, key, []]);
      }
      expect(Object.values(plan.platform.maintenance).flatMap((m) => m.warnings)).toEqual([]);
      expect(checks.resilience.findings).toEqual([]);
      expect(checks.resilience.proven.maintenanceWindows).toBe(2 * (3 * 4 + 3));
    });

    it("shows each region's windows in the summary", () => {
      const { plan, checks } = plans().prod;
      const lines = planSummary(plan, checks, [], "dist/prod").split("\n");
      const at = lines.findIndex((l) =>
        l.startsWith("  Maintenance windows, UTC (at the lowest planned load"),
      );
      expect(lines[at + 1]).toBe(
        "    region            Aurora maintenance    backup        ElastiCache maintenance  snapshot",
      );
      const m = plan.platform.maintenance["eu-west-2"]!.windows;
      expect(
        lines
          .slice(at + 2, at + 5)
          .find((l) => l.startsWith("    eu-west-2"))
          ?.split(/\s+/)
          .slice(2),
      ).toEqual([
        m["postgres.maintenanceWindow"].window,
        m["postgres.backupWindow"].window,
        m["redis.maintenanceWindow"].window,
        m["redis.snapshotWindow"].window,
      ]);
    });

    it("keeps the static defaults in every region with the calendar off", () => {
      const byRegion = recorded(plans().calendarOff);
      for (const region of ["us-east-1", "eu-west-2", "ap-northeast-1"])
        expect(byRegion[region]).toEqual(single(STATIC_WINDOWS));
    });

    it("reports a recorded window moved into a critical span, and Strimzi windows that are not Redis's (negative controls)", () => {
      const { plan } = plans().prod;
      const span = criticalSpans(plan.platform.calendar!.schedule, plan.config.services)[0]!;
      const minuteOfWeek =
        Math.floor(((((span.start / 60_000 + 4 * 1440) % 10_080) + 10_080) % 10_080) / 15) * 15;
      const window = formatWeekly(minuteOfWeek, 60);
      const victim = plan.resources.find((r) => r.type === AURORA && r.region === span.region)!;
      const broken = {
        ...plan,
        resources: plan.resources.map((r) =>
          r === victim
            ? { ...r, inputs: { ...(r.inputs as object), preferredMaintenanceWindow: window } }
            : r,
        ),
        objects: [
          ...plan.objects,
          {
            region: span.region,
            object: {
              apiVersion: "kafka.strimzi.io/v1",
              kind: "Kafka",
              metadata: { name: "events", namespace: "kafka" },
              spec: { maintenanceTimeWindows: ["* * 0-23 ? * *"] },
            },
          },
        ],
      } as Plan;
      const { findings } = maintenanceFindings(broken);
      expect(findings).toHaveLength(2);
      expect(findings[0]).toMatchObject({ region: span.region, subject: `Cluster ${victim.name}` });
      expect(findings[0]!.message).toMatch(
        new RegExp(`^preferredMaintenanceWindow "${window}" meets critical spans `),
      );
      expect(findings[0]!.message).toContain(span.occurrences[0]!);
      expect(findings[1]).toMatchObject({ region: span.region, subject: "Kafka events" });
      expect(findings[1]!.message).toMatch(
        /^maintenanceTimeWindows \["\* \* 0-23 \? \* \*"\], expected the Redis maintenance window /,
      );
    });
  });
}
