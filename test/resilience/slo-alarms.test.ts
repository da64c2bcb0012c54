import * as aws from "@pulumi/aws";
import { InputError } from "../../components/core";
import { DEFAULT_SERVICES_INPUT, SERVICE_NAMES, servicesSchema } from "../../components/kubernetes";
import { DEFAULT_OBSERVABILITY } from "../../components/observability";
import {
  RegionResilience,
  RegionSloAlarms,
  burnRowSpecs,
  strictestPublicObjective,
} from "../../components/resilience";
import { analyseResilience } from "../../cli/plan/resilience";
import { ofType, only, recordResources } from "../support/record";

const objective = { availability: 0.9995, latencyMs: 250, latencyTarget: 0.99 };

describe("burn-rate alarm specs", () => {
  it("derive the page rows' thresholds from the objective and the SLO window", () => {
    expect(burnRowSpecs(objective, 30, 60)).toEqual([
      {
        id: "1h-5m",
        factor: 14.4,
        long: { window: "1h", periodSeconds: 3600, minRequests: 60 },
        short: { window: "5m", periodSeconds: 300, minRequests: 5 },
        errorRatioThreshold: 0.0072,
        latencyPercentile: "p85.6",
        latencyThresholdSeconds: 0.25,
      },
      {
        id: "6h-30m",
        factor: 6,
        long: { window: "6h", periodSeconds: 21600, minRequests: 360 },
        short: { window: "30m", periodSeconds: 1800, minRequests: 30 },
        errorRatioThreshold: 0.003,
        latencyPercentile: "p94",
        latencyThresholdSeconds: 0.25,
      },
    ]);
  });

  it("hold the ALB to the strictest objective of the public services", () => {
    const services = servicesSchema.parse(DEFAULT_SERVICES_INPUT);
    expect(strictestPublicObjective(services, DEFAULT_OBSERVABILITY)).toEqual(objective);
  });
});

describe("RegionSloAlarms", () => {
  it("alarms on the ALB's error ratio and latency per window and ANDs the two windows of a row", async () => {
    const resources = await recordResources(() => {
      const provider = new aws.Provider("p", { region: "eu-west-2" });
      new RegionSloAlarms("a", { provider, loadBalancerArnSuffix: "app/k8s-x/0123", objective });
    });
    expect(ofType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm")).toHaveLength(8);
    const long = only(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", "a-errors-1h-5m-long").inputs;
    expect(long).toMatchObject({
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0.0072,
      evaluationPeriods: 1,
      treatMissingData: "notBreaching",
    });
    const queries = long.metricQueries as {
      id: string;
      expression?: string;
      metric?: { period: number; metricName: string };
    }[];
    expect(queries.map((q) => q.metric?.metricName ?? q.id)).toEqual([
      "HTTPCode_Target_5XX_Count",
      "HTTPCode_ELB_5XX_Count",
      "RequestCount",
      "ratio",
    ]);
    expect(queries[0]!.metric!.period).toBe(3600);
    expect(queries[3]!.expression).toBe(
      "IF((FILL(requests,0)+FILL(elb5xx,0)) >= 60, (FILL(target5xx,0)+FILL(elb5xx,0))/(FILL(requests,0)+FILL(elb5xx,0)), 0)",
    );
    const latency = only(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", "a-latency-1h-5m-short").inputs;
    expect(latency).toMatchObject({
      extendedStatistic: "p85.6",
      period: 300,
      threshold: 0.25,
      metricName: "TargetResponseTime",
    });
    const row = only(resources, "aws:cloudwatch/compositeAlarm:CompositeAlarm", "a-errors-1h-5m").inputs;
    expect(String(row.alarmRule)).toMatch(
      /^ALARM\(".*a-errors-1h-5m-long.*"\) AND ALARM\(".*a-errors-1h-5m-short.*"\)$/,
    );
    const region = only(resources, "aws:cloudwatch/compositeAlarm:CompositeAlarm", "a-fast-burn").inputs;
    expect(String(region.alarmRule).split(" OR ")).toHaveLength(4);
  });
});

describe("RegionResilience", () => {
  const exam = {
    start: Date.parse("2026-10-21T09:00:00Z"),
    end: Date.parse("2026-10-21T12:00:00Z"),
    occurrences: ["final@x"],
  };
  const args = {
    provider: undefined as unknown as aws.Provider,
    region: "eu-west-2",
    clusterName: "c",
    partition: "aws",
    accountId: "1",
    clusterZonalShift: true,
    ingressGroup: "semester-eu-west-2",
    publicIngresses: [],
    objective,
    windowDays: 30,
    minRequestsPerHour: 60,
    exams: [exam],
    horizon: { from: Date.parse("2026-10-19T00:00:00Z"), to: Date.parse("2026-11-16T00:00:00Z") },
  };

  it("refuses a configured practice-run window that meets an exam, naming the exam, before any resource exists", () => {
    const make = () =>
      new RegionResilience("r", {
        ...args,
        publicIngresses: [undefined as never],
        practiceRuns: { allowedWindows: ["Wed:08:00-Wed:10:00"], blockedDates: ["2026-10-21"] },
      });
    expect(make).toThrow(InputError);
    expect(make).toThrow(/practice-run window Wed:08:00-Wed:10:00 on 2026-10-21 meets exam final@x/);
  });

  it("refuses autoshift on a cluster without zonal shift and a region without a public ALB", () => {
    expect(
      () =>
        new RegionResilience("r", {
          ...args,
          clusterZonalShift: false,
          practiceRuns: { allowedWindows: ["Mon:00:00-Mon:05:00"], blockedDates: ["2026-10-21"] },
        }),
    ).toThrow(
      /zonal autoshift needs the cluster's zonal shift enabled[\s\S]*at least one public service is needed/,
    );
  });
});

describe("the plan's resilience check", () => {
  // A one-service calendar: an exam on Wednesday 2026-10-21 09:00-12:00 holding capacity above the floor.
  const exam = {
    kind: "exam",
    occurrenceId: "final@2026-10-21T09:00:00.000Z",
    start: Date.parse("2026-10-21T09:00:00Z"),
    end: Date.parse("2026-10-21T12:00:00Z"),
  };
  const schedule = {
    horizon: { from: Date.parse("2026-10-19T00:00:00Z"), to: Date.parse("2026-11-16T00:00:00Z") },
    series: [{ region: "eu-west-2", service: "assessment-engine", windows: [exam] }],
    results: [
      {
        schedule: { minReplicaCount: 3 },
        required: [{ start: exam.start - 3_600_000, end: exam.end, replicas: 9 }],
      },
    ],
  };
  const config = {
    resilience: { autoshift: { enabled: false, examKinds: ["exam"] } },
    regions: [{ region: "eu-west-2" }],
    // No critical service: the disruption-budget coverage (read by the same check) has no span to prove here.
    services: Object.fromEntries(SERVICE_NAMES.map((s) => [s, { tier: "standard" }])),
  };
  const plan = (inputs: Record<string, unknown>, objects: unknown[] = []) =>
    ({
      config,
      platform: { calendar: { schedule } },
      objects: objects.map((object) => ({ region: "eu-west-2", object })),
      resources: [
        {
          type: "aws:arczonalshift/zonalAutoshiftConfiguration:ZonalAutoshiftConfiguration",
          name: "x-autoshift-alb",
          region: "eu-west-2",
          inputs: { zonalAutoshiftStatus: "ENABLED", outcomeAlarms: [{}], ...inputs },
        },
      ],
    }) as unknown as Parameters<typeof analyseResilience>[0];

  it("passes a recorded configuration that keeps runs out of the exam", () => {
    expect(
      analyseResilience(plan({ allowedWindows: ["Wed:13:00-Wed:20:00"], blockedDates: ["2026-10-21"] }))
        .findings,
    ).toEqual([]);
  });

  it("refuses a recorded practice run on an exam day, naming the exam", () => {
    expect(
      analyseResilience(plan({ allowedWindows: ["Wed:13:00-Wed:20:00"], blockedDates: [] })).findings,
    ).toEqual([
      {
        region: "eu-west-2",
        subject: "ZonalAutoshiftConfiguration x-autoshift-alb",
        message: "exam final@2026-10-21T09:00:00.000Z on 2026-10-21 is not a blocked date",
      },
    ]);
  });

  it("refuses a pod template whose PriorityClass is not its tier's, and PriorityClasses out of tier order", () => {
    const deployment = {
      kind: "Deployment",
      metadata: { name: "enrollment", namespace: "e", labels: { tier: "critical" } },
      spec: {
        template: {
          metadata: { labels: { tier: "critical" } },
          spec: { priorityClassName: "semester-batch" },
        },
      },
    };
    const pc = (name: string, value: number, preemptionPolicy: string) => ({
      kind: "PriorityClass",
      metadata: { name },
      value,
      preemptionPolicy,
    });
    const findings = analyseResilience(
      plan({ allowedWindows: ["Wed:13:00-Wed:20:00"], blockedDates: ["2026-10-21"] }, [
        deployment,
        pc("semester-critical", 1000, "PreemptLowerPriority"),
        pc("semester-standard", 10000, "PreemptLowerPriority"),
        pc("semester-batch", 100, "PreemptLowerPriority"),
      ]),
    ).findings.map((f) => `${f.subject}: ${f.message}`);
    expect(findings).toEqual([
      "Deployment e/enrollment: tier critical pods run as priorityClassName semester-batch, expected semester-critical",
      "PriorityClass semester-batch: preemptionPolicy PreemptLowerPriority: only batch must be Never",
      "PriorityClass semester-critical: value 1000 must be above standard's 10000",
    ]);
  });
});
