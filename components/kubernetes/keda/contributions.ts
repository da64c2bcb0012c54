/**
 * What a layer adds to a service's ScaledObject. The service owns the bounds (its `minReplicas`/`maxReplicas`
 * from the stack); every other layer (the calendar's cron triggers today, SLO triggers and rollouts next) adds
 * triggers whose required levels must lie within those bounds. A contribution has no bounds of its own, so it can
 * neither widen `maxReplicaCount` nor raise `minReplicaCount`.
 */
import type { Problem } from "../../core";
import type { KedaTrigger } from "./types";

export interface ScalingContribution {
  /** The layer, for messages (`calendar`). */
  readonly source: string;
  /** Triggers appended after the service's own, in this order. */
  readonly triggers: readonly KedaTrigger[];
}

/**
 * The replicas a trigger requires outright (a cron trigger's `desiredReplicas`); `undefined` for metric triggers,
 * whose level follows load.
 */
export function requiredLevel(trigger: KedaTrigger): number | undefined {
  return trigger.type === "cron" ? Number(trigger.metadata.desiredReplicas) : undefined;
}

/**
 * Problems with the levels contributions require: each must be an integer in 1..maxReplicas (KEDA rejects a cron
 * `desiredReplicas` of 0; above the bound the HPA would silently cap it, hiding a window the stack cannot serve).
 */
export function contributionProblems(
  contributions: readonly ScalingContribution[],
  maxReplicas: number,
): Problem[] {
  return contributions.flatMap((c) =>
    c.triggers.flatMap((t, i): Problem[] => {
      const level = requiredLevel(t);
      if (level === undefined || (Number.isInteger(level) && level >= 1 && level <= maxReplicas)) return [];
      return [
        {
          path: `${c.source}.triggers[${i}]${t.name !== undefined ? ` (${t.name})` : ""}.metadata.desiredReplicas`,
          value: t.metadata.desiredReplicas,
          rule: `must be an integer in 1..${maxReplicas}: the service's maxReplicas bound the ScaledObject and a contribution never widens them`,
          fix: `give ${c.source} the service's bounds (the calendar compiles against the stack's minReplicas/maxReplicas)`,
        },
      ];
    }),
  );
}
