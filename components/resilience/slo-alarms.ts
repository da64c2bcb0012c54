/**
 * CloudWatch SLO alarms of a region's public ALB, derived from the same objectives and burn-rate windows as the
 * Prometheus SLO rules (observability `resolveObjective`, `BURN_RATE_WINDOWS`, `burnRateFactor`): zonal autoshift
 * outcome alarms and FIS stop conditions must be CloudWatch alarms, not AMP alerts.
 *
 * Granularity: the ALB serves every public service through one listener, so the alarms are ALB-wide, held to the
 * strictest objective of the public services. Metrics (AWS/ApplicationELB, dimension `LoadBalancer` = the ALB's ARN
 * suffix): `HTTPCode_Target_5XX_Count` and `HTTPCode_ELB_5XX_Count` over `RequestCount` (+ ELB 5xx: a request the
 * ALB rejects before choosing a target is not in `RequestCount`), and `TargetResponseTime` percentiles.
 *
 * Per page row (1 h / 5 m at 14.4×, 6 h / 30 m at 6× for a 30-day SLO): a long-window and a short-window alarm and a
 * composite that is in ALARM only when both are, as the Prometheus rule requires both windows. CloudWatch aggregates a
 * period from clock-aligned boundaries, so the long window is the latest complete-or-current period of that length,
 * not a sliding one: it can lag a sliding window by up to one period's alignment, the short window keeps reset fast.
 * `treatMissingData: notBreaching`: a period without requests has no datapoints, and no requests spend no error
 * budget (the same as the Prometheus rules' request floor); a dead ALB shows as ELB 5xx, which are data.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  BURN_RATE_WINDOWS,
  burnRateFactor,
  resolveObjective,
  type BurnRateWindow,
  type Objective,
  type ObservabilityConfig,
} from "../observability";
import { SERVICE_NAMES, type ServicesConfig } from "../kubernetes";
import { InputError } from "../core";

/** The strictest objective of the public services (highest availability, lowest latency, highest target). */
export function strictestPublicObjective(
  services: ServicesConfig,
  config: ObservabilityConfig,
): Objective | undefined {
  const objectives = SERVICE_NAMES.filter((s) => services[s].publicHost !== undefined).map((s) =>
    resolveObjective(config, s, services[s].tier),
  );
  if (objectives.length === 0) return undefined;
  return {
    availability: Math.max(...objectives.map((o) => o.availability)),
    latencyMs: Math.min(...objectives.map((o) => o.latencyMs)),
    latencyTarget: Math.max(...objectives.map((o) => o.latencyTarget)),
  };
}

/** One alarm window of a row. */
export interface AlarmWindowSpec {
  /** `1h`, `5m` ... */
  readonly window: string;
  readonly periodSeconds: number;
  /** Requests the window must have seen for its ratio to count. */
  readonly minRequests: number;
}

/** What one fast-burn row alarms on. Pure data; the component creates exactly these. */
export interface BurnRowSpec {
  /** `1h-5m` */
  readonly id: string;
  readonly factor: number;
  readonly long: AlarmWindowSpec;
  readonly short: AlarmWindowSpec;
  /** Error ratio above which the row burns: factor × (1 − availability). */
  readonly errorRatioThreshold: number;
  /**
   * The latency percentile that exceeds the threshold exactly when more than factor × (1 − latencyTarget) of
   * requests are slower: p(100 × (1 − factor × (1 − latencyTarget))). `undefined` when that share is ≥ 100 %.
   */
  readonly latencyPercentile: string | undefined;
  readonly latencyThresholdSeconds: number;
}

const seconds = (duration: string): number => {
  const m = /^([0-9]+)(m|h|d)$/.exec(duration);
  if (!m) throw new Error(`not a duration: ${duration}`);
  return Number(m[1]) * { m: 60, h: 3600, d: 86400 }[m[2] as "m" | "h" | "d"];
};

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The page rows of the burn-rate table as alarm specs (the fast-burn alerts page; ticket rows do not). Pure. */
export function burnRowSpecs(
  objective: Objective,
  windowDays: number,
  minRequestsPerHour: number,
  windows: readonly BurnRateWindow[] = BURN_RATE_WINDOWS,
): BurnRowSpec[] {
  return windows
    .filter((w) => w.severity === "page")
    .map((w) => {
      const factor = burnRateFactor(w, windowDays);
      const spec = (window: string): AlarmWindowSpec => ({
        window,
        periodSeconds: seconds(window),
        minRequests: Math.ceil((minRequestsPerHour * seconds(window)) / 3600),
      });
      const slowShare = factor * (1 - objective.latencyTarget);
      return {
        id: `${w.long}-${w.short}`,
        factor,
        long: spec(w.long),
        short: spec(w.short),
        errorRatioThreshold: round(factor * (1 - objective.availability), 10),
        latencyPercentile: slowShare < 1 ? `p${round(100 * (1 - slowShare), 2)}` : undefined,
        latencyThresholdSeconds: objective.latencyMs / 1000,
      };
    });
}

export interface RegionSloAlarmsArgs {
  /** The region's AWS provider. */
  readonly provider: aws.Provider;
  /** The public ALB's ARN suffix (`app/<name>/<id>`), the metrics' `LoadBalancer` dimension. */
  readonly loadBalancerArnSuffix: pulumi.Input<string>;
  /** The objective the alarms hold the ALB to (see `strictestPublicObjective`). */
  readonly objective: Objective;
  /** The SLO window in days. @default 30 */
  readonly windowDays?: number;
  /** The request floor per hour below which a window's ratio counts as 0. @default 60 */
  readonly minRequestsPerHour?: number;
  /** Actions of the region composite on ALARM and OK (an SNS topic). @default [] */
  readonly alarmActions?: readonly pulumi.Input<string>[];
  readonly tags?: Readonly<Record<string, string>>;
}

/** The SLO alarms of one region: per fast-burn row an availability and a latency composite, and the region's. */
export class RegionSloAlarms extends pulumi.ComponentResource {
  /** The rows alarmed on. */
  public readonly rows: readonly BurnRowSpec[];
  /** The alarms zonal autoshift ends a practice run on (the region composite). */
  public readonly outcomeAlarmArns: pulumi.Output<string>[];
  /** The region's "SLO fast burn" composite: FIS stop condition. */
  public readonly stopConditionAlarmArn: pulumi.Output<string>;

  constructor(name: string, args: RegionSloAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    const windowDays = args.windowDays ?? 30;
    const minRequestsPerHour = args.minRequestsPerHour ?? 60;
    const rows = burnRowSpecs(args.objective, windowDays, minRequestsPerHour);
    if (rows.length === 0)
      throw new InputError(`RegionSloAlarms ${name}`, [
        {
          path: "windows",
          value: [],
          rule: "at least one page burn-rate row is needed for an outcome alarm",
        },
      ]);
    super("semester:resilience:RegionSloAlarms", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const dimensions = { LoadBalancer: args.loadBalancerArnSuffix };
    const tags = { ...args.tags };
    const elb = (
      id: string,
      metricName: string,
      period: number,
    ): aws.types.input.cloudwatch.MetricAlarmMetricQuery => ({
      id,
      returnData: false,
      metric: { namespace: "AWS/ApplicationELB", metricName, period, stat: "Sum", dimensions },
    });

    const composites: aws.cloudwatch.CompositeAlarm[] = [];
    for (const row of rows) {
      const ratio = (w: AlarmWindowSpec, role: "long" | "short") =>
        new aws.cloudwatch.MetricAlarm(
          `${name}-errors-${row.id}-${role}`,
          {
            alarmDescription: `ALB error ratio over ${w.window} above ${row.factor}x the error budget (${row.errorRatioThreshold})`,
            comparisonOperator: "GreaterThanThreshold",
            threshold: row.errorRatioThreshold,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            treatMissingData: "notBreaching",
            metricQueries: [
              elb("target5xx", "HTTPCode_Target_5XX_Count", w.periodSeconds),
              elb("elb5xx", "HTTPCode_ELB_5XX_Count", w.periodSeconds),
              elb("requests", "RequestCount", w.periodSeconds),
              {
                id: "ratio",
                label: `error ratio ${w.window}`,
                returnData: true,
                // Below the request floor a handful of errors is not a burn (the Prometheus rules' floor).
                expression: `IF((FILL(requests,0)+FILL(elb5xx,0)) >= ${w.minRequests}, (FILL(target5xx,0)+FILL(elb5xx,0))/(FILL(requests,0)+FILL(elb5xx,0)), 0)`,
              },
            ],
            tags,
          },
          child,
        );
      const latency = (w: AlarmWindowSpec, role: "long" | "short") =>
        new aws.cloudwatch.MetricAlarm(
          `${name}-latency-${row.id}-${role}`,
          {
            alarmDescription: `ALB ${row.latencyPercentile} target response time over ${w.window} above ${row.latencyThresholdSeconds} s (${row.factor}x the latency budget)`,
            namespace: "AWS/ApplicationELB",
            metricName: "TargetResponseTime",
            dimensions,
            extendedStatistic: row.latencyPercentile!,
            period: w.periodSeconds,
            comparisonOperator: "GreaterThanThreshold",
            threshold: row.latencyThresholdSeconds,
            evaluationPeriods: 1,
            datapointsToAlarm: 1,
            treatMissingData: "notBreaching",
            tags,
          },
          child,
        );
      const both = (
        kind: "errors" | "latency",
        long: aws.cloudwatch.MetricAlarm,
        short: aws.cloudwatch.MetricAlarm,
      ) =>
        new aws.cloudwatch.CompositeAlarm(
          `${name}-${kind}-${row.id}`,
          {
            alarmName: `${name}-${kind}-${row.id}`,
            alarmDescription: `${kind === "errors" ? "Error" : "Latency"} budget burning ${row.factor}x over ${row.long.window} and ${row.short.window}`,
            alarmRule: pulumi.interpolate`ALARM("${long.arn}") AND ALARM("${short.arn}")`,
            tags,
          },
          child,
        );
      composites.push(both("errors", ratio(row.long, "long"), ratio(row.short, "short")));
      if (row.latencyPercentile !== undefined)
        composites.push(both("latency", latency(row.long, "long"), latency(row.short, "short")));
    }
    const actions = [...(args.alarmActions ?? [])];
    const region = new aws.cloudwatch.CompositeAlarm(
      `${name}-fast-burn`,
      {
        alarmName: `${name}-slo-fast-burn`,
        alarmDescription:
          "Region SLO fast burn: the public ALB spends its error or latency budget at a paging rate",
        alarmRule: pulumi
          .all(composites.map((c) => c.arn))
          .apply((arns) => arns.map((a) => `ALARM("${a}")`).join(" OR ")),
        actionsEnabled: actions.length > 0,
        alarmActions: actions,
        okActions: actions,
        tags,
      },
      child,
    );
    this.rows = rows;
    this.stopConditionAlarmArn = region.arn;
    this.outcomeAlarmArns = [region.arn];
    this.registerOutputs({
      stopConditionAlarmArn: this.stopConditionAlarmArn,
      outcomeAlarmArns: this.outcomeAlarmArns,
    });
  }
}
