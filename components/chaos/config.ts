/**
 * Stack config section `semester:gameDays`: which chaos experiments exist (the built-in catalogue, overridable
 * key by key, plus a stack's own), where they may run and when they are scheduled. Every experiment states its
 * hypothesis, the SLO it must hold, its fault, its target and its duration; FIS experiments always stop on the
 * region's SLO burn-rate alarm (there is no way to configure an experiment without a stop condition).
 */
import { z } from "zod";
import { SERVICE_NAMES } from "../kubernetes";

/** Faults AWS FIS injects (`aws.fis.ExperimentTemplate`). */
export const FIS_FAULTS = [
  "pod-delete",
  "node-termination",
  "network-latency",
  "az-power-interruption",
] as const;
/**
 * Faults FIS has no action for, run by Chaos Mesh `Schedule`s: HTTP faults on one route (FIS's pod network actions
 * work on addresses and ports, never on an HTTP path or status) and clock skew (FIS has no time fault).
 */
export const CHAOS_MESH_FAULTS = ["http-abort", "http-delay", "time-skew"] as const;
export type FisFault = (typeof FIS_FAULTS)[number];
export type ChaosMeshFault = (typeof CHAOS_MESH_FAULTS)[number];

/** The only stop condition an experiment may have: the region's composite SLO fast-burn alarm. */
export const STOP_CONDITION = "region-slo-burn-rate";

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const serviceName = z.enum(SERVICE_NAMES);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "expected HH:MM (UTC, 24 h)" });

const faultSchema = z.discriminatedUnion("kind", [
  /** Deletes a share of the target's pods (`aws:eks:pod-delete`). */
  z.strictObject({ kind: z.literal("pod-delete"), gracePeriodSeconds: z.int().min(0).max(300).default(0) }),
  /** Terminates a share of the region's Karpenter nodes (`aws:ec2:terminate-instances`). */
  z.strictObject({ kind: z.literal("node-termination") }),
  /** Delays the target's traffic to a service it calls (`aws:eks:pod-network-latency`). */
  z.strictObject({
    kind: z.literal("network-latency"),
    to: serviceName,
    delayMs: z.int().min(1).max(10_000),
    jitterMs: z.int().min(0).max(10_000).default(0),
  }),
  /** One zone loses power: the FIS scenario "AZ Availability: Power Interruption" on Semester's resources. */
  z.strictObject({ kind: z.literal("az-power-interruption"), zone: z.int().min(0).max(3).default(0) }),
  /** Chaos Mesh HTTPChaos: aborts requests to one route of the target. */
  z.strictObject({
    kind: z.literal("http-abort"),
    path: z.string().startsWith("/").default("/*"),
    /** @default the target service's port */
    port: z.int().min(1).max(65_535).optional(),
  }),
  /** Chaos Mesh HTTPChaos: delays responses of one route of the target. */
  z.strictObject({
    kind: z.literal("http-delay"),
    path: z.string().startsWith("/").default("/*"),
    /** @default the target service's port */
    port: z.int().min(1).max(65_535).optional(),
    delayMs: z.int().min(1).max(60_000),
  }),
  /** Chaos Mesh TimeChaos: shifts the target's clock. */
  z.strictObject({ kind: z.literal("time-skew"), offsetSeconds: z.int().min(-86_400).max(86_400) }),
]);

/** One experiment. */
export const experimentSchema = z.strictObject({
  /** Turn one experiment (a built-in, say) off. @default true */
  enabled: z.boolean().default(true),
  /** What the experiment expects to hold, in one sentence. */
  hypothesis: z.string().min(10),
  /** The SLO the experiment must hold: the service's objective (`resolveObjective`) of this kind. */
  slo: z.strictObject({ service: serviceName, objective: z.enum(["availability", "latency"]) }),
  fault: faultSchema,
  /** Whose pods (or, for node and zone faults, the nodes under whose pods) the fault hits, and what share. */
  target: z.strictObject({ service: serviceName, percent: z.int().min(1).max(100) }),
  /** How long the fault lasts. */
  durationMinutes: z.int().min(1).max(120),
  /**
   * What stops it early. Only the region's SLO burn-rate alarm is allowed: an experiment without a stop
   * condition is refused. @default "region-slo-burn-rate"
   */
  stopCondition: z
    .string()
    .default(STOP_CONDITION)
    .refine((v) => v === STOP_CONDITION, {
      message: `an experiment must stop on the region's SLO burn-rate alarm; the only allowed value is "${STOP_CONDITION}"`,
    }),
});
export type ExperimentConfig = z.output<typeof experimentSchema>;
export type ExperimentInput = z.input<typeof experimentSchema>;
export type Fault = ExperimentConfig["fault"];

const scheduleSchema = z
  .strictObject({
    /**
     * Start the experiments on a schedule (EventBridge Scheduler for FIS, `Schedule` cron for Chaos Mesh).
     * @default true in staging, false elsewhere
     */
    enabled: z.boolean().optional(),
    /** Let a prod stack schedule GameDays; without it, `enabled: true` in prod is refused. @default false */
    allowProduction: z.boolean().default(false),
    /** The weekday of the GameDay (UTC); the experiments run one after another that day. @default "Wed" */
    day: z.enum(WEEKDAYS).default("Wed"),
    /**
     * The platform team's working hours (UTC): an experiment starts and ends within them.
     * @default none (any time of the day)
     */
    workingHours: z.strictObject({ start: hhmm, end: hhmm }).optional(),
    /**
     * Free time kept before and after an experiment: nothing busy (a calendar window with its lead and tail, a
     * practice run) may come closer. @default 60
     */
    safetyMarginMinutes: z
      .int()
      .min(0)
      .max(24 * 60)
      .default(60),
  })
  .prefault({});

/** Stack config section `semester:gameDays`. */
export const gameDaysSchema = z
  .strictObject({
    /** FIS experiment templates (and what they need) in every region. @default true */
    enabled: z.boolean().default(true),
    schedule: scheduleSchema,
    chaosMesh: z
      .strictObject({
        /** Install Chaos Mesh and its experiments. @default true in staging, false elsewhere */
        enabled: z.boolean().optional(),
        /** The namespace whose pods Chaos Mesh may target (namespace-scoped mode). @default "learning" */
        targetNamespace: z.string().min(1).default("learning"),
      })
      .prefault({}),
    /** Experiments by name: built-ins are overridden key by key, other names add experiments. @default the catalogue */
    experiments: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,40}$/), experimentSchema).default({}),
  })
  .prefault({});

export type GameDaysConfig = z.output<typeof gameDaysSchema>;
export type GameDaysInput = z.input<typeof gameDaysSchema>;

/** Which engine runs a fault. */
export function engineOf(fault: Fault): "fis" | "chaos-mesh" {
  return (FIS_FAULTS as readonly string[]).includes(fault.kind) ? "fis" : "chaos-mesh";
}

/** @internal */
export const WEEKDAY_INDEX: Readonly<Record<Weekday, number>> = {
  Sun: 0,
  Mon: 1,
  Tue: 2,
  Wed: 3,
  Thu: 4,
  Fri: 5,
  Sat: 6,
};
