import { parser } from "@prometheus-io/lezer-promql";
import { parse } from "yaml";
import type { PlannedResource } from "../../cli/plan/record";
import { parseStackConfig } from "../../components/config/load";
import { InputError } from "../../components/core/problem";
import { DEFAULT_ADDONS, DEFAULT_SERVICES } from "../../components/kubernetes/config";
import { calendarHorizonRuleGroup } from "../../components/observability/calendar-horizon";
import { observabilitySchema } from "../../components/observability/config";
import { RegionObservability } from "../../components/observability/region-observability";
import type { AlertingRule } from "../../components/observability/types";
import { bindingCluster } from "../fixtures/data/cluster";
import { recordResources } from "../support/record";
import { promqlSyntaxErrors } from "../support/promql";

const DAY = 86_400_000;
const END = Date.parse("2026-11-16T00:00:00Z");
const input = { horizonEnd: END, warningDays: 7, criticalDays: 1, region: "eu-west-2" };

/**
 * When a rule of the form `vector(time()) > N` starts firing, read from its PromQL tree (not from the builder):
 * `time()` is the evaluation time in seconds, so the first evaluation after N seconds has a sample.
 */
function firesFrom(expr: string): number {
  const top = parser.parse(expr).topNode.firstChild!;
  const text = (n: { from: number; to: number }) => expr.slice(n.from, n.to);
  const [left, op, right] = [top.firstChild!, top.firstChild!.nextSibling!, top.lastChild!];
  expect([top.name, text(left), text(op), right.name]).toEqual([
    "BinaryExpr",
    "vector(time())",
    ">",
    "NumberDurationLiteral",
  ]);
  return Number(text(right)) * 1000;
}

const expected = (severity: string, threshold: number, days: string) => ({
  alert: "CalendarHorizonEnding",
  expr: `vector(time()) > ${threshold}`,
  labels: { severity, region: "eu-west-2", days_before: days },
  annotations: {
    summary: "Calendar capacity ends 2026-11-16T00:00:00Z in eu-west-2: no refresh has moved the horizon",
    description:
      "After 2026-11-16T00:00:00Z the calendar adds no capacity in eu-west-2 (its date-specific cron triggers " +
      "stay inactive until next year; the floor and the reactive triggers remain). Run the calendar-refresh " +
      "workflow, or `pulumi up`, and check why the scheduled refresh failed.",
  },
});

describe("the calendar horizon alert", () => {
  it("is one group with a ticket 7 days and a page 1 day before the compiled horizon end", () => {
    expect(calendarHorizonRuleGroup(input)).toEqual({
      name: "calendar-horizon",
      interval: "1m",
      rules: [expected("ticket", 1794182400, "7"), expected("page", 1794700800, "1")],
    });
  });

  it("fires exactly the lead before the end, as Prometheus evaluates the expression", () => {
    const [ticket, page] = calendarHorizonRuleGroup(input).rules as AlertingRule[];
    for (const rule of [ticket!, page!]) expect(promqlSyntaxErrors(rule.expr)).toEqual([]);
    expect(firesFrom(ticket!.expr)).toBe(END - 7 * DAY);
    expect(firesFrom(page!.expr)).toBe(END - DAY);
  });

  it("moves with every refresh: the rule of today's refresh is silent, one left by a refresh weeks ago fires", () => {
    const now = END - 28 * DAY; // the refresh that compiled END
    const fires = (horizonEnd: number) =>
      (calendarHorizonRuleGroup({ ...input, horizonEnd }).rules as AlertingRule[]).filter(
        (r) => now > firesFrom(r.expr),
      ).length;
    expect(fires(END)).toBe(0);
    // Negative control: the rule left behind by a refresh 25 days earlier (horizon end 3 days from now).
    expect(fires(now + 3 * DAY)).toBe(1);
    expect(fires(now + DAY / 2)).toBe(2);
  });
});

describe("semester:calendar.horizonAlert", () => {
  const valid = {
    "semester:environment": "dev",
    "semester:homeRegion": "eu-west-2",
    "semester:regions": JSON.stringify([{ region: "eu-west-2", vpcCidr: "10.0.0.0/16" }]),
    "semester:cluster": JSON.stringify({ kubernetesVersion: "1.35" }),
  };
  const problems = (calendar: object): string[] => {
    try {
      parseStackConfig({ ...valid, "semester:calendar": JSON.stringify(calendar) }, "stacks/Pulumi.t.yaml");
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      return (error as Error).message.split("\n").slice(1);
    }
    return [];
  };

  it("defaults to on, a ticket 7 days and a page 1 day before the end", () => {
    const config = parseStackConfig(valid, "stacks/Pulumi.t.yaml");
    expect(config.calendar.horizonAlert).toEqual({ enabled: true, warningDays: 7, criticalDays: 1 });
  });

  it("refuses a warning lead as long as the horizon and a page before the ticket, naming both keys", () => {
    expect(problems({ horizonDays: 7, horizonAlert: { warningDays: 7, criticalDays: 7 } })).toEqual([
      "  - `semester:calendar.horizonAlert.warningDays`: got 7; must be less than horizonDays (7), or the alert fires right after each refresh",
      "  - `semester:calendar.horizonAlert.criticalDays`: got 7; must be less than horizonAlert.warningDays (7), so the page follows the ticket",
    ]);
  });

  it("shortens the default leads for a short horizon rather than refusing it", () => {
    const leads = (horizonDays: number) =>
      parseStackConfig(
        { ...valid, "semester:calendar": JSON.stringify({ horizonDays }) },
        "stacks/Pulumi.t.yaml",
      ).calendar.horizonAlert;
    expect([leads(3), leads(1)]).toEqual([
      { enabled: true, warningDays: 2, criticalDays: 1 },
      { enabled: true, warningDays: 0, criticalDays: 0 },
    ]);
  });

  it("accepts any leads once the alert is off", () => {
    expect(problems({ horizonDays: 7, horizonAlert: { enabled: false, warningDays: 9 } })).toEqual([]);
  });
});

describe("RegionObservability with a calendar horizon", () => {
  const build = (config: unknown, calendarHorizon?: Omit<typeof input, "region">) =>
    recordResources(() => {
      new RegionObservability("prod-euw2-obs", {
        cluster: bindingCluster("eu-west-2"),
        environment: "prod",
        services: DEFAULT_SERVICES,
        addons: DEFAULT_ADDONS,
        config: observabilitySchema.parse(config),
        ...(calendarHorizon !== undefined ? { calendarHorizon } : {}),
      });
    });
  const horizon = { horizonEnd: END, warningDays: 7, criticalDays: 1 };
  const rulesOf = (resources: readonly PlannedResource[]) =>
    resources.filter((r) => r.type === "aws:amp/ruleGroupNamespace:RuleGroupNamespace");

  it("gives the alert a rule file of its own in AMP, so a refresh replaces it alone", async () => {
    const files = rulesOf(await build({}, horizon));
    expect(files.map((r) => r.inputs.name)).toEqual(["prod-euw2-obs-calendar-horizon", "prod-euw2-obs-slo"]);
    expect(parse(String(files[0]!.inputs.data))).toEqual({ groups: [calendarHorizonRuleGroup(input)] });
  });

  it("puts it in its own PrometheusRule with the in-cluster profile", async () => {
    const rules = (await build({ profile: "in-cluster" }, horizon)).filter(
      (r) => r.type === "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
    );
    expect(rules.map((r) => (r.inputs.metadata as { name: string }).name)).toEqual([
      "semester-calendar-horizon",
      "semester-slo",
    ]);
    expect((rules[0]!.inputs.spec as { groups: unknown }).groups).toEqual([calendarHorizonRuleGroup(input)]);
  });

  it("adds nothing without a calendar or with metrics off", async () => {
    expect(rulesOf(await build({})).map((r) => r.inputs.name)).toEqual(["prod-euw2-obs-slo"]);
    const metricsOff = {
      metrics: { enabled: false },
      slo: { enabled: false },
      dashboards: { enabled: false },
    };
    expect(rulesOf(await build(metricsOff, horizon))).toEqual([]);
  });
});
