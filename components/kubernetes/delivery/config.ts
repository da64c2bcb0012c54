/**
 * `semester:delivery`: how the learning services roll out (Argo Rollouts). Strict schema; every default is
 * documented here and only here, and every one can be overridden (`enabled: false` goes back to plain
 * Deployments).
 */
import { z } from "zod";
import { SERVICE_NAMES, TIERS } from "../config";

/** The two strategies a Rollout can take. */
export const DELIVERY_KINDS = { canary: "canary", blueGreen: "blueGreen" } as const;
export type DeliveryKind = keyof typeof DELIVERY_KINDS;

/** A Go duration Argo accepts for `pause.duration` and analysis intervals: `30s`, `5m`, `1h`. */
const duration = z
  .string()
  .regex(/^[1-9][0-9]*(s|m|h)$/, "must be a duration like `30s`, `5m` or `1h` (a whole number of s, m or h)");

/** One canary step: shift traffic, wait, or run the service's SLO analysis. */
const stepSchema = z.union([
  z.strictObject({ setWeight: z.int().min(1).max(100) }),
  z.strictObject({ pause: z.strictObject({ duration }) }),
  z.strictObject({ analysis: z.literal(true) }),
]);
export type CanaryStep = z.infer<typeof stepSchema>;

/**
 * @default 10 % for 2 minutes, analysis, 25 %, analysis, 50 %, analysis, then full promotion. Each analysis runs
 * `analysis.count` measurements `analysis.interval` apart on the canary pods' own series.
 */
export const DEFAULT_CANARY_STEPS: readonly CanaryStep[] = [
  { setWeight: 10 },
  { pause: { duration: "2m" } },
  { analysis: true },
  { setWeight: 25 },
  { analysis: true },
  { setWeight: 50 },
  { analysis: true },
];

const analysisSchema = z
  .strictObject({
    /** Time between two measurements. @default "1m" */
    interval: duration.default("1m"),
    /** Measurements per analysis step (and per blue-green pre-promotion analysis). @default 5 */
    count: z.int().min(1).max(60).default(5),
    /** Failed measurements tolerated before the analysis fails and the rollout aborts. @default 1 */
    failureLimit: z.int().min(0).max(10).default(1),
    /** Inconclusive measurements tolerated before the rollout pauses for a human. @default 2 */
    inconclusiveLimit: z.int().min(0).max(10).default(2),
    /**
     * Requests the canary must have served in a measurement's window for the measurement to count; fewer make it
     * inconclusive (an idle canary proves nothing), never a pass. @default 100
     */
    minRequests: z.int().min(1).default(100),
    /**
     * The canary fails when it burns its error budget (or its latency budget) this many times faster than the SLO
     * allows: error ratio above `maxBurnRate × (1 − availability)`, or the share of requests within the latency
     * threshold below `1 − maxBurnRate × (1 − latencyTarget)`. @default 10
     */
    maxBurnRate: z.number().min(1).max(100).default(10),
    /** The PromQL range each measurement reads (the canary's recent requests). @default "2m" */
    window: duration.default("2m"),
  })
  .prefault({});

const controllerSchema = z
  .strictObject({
    /** Helm repository of the controller chart. @default "https://argoproj.github.io/argo-helm" */
    repository: z.url().default("https://argoproj.github.io/argo-helm"),
    /** @default "argo-rollouts" */
    chart: z.string().default("argo-rollouts"),
    /** Exact chart version (chart 2.41.0 = Argo Rollouts v1.9.0). @default "2.41.0" */
    version: z
      .string()
      .regex(/^[0-9]+\.[0-9]+\.[0-9]+$/, "must be an exact chart version like `2.41.0`")
      .default("2.41.0"),
    /** @default "argo-rollouts" */
    namespace: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
      .default("argo-rollouts"),
    /** Values deep-merged over Semester's HA defaults (see `controller.ts`). @default {} */
    values: z.record(z.string(), z.unknown()).default({}),
  })
  .prefault({});

/** The delivery section of a stack. */
export const deliverySchema = z
  .strictObject({
    /** Roll the services out as Argo Rollouts; `false` keeps plain Deployments (no analysis, no rollback). @default true */
    enabled: z.boolean().default(true),
    /** Strategy per tier. @default canary for every tier */
    tiers: z.partialRecord(z.enum(TIERS), z.enum(DELIVERY_KINDS)).default({}),
    /** Strategy per service, over its tier's. @default {} */
    services: z.partialRecord(z.enum(SERVICE_NAMES), z.enum(DELIVERY_KINDS)).default({}),
    /** The canary steps. @default DEFAULT_CANARY_STEPS */
    steps: z
      .array(stepSchema)
      .min(1)
      .default(() => [...DEFAULT_CANARY_STEPS]),
    analysis: analysisSchema,
    /**
     * Seconds the previous ReplicaSet stays up after a promotion (Argo's default is 30): long enough for the mesh
     * to stop routing to it and for an immediate manual undo to be instant. @default 60
     */
    scaleDownDelaySeconds: z.int().min(0).max(3600).default(60),
    /**
     * Seconds the aborted canary (or preview) stays up after an abort: 0 would keep it forever; a short delay
     * leaves time to read its logs, then frees the capacity. @default 60
     */
    abortScaleDownDelaySeconds: z.int().min(1).max(3600).default(60),
    controller: controllerSchema,
  })
  .prefault({});

export type DeliveryConfig = z.infer<typeof deliverySchema>;
export type DeliveryAnalysisConfig = DeliveryConfig["analysis"];

/** The parsed defaults. */
export const DEFAULT_DELIVERY: DeliveryConfig = deliverySchema.parse({});
