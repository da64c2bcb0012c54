/**
 * The calendar as a layer of the stack's scaling: compiled against the stack's regions, budget and replica bounds,
 * it contributes cron triggers to each service's ScaledObject (`kubernetes/keda`) and nothing else. The Pulumi
 * program and `npm run calendar -- --stack` both take their options and contributions from here.
 */
import * as path from "node:path";
import { App, Chart } from "cdk8s";
import {
  toKedaTriggers,
  compileCalendar,
  type CalendarSchedule,
  type CompileCalendarOptions,
  type CompileResult,
} from "../calendar";
import type { SemesterConfig } from "../config";
import {
  SERVICE_NAMES,
  type ServiceName,
  ServiceScaledObject,
  type ScalingContribution,
  serviceScaling,
  serviceReplicaBounds,
  placeholderScaledObject,
} from "../kubernetes";
import { type KubeObject, DAY_MS } from "../core";
import { bindingNetwork } from "./data-egress";
import { latencyPressureContributions, regionPromql } from "../observability";

/** @internal The calendar's contribution to each region's ScaledObjects. */
export interface CalendarScaling {
  readonly schedule: CalendarSchedule;
  /** Per region and service, the calendar's cron triggers. */
  readonly byRegion: Readonly<Record<string, Partial<Record<ServiceName, ScalingContribution>>>>;
  /** Per region and pre-provisioned service with at least one scale-out, its placeholders' cron triggers. */
  readonly placeholders: Readonly<Record<string, Partial<Record<ServiceName, ScalingContribution>>>>;
}

/** The start of the UTC day containing `instant`: two plans of the same day share their horizon. */
export function startOfUtcDay(instant: number): number {
  return Math.floor(instant / DAY_MS) * DAY_MS;
}

/**
 * What a stack decides about compiling its calendar: its regions (events naming none go to the home region), the
 * region aliases, trigger budget and weekly patterns, and the services' replica bounds with the over-capacity
 * mode. `stackFile` names the stack in over-capacity messages.
 */
export function stackCalendarOptions(
  config: SemesterConfig,
  stackFile: string,
): Pick<
  CompileCalendarOptions,
  | "regions"
  | "defaultRegion"
  | "regionAliases"
  | "budget"
  | "weeklyPatterns"
  | "stack"
  | "preProvision"
  | "forecastQuantile"
  | "forecastQuantileSource"
> {
  const { calendar } = config;
  return {
    ...(calendar.forecastQuantile !== undefined
      ? {
          forecastQuantile: calendar.forecastQuantile,
          forecastQuantileSource: { source: stackFile, path: "semester:calendar.forecastQuantile" },
        }
      : {}),
    preProvision: calendar.preProvision.enabled
      ? SERVICE_NAMES.filter((s) => !calendar.preProvision.exclude.includes(s))
      : [],
    regions: config.regions.map((r) => r.region),
    defaultRegion: config.homeRegion,
    regionAliases: calendar.regionAliases,
    budget: calendar.triggerBudget,
    weeklyPatterns: calendar.weeklyPatterns,
    stack: {
      file: stackFile,
      services: Object.fromEntries(SERVICE_NAMES.map((s) => [s, serviceReplicaBounds(config.services[s])])),
      overCapacity: calendar.overCapacity,
      staticStability: {
        services: SERVICE_NAMES.filter((s) => config.services[s].staticStability),
        zones: Object.fromEntries(config.regions.map((r) => [r.region, r.availabilityZones])),
      },
    },
  };
}

/** @internal One compiled schedule as what it adds to its service's ScaledObject: its cron triggers. */
export function calendarContribution(result: CompileResult): ScalingContribution {
  return { source: "calendar", triggers: toKedaTriggers(result.schedule) };
}

/**
 * @internal A pre-provisioned result's placeholder triggers; undefined without pre-provisioning or without a
 * scale-out in the horizon (KEDA refuses a ScaledObject without triggers).
 */
export function placeholderContribution(result: CompileResult): ScalingContribution | undefined {
  const held = result.preProvision?.schedule;
  return held === undefined || held.triggers.length === 0
    ? undefined
    : { source: "calendar placeholders", triggers: toKedaTriggers(held) };
}

/**
 * Compiles the stack's calendar over its horizon into cron triggers per region and service. Pure (reads two
 * files, creates nothing), so a bad calendar, or a window over capacity with `overCapacity: error`, stops the
 * program before any resource.
 * @internal
 */
export function calendarScaling(
  config: SemesterConfig,
  now: number,
  root: string,
  stackFile: string,
): CalendarScaling {
  const calendar = config.calendar;
  const schedule = compileCalendar({
    // Relative to the working directory, so messages name the file as the user knows it.
    calendarPath: path.relative(process.cwd(), path.resolve(root, calendar.file)),
    profilePath: path.relative(process.cwd(), path.resolve(root, calendar.profile)),
    ...stackCalendarOptions(config, stackFile),
    services: [...SERVICE_NAMES],
    from: now,
    days: calendar.horizonDays,
  });
  const byRegion: Record<string, Partial<Record<ServiceName, ScalingContribution>>> = {};
  const placeholders: Record<string, Partial<Record<ServiceName, ScalingContribution>>> = {};
  for (const result of schedule.results) {
    const { region, service } = result.schedule;
    (byRegion[region] ??= {})[service as ServiceName] = calendarContribution(result);
    const held = placeholderContribution(result);
    if (held !== undefined) (placeholders[region] ??= {})[service as ServiceName] = held;
  }
  return { schedule, byRegion, placeholders };
}

/**
 * The ScaledObjects of a compiled calendar, built by the one construct. For a stack (`config`), each is the
 * service's own exactly as the region's chart builds it (`serviceScaling`: the stack's bounds, the service's
 * triggers with the Kafka lag trigger's broker region from `bindingNetwork`, its fallback, labels and namespace)
 * plus the calendar's triggers, preceded by its node placeholders' (`placeholderScaledObject`) where the calendar
 * pre-provisions it. Without a stack: the calendar's triggers alone, within the profile's bounds, in the namespace
 * the default services run in (`learning`).
 */
export function calendarScaledObjects(
  schedule: CalendarSchedule,
  options: { readonly config?: SemesterConfig } = {},
): KubeObject[] {
  const chart = new Chart(new App(), "calendar", { disableResourceNameHashes: true });
  for (const result of schedule.results) {
    const { region, service } = result.schedule;
    const contributions = [calendarContribution(result)];
    const { config } = options;
    if (config === undefined) {
      new ServiceScaledObject(chart, `${region}-${service}`, {
        service,
        namespace: "learning",
        region,
        minReplicas: result.schedule.minReplicaCount,
        maxReplicas: result.schedule.maxReplicaCount,
        contributions,
        behavior: result.schedule.behavior,
        pollingIntervalSeconds: schedule.timing.kedaPollingSeconds,
      });
      continue;
    }
    // The same triggers as the region's chart: the service's own (its request rate on the region's PromQL
    // endpoint), the calendar's, then the SLO's latency pressure.
    const promql = regionPromql(config.observability, region);
    const pressure =
      promql === undefined
        ? []
        : (latencyPressureContributions(config.services, config.observability, promql)[
            service as ServiceName
          ] ?? []);
    const scaling = serviceScaling({
      name: service as ServiceName,
      config: config.services[service as ServiceName],
      region,
      kafkaRegions: bindingNetwork(config, region).kafkaRegions,
      contributions: [...contributions, ...pressure],
      ...(promql !== undefined ? { promql } : {}),
      // The region's chart renders Rollouts exactly when delivery is on and there is an endpoint to analyse on.
      workloadKind: config.delivery.enabled && promql !== undefined ? "Rollout" : "Deployment",
    });
    const held = placeholderContribution(result);
    if (held !== undefined)
      new ServiceScaledObject(
        chart,
        `${region}-${service}-placeholder`,
        placeholderScaledObject({
          service,
          namespace: scaling.scaledObject.namespace,
          region,
          labels: scaling.scaledObject.labels ?? {},
          contribution: held,
          maxReplicas: scaling.scaledObject.maxReplicas,
        }),
      );
    // The stack's scaling rules ran when it was loaded (config/rules.ts), so the inputs are valid here. The plan
    // lists a service's placeholders first (by object key), so the file does too.
    new ServiceScaledObject(chart, `${region}-${service}`, scaling.scaledObject);
  }
  return chart.toJson() as KubeObject[];
}
