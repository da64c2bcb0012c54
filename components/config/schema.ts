import { z } from "zod";
import { clusterSchema } from "../cluster";
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
    /** The load profile (JSON), relative to the project root. */
    profile: z.string().default("stacks/calendar/profile.json"),
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
  .prefault({});

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
