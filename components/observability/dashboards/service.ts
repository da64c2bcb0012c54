/**
 * The dashboard of one service in one region: the calendar checked against reality. Load (request rate), errors
 * against the availability objective, duration quantiles against the latency objective, saturation against
 * requests, and replicas scheduled vs available vs the calendar's level, with the calendar's windows as
 * annotations. Pure.
 */
import type { ServiceConfig, ServiceName } from "../../kubernetes";
import type { Environment } from "../../core";
import {
  availableReplicasQuery,
  errorRateQuery,
  latencyQuantileQuery,
  requestRateQuery,
  scheduledReplicasQuery,
} from "../../telemetry";
import type { Objective } from "../config";
import type { Dashboard } from "../types";
import { dashboardModel } from "./model";
import {
  calendarLevelQuery,
  calendarWindowsQuery,
  cpuSaturationQuery,
  memorySaturationQuery,
} from "./queries";

/** @internal */
export interface ServiceDashboardArgs {
  readonly service: ServiceName;
  readonly config: ServiceConfig;
  /** The service's SLO (drawn as thresholds). */
  readonly objective: Objective;
  readonly region: string;
  readonly environment: Environment;
}

/** @internal `service-<name>`: the uid and file stem of a service's dashboard. */
export function serviceDashboardUid(service: ServiceName): string {
  return `service-${service}`;
}

/** @internal The error ratio over `range`: 5xx per second over requests per second. */
export function errorRatioQuery(service: string, range: string): string {
  return `${errorRateQuery(service, range)} / ${requestRateQuery(service, range)}`;
}

/** @internal */
export function serviceDashboard(args: ServiceDashboardArgs): Dashboard {
  const { service, objective } = args;
  const ns = args.config.namespace;
  const uid = serviceDashboardUid(service);
  const model = dashboardModel({
    uid,
    title: `${service} (${args.region}, ${args.environment})`,
    description: `Load, errors, duration, saturation and replicas of ${service} against its objectives and the academic calendar.`,
    tags: ["semester", "service", args.environment, args.region, `tier:${args.config.tier}`],
    annotations: [
      {
        name: "Calendar windows",
        expr: calendarWindowsQuery(service, ns),
        titleFormat: "Calendar window {{scaler}}",
        textFormat: `The calendar's cron trigger {{scaler}} of ScaledObject ${ns}/${service} is active`,
        tagKeys: "scaler",
        iconColor: "purple",
      },
    ],
    sections: [
      {
        title: "Load and errors",
        panels: [
          {
            title: "Request rate",
            unit: "reqps",
            queries: [{ expr: requestRateQuery(service, "2m"), legend: "requests/s" }],
          },
          {
            title: "Error ratio (5xx)",
            description: `Objective: ${objective.availability * 100} % of requests succeed (red line: the error budget ratio).`,
            unit: "percentunit",
            threshold: round(1 - objective.availability),
            queries: [{ expr: errorRatioQuery(service, "5m"), legend: "5xx / requests" }],
          },
        ],
      },
      {
        title: "Duration",
        panels: [
          {
            title: "Request duration p50 / p95 / p99",
            description: `Objective: ${objective.latencyTarget * 100} % of requests within ${objective.latencyMs} ms (red line).`,
            unit: "s",
            threshold: objective.latencyMs / 1000,
            width: 24,
            queries: [0.5, 0.95, 0.99].map((q) => ({
              expr: latencyQuantileQuery(service, q, "5m"),
              legend: `p${Math.round(q * 100)}`,
            })),
          },
        ],
      },
      {
        title: "Saturation and replicas",
        panels: [
          {
            title: "Saturation (usage / requests)",
            description: `Requests per pod: ${args.config.requests.cpu} CPU, ${args.config.requests.memory} memory.`,
            unit: "percentunit",
            threshold: 1,
            queries: [
              { expr: cpuSaturationQuery(service, ns), legend: "CPU" },
              { expr: memorySaturationQuery(service, ns), legend: "memory" },
            ],
          },
          {
            title: "Replicas: scheduled, available, calendar",
            description:
              "Scheduled: what the HPA asked for; available: what serves; calendar: the level of the active cron trigger (0 between windows).",
            unit: "short",
            queries: [
              { expr: scheduledReplicasQuery(service, ns), legend: "scheduled" },
              { expr: availableReplicasQuery(service, ns), legend: "available" },
              { expr: calendarLevelQuery(service, ns), legend: "calendar" },
            ],
          },
        ],
      },
    ],
  });
  return { file: `${uid}.json`, uid, title: model.title as string, model };
}

/** 1 - 0.9995 is 0.000499999...; thresholds are shown, so round to the objective's precision. */
function round(x: number): number {
  return Number(x.toPrecision(6));
}
