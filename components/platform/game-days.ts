/**
 * The platform's GameDays per region: the chaos module's `RegionGameDays` with what it reads from the other layers
 * (the calendar's busy spans and horizon, governance's policy names, the data tier's Aurora writers and Redis group,
 * the region's SLO burn-rate alarm).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { busyIntervals } from "../calendar";
import { RegionGameDays } from "../chaos";
import type { RegionalCluster } from "../cluster";
import type { SemesterConfig } from "../config";
import type { DataTier } from "../data";
import type { CalendarScaling } from "./calendar-scaling";

export interface GameDayInputs {
  readonly config: SemesterConfig;
  readonly cluster: RegionalCluster;
  readonly calendar: CalendarScaling | undefined;
  readonly data: DataTier;
  /** Names of the governance ValidatingPolicies. */
  readonly governancePolicies: readonly string[];
  /** The region's SLO burn-rate alarm. @default a fail-safe stand-in (see `standInStopCondition`) */
  readonly stopConditionAlarmArn?: pulumi.Input<string>;
  /** The region's autoshift practice-run windows (H5's `practiceRunWindows`). @default [] */
  readonly practiceRunWindows?: readonly string[];
}

/** The region's GameDays, or undefined when `semester:gameDays.enabled` is false. */
export function regionGameDays(
  name: string,
  inputs: GameDayInputs,
  parent: pulumi.Resource,
): RegionGameDays | undefined {
  const { config, cluster, calendar, data } = inputs;
  if (!config.gameDays.enabled) return undefined;
  const region = cluster.region;
  const writers =
    (data.postgresPrimaries[region] ?? []).length > 0 ? (data.postgresClusterArns[region] ?? []) : [];
  const redis = data.redisReplicationGroupArns[region];
  return new RegionGameDays(
    name,
    {
      cluster,
      environment: config.environment,
      config: config.gameDays,
      services: config.services,
      stopConditionAlarmArn:
        inputs.stopConditionAlarmArn ?? standInStopCondition(`${name}-stop-condition`, cluster, parent),
      ...(calendar !== undefined
        ? { horizon: calendar.schedule.horizon, busy: busyIntervals(calendar.schedule) }
        : {}),
      practiceRunWindows: inputs.practiceRunWindows ?? [],
      governancePolicies: inputs.governancePolicies,
      auroraClusterArns: writers,
      ...(redis !== undefined ? { redisReplicationGroupArn: redis } : {}),
      tags: { project: "semester", environment: config.environment, ...config.tags },
    },
    { parent },
  );
}

/**
 * Until the resilience layer's `RegionSloAlarms` provides the region's composite SLO fast-burn alarm, an alarm on a
 * metric nothing publishes yet, with missing data treated as breaching: it is in ALARM, so FIS refuses to start any
 * experiment (fail safe). Replace with `stopConditionAlarmArn` from `RegionSloAlarms` when both are merged.
 */
function standInStopCondition(
  name: string,
  cluster: RegionalCluster,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  return new aws.cloudwatch.MetricAlarm(
    name,
    {
      alarmDescription: `SLO fast burn in ${cluster.region} (stand-in: in ALARM until the SLO alarms publish)`,
      namespace: "Semester/SLO",
      metricName: "FastBurn",
      dimensions: { Region: cluster.region },
      statistic: "Maximum",
      period: 60,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "breaching",
    },
    { parent, provider: cluster.awsProvider },
  ).arn;
}
