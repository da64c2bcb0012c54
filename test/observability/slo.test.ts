/** SLOs as code: the burn-rate table, the rules per service, their syntax, the objective rule and the routing. */
import fc from "fast-check";
import { parse } from "yaml";
import { InputError, formatProblem } from "../../components/core";
import { DEFAULT_SERVICES, SERVICE_NAMES } from "../../components/kubernetes";
import { observabilitySchema, type ObservabilityConfig } from "../../components/observability/config";
import {
  alertmanagerConfig,
  alertmanagerPublishPolicy,
  alertmanagerYaml,
} from "../../components/observability/slo/alertmanager";
import {
  BURN_RATE_WINDOWS,
  REFERENCE_WINDOW_DAYS,
  SLI_WINDOWS,
  burnRateFactor,
} from "../../components/observability/slo/burn-rate";
import { objectiveProblems } from "../../components/observability/slo/objectives";
import { prometheusRuleObject, ruleFileYaml } from "../../components/observability/slo/rule-file";
import { sloRuleGroups } from "../../components/observability/slo/rules";
import type { AlertingRule, RecordingRule, RuleGroup } from "../../components/observability/types";
import { validateObjects } from "../../components/objects";
import { promqlSyntaxErrors } from "../support/promql";

const obs = (input: unknown = {}): ObservabilityConfig => observabilitySchema.parse(input);
const groups = (config = obs(), region = "eu-west-2"): RuleGroup[] =>
  sloRuleGroups({ services: DEFAULT_SERVICES, config, region, environment: "prod" });
const alerts = (gs: readonly RuleGroup[]): AlertingRule[] =>
  gs.flatMap((g) => g.rules.filter((r): r is AlertingRule => "alert" in r));
const records = (g: RuleGroup): RecordingRule[] => g.rules.filter((r): r is RecordingRule => "record" in r);
const minutes = (d: string): number => {
  const m = /^(\d+)([mhd])$/.exec(d)!;
  return Number(m[1]) * { m: 1, h: 60, d: 1440 }[m[2] as "m" | "h" | "d"];
};

describe("BURN_RATE_WINDOWS", () => {
  it("is the workbook's table: page 1h/5m 14.4× and 6h/30m 6×, ticket 1d/2h 3× and 3d/6h 1×", () => {
    expect(BURN_RATE_WINDOWS.map((w) => [w.severity, w.long, w.short, w.factor])).toEqual([
      ["page", "1h", "5m", 14.4],
      ["page", "6h", "30m", 6],
      ["ticket", "1d", "2h", 3],
      ["ticket", "3d", "6h", 1],
    ]);
  });

  it("consumes 2 %, 5 %, 10 % and 10 % of a 30-day budget in the long window, as the workbook states", () => {
    const budgetMinutes = REFERENCE_WINDOW_DAYS * 24 * 60;
    const consumed = BURN_RATE_WINDOWS.map((w) => (w.factor * minutes(w.long)) / budgetMinutes);
    expect(consumed.map((c) => Number((c * 100).toFixed(10)))).toEqual([2, 5, 10, 10]);
    expect(BURN_RATE_WINDOWS.map((w) => w.budgetPercent)).toEqual([2, 5, 10, 10]);
    for (const w of BURN_RATE_WINDOWS) expect(minutes(w.long)).toBe(w.longHours * 60);
  });

  it("has short windows of a twelfth of the long ones and `for` of half the short window", () => {
    for (const w of BURN_RATE_WINDOWS) {
      expect(minutes(w.short) * 12).toBe(minutes(w.long));
      expect(minutes(w.for)).toBe(Math.floor(minutes(w.short) / 2));
    }
  });

  it("derives exactly the table's factors for 30 days, and keeps the budget shares for other windows", () => {
    expect(BURN_RATE_WINDOWS.map((w) => burnRateFactor(w, 30))).toEqual([14.4, 6, 3, 1]);
    expect(BURN_RATE_WINDOWS.map((w) => burnRateFactor(w, 28))).toEqual([
      13.44, 5.6, 2.8, 0.9333333333333333,
    ]);
    fc.assert(
      fc.property(fc.integer({ min: 7, max: 90 }), (days) => {
        for (const w of BURN_RATE_WINDOWS) {
          const share = (burnRateFactor(w, days) * w.longHours) / (days * 24);
          expect(share).toBeCloseTo(w.budgetPercent / 100, 12);
        }
      }),
    );
  });

  it("needs recording rules over exactly the windows of its rows", () => {
    const used = new Set(BURN_RATE_WINDOWS.flatMap((w) => [w.long, w.short]));
    expect([...used].sort((a, b) => minutes(a) - minutes(b))).toEqual([...SLI_WINDOWS]);
  });
});

describe("sloRuleGroups", () => {
  const all = groups();
  const catalog = all.find((g) => g.name === "slo-course-catalog")!;

  it("makes one group per service, evaluated every minute, recordings before alerts", () => {
    expect(all.map((g) => g.name)).toEqual(SERVICE_NAMES.map((s) => `slo-${s}`));
    for (const g of all) {
      expect(g.interval).toBe("1m");
      expect(g.rules.map((r) => ("record" in r ? "record" : "alert"))).toEqual([
        ...Array<string>(21).fill("record"),
        ...Array<string>(8).fill("alert"),
      ]);
    }
  });

  it("records the error ratio, the slow ratio and the request rate of a critical service over every window", () => {
    const recs = records(catalog);
    expect(recs.map((r) => r.record)).toEqual(
      SLI_WINDOWS.flatMap((w) => [
        `service:sli_errors:ratio_rate${w}`,
        `service:sli_slow:ratio_rate${w}`,
        `service:sli_requests:rate${w}`,
      ]),
    );
    for (const r of recs) expect(r.labels).toEqual({ service: "course-catalog", tier: "critical" });
    const total = 'sum(rate(http_server_request_duration_seconds_count{job="course-catalog"}[1h]))';
    expect(recs.filter((r) => r.record.endsWith("rate1h")).map((r) => r.expr)).toEqual([
      '(sum(rate(http_server_request_duration_seconds_count{job="course-catalog",http_response_status_code=~"5.."}[1h])) or vector(0)) / ' +
        total,
      `1 - (sum(rate(http_server_request_duration_seconds_bucket{job="course-catalog",le="0.25"}[1h])) / ${total})`,
      total,
    ]);
  });

  it("alerts on both SLIs of a critical service at every burn rate, guarded against low traffic", () => {
    const sel = '{service="course-catalog"}';
    const guard = (w: string) => `service:sli_requests:rate${w}${sel} * 3600 >= 60`;
    const expr = (sli: string, long: string, short: string, threshold: string) =>
      `service:${sli}:ratio_rate${long}${sel} > ${threshold} and ` +
      `service:${sli}:ratio_rate${short}${sel} > ${threshold} and ${guard(long)}`;
    expect(
      alerts([catalog]).map((a) => [a.alert, a.expr, a.for, a.labels.severity, a.labels.window]),
    ).toEqual([
      [
        "AvailabilityBudgetBurn",
        expr("sli_errors", "1h", "5m", "(14.4 * (1 - 0.9995))"),
        "2m",
        "page",
        "1h/5m",
      ],
      [
        "AvailabilityBudgetBurn",
        expr("sli_errors", "6h", "30m", "(6 * (1 - 0.9995))"),
        "15m",
        "page",
        "6h/30m",
      ],
      [
        "AvailabilityBudgetBurn",
        expr("sli_errors", "1d", "2h", "(3 * (1 - 0.9995))"),
        "1h",
        "ticket",
        "1d/2h",
      ],
      [
        "AvailabilityBudgetBurn",
        expr("sli_errors", "3d", "6h", "(1 * (1 - 0.9995))"),
        "3h",
        "ticket",
        "3d/6h",
      ],
      ["LatencyBudgetBurn", expr("sli_slow", "1h", "5m", "(14.4 * (1 - 0.99))"), "2m", "page", "1h/5m"],
      ["LatencyBudgetBurn", expr("sli_slow", "6h", "30m", "(6 * (1 - 0.99))"), "15m", "page", "6h/30m"],
      ["LatencyBudgetBurn", expr("sli_slow", "1d", "2h", "(3 * (1 - 0.99))"), "1h", "ticket", "1d/2h"],
      ["LatencyBudgetBurn", expr("sli_slow", "3d", "6h", "(1 * (1 - 0.99))"), "3h", "ticket", "3d/6h"],
    ]);
  });

  it("labels and annotates each alert with the service, tier, SLO, region, window, objective and budget burn", () => {
    const [fast] = alerts([catalog]);
    expect(fast!.labels).toEqual({
      severity: "page",
      service: "course-catalog",
      tier: "critical",
      slo: "availability",
      region: "eu-west-2",
      window: "1h/5m",
    });
    expect(fast!.annotations).toEqual({
      summary: "course-catalog burns its availability error budget 14.4× as fast as the SLO allows (1h/5m)",
      description:
        "More than 0.72 % of course-catalog's requests in eu-west-2 (prod) failed with a 5xx over the last 1h " +
        "and 5m (1h: {{ $value | humanizePercentage }}). Objective: 99.95 % of requests succeed over 30 days; " +
        "at this rate 2 % of the error budget is spent every 1h.",
    });
    const slow = alerts([all.find((g) => g.name === "slo-analytics")!]).at(-1)!;
    expect(slow.labels).toMatchObject({ tier: "batch", slo: "latency", severity: "ticket", window: "3d/6h" });
    expect(slow.annotations.description).toContain("took longer than 1000 ms");
    expect(slow.annotations.description).toContain("Objective: 95 % of requests within 1000 ms over 30 days");
    expect(Object.keys(slow.annotations)).toEqual(["summary", "description"]);
  });

  it("uses each service's tier and overrides: tier key, then service key", () => {
    const gs = groups(
      obs({
        slo: { tiers: { standard: { availability: 0.995 } }, services: { "ai-tutor": { latencyMs: 2500 } } },
      }),
    );
    const tutor = gs.find((g) => g.name === "slo-ai-tutor")!;
    expect(records(tutor)[1]!.expr).toContain('le="2.5"');
    expect(alerts([tutor])[0]!.expr).toContain("(14.4 * (1 - 0.995))");
    expect(alerts([tutor])[0]!.labels.tier).toBe("standard");
    const profile = gs.find((g) => g.name === "slo-learner-profile")!;
    expect(alerts([profile])[0]!.expr).toContain("(14.4 * (1 - 0.995))");
    expect(records(profile)[1]!.expr).toContain('le="0.5"');
  });

  it("writes every rule in Prometheus's own grammar", () => {
    const exprs = alerts(all)
      .map((a) => a.expr)
      .concat(all.flatMap((g) => records(g).map((r) => r.expr)));
    expect(exprs).toHaveLength(6 * 29);
    expect(exprs.filter((e) => promqlSyntaxErrors(e).length > 0)).toEqual([]);
    // The check can fail: a broken expression has error nodes.
    expect(promqlSyntaxErrors("sum(rate(x[5m]) >")).not.toEqual([]);
  });

  it("puts the low-traffic guard into every alert, on the long window, and leaves it out at 0", () => {
    for (const a of alerts(all)) {
      const long = a.labels.window!.split("/")[0];
      expect(a.expr).toMatch(
        new RegExp(`and service:sli_requests:rate${long}\\{service="${a.labels.service}"\\} \\* 3600 >= 60$`),
      );
    }
    const strict = alerts(groups(obs({ slo: { minRequestsPerHour: 600 } })));
    expect(strict.every((a) => a.expr.endsWith("* 3600 >= 600"))).toBe(true);
    const off = alerts(groups(obs({ slo: { minRequestsPerHour: 0 } })));
    expect(off.some((a) => a.expr.includes("sli_requests"))).toBe(false);
  });

  it("holds every alert to factor × (1 − objective) for any objective", () => {
    const share = fc.double({ min: 0.9001, max: 0.9999, noNaN: true });
    fc.assert(
      fc.property(
        share,
        fc.double({ min: 0.5001, max: 0.9999, noNaN: true }),
        (availability, latencyTarget) => {
          const gs = groups(obs({ slo: { tiers: { critical: { availability, latencyTarget } } } }));
          const catalogAlerts = alerts(gs.filter((g) => g.name === "slo-course-catalog"));
          catalogAlerts.forEach((a, i) => {
            const w = BURN_RATE_WINDOWS[i % 4]!;
            const objective = a.labels.slo === "availability" ? availability : latencyTarget;
            const m = /> \((\S+) \* \(1 - (\S+)\)\) and .* > \((\S+) \* \(1 - (\S+)\)\) and /.exec(a.expr)!;
            expect(m).not.toBeNull();
            const [factor, goal, factor2, goal2] = m.slice(1).map(Number);
            expect([factor, factor2]).toEqual([w.factor, w.factor]);
            expect([goal, goal2]).toEqual([objective, objective]);
            expect(factor! * (1 - goal!)).toBe(w.factor * (1 - objective));
          });
        },
      ),
      { numRuns: 50 },
    );
  });

  it("refuses a latency threshold off the histogram's buckets, naming the key that set it", () => {
    const config = obs({ slo: { services: { enrollment: { latencyMs: 300 } } } });
    expect(() => groups(config)).toThrow(InputError);
    expect(() => groups(config)).toThrow(
      "Invalid input in semester:observability.slo (1 problem):\n" +
        "  - `semester:observability.slo.services.enrollment.latencyMs`: got 300; must be a bucket boundary of the " +
        "OTel HTTP duration histogram (ms): 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000; " +
        "the slow ratio reads the `le` bucket at the threshold; fix: use 250 or 500",
    );
  });

  it("reports a bad tier threshold once, at the tier key, and a service's own key beside it", () => {
    const config = obs({
      slo: { tiers: { critical: { latencyMs: 200 } }, services: { analytics: { latencyMs: 12000 } } },
    });
    expect(objectiveProblems(config, DEFAULT_SERVICES, "semester:observability").map(formatProblem)).toEqual([
      expect.stringMatching(
        /^`semester:observability\.slo\.tiers\.critical\.latencyMs`: got 200; .*; fix: use 100 or 250$/,
      ),
      expect.stringMatching(
        /^`semester:observability\.slo\.services\.analytics\.latencyMs`: got 12000; .*; fix: use 10000$/,
      ),
    ]);
    expect(objectiveProblems(obs(), DEFAULT_SERVICES)).toEqual([]);
    expect(
      objectiveProblems(obs({ slo: { tiers: { batch: { latencyMs: 75 } } } }), DEFAULT_SERVICES),
    ).toEqual([]);
  });

  it("makes no rules when SLOs are off", () => {
    expect(groups(obs({ slo: { enabled: false } }))).toEqual([]);
  });
});

describe("rule files", () => {
  const gs = groups();

  it("writes the rule file AMP takes: `groups:` with the rules as given, expressions on one line", () => {
    const text = ruleFileYaml(gs);
    expect(text.startsWith("groups:\n  - name: slo-course-catalog\n    interval: 1m\n    rules:\n")).toBe(
      true,
    );
    expect(parse(text)).toEqual({ groups: JSON.parse(JSON.stringify(gs)) });
    const exprLines = text.split("\n").filter((l) => /^\s+expr: /.test(l));
    expect(exprLines).toHaveLength(6 * 29);
  });

  it("wraps them in a PrometheusRule kube-prometheus-stack selects, which validates against the CRD", () => {
    const rule = prometheusRuleObject(gs, "observability", "semester-slo");
    expect(rule.metadata).toEqual({
      name: "semester-slo",
      namespace: "observability",
      labels: { release: "kube-prometheus-stack" },
    });
    expect((rule.spec as { groups: unknown }).groups).toEqual(JSON.parse(JSON.stringify(gs)));
    expect(validateObjects([rule])).toEqual([]);
  });

  it("refuses a PrometheusRule the CRD refuses (a bad duration, a bad partial response strategy)", () => {
    const rule = prometheusRuleObject(gs.slice(0, 1), "observability", "semester-slo") as any;
    rule.spec.groups[0].interval = "one minute";
    rule.spec.groups[0].partial_response_strategy = "ignore";
    const messages = validateObjects([rule]).map((p) => `${p.path}: ${p.reason}`);
    expect(messages).toEqual([
      expect.stringMatching(/^\/spec\/groups\/0\/interval: must match pattern/),
      expect.stringMatching(/^\/spec\/groups\/0\/partial_response_strategy: must match pattern/),
    ]);
    rule.spec.groups[0].interval = "1m";
    rule.spec.groups[0].partial_response_strategy = "WARN"; // RE2's (?i): case-insensitive
    expect(validateObjects([rule])).toEqual([]);
  });
});

describe("alert routing", () => {
  const topics = {
    pageTopicArn: "arn:aws:sns:eu-west-2:111122223333:semester-prod-page",
    ticketTopicArn: "arn:aws:sns:eu-west-2:111122223333:semester-prod-ticket",
    region: "eu-west-2",
  };

  it("routes by severity, groups by service and SLO, and inhibits a ticket while its page fires", () => {
    const config = alertmanagerConfig(topics) as any;
    expect(config.route).toEqual({
      receiver: "ticket",
      group_by: ["service", "slo"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "12h",
      routes: [
        { receiver: "page", matchers: ['severity="page"'], repeat_interval: "1h" },
        { receiver: "ticket", matchers: ['severity="ticket"'], repeat_interval: "12h" },
      ],
    });
    expect(config.inhibit_rules).toEqual([
      {
        source_matchers: ['severity="page"'],
        target_matchers: ['severity="ticket"'],
        equal: ["service", "slo"],
      },
    ]);
    expect(
      config.receivers.map((r: any) => [r.name, r.sns_configs[0].topic_arn, r.sns_configs[0].sigv4]),
    ).toEqual([
      ["page", topics.pageTopicArn, { region: "eu-west-2" }],
      ["ticket", topics.ticketTopicArn, { region: "eu-west-2" }],
    ]);
    expect(config.receivers[0].sns_configs[0].attributes).toEqual({ severity: "page" });
  });

  it("writes AMP's definition: the same configuration as a string under `alertmanager_config`, no refused keys", () => {
    const text = alertmanagerYaml(topics);
    expect(text.startsWith("alertmanager_config: |\n  route:\n")).toBe(true);
    const doc = parse(text) as { alertmanager_config: string };
    expect(Object.keys(doc)).toEqual(["alertmanager_config"]);
    expect(parse(doc.alertmanager_config)).toEqual(alertmanagerConfig(topics));
    expect(doc.alertmanager_config).not.toMatch(/api_url|http_config/);
  });

  it("lets the in-cluster Alertmanager publish to exactly the two topics", () => {
    expect(
      JSON.parse(alertmanagerPublishPolicy({ topicArns: [topics.pageTopicArn, topics.ticketTopicArn] })),
    ).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "PublishAlerts",
          Effect: "Allow",
          Action: "sns:Publish",
          Resource: [topics.pageTopicArn, topics.ticketTopicArn],
        },
      ],
    });
    const key = "arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const withKey = JSON.parse(
      alertmanagerPublishPolicy({ topicArns: [topics.pageTopicArn], kmsKeyArn: key }),
    );
    expect(withKey.Statement[1]).toEqual({
      Sid: "EncryptAlerts",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: key,
    });
  });
});
