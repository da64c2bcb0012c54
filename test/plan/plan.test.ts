import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { wiringLinkCases } from "../wiring/links.cases";
import { prodDatabaseRoleCases } from "../platform/database-roles.cases";
import { scalingPlanCases } from "../platform/scaling-plan.cases";
import { prodDisruptionBudgetCases } from "../resilience/disruption-budgets.cases";
import { maintenancePlanCases } from "../platform/maintenance-plan.cases";
import type { Plan } from "../../cli/plan/run";
import { variantPlan } from "../support/variant-plan";
import { afterHorizonCases, prodCalendarTargetCases } from "./calendar-targets.cases";
import { PLAN_NOW as NOW, planOnce, type IsolatedPlan } from "../support/plan-once";

describe("offline plan of the prod stack", () => {
  // The runs the tests below share: the plan is the expensive part. Staging's runs (byte-identity among them) are
  // in plan-staging.test.ts, so the two files plan side by side.
  let first: IsolatedPlan;
  let calendarOff: Plan;
  beforeAll(async () => {
    first = await planOnce("prod");
    calendarOff = await variantPlan("prod", NOW, (c) => ({
      ...c,
      calendar: { ...c.calendar, enabled: false },
    }));
  }, 240_000);

  // Suites of other modules that read the same plans (each plan costs seconds; jest cannot share across files).
  wiringLinkCases(() => first.plan);
  prodDatabaseRoleCases(() => first.plan);
  scalingPlanCases(() => ({ prod: first, calendarOff, now: NOW }));
  prodDisruptionBudgetCases(() => first);
  prodCalendarTargetCases(() => ({ files: first.files, plan: first.plan, calendarOff }));
  afterHorizonCases(() => first);
  maintenancePlanCases(() => ({ prod: first, calendarOff }));

  it("holds three regional clusters, one per region", () => {
    const resources = JSON.parse(first.files.get("resources.json")!) as {
      type: string;
      region: string;
      inputs: Record<string, unknown>;
    }[];
    expect(
      resources.filter((r) => r.type === "aws:eks/cluster:Cluster").map((c) => [c.region, c.inputs.name]),
    ).toEqual([
      ["ap-northeast-1", "semester-prod-ap-northeast-1"],
      ["eu-west-2", "semester-prod-eu-west-2"],
      ["us-east-1", "semester-prod-us-east-1"],
    ]);
    expect([...first.files.keys()].filter((f) => f.startsWith("k8s"))).toEqual([
      "k8s/us-east-1.yaml",
      "k8s/eu-west-2.yaml",
      "k8s/ap-northeast-1.yaml",
    ]);
  });

  it("validates every Kubernetes object against its upstream schema", () => {
    expect(first.plan.objects.length).toBeGreaterThan(200);
    expect(first.checks.schemaProblems).toEqual([]);
  });

  it("passes its own policies with no mandatory violation", () => {
    expect(first.checks.policy.findings.filter((f) => f.level === "mandatory")).toEqual([]);
  });

  it("puts all six services in every region as Rollouts with an AnalysisTemplate, a PDB and exactly one ScaledObject each", () => {
    for (const region of ["us-east-1", "eu-west-2", "ap-northeast-1"]) {
      const objects = first.plan.objects.filter((o) => o.region === region).map((o) => o.object);
      const names = (kind: string) =>
        objects
          .filter((o) => o.kind === kind)
          .map((o) => o.metadata.name)
          .sort();
      const services = [
        "ai-tutor",
        "analytics",
        "assessment-engine",
        "course-catalog",
        "enrollment",
        "learner-profile",
      ];
      // Argo Rollouts in place of Deployments (semester:delivery is on by default); the only Deployments are the
      // node placeholders'.
      expect(names("Deployment").filter((n) => !n.endsWith("-placeholder"))).toEqual([]);
      expect(names("Rollout")).toEqual(services);
      expect(names("AnalysisTemplate")).toEqual(services.map((s) => `${s}-slo`));
      expect(names("PodDisruptionBudget")).toEqual(services);
      expect(names("ScaledObject").filter((n) => !n.endsWith("-placeholder"))).toEqual(services);
    }
  });

  it("carries the bundled calendar's cron triggers in the ScaledObjects, labelled by region and service", () => {
    const scaled = first.plan.objects.filter((o) => o.object.kind === "ScaledObject");
    const withCron = scaled.filter((o) =>
      (o.object as any).spec.triggers.some((t: { type: string }) => t.type === "cron"),
    );
    expect(withCron.length).toBeGreaterThan(0);
    for (const o of scaled) {
      expect(o.object.metadata).toMatchObject({
        labels: { "semester.dev/region": o.region, "semester.dev/service": o.object.metadata.name },
      });
    }
  });

  it("never writes a secret into the plan files", () => {
    expect(first.files.get("resources.json")).toContain('"kubeconfig": "[secret]"');
    expect(first.files.get("resources.json")).not.toContain("certificate-authority-data");
  });
});

describe("offline plan failures", () => {
  it("stops on an invalid stack file with every problem and registers nothing", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "semester-plan-"));
    fs.mkdirSync(path.join(root, "stacks"));
    fs.writeFileSync(
      path.join(root, "stacks", "Pulumi.broken.yaml"),
      [
        "config:",
        "  semester:environment: prod",
        "  semester:homeRegion: us-east-1",
        "  semester:regions:",
        "    - region: us-east-1",
        "      vpcCidr: 10.0.0.0/16",
        "    - region: eu-west-9",
        "      vpcCidr: 10.1.0.0/16",
        "  semester:cluster:",
        '    kubernetesVersion: "1.35"',
        "",
      ].join("\n"),
    );
    await expect(planOnce("broken", root)).rejects.toThrow(
      /^Invalid input in stacks\/Pulumi\.broken\.yaml \(1 problem\):\n {2}- `semester:regions\[1\]\.region`: got "eu-west-9"; expected an AWS region, one of: /,
    );
  });

  it("stops before any resource when a calendar window needs more than the stack allows and it says error", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "semester-plan-"));
    fs.mkdirSync(path.join(root, "stacks"));
    const prod = fs.readFileSync(path.join("stacks", "Pulumi.prod.yaml"), "utf8");
    expect(prod).toContain("  semester:calendar:\n");
    fs.writeFileSync(
      path.join(root, "stacks", "Pulumi.strict.yaml"),
      prod.replace("  semester:calendar:\n", "  semester:calendar:\n    overCapacity: error\n"),
    );
    await expect(planOnce("strict", root)).rejects.toThrow(
      /^Invalid input in stacks\/Pulumi\.strict\.yaml \(7 problems\):\n {2}- `semester:services\.ai-tutor\.maxReplicas`: got 16; must cover the calendar: "Data Science for Everyone — MOOC launch \(Asia cohort\)" /,
    );
  });

  it("names the known stacks when asked for one that does not exist", async () => {
    await expect(planOnce("nope")).rejects.toThrow(
      "Invalid input in the command line (1 problem):\n" +
        '  - `--stack`: got "nope"; must name a stack file: stacks/Pulumi.nope.yaml does not exist; fix: use one of dev, prod, staging',
    );
  });
});
