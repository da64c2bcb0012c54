import { z } from "zod";
import { clusterSchema, KARPENTER_MAX_BUDGETS } from "../cluster";
import { dataSchema } from "../data";
import { governanceConfigSchema } from "../governance";
import {
  SERVICE_NAMES,
  DEFAULT_SERVICES_INPUT,
  addonsSchema,
  deliverySchema,
  servicesSchema,
  dnsSchema,
} from "../kubernetes";
import {
  AWS_REGION_NAMES,
  isAwsRegion,
  ENVIRONMENTS,
  DEFAULT_HORIZON_DAYS,
  DEFAULT_HORIZON_CRITICAL_DAYS,
  DEFAULT_HORIZON_WARNING_DAYS,
  DEFAULT_TRIGGER_BUDGET,
  MAX_HORIZON_DAYS,
  MAX_TRIGGER_BUDGET,
  OVER_CAPACITY_MODES,
} from "../core";
import { parseCidr } from "../network";
import { observabilitySchema } from "../observability";
import { resilienceSchema } from "../resilience";
import { meshSchema } from "../mesh";
import { DEFAULT_EXPERIMENTS_INPUT, gameDaysSchema } from "../chaos";

const regionName = z.string().refine(isAwsRegion, {
  message: `expected an AWS region, one of: ${AWS_REGION_NAMES.join(", ")}`,
});

const cidr = z.string().refine((text) => parseCidr(text) !== undefined, {
  message: "expected an IPv4 CIDR with no host bits set, e.g. 10.10.0.0/16",
});

/** @internal */
export const regionSchema = z.strictObject({
  region: regionName,
  /** The region's VPC range: /16 to /20, disjoint from every other region's (for peering and Transit Gateway). */
  vpcCidr: cidr.refine((text) => {
    const prefix = parseCidr(text)?.prefix ?? 0;
    return prefix >= 16 && prefix <= 20;
  }, "expected a VPC range between /16 and /20"),
  /** How many Availability Zones the region's subnets and nodes span. @default 3 */
  availabilityZones: z.number().int().min(1).max(4).default(3),
  /** One NAT gateway per zone (zonal resilience), or a single one to save cost in dev. @default "perZone" */
  natGateways: z.enum(["perZone", "single"]).default("perZone"),
});

export type RegionConfig = z.infer<typeof regionSchema>;

const calendarSchema = z
  .strictObject({
    /** The academic calendar (.ics or .json), relative to the project root. */
    file: z.string().default("stacks/calendar/autumn-term.ics"),
    /**
     * The load profile (JSON), relative to the project root: hand-written, or learned from history by
     * `npm run learn` (then its seasonal baseline adds the forecast load to the calendar's).
     */
    profile: z.string().default("stacks/calendar/profile.json"),
    /**
     * With a learned profile: the quantile of its baseline forecast the schedule provides for (one its
     * `baseline.quantiles` carries). @default - the baseline's highest quantile
     */
    forecastQuantile: z.number().gt(0).lt(1).optional(),
    /** Start of the scheduling horizon (ISO instant); default: the start of the current UTC day. */
    now: z.iso.datetime({ offset: true }).optional(),
    /** Length of the horizon in days; a date-specific cron recurs yearly, so it stays under a year. */
    horizonDays: z.number().int().min(1).max(MAX_HORIZON_DAYS).default(DEFAULT_HORIZON_DAYS),
    /** At most this many cron triggers per ScaledObject. */
    triggerBudget: z.number().int().min(1).max(MAX_TRIGGER_BUDGET).default(DEFAULT_TRIGGER_BUDGET),
    /** Serve a calendar region's windows from a region of this stack, e.g. `{"ap-northeast-1": "eu-west-2"}`. */
    regionAliases: z.record(z.string(), regionName).default({}),
    /**
     * Let the compiler emit weekly (day-of-week) triggers where they cost fewer replica-minutes: a timetable's
     * lecture slot becomes one trigger. They recur after the horizon until the next refresh. @default false
     */
    weeklyPatterns: z.boolean().default(false),
    /**
     * A window that needs more replicas than a service's `maxReplicas` (the stack's bounds, never the profile's,
     * bound every ScaledObject): "warn" caps the schedule there and reports the window in the plan's warnings and
     * capacity-plan.json; "error" stops the program before any resource exists, naming the window and
     * `semester:services.<svc>.maxReplicas`. @default "warn"
     */
    overCapacity: z.enum(OVER_CAPACITY_MODES).default("warn"),
    /**
     * Karpenter disruption budgets of `nodes: "0"` (every reason) over each region's critical spans (the critical
     * services' windows with lead and tail), appended to every NodePool of the region (cluster/karpenter).
     */
    disruptionBudgets: z
      .strictObject({
        /** @default true */
        enabled: z.boolean().default(true),
        /** The most budgets the calendar adds to a NodePool; the smallest gaps are bridged to fit. @default 20 */
        maxBudgets: z
          .number()
          .int()
          .min(1)
          .max(KARPENTER_MAX_BUDGETS - 1)
          .default(20),
        /**
         * Each budget starts this long before its span, so a disruption Karpenter began just before it (replacement
         * launched, node drained) is over when the span begins. @default 15
         */
        settleMinutes: z.number().int().min(0).max(240).default(15),
      })
      .prefault({}),
    /**
     * The alert before the compiled horizon runs out (observability `calendar-horizon.ts`): a `ticket` alert
     * `warningDays` and a `page` alert `criticalDays` before its end, unless a refresh moves it first. Evaluated by
     * the region's metrics store, so it needs `semester:observability.metrics`.
     */
    horizonAlert: z
      .strictObject({
        /** @default true */
        enabled: z.boolean().default(true),
        /** Days before the horizon end the ticket fires. @default - 7, or horizonDays − 1 for a shorter horizon */
        warningDays: z.number().int().min(0).max(MAX_HORIZON_DAYS).optional(),
        /** Days before the horizon end the page fires. @default - 1, or warningDays when that is less */
        criticalDays: z.number().int().min(0).max(MAX_HORIZON_DAYS).optional(),
      })
      .prefault({}),
    /**
     * Pre-provision nodes (components/calendar/compile/pre-provision.ts): before each scale-out of a service, its
     * node placeholders (pause pods below every priority) make Karpenter launch the nodes, so the service's lead
     * needs no node launch. `enabled` @default true (with calendar scaling); `exclude` services keep the long
     * lead and get no placeholders, @default [].
     */
    preProvision: z
      .strictObject({
        enabled: z.boolean().default(true),
        exclude: z.array(z.enum(SERVICE_NAMES)).default([]),
      })
      .prefault({}),
    /** Turn calendar-driven scaling off. */
    enabled: z.boolean().default(true),
  })
  .superRefine((calendar, ctx) => {
    const { enabled, warningDays, criticalDays } = calendar.horizonAlert;
    if (!enabled) return;
    // A lead as long as the horizon fires right after every refresh; the page must come after the ticket.
    if (warningDays !== undefined && warningDays >= calendar.horizonDays)
      ctx.addIssue({
        code: "custom",
        path: ["horizonAlert", "warningDays"],
        input: warningDays,
        message: `must be less than horizonDays (${calendar.horizonDays}), or the alert fires right after each refresh`,
      });
    const warning = resolvedWarningDays(warningDays, calendar.horizonDays);
    if (criticalDays !== undefined && criticalDays >= warning)
      ctx.addIssue({
        code: "custom",
        path: ["horizonAlert", "criticalDays"],
        input: criticalDays,
        message: `must be less than horizonAlert.warningDays (${warning}), so the page follows the ticket`,
      });
  })
  .transform((calendar) => {
    // The leads resolved once: a short horizon shortens the defaults rather than refusing them.
    const warningDays = resolvedWarningDays(calendar.horizonAlert.warningDays, calendar.horizonDays);
    const criticalDays =
      calendar.horizonAlert.criticalDays ?? Math.min(DEFAULT_HORIZON_CRITICAL_DAYS, warningDays);
    return {
      ...calendar,
      horizonAlert: { enabled: calendar.horizonAlert.enabled, warningDays, criticalDays },
    };
  })
  .prefault({});

/** The ticket's lead: as given, else the default, shortened to less than the horizon. */
function resolvedWarningDays(given: number | undefined, horizonDays: number): number {
  return given ?? Math.min(DEFAULT_HORIZON_WARNING_DAYS, horizonDays - 1);
}

/**
 * The whole `semester:` namespace of a stack file. Rules across keys live in `rules.ts`, applied by the loader
 * to whatever parts parsed, so one message lists every problem.
 * @internal
 */
export const semesterConfigSchema = z.strictObject({
  environment: z.enum(ENVIRONMENTS),
  /** The region that holds the write primaries (Aurora writers, Redis primary). */
  homeRegion: regionName,
  regions: z.array(regionSchema).min(1),
  cluster: clusterSchema,
  /** Tags on every AWS resource (the provider's default tags). */
  tags: z.record(z.string(), z.string()).default({}),
  calendar: calendarSchema,
  /** The learning services: images, tiers, sizes, scaling (components/kubernetes/config.ts). */
  services: z.preprocess((input) => overDefaults(DEFAULT_SERVICES_INPUT, input ?? {}), servicesSchema),
  /** Cluster add-ons: pinned Helm chart versions and values. */
  addons: addonsSchema.prefault({}),
  /** The data tier: Kafka, Redis, sharded Postgres (components/data/config.ts). */
  data: dataSchema.prefault({}),
  /** Kyverno and CrossGuard rules (components/governance/config.ts). */
  governance: governanceConfigSchema.prefault({}),
  /**
   * Global traffic: the public Route 53 zone ExternalDNS writes latency records into (components/kubernetes/dns.ts).
   * @default none (no ExternalDNS, no latency records)
   */
  dns: dnsSchema.optional(),
  /** Metrics, traces, logs, SLOs, alerts, dashboards and the scaling they drive (components/observability/config.ts). */
  observability: observabilitySchema,
  /** Zonal autoshift, SLO outcome alarms, practice runs and blast zones (components/resilience/config.ts). */
  resilience: resilienceSchema,
  /** The service mesh: Istio sidecars, mTLS, authorization, circuit breakers, timeouts, retries (components/mesh/config.ts). */
  mesh: meshSchema,
  /** Progressive delivery: Argo Rollouts, canary steps, SLO analysis (components/kubernetes/delivery/config.ts). */
  delivery: deliverySchema,
  /**
   * Chaos GameDays: FIS experiment templates in every region, Chaos Mesh and scheduled runs in staging only by
   * default (components/chaos/config.ts); `experiments` merge over the built-in catalogue key by key.
   */
  gameDays: z.preprocess(
    (input) => overDefaults({ experiments: DEFAULT_EXPERIMENTS_INPUT }, input ?? {}),
    gameDaysSchema,
  ),
});

export type SemesterConfig = z.infer<typeof semesterConfigSchema>;

/**
 * A stack gives only what differs from the defaults (`services.enrollment.image.tag: 1.9.4`): objects merge
 * key by key, anything else (lists, values) replaces. Input that is not an object is left for the schema to refuse.
 * @internal
 */
export function overDefaults(defaults: unknown, input: unknown): unknown {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObject(defaults) || !isObject(input)) return input;
  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(input))
    merged[key] = key in defaults ? overDefaults(defaults[key], value) : value;
  return merged;
}
