/**
 * One owner of scaling, checked on the real prod plan: every ScaledObject keeps within its service's stack bounds
 * with the calendar on and off, has the one default behavior either way, the calendar's windows over capacity are
 * reported once each, and `npm run calendar -- --stack prod` writes the plan's ScaledObjects byte for byte. Run
 * from test/plan/plan.test.ts, which plans prod once for every suite that reads it.
 */
import { computeOutputs } from "../../cli/calendar";
import type { PlanChecks } from "../../cli/plan/check";
import type { Plan } from "../../cli/plan/run";
import { planSummary } from "../../cli/plan/summary";
import { DEFAULT_BEHAVIOR } from "../../components/kubernetes/keda";
import { serviceReplicaBounds } from "../../components/kubernetes/tiers";

export interface ScalingPlans {
  /** The prod plan as `npm run plan` makes it, its files and checks. */
  readonly prod: { readonly plan: Plan; readonly files: Map<string, string>; readonly checks: PlanChecks };
  /** The same stack with `semester:calendar.enabled: false`. */
  readonly calendarOff: Plan;
  /** The plans' horizon start. */
  readonly now: number;
}

type ScaledObject = {
  metadata: { name: string; labels: Record<string, string> };
  spec: { minReplicaCount: number; maxReplicaCount: number; triggers: { type: string }[] } & Record<
    string,
    any
  >;
};

/** The services' own ScaledObjects (node placeholders have theirs: test/kubernetes/placeholder.test.ts). */
const scaledObjects = (plan: Plan) =>
  plan.objects
    .filter((o) => o.object.kind === "ScaledObject" && !o.object.metadata.name.endsWith("-placeholder"))
    .map((o) => ({ region: o.region, object: o.object as unknown as ScaledObject }));

/** The ScaledObject documents of a k8s/<region>.yaml file, as written. */
const scaledObjectDocs = (yaml: string) =>
  yaml
    .split(/^(?=---\n)/m)
    .filter((doc) => doc.startsWith("---\napiVersion: keda.sh/v1alpha1\nkind: ScaledObject\n"));

export function scalingPlanCases(plans: () => ScalingPlans): void {
  describe("KEDA scaling in the offline prod plan", () => {
    it("bounds every ScaledObject by its service's stack minReplicas/maxReplicas, with the calendar on and off", () => {
      const { prod, calendarOff } = plans();
      const expected = {
        "ai-tutor": [2, 16],
        analytics: [1, 12],
        "assessment-engine": [3, 80],
        "course-catalog": [3, 60],
        enrollment: [3, 48],
        "learner-profile": [2, 20],
      };
      for (const plan of [prod.plan, calendarOff]) {
        const found = scaledObjects(plan);
        expect(found).toHaveLength(18);
        for (const { object } of found) {
          const name = object.metadata.name as keyof typeof expected;
          const bounds = serviceReplicaBounds(plan.config.services[name]);
          expect([name, object.spec.minReplicaCount, object.spec.maxReplicaCount]).toEqual([
            name,
            bounds.minReplicas,
            bounds.maxReplicas,
          ]);
          expect([name, object.spec.minReplicaCount, object.spec.maxReplicaCount]).toEqual([
            name,
            ...expected[name],
          ]);
        }
      }
    });

    it("gives every ScaledObject the one default behavior, and the same with the calendar off", () => {
      const { prod, calendarOff } = plans();
      const on = scaledObjects(prod.plan);
      const off = scaledObjects(calendarOff);
      expect(on.some(({ object }) => object.spec.triggers.some((t) => t.type === "cron"))).toBe(true);
      expect(off.some(({ object }) => object.spec.triggers.some((t) => t.type === "cron"))).toBe(false);
      expect(off.map((o) => [o.region, o.object.metadata.name])).toEqual(
        on.map((o) => [o.region, o.object.metadata.name]),
      );
      on.forEach(({ object }, i) => {
        const behavior = object.spec.advanced.horizontalPodAutoscalerConfig.behavior;
        expect(behavior).toEqual(JSON.parse(JSON.stringify(DEFAULT_BEHAVIOR)));
        expect(off[i]!.object.spec.advanced).toEqual(object.spec.advanced);
      });
    });

    it("keeps every critical service's windows covered by the survivors of any one zone loss", () => {
      const { prod } = plans();
      const stable = prod.plan.platform.calendar!.schedule.results.filter((r) =>
        ["course-catalog", "assessment-engine", "enrollment"].includes(r.schedule.service),
      );
      expect(stable).toHaveLength(9);
      for (const r of stable)
        expect([r.schedule.service, r.stats.zoneLossCoverage]).toEqual([r.schedule.service, 1]);
    });

    it("reports each calendar window over the stack's capacity once, in the summary and capacity-plan.json", () => {
      const { prod } = plans();
      const over = (service: string, region: string, window: string, need: number, max: number) =>
        `${service} in ${region}: ${window} needs ${need} replica${need === 1 ? "" : "s"} at its peak but the stack allows ` +
        `${max} (stacks/Pulumi.prod.yaml \`semester:services.${service}.maxReplicas\`): short by ${need - max} ` +
        `replica${need - max === 1 ? "" : "s"}`;
      const mooc =
        '"Data Science for Everyone — MOOC launch (Asia cohort)" ' +
        "(data-science-mooc-launch@example.edu@2026-10-25T15:00:00.000Z, 2026-10-26 00:00–03:00 Asia/Tokyo)";
      const cs101 = (day: string) =>
        `"CS101 Introduction to Programming — lecture (live stream)" (cs101-lecture@example.edu@${day}T${day === "2026-10-19" ? "08" : "09"}:00:00.000Z, ${day} 09:00–10:30 Europe/London)`;
      const math201 = (day: string) =>
        `"MATH201 Linear Algebra — lecture" (math201-lecture@example.edu@${day}T${day === "2026-10-19" ? "09" : "10"}:00:00.000Z, ${day} 10:00–11:30 Europe/London)`;
      // enrollment (critical, statically stable) is sized for its zone-loss headroom: no window over capacity.
      const expected = [
        over("ai-tutor", "ap-northeast-1", mooc, 24, 16),
        ...["2026-10-19", "2026-11-02", "2026-11-09"].flatMap((day) => [
          over("ai-tutor", "eu-west-2", cs101(day), 17, 16),
          over("ai-tutor", "eu-west-2", math201(day), 17, 16),
        ]),
      ];
      const warnings = prod.plan.platform.calendar!.schedule.warnings;
      expect(warnings.filter((w) => w.includes("the stack allows"))).toEqual(expected);
      const summary = planSummary(prod.plan, prod.checks, [], "out");
      for (const w of warnings) expect(summary).toContain(`\n  warning: ${w}\n`);
      const capacity = JSON.parse(prod.files.get("calendar/capacity-plan.json")!);
      expect(capacity.warnings).toEqual(warnings);
      expect(capacity.summary.warnings).toBe(warnings.length);
    });

    it("writes the plan's ScaledObjects byte for byte with `npm run calendar -- --stack prod` over the same horizon, the PromQL endpoint's URL (known after deploy) as its placeholder", async () => {
      const { prod, now } = plans();
      const { files } = await computeOutputs(
        {
          input: prod.plan.config.calendar.file,
          stack: "prod",
          from: now,
          days: prod.plan.config.calendar.horizonDays,
          out: "unused",
        },
        process.cwd(),
      );
      const regions = prod.plan.config.regions.map((r) => r.region).sort();
      // Each region's workspace URL, as the plan bound it: the only difference the CLI may show.
      const workspaceUrl = /https:\/\/aps-workspaces\.[a-z0-9-]+\.amazonaws\.com\/workspaces\/ws-[0-9a-f-]+/g;
      const fromPlan = regions.flatMap((region) =>
        scaledObjectDocs(prod.files.get(`k8s/${region}.yaml`)!).map((doc) =>
          doc.replace(workspaceUrl, "${late:promql-url}"),
        ),
      );
      // 18 services' and the placeholders' of each pre-provisioned service with a scale-out in the horizon.
      const placeholders = Object.values(prod.plan.platform.calendar!.placeholders).flatMap((p) =>
        Object.keys(p),
      );
      expect(placeholders.length).toBeGreaterThan(0);
      expect(fromPlan).toHaveLength(18 + placeholders.length);
      expect(fromPlan.join("")).toContain("${late:promql-url}");
      expect(files["scaledobjects.yaml"]).toBe(fromPlan.join(""));
    });
  });
}
