/**
 * The action loop's targeted trigger: while a service's latency objective is breached, raise that service's
 * capacity, and only that service's. Pure.
 *
 * The trigger's query is the replicas the service should have: its available replicas times how far its latency
 * quantile is over the threshold, capped at `latencyMaxFactor`. With `AverageValue` and a target of 1 the HPA asks
 * for exactly that many replicas (desired = ceil(value / target)); below the threshold the value is at most the
 * current count, so KEDA's MAX over the triggers leaves the request rate, the calendar floor and the bounds in
 * charge. The cap bounds each poll's step, the ScaledObject's `maxReplicas` and HPA rate limits bound the total,
 * and the query reads only the service's own series, so pressure on one service never scales another. The
 * quantile is the objective's own (99 % within 250 ms: the 0.99 quantile against 0.25 s).
 */
import {
  promqlTrigger,
  regionPromqlTarget,
  SERVICE_NAMES,
  type KedaTrigger,
  type PromqlTarget,
  type ScalingContribution,
  type ServiceName,
  type ServicesConfig,
} from "../kubernetes";
import { availableReplicasQuery, latencyQuantileQuery } from "../telemetry";
import { resolveObjective, type ObservabilityConfig } from "./config";

/** The contribution's source, as messages name it. */
export const LATENCY_PRESSURE_SOURCE = "slo-latency";

/** The replicas a service should have under latency pressure, as PromQL. */
export function latencyPressureQuery(
  service: ServiceName,
  namespace: string,
  quantile: number,
  thresholdSeconds: number,
  maxFactor: number,
): string {
  return `ceil(${availableReplicasQuery(service, namespace)} * clamp(${latencyQuantileQuery(service, quantile, "2m")} / ${thresholdSeconds}, 0, ${maxFactor}))`;
}

/**
 * The latency-pressure trigger of every service that scales on its request rate (the HTTP services: the latency
 * series exist for them), when metrics, SLOs and `actionLoop.latencyMaxFactor` are on.
 */
export function latencyPressureContributions(
  services: ServicesConfig,
  config: ObservabilityConfig,
  promql: PromqlTarget,
): Partial<Record<ServiceName, ScalingContribution[]>> {
  const factor = config.actionLoop.latencyMaxFactor;
  if (!config.metrics.enabled || factor === null) return {};
  const out: Partial<Record<ServiceName, ScalingContribution[]>> = {};
  for (const name of SERVICE_NAMES) {
    const svc = services[name];
    if (svc.scaling.requestRate === undefined) continue;
    const objective = resolveObjective(config, name, svc.tier);
    const trigger: KedaTrigger = promqlTrigger(promql, {
      name: "latency-pressure",
      query: latencyPressureQuery(
        name,
        svc.namespace,
        objective.latencyTarget,
        objective.latencyMs / 1000,
        factor,
      ),
      threshold: 1,
      // An empty result (no traffic, so no latency) is no pressure, not a failure.
      emptyIsZero: true,
    });
    out[name] = [{ source: LATENCY_PRESSURE_SOURCE, triggers: [trigger] }];
  }
  return out;
}

/**
 * How a region's ScaledObjects address its PromQL endpoint, or `undefined` with metrics off: AMP is signed for
 * the region; the in-cluster Prometheus is not. The URL is late-bound (`regionPromqlTarget`); the plan's
 * `RegionWorkloads` binds it to the region's endpoint, `npm run calendar -- --stack` shows the placeholder.
 */
export function regionPromql(config: ObservabilityConfig, region: string): PromqlTarget | undefined {
  if (!config.metrics.enabled) return undefined;
  return regionPromqlTarget(config.profile === "amp" ? region : undefined);
}
