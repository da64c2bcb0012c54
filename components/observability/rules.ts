/**
 * The rules of `semester:observability` that involve other keys, defined once: the stack config loader calls them
 * with the stack path, and `Observability` checks its own arguments with them. Pure.
 */
import { joinPath, type Problem } from "../core";
import type { ServicesConfig } from "../kubernetes";
import type { ObservabilityConfig } from "./config";
import { managedCollectorIntervalProblems } from "./metrics/scrape-config";
import { objectiveProblems } from "./slo/objectives";

/** Every cross-key problem of the observability settings; `prefix` is where they sit (`semester:observability`). */
export function observabilityProblems(
  config: ObservabilityConfig,
  services: ServicesConfig,
  prefix: string,
): Problem[] {
  const problems: Problem[] = [...objectiveProblems(config, services, prefix)];
  const metricsOff = !config.metrics.enabled;
  const needsMetrics = (part: string, on: boolean, why: string) => {
    if (metricsOff && on) {
      problems.push({
        path: joinPath(prefix, [part, "enabled"]),
        value: true,
        rule: `${why}, and \`metrics.enabled\` is false`,
        fix: `turn metrics on, or set ${part}.enabled to false`,
      });
    }
  };
  if (config.metrics.enabled && config.profile === "amp") {
    problems.push(
      ...managedCollectorIntervalProblems(
        config.metrics.scrapeIntervalSeconds,
        joinPath(prefix, ["metrics", "scrapeIntervalSeconds"]),
      ),
    );
  }
  needsMetrics("slo", config.slo.enabled, "SLO rules are evaluated on the metrics store");
  needsMetrics("dashboards", config.dashboards.enabled, "dashboards read the metrics store");
  return problems;
}
