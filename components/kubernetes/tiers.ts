/**
 * HA defaults per availability tier, in one place. `LearningService` resolves them once; every value can be
 * overridden per service through its props.
 */
import type { ServiceConfig, Tier } from "./config";

export interface TierDefaults {
  /** Lowest replica count the tier allows; a service's `minReplicas` is raised to it. */
  readonly replicaFloor: number;
  /** PodDisruptionBudget `maxUnavailable`. */
  readonly maxUnavailable: number;
  /** Topology spread `whenUnsatisfiable` across zones. */
  readonly zoneSpread: "DoNotSchedule" | "ScheduleAnyway";
  /** Name of the tier's PriorityClass. */
  readonly priorityClassName: string;
  /** PriorityClass value (higher schedules first, preempts lower). */
  readonly priority: number;
}

export const TIER_DEFAULTS: Readonly<Record<Tier, TierDefaults>> = {
  critical: {
    replicaFloor: 3,
    maxUnavailable: 1,
    zoneSpread: "DoNotSchedule",
    priorityClassName: "semester-critical",
    priority: 100000,
  },
  standard: {
    replicaFloor: 2,
    maxUnavailable: 1,
    zoneSpread: "ScheduleAnyway",
    priorityClassName: "semester-standard",
    priority: 10000,
  },
  batch: {
    replicaFloor: 1,
    maxUnavailable: 1,
    zoneSpread: "ScheduleAnyway",
    priorityClassName: "semester-batch",
    priority: 1000,
  },
};

/** Label keys used on every object Semester emits into a cluster. */
export const LABELS = {
  service: "semester.dev/service",
  region: "semester.dev/region",
  pool: "semester.dev/pool",
  team: "team",
  tier: "tier",
  name: "app.kubernetes.io/name",
  partOf: "app.kubernetes.io/part-of",
  managedBy: "app.kubernetes.io/managed-by",
} as const;

/**
 * A service's replica bounds as the stack sets them: `minReplicas` raised to the tier's floor, `maxReplicas` at
 * least that. The Deployment starts at the lower bound and its ScaledObject keeps within both; the calendar
 * compiles against them and never widens them.
 */
export function serviceReplicaBounds(config: Pick<ServiceConfig, "tier" | "minReplicas" | "maxReplicas">): {
  readonly minReplicas: number;
  readonly maxReplicas: number;
} {
  const minReplicas = Math.max(config.minReplicas, TIER_DEFAULTS[config.tier].replicaFloor);
  return { minReplicas, maxReplicas: Math.max(config.maxReplicas, minReplicas) };
}

/** The labels on every object of a service: its selector, Semester's ownership, its region, team and tier. */
export function serviceLabels(
  name: string,
  config: Pick<ServiceConfig, "team" | "tier">,
  region: string,
): Readonly<Record<string, string>> {
  return {
    [LABELS.name]: name,
    [LABELS.service]: name,
    [LABELS.partOf]: "semester",
    [LABELS.managedBy]: "semester",
    [LABELS.region]: region,
    [LABELS.team]: config.team,
    [LABELS.tier]: config.tier,
  };
}
