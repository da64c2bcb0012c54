/**
 * SLOs as code: per service, recording rules of its SLIs over every window the burn-rate alerts read, and the
 * multi-window multi-burn-rate alerts themselves, one rule group per service. Pure.
 *
 * SLIs (both ratios of bad to all requests, from the OTel HTTP server duration histogram):
 * - availability: 5xx responses / all responses;
 * - latency: 1 − requests answered within the threshold (the `le` bucket at it) / all requests.
 * A window without requests has no ratio (0/0 is NaN, which compares false): no alert, no false zero.
 */
import { throwIfProblems, type Environment } from "../../core";
import { SERVICE_NAMES, type ServiceName, type ServicesConfig, type Tier } from "../../kubernetes";
import { errorRateQuery, fastRequestRateQuery, requestRateQuery } from "../../telemetry";
import { resolveObjective, type ObservabilityConfig, type Objective } from "../config";
import type { AlertingRule, RecordingRule, RuleGroup } from "../types";
import { BURN_RATE_WINDOWS, SLI_WINDOWS, burnRateFactor, type BurnRateWindow } from "./burn-rate";
import { latencyBucketSeconds, objectiveProblems } from "./objectives";

/** @internal The two SLIs of every service. */
export const SLO_KINDS = { availability: "availability", latency: "latency" } as const;
/** @internal */
export type SloKind = keyof typeof SLO_KINDS;

/** @internal Names of the recorded SLIs, `level:metric:operations` (Prometheus's recording rule naming convention). */
export const SLI_RECORDS = {
  /** Share of requests that failed with a 5xx over `window`. */
  errorRatio: (window: string) => `service:sli_errors:ratio_rate${window}`,
  /** Share of requests slower than the latency threshold over `window`. */
  slowRatio: (window: string) => `service:sli_slow:ratio_rate${window}`,
  /** Requests per second over `window`. */
  requestRate: (window: string) => `service:sli_requests:rate${window}`,
} as const;

/** @internal The labels every recorded SLI carries. */
export const SLI_LABELS = { service: "service", tier: "tier" } as const;

/** @internal Rule groups are evaluated every minute: the 5 m short window then sees five evaluations. */
export const SLO_EVALUATION_INTERVAL = "1m";

export interface SloRuleInput {
  readonly services: ServicesConfig;
  readonly config: ObservabilityConfig;
  /** The region whose store evaluates the rules (label `region` of every alert). */
  readonly region: string;
  readonly environment: Environment;
}

/** @internal The name of a service's rule group. */
export function sloGroupName(service: ServiceName): string {
  return `slo-${service}`;
}

/**
 * One rule group per service: 21 recording rules (error ratio, slow ratio and request rate over each of
 * `SLI_WINDOWS`) then 8 alerts (both SLIs × `BURN_RATE_WINDOWS`). Rules of a group run in order, so each alert
 * reads the recordings of the same evaluation. `[]` when `slo.enabled` is false. Throws an `InputError` when a
 * latency threshold is not a bucket boundary (`objectiveProblems`).
 */
export function sloRuleGroups(input: SloRuleInput): RuleGroup[] {
  const { services, config } = input;
  if (!config.slo.enabled) return [];
  throwIfProblems("semester:observability.slo", objectiveProblems(config, services));
  return (SERVICE_NAMES as readonly ServiceName[]).map((service) => {
    const tier = services[service].tier;
    const objective = resolveObjective(config, service, tier);
    return {
      name: sloGroupName(service),
      interval: SLO_EVALUATION_INTERVAL,
      rules: [
        ...recordingRules(service, tier, objective),
        ...alertingRules({ ...input, service, tier, objective }),
      ],
    };
  });
}

function recordingRules(service: ServiceName, tier: Tier, objective: Objective): RecordingRule[] {
  const le = latencyBucketSeconds(objective.latencyMs) as number; // validated by objectiveProblems
  const labels = { [SLI_LABELS.service]: service, [SLI_LABELS.tier]: tier };
  return SLI_WINDOWS.flatMap((w) => [
    {
      record: SLI_RECORDS.errorRatio(w),
      // No 5xx series yet is zero errors, not a missing ratio; no requests at all stays missing.
      expr: `(${errorRateQuery(service, w)} or vector(0)) / ${requestRateQuery(service, w)}`,
      labels,
    },
    {
      record: SLI_RECORDS.slowRatio(w),
      expr: `1 - (${fastRequestRateQuery(service, le, w)} / ${requestRateQuery(service, w)})`,
      labels,
    },
    { record: SLI_RECORDS.requestRate(w), expr: requestRateQuery(service, w), labels },
  ]);
}

interface AlertContext extends SloRuleInput {
  readonly service: ServiceName;
  readonly tier: Tier;
  readonly objective: Objective;
}

/** @internal Alert names per SLI. */
export const SLO_ALERT_NAMES: Readonly<Record<SloKind, string>> = {
  availability: "AvailabilityBudgetBurn",
  latency: "LatencyBudgetBurn",
};

function alertingRules(ctx: AlertContext): AlertingRule[] {
  return (Object.keys(SLO_KINDS) as SloKind[]).flatMap((slo) =>
    BURN_RATE_WINDOWS.map((w) => burnRateAlert(ctx, slo, w)),
  );
}

/** The objective an SLI is held to (share of good requests). */
function target(objective: Objective, slo: SloKind): number {
  switch (slo) {
    case "availability":
      return objective.availability;
    case "latency":
      return objective.latencyTarget;
    default: {
      const never: never = slo;
      return never;
    }
  }
}

/** `0.72 %`: four significant digits, no float noise. */
function percent(share: number): string {
  return `${Number((share * 100).toPrecision(4))} %`;
}

/** @internal
 * The threshold a bad-request ratio is compared with, as PromQL text: `factor × (1 − objective)` written out, so
 * the expression states the budget it enforces and Prometheus computes it.
 */
export function burnRateThreshold(factor: number, objective: number): string {
  return `(${factor} * (1 - ${objective}))`;
}

/**
 * The low-traffic guard, ANDed into every alert: the long window must have seen at least `minRequestsPerHour`
 * requests per hour. On a quiet night a handful of requests turns one failure into a 100 % error ratio, which
 * any burn-rate threshold would page on. A minimum count was chosen over a traffic-aware factor (scaling the
 * threshold by expected traffic): the guard is one term a reader can check against the config, it needs no
 * traffic forecast, and an alert that does fire still means exactly `factor` × the budget. What it gives up —
 * paging on a night-time outage of a service that almost nobody is using — is what the ticket rows (1 d, 3 d)
 * catch once the errors add up. `minRequestsPerHour: 0` turns the guard off.
 */
function lowTrafficGuard(service: ServiceName, w: BurnRateWindow, minRequestsPerHour: number): string {
  return `${SLI_RECORDS.requestRate(w.long)}{service="${service}"} * 3600 >= ${minRequestsPerHour}`;
}

function burnRateAlert(ctx: AlertContext, slo: SloKind, w: BurnRateWindow): AlertingRule {
  const { service, tier, objective, config, region, environment } = ctx;
  const goal = target(objective, slo);
  const factor = burnRateFactor(w, config.slo.windowDays);
  const threshold = burnRateThreshold(factor, goal);
  const record = slo === "availability" ? SLI_RECORDS.errorRatio : SLI_RECORDS.slowRatio;
  const sel = `{service="${service}"}`;
  const terms = [`${record(w.long)}${sel} > ${threshold}`, `${record(w.short)}${sel} > ${threshold}`];
  const min = config.slo.minRequestsPerHour;
  if (min > 0) terms.push(lowTrafficGuard(service, w, min));
  const window = `${w.long}/${w.short}`;
  const bad = slo === "availability" ? "failed with a 5xx" : `took longer than ${objective.latencyMs} ms`;
  const stated =
    slo === "availability"
      ? `${percent(goal)} of requests succeed`
      : `${percent(goal)} of requests within ${objective.latencyMs} ms`;
  return {
    alert: SLO_ALERT_NAMES[slo],
    expr: terms.join(" and "),
    for: w.for,
    labels: { severity: w.severity, service, tier, slo, region, window },
    annotations: {
      summary: `${service} burns its ${slo} error budget ${factor}× as fast as the SLO allows (${window})`,
      description:
        `More than ${percent(factor * (1 - goal))} of ${service}'s requests in ${region} (${environment}) ` +
        `${bad} over the last ${w.long} and ${w.short} (${w.long}: {{ $value | humanizePercentage }}). ` +
        `Objective: ${stated} over ${config.slo.windowDays} days; at this rate ${w.budgetPercent} % of the ` +
        `error budget is spent every ${w.long}.`,
    },
  };
}
