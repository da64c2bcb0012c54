/**
 * The dashboard of one region: every service's load, errors, p95 and replicas side by side, and its SLO burn
 * rates. Burn rates are computed from the raw histogram (the telemetry builders), not from the SLO recording
 * rules, so this dashboard reads the same series whether or not `slo` is enabled. Pure.
 */
import type { ServiceName } from "../../kubernetes";
import type { Environment } from "../../core";
import {
  availableReplicasQuery,
  fastRequestRateQuery,
  latencyQuantileQuery,
  requestRateQuery,
  scheduledReplicasQuery,
} from "../../telemetry";
import type { Objective } from "../config";
import type { Dashboard } from "../types";
import { dashboardModel, type Query } from "./model";
import { errorRatioQuery } from "./service";

/** @internal */
export interface RegionService {
  readonly service: ServiceName;
  readonly namespace: string;
  readonly objective: Objective;
}

/** @internal */
export interface RegionDashboardArgs {
  readonly services: readonly RegionService[];
  readonly region: string;
  readonly environment: Environment;
  /** The burn-rate window. @default "1h" (the fast-burn page window of the SRE workbook) */
  readonly burnWindow?: string;
}

/** @internal */
export const REGION_DASHBOARD_UID = "region-overview";

/** @internal How fast the availability budget burns over `range`: the error ratio over the budget ratio (1 = on budget). */
export function availabilityBurnQuery(service: string, availability: number, range: string): string {
  return `(${errorRatioQuery(service, range)}) / ${budget(availability)}`;
}

/** @internal How fast the latency budget burns: the share slower than the threshold over the allowed share. */
export function latencyBurnQuery(service: string, objective: Objective, range: string): string {
  const fast = fastRequestRateQuery(service, objective.latencyMs / 1000, range);
  return `(1 - ${fast} / ${requestRateQuery(service, range)}) / ${budget(objective.latencyTarget)}`;
}

function budget(target: number): string {
  return String(Number((1 - target).toPrecision(6)));
}

/** @internal */
export function regionDashboard(args: RegionDashboardArgs): Dashboard {
  const window = args.burnWindow ?? "1h";
  const each = (f: (s: RegionService) => string, suffix = ""): Query[] =>
    args.services.map((s) => ({ expr: f(s), legend: `${s.service}${suffix}` }));
  const model = dashboardModel({
    uid: REGION_DASHBOARD_UID,
    title: `Region ${args.region} (${args.environment})`,
    description: `Every learning service in ${args.region} side by side, and how fast each burns its error budgets.`,
    tags: ["semester", "region", args.environment, args.region],
    sections: [
      {
        title: "Services",
        panels: [
          { title: "Request rate", unit: "reqps", queries: each((s) => requestRateQuery(s.service, "2m")) },
          {
            title: "Error ratio (5xx)",
            unit: "percentunit",
            queries: each((s) => errorRatioQuery(s.service, "5m")),
          },
          {
            title: "Request duration p95",
            unit: "s",
            queries: each((s) => latencyQuantileQuery(s.service, 0.95, "5m")),
          },
          {
            title: "Replicas: available / scheduled",
            unit: "short",
            queries: args.services.flatMap((s) => [
              { expr: availableReplicasQuery(s.service, s.namespace), legend: `${s.service} available` },
              { expr: scheduledReplicasQuery(s.service, s.namespace), legend: `${s.service} scheduled` },
            ]),
          },
        ],
      },
      {
        title: `SLO burn rate over ${window} (1 = spending the budget exactly over the SLO window)`,
        panels: [
          {
            title: `Availability burn rate (${window})`,
            unit: "short",
            threshold: 14.4,
            queries: each((s) => availabilityBurnQuery(s.service, s.objective.availability, window)),
          },
          {
            title: `Latency burn rate (${window})`,
            unit: "short",
            threshold: 14.4,
            queries: each((s) => latencyBurnQuery(s.service, s.objective, window)),
          },
        ],
      },
    ],
  });
  return {
    file: `${REGION_DASHBOARD_UID}.json`,
    uid: REGION_DASHBOARD_UID,
    title: model.title as string,
    model,
  };
}
