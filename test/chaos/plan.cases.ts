/**
 * The GameDays in the staging plan: the FIS templates with their stop conditions, the
 * schedules and Chaos Mesh crons clear of the calendar (crons enumerated with robfig/cron's semantics), and the
 * plan's own checks refusing a broken copy of each safety piece.
 */
import { gameDayContext, type PlanChecks } from "../../cli/plan/check";
import { runPolicies } from "../../cli/plan/policy-run";
import type { PlannedResource } from "../../cli/plan/record";
import type { Plan } from "../../cli/plan/run";
import { analyseWiring, findingMessage } from "../../cli/plan/wiring";
import { busyIntervals } from "../../components/calendar";
import { slotConflict } from "../../components/chaos";
import { activations, parseSpec, ZERO_TIME } from "../calendar/sim/robfig-cron";

const TEMPLATE = "aws:fis/experimentTemplate:ExperimentTemplate";
const SCHEDULE = "aws:scheduler/schedule:Schedule";

let plan: Plan;
let checks: PlanChecks;

const chaosFindings = (c: PlanChecks) =>
  c.wiring.findings.filter((f) => /\/(fis|scheduler)\//.test(f.subject)).map(findingMessage);

const withResources = (change: (r: PlannedResource) => PlannedResource) => ({
  ...plan,
  resources: plan.resources.map(change),
  gameDays: gameDayContext(plan),
});

/** Run from test/plan/plan-staging.test.ts, which plans staging once for every suite that reads it. */
export function gameDayPlanCases(staging: () => { plan: Plan; checks: PlanChecks }): void {
  describe("GameDays in the staging plan", () => {
    beforeAll(() => {
      ({ plan, checks } = staging());
    });

    it("has one template per FIS experiment per region, each stopped by the region's alarm, and no broken link", () => {
      const templates = plan.resources.filter((r) => r.type === TEMPLATE);
      expect(templates.map((t) => t.name).sort()).toEqual(
        ["us-east-1", "eu-west-2"]
          .flatMap((r) =>
            [
              "assessment-profile-latency",
              "az-power-interruption",
              "catalog-pod-delete",
              "node-termination",
            ].map((e) => `semester-staging-${r}-game-days-${e}`),
          )
          .sort(),
      );
      for (const t of templates) {
        // The region's own composite SLO fast-burn alarm (resilience RegionSloAlarms).
        const region = /^semester-staging-([a-z]+-[a-z]+-\d)-/.exec(t.name)![1]!;
        expect(t.inputs.stopConditions).toEqual([
          {
            source: "aws:cloudwatch:alarm",
            value: expect.stringMatching(
              new RegExp(
                `^arn:aws:cloudwatch:${region}:.*:semester-staging-${region}-resilience-alarms-fast-burn`,
              ),
            ),
          },
        ]);
      }
      expect(chaosFindings(checks)).toEqual([]);
      expect(checks.schemaProblems).toEqual([]);
      expect(checks.policy.mandatoryViolations).toBe(0);
    });

    it("schedules every FIS run clear of the calendar's busy spans and in working hours", () => {
      const schedules = plan.resources.filter((r) => r.type === SCHEDULE);
      expect(schedules.length).toBeGreaterThan(0);
      const ctx = gameDayContext(plan).constraints;
      for (const s of schedules) {
        const start = Date.parse(`${/^at\((.+)\)$/.exec(String(s.inputs.scheduleExpression))![1]}Z`);
        expect(slotConflict(start, start + 60_000, ctx[s.region!]!)).toBeUndefined();
        expect(new Date(start).getUTCHours()).toBeGreaterThanOrEqual(9);
      }
    });

    it("gives every Chaos Mesh Schedule a cron that fires exactly once over the horizon, at its slot, clear of every busy span", () => {
      const schedule = plan.platform.calendar!.schedule;
      const busy = busyIntervals(schedule);
      const objects = plan.objects.filter((o) => o.object.kind === "Schedule");
      expect(objects.length).toBeGreaterThan(0);
      for (const { region, object } of objects) {
        const spec = (object as unknown as { spec: { schedule: string } }).spec.schedule;
        // Chaos Mesh parses with robfig/cron v3's standard parser, in the controller's zone (UTC).
        const fires = activations(parseSpec(spec), schedule.horizon.from, schedule.horizon.to, "UTC").filter(
          (t) => t !== ZERO_TIME && t <= schedule.horizon.to,
        );
        const at = Date.parse(
          String((object.metadata.annotations as Record<string, string>)["semester.dev/at"]),
        );
        expect(fires).toEqual([at]);
        const margin = 60 * 60_000;
        expect(
          busy.find((b) => b.region === region && b.start < at + 10 * 60_000 + margin && at - margin < b.end),
        ).toBeUndefined();
      }
    });

    it("finds a template without a stop condition, in the wiring and in CrossGuard", async () => {
      const broken = withResources((r) =>
        r.type === TEMPLATE && r.name.endsWith("eu-west-2-game-days-catalog-pod-delete")
          ? { ...r, inputs: { ...r.inputs, stopConditions: [{ source: "none" }] } }
          : r,
      );
      expect(chaosFindings({ ...checks, wiring: analyseWiring(broken) })).toEqual([
        "eu-west-2/fis/semester-staging-eu-west-2-game-days-catalog-pod-delete → its stop condition: the experiment has no stop condition (a GameDay must stop on the region's SLO burn-rate alarm)",
      ]);
      const policy = await runPolicies({
        resources: broken.resources,
        objects: plan.objects,
        config: plan.config.governance,
      });
      expect(policy.findings.filter((f) => f.rule === "fis-stop-condition").map((f) => f.message)).toEqual([
        'aws:fis/experimentTemplate:ExperimentTemplate semester-staging-eu-west-2-game-days-catalog-pod-delete: the experiment can run without a stop condition; set stopConditions to [{source: "aws:cloudwatch:alarm", value: <the region\'s SLO burn-rate alarm ARN>}].',
      ]);
    });

    it("finds a schedule moved into a calendar window, naming the window", () => {
      const busy = gameDayContext(plan).constraints["us-east-1"]!.busy.find(
        (b) =>
          b.region === "us-east-1" &&
          new Date(b.start).getUTCHours() >= 9 &&
          new Date(b.start).getUTCHours() < 16,
      )!;
      const inside = new Date(busy.start + 60_000).toISOString().slice(0, 19);
      const victim = plan.resources.find((r) => r.type === SCHEDULE && r.region === "us-east-1")!;
      const broken = withResources((r) =>
        r === victim ? { ...r, inputs: { ...r.inputs, scheduleExpression: `at(${inside})` } } : r,
      );
      const found = chaosFindings({ ...checks, wiring: analyseWiring(broken) });
      expect(found).toHaveLength(1);
      expect(found[0]).toContain(
        `${victim.name} → its instant ${inside}Z clear of calendar windows and practice runs: it would run within 60 min of calendar window(s) ${busy.occurrences.join(", ")}`,
      );
    });

    it("finds a FIS role that may reach the neighbour cluster, and a pod fault whose RoleBinding lost FIS's user", () => {
      const broken = withResources((r) => {
        if (
          r.type === "aws:iam/rolePolicy:RolePolicy" &&
          r.name === "semester-staging-eu-west-2-game-days-fis"
        )
          return {
            ...r,
            inputs: {
              ...r.inputs,
              policy: String(r.inputs.policy).replace(/"arn:aws:eks:eu-west-2:[^"]+"/, '"*"'),
            },
          };
        return r;
      });
      const objects = plan.objects.map((o) =>
        o.region === "us-east-1" &&
        o.object.kind === "RoleBinding" &&
        o.object.metadata.name === "fis-experiment"
          ? {
              ...o,
              object: {
                ...o.object,
                subjects: [{ kind: "ServiceAccount", name: "fis-experiment", namespace: "learning" }],
              },
            }
          : o,
      );
      const found = chaosFindings({ ...checks, wiring: analyseWiring({ ...broken, objects }) });
      expect(found).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^eu-west-2\/fis\/.*catalog-pod-delete → not eks:DescribeCluster on arn:aws:eks:us-east-1:.* allows it$/,
          ),
          expect.stringMatching(
            /^us-east-1\/fis\/.*catalog-pod-delete → Kubernetes access for delete-pods in learning: no RoleBinding in learning binds user fis-experiment$/,
          ),
        ]),
      );
    });

    it("finds an exception that would admit FIS's root container for any service account", () => {
      const objects = plan.objects.map((o) =>
        o.object.kind === "PolicyException" && o.object.metadata.name === "fis-ephemeral-containers"
          ? {
              ...o,
              object: {
                ...o.object,
                spec: {
                  ...(o.object as unknown as { spec: object }).spec,
                  matchConditions: [{ name: "any", expression: "true" }],
                },
              },
            }
          : o,
      );
      const found = chaosFindings({
        ...checks,
        wiring: analyseWiring({ ...plan, objects, gameDays: gameDayContext(plan) }),
      });
      expect(found).toEqual([
        expect.stringMatching(
          /^eu-west-2\/fis\/.*assessment-profile-latency → admission of FIS's ephemeral container into learning\/assessment-engine: the exception is too broad/,
        ),
        expect.stringMatching(
          /^us-east-1\/fis\/.*assessment-profile-latency → admission of FIS's ephemeral container into learning\/assessment-engine: the exception is too broad/,
        ),
      ]);
    });
  });
}
