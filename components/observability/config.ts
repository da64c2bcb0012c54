/**
 * `semester:observability`: metrics, traces, logs, SLOs, alerts, dashboards and the scaling they drive, per
 * region, default on. Every part can be turned off on its own; `profile` chooses where metrics live. Defaults
 * live here and only here. Schemas are strict: a misspelt key is an error.
 */
import { z } from "zod";
import { SERVICE_NAMES, TIERS, type ServiceName, type Tier } from "../kubernetes";

/** Where the PromQL store, its rules and its alerting run. */
export const OBSERVABILITY_PROFILES = {
  /**
   * Amazon Managed Service for Prometheus per region (KMS-encrypted, logged) fed by the AMP managed collector
   * (cluster metrics) and the OpenTelemetry Collector (application metrics, remote write with SigV4); rules and
   * alerts in AMP, alerts to SNS; Grafana in the cluster reads AMP with SigV4.
   */
  amp: "amp",
  /**
   * kube-prometheus-stack in each cluster (Prometheus, Alertmanager, Grafana): for stacks that cannot use AMP,
   * such as a local cluster. Rules are PrometheusRule objects; alerts go to the same SNS topics.
   */
  inCluster: "in-cluster",
} as const;
export type ObservabilityProfile = (typeof OBSERVABILITY_PROFILES)[keyof typeof OBSERVABILITY_PROFILES];

/** Languages the OpenTelemetry Operator auto-instruments by annotation (one `Instrumentation` each). */
export const INSTRUMENTED_LANGUAGES = ["java", "nodejs", "python", "dotnet", "go"] as const;
export type InstrumentedLanguage = (typeof INSTRUMENTED_LANGUAGES)[number];

/** An SLO: the share of requests that succeed, and the share answered within a latency threshold. */
const objectiveSchema = z.strictObject({
  /** Share of requests that do not fail with a 5xx, e.g. 0.9995. */
  availability: z.number().gt(0.9).lt(1),
  /** The latency threshold in ms; must be a bucket boundary of the duration histogram (see telemetry). */
  latencyMs: z.number().positive(),
  /** Share of requests answered within `latencyMs`, e.g. 0.99. */
  latencyTarget: z.number().gt(0.5).lt(1),
});
export type Objective = z.infer<typeof objectiveSchema>;

/**
 * Per-tier objectives over a 30-day window.
 * - critical (catalog, assessments, enrollment): 99.95 % succeed (21.6 min of errors a month: an exam day's
 *   failed submissions must stay in the tens, not hundreds) and 99 % within 250 ms (the OTel default bucket next
 *   to the 300 ms a page-fragment budget allows; a threshold off a bucket boundary cannot be measured exactly).
 * - standard: 99.9 % and 99 % within 500 ms (profile, tutor: a slower answer is tolerable, an error less so).
 * - batch: 99 % and 95 % within 1 s (analytics: retried and asynchronous).
 */
export const DEFAULT_OBJECTIVES: Readonly<Record<Tier, Objective>> = {
  critical: { availability: 0.9995, latencyMs: 250, latencyTarget: 0.99 },
  standard: { availability: 0.999, latencyMs: 500, latencyTarget: 0.99 },
  batch: { availability: 0.99, latencyMs: 1000, latencyTarget: 0.95 },
};

const sloSchema = z
  .strictObject({
    /** Generate SLO recording rules and burn-rate alerts. @default true */
    enabled: z.boolean().default(true),
    /** The SLO window in days. @default 30 */
    windowDays: z.int().min(7).max(90).default(30),
    /** Objectives per tier, each replacing the default of its tier key by key. @default DEFAULT_OBJECTIVES */
    tiers: z.partialRecord(z.enum(TIERS), objectiveSchema.partial()).default({}),
    /** Objectives per service, over its tier's. @default {} */
    services: z.partialRecord(z.enum(SERVICE_NAMES), objectiveSchema.partial()).default({}),
    /**
     * A burn-rate alert fires only when its long window saw at least this many requests per hour: at night a
     * handful of requests makes one error a 100 % error ratio. @default 60 (one a minute)
     */
    minRequestsPerHour: z.int().min(0).default(60),
  })
  .prefault({});

const alertsSchema = z
  .strictObject({
    /** Route alerts to SNS (one `page` and one `ticket` topic per region). @default true */
    enabled: z.boolean().default(true),
    /** Subscriptions of the `page` topic (`https://...` or `email:...`). @default [] */
    page: z.array(z.string().min(1)).default([]),
    /** Subscriptions of the `ticket` topic. @default [] */
    ticket: z.array(z.string().min(1)).default([]),
  })
  .prefault({});

const metricsSchema = z
  .strictObject({
    /** The metrics pipeline (the PromQL endpoint everything else reads). @default true */
    enabled: z.boolean().default(true),
    /** Scrape interval of the managed collector (or Prometheus), seconds. @default 30 */
    scrapeIntervalSeconds: z.int().min(10).max(300).default(30),
  })
  .prefault({});

const tracesSchema = z
  .strictObject({
    /** The OpenTelemetry Operator, collectors and auto-instrumentation. @default true */
    enabled: z.boolean().default(true),
    /** Tail sampling keeps every trace with an error and every trace slower than this. @default 1000 */
    slowTraceMs: z.int().positive().default(1000),
    /** Share of the other traces kept, percent. @default 10 */
    baselinePercent: z.number().min(0).max(100).default(10),
  })
  .prefault({});

const logsSchema = z
  .strictObject({
    /** Ship container logs to CloudWatch Logs with Fluent Bit. @default true */
    enabled: z.boolean().default(true),
    /** Retention of the log groups, days (a CloudWatch Logs retention value). @default 30 */
    retentionDays: z
      .union([
        z.literal(1),
        z.literal(3),
        z.literal(5),
        z.literal(7),
        z.literal(14),
        z.literal(30),
        z.literal(60),
        z.literal(90),
        z.literal(120),
        z.literal(150),
        z.literal(180),
        z.literal(365),
        z.literal(400),
        z.literal(545),
        z.literal(731),
        z.literal(1096),
        z.literal(1827),
        z.literal(2192),
        z.literal(2557),
        z.literal(2922),
        z.literal(3288),
        z.literal(3653),
      ])
      .default(30),
  })
  .prefault({});

const dashboardsSchema = z
  .strictObject({
    /** Grafana with the service, region and platform dashboards. @default true */
    enabled: z.boolean().default(true),
  })
  .prefault({});

const actionLoopSchema = z
  .strictObject({
    /**
     * Raise a service's capacity while its latency exceeds its objective, by at most this factor of its available
     * replicas per KEDA poll (within its maxReplicas). `null` turns the latency trigger off. @default 1.5
     */
    latencyMaxFactor: z.number().gt(1).max(3).nullable().default(1.5),
  })
  .prefault({});

export const observabilitySchema = z
  .strictObject({
    /** Where metrics, rules and alerting run. @default "amp" */
    profile: z.enum(OBSERVABILITY_PROFILES).default("amp"),
    metrics: metricsSchema,
    traces: tracesSchema,
    logs: logsSchema,
    slo: sloSchema,
    alerts: alertsSchema,
    dashboards: dashboardsSchema,
    actionLoop: actionLoopSchema,
    /** The language each service's runtime is written in, for auto-instrumentation. @default DEFAULT_LANGUAGES */
    languages: z.partialRecord(z.enum(SERVICE_NAMES), z.enum(INSTRUMENTED_LANGUAGES)).default({}),
  })
  .prefault({});
export type ObservabilityConfig = z.infer<typeof observabilitySchema>;

/** The runtime of each default service (the images in DEFAULT_SERVICES). */
export const DEFAULT_LANGUAGES: Readonly<Record<ServiceName, InstrumentedLanguage>> = {
  "course-catalog": "java",
  "assessment-engine": "java",
  enrollment: "java",
  "learner-profile": "nodejs",
  analytics: "python",
  "ai-tutor": "python",
};

/** The parsed defaults. */
export const DEFAULT_OBSERVABILITY: ObservabilityConfig = observabilitySchema.parse(undefined);

/** The objective of a service: its tier's default, the stack's tier override, then its own override. */
export function resolveObjective(config: ObservabilityConfig, service: ServiceName, tier: Tier): Objective {
  return { ...DEFAULT_OBJECTIVES[tier], ...config.slo.tiers[tier], ...config.slo.services[service] };
}

/** The language of a service. */
export function serviceLanguage(config: ObservabilityConfig, service: ServiceName): InstrumentedLanguage {
  return config.languages[service] ?? DEFAULT_LANGUAGES[service];
}
