/**
 * The rule an objective must follow to be measurable: its latency threshold is a bucket boundary of the OTel
 * HTTP duration histogram, since the slow ratio reads the `le` bucket at the threshold (an `le` between
 * boundaries does not exist, and interpolating one would make the SLI an estimate). Pure.
 */
import type { Problem } from "../../core";
import { SERVICE_NAMES, type ServiceName, type ServicesConfig } from "../../kubernetes";
import { HTTP_DURATION_BUCKETS_SECONDS } from "../../telemetry";
import { resolveObjective, type ObservabilityConfig } from "../config";

/** The boundaries in whole milliseconds (microsecond rounding keeps 0.075 s = 75 ms exact). */
const BOUNDARIES_MS: readonly number[] = HTTP_DURATION_BUCKETS_SECONDS.map((s) => Math.round(s * 1e6) / 1e3);

/** @internal The bucket boundary (seconds, as the histogram's `le` label writes it) at `latencyMs`, if there is one. */
export function latencyBucketSeconds(latencyMs: number): number | undefined {
  const i = BOUNDARIES_MS.findIndex((b) => Math.round(b * 1e3) === Math.round(latencyMs * 1e3));
  return i < 0 ? undefined : HTTP_DURATION_BUCKETS_SECONDS[i];
}

/** The boundaries next to `latencyMs` (one or two), for the fix. */
function nearest(latencyMs: number): number[] {
  const below = BOUNDARIES_MS.filter((b) => b < latencyMs).at(-1);
  const above = BOUNDARIES_MS.find((b) => b > latencyMs);
  return [below, above].filter((b): b is number => b !== undefined);
}

function problem(path: string, latencyMs: number): Problem {
  return {
    path,
    value: latencyMs,
    rule:
      "must be a bucket boundary of the OTel HTTP duration histogram (ms): " +
      `${BOUNDARIES_MS.join(", ")}; the slow ratio reads the \`le\` bucket at the threshold`,
    fix: `use ${nearest(latencyMs).join(" or ")}`,
  };
}

/**
 * Every latency threshold of the stack that is not a bucket boundary: one problem at the key that sets it
 * (`<prefix>.slo.services.<svc>.latencyMs`, else `<prefix>.slo.tiers.<tier>.latencyMs` once per tier). The
 * defaults are boundaries, so a problem always names a key the stack wrote.
 */
export function objectiveProblems(
  config: ObservabilityConfig,
  services: ServicesConfig,
  prefix: string = "semester:observability",
): Problem[] {
  const problems: Problem[] = [];
  const reportedTiers = new Set<string>();
  for (const service of SERVICE_NAMES as readonly ServiceName[]) {
    const tier = services[service].tier;
    const { latencyMs } = resolveObjective(config, service, tier);
    if (latencyBucketSeconds(latencyMs) !== undefined) continue;
    if (config.slo.services[service]?.latencyMs !== undefined) {
      problems.push(problem(`${prefix}.slo.services.${service}.latencyMs`, latencyMs));
    } else if (!reportedTiers.has(tier)) {
      reportedTiers.add(tier);
      problems.push(problem(`${prefix}.slo.tiers.${tier}.latencyMs`, latencyMs));
    }
  }
  return problems;
}
