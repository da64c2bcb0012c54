/** The trigger list of one ScaledObject: explicit metric types under a fallback, and the rules KEDA's webhook applies. */
import type { Problem } from "../../core";
import type { KedaTrigger } from "./types";

/** Trigger types KEDA forbids together with a fallback. */
export const NO_FALLBACK_TRIGGER_TYPES: readonly string[] = ["cpu", "memory"];

/**
 * The triggers as emitted: under a fallback every trigger without a metric type gets `AverageValue` (KEDA's
 * webhook requires it), and the problems KEDA would reject: a name used twice, a CPU or memory trigger next to a
 * fallback.
 */
export function resolveTriggers(
  triggers: readonly KedaTrigger[],
  withFallback: boolean,
): { triggers: KedaTrigger[]; problems: Problem[] } {
  const resolved = triggers.map((t): KedaTrigger =>
    withFallback && t.metricType === undefined ? { ...t, metricType: "AverageValue" } : { ...t },
  );
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  resolved.forEach((t, i) => {
    if (t.name === undefined) return;
    const first = seen.get(t.name);
    if (first !== undefined) {
      problems.push({
        path: `triggers[${i}].name`,
        value: t.name,
        rule: `must be unique within the ScaledObject; triggers[${first}] (\`${resolved[first]!.type}\`) has it`,
      });
    } else seen.set(t.name, i);
    if (withFallback && NO_FALLBACK_TRIGGER_TYPES.includes(t.type)) {
      problems.push({
        path: `triggers[${i}].type`,
        value: t.type,
        rule: "must not be cpu or memory on a ScaledObject with a fallback (KEDA rejects it)",
      });
    }
  });
  return { triggers: resolved, problems };
}
