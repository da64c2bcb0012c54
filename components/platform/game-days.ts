/**
 * The platform's GameDays per region: the chaos module's `RegionGameDays` with what it reads from the other layers
 * (the calendar's busy spans and horizon, governance's policy names, the data tier's Aurora writers and Redis group,
 * the region's SLO burn-rate alarm and practice-run windows from resilience).
 */
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
  /** What the GameDays' Kubernetes objects wait for (the region's workload objects). @default [] */
  readonly objectsDependOn?: readonly pulumi.Input<pulumi.Resource>[];
  /**
   * The region's SLO fast-burn alarm (resilience `RegionSloAlarms`). Without it `RegionGameDays` refuses every FIS
   * experiment; the stack rules require it wherever GameDays are on. @default none
   */
  readonly stopConditionAlarmArn?: pulumi.Input<string>;
  /** The region's autoshift practice-run windows (resilience `practiceRunWindows`). @default [] */
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
      stopConditionAlarmArn: inputs.stopConditionAlarmArn,
      ...(calendar !== undefined
        ? { horizon: calendar.schedule.horizon, busy: busyIntervals(calendar.schedule) }
        : {}),
      practiceRunWindows: inputs.practiceRunWindows ?? [],
      governancePolicies: inputs.governancePolicies,
      auroraClusterArns: writers,
      ...(redis !== undefined ? { redisReplicationGroupArn: redis } : {}),
      tags: { project: "semester", environment: config.environment, ...config.tags },
      ...(inputs.objectsDependOn !== undefined ? { objectsDependOn: inputs.objectsDependOn } : {}),
    },
    { parent },
  );
}
