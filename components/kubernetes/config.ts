/**
 * Stack-config sections of the Kubernetes layer: `semester:services` (the six learning services) and
 * `semester:addons` (the Helm add-ons of every regional cluster). Schemas are strict: a misspelt key is an error.
 * Defaults live here and only here; `DEFAULT_SERVICES` and `DEFAULT_ADDONS` let a stack omit either section.
 */
import { z } from "zod";

/** The bounded contexts of the platform. */

/** The data access modes: which CQRS binding a service receives (see `data-access.ts`). */
export const DATA_ACCESS = { write: "write", read: "read", none: "none" } as const;
export type DataAccess = keyof typeof DATA_ACCESS;

export const SERVICE_NAMES = [
  "course-catalog",
  "assessment-engine",
  "enrollment",
  "learner-profile",
  "analytics",
  "ai-tutor",
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Availability tiers. Each decides replicas floor, spread, PDB and PriorityClass (see `tiers.ts`). */
export const TIERS = { critical: "critical", standard: "standard", batch: "batch" } as const;
export type Tier = keyof typeof TIERS;

const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS label (lowercase letters, digits, '-')")
  .max(63);

/** A Kubernetes CPU quantity in millicores or cores, for example `250m` or `2`. */
const cpuQuantity = z
  .string()
  .regex(/^([0-9]+m|[0-9]+(\.[0-9]+)?)$/, "must be a CPU quantity like `250m` or `2`");
/** A Kubernetes memory quantity with a binary suffix, for example `512Mi` or `2Gi`. */
const memoryQuantity = z
  .string()
  .regex(/^[0-9]+(Ki|Mi|Gi|Ti)$/, "must be a memory quantity like `512Mi` or `2Gi`");

const resourcePair = z.strictObject({ cpu: cpuQuantity, memory: memoryQuantity });

/** An image tag that cannot move: anything except `latest` (case-insensitive). */
const immutableTag = z
  .string()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "must be a valid image tag")
  .refine(
    (t) => t.toLowerCase() !== "latest",
    "`latest` moves; pin an immutable tag like `1.4.2` or a digest",
  );

const imageSchema = z
  .strictObject({
    /** Registry and repository, without tag or digest, for example `public.ecr.aws/semester/course-catalog`. */
    repository: z
      .string()
      .regex(/^[a-z0-9.-]+(:[0-9]+)?\/[a-z0-9._/-]+$/, "must be `registry/repository` without a tag"),
    /** An immutable tag. Exactly one of `tag` and `digest`. */
    tag: immutableTag.optional(),
    /** A content digest, `sha256:<64 hex>`. Exactly one of `tag` and `digest`. */
    digest: z
      .string()
      .regex(/^sha256:[a-f0-9]{64}$/, "must be `sha256:` and 64 hex digits")
      .optional(),
  })
  .refine((i) => (i.tag === undefined) !== (i.digest === undefined), {
    message: "set exactly one of `tag` and `digest`",
  });

const kafkaScalingSchema = z.strictObject({
  /** Topic whose consumer-group lag drives scaling. */
  topic: z.string().min(1),
  /** Consumer group of the service. */
  consumerGroup: z.string().min(1),
  /** Lag per replica that KEDA aims for. @default 100 */
  lagThreshold: z.int().positive().default(100),
});

const prometheusScalingSchema = z.strictObject({
  /** Prometheus (or AMP) query URL, for example `http://prometheus.monitoring.svc:9090`. */
  serverAddress: z.url(),
  /** A PromQL query returning the service's request rate. */
  query: z.string().min(1),
  /** Requests per second one replica should serve. */
  threshold: z.number().positive(),
});

const requestRateSchema = z.strictObject({
  /**
   * HTTP requests per second one replica serves within its latency objective. KEDA scales the service to
   * `request rate / perReplica`, read from the platform's PromQL endpoint (`semester:observability.metrics`).
   */
  perReplica: z.number().positive(),
});

const scalingSchema = z.strictObject({
  /** Target average CPU utilisation (% of requests); `null` turns the CPU trigger off. @default 70 */
  cpuUtilization: z.int().min(1).max(100).nullable().default(70),
  /** Target average memory utilisation (% of requests); `null` turns the memory trigger off. @default null */
  memoryUtilization: z.int().min(1).max(100).nullable().default(null),
  /** Request-rate trigger from Prometheus. @default none */
  prometheus: prometheusScalingSchema.optional(),
  /**
   * Request-rate trigger on the platform's PromQL endpoint (the OTel-instrumented HTTP server duration
   * histogram, SigV4 through KEDA's Pod Identity with AMP). Needs `semester:observability.metrics`. @default none
   */
  requestRate: requestRateSchema.optional(),
  /** Kafka consumer-lag trigger (MSK, IAM auth through pod identity). @default none */
  kafka: kafkaScalingSchema.optional(),
  /**
   * Replicas KEDA holds when a scaler keeps failing. KEDA only accepts a fallback when no trigger is CPU/memory,
   * so it is emitted only then. @default the service's `minReplicas`
   */
  fallbackReplicas: z.int().positive().optional(),
});

const awsAccessSchema = z.strictObject({
  /** Managed IAM policies for the service's role. @default [] */
  managedPolicyArns: z
    .array(z.string().regex(/^arn:aws[a-z-]*:iam::(aws|[0-9]{12}):policy\/.+$/))
    .default([]),
  /** An inline IAM policy document (JSON text). @default none */
  inlinePolicy: z.string().min(2).optional(),
});

/** One learning service. */
export const serviceSchema = z
  .strictObject({
    image: imageSchema,
    /** Availability tier. */
    tier: z.enum(TIERS),
    /** Owning team (label `team`). */
    team: dnsLabel,
    /** Namespace the service runs in. */
    namespace: dnsLabel,
    /** Container port serving HTTP (and the probes). @default 8080 */
    port: z.int().min(1024).max(65535).default(8080),
    requests: resourcePair,
    limits: resourcePair,
    /** Lower bound of replicas (KEDA `minReplicaCount`); raised to the tier's floor if lower. */
    minReplicas: z.int().min(1),
    /** Upper bound of replicas (KEDA `maxReplicaCount`). */
    maxReplicas: z.int().min(1),
    /** Public host name; when set, an ALB Ingress routes it to the service. @default none (internal only) */
    publicHost: z
      .string()
      .regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, "must be a fully qualified host name")
      .optional(),
    /** Other services this one calls over HTTP (NetworkPolicy allows exactly these). @default [] */
    calls: z.array(z.enum(SERVICE_NAMES)).default([]),
    /**
     * Further TCP ports the service reaches inside its VPC, for stores outside its data binding. The binding's own
     * stores (`dataAccess`) are allowed per endpoint, to their subnets and port, without listing them here. @default []
     */
    dataPorts: z.array(z.int().min(1).max(65535)).default([]),
    /** AWS access through EKS Pod Identity. @default none */
    aws: awsAccessSchema.optional(),
    /**
     * CQRS data access: `write` gets the write binding (ConfigMap `semester-data-write`: home-region Postgres
     * writers, Kafka bootstrap servers and topic names), `read` the read binding (`semester-data-read`: local
     * Postgres readers, local Redis), `none` neither. A service that scales on Kafka lag without literal brokers
     * needs `write` or `read` (KEDA reads the brokers from the binding). See `data-access.ts`.
     * @default - per service, `DEFAULT_DATA_ACCESS`
     */
    dataAccess: z.enum(DATA_ACCESS).optional(),
    /** Dedicated node pool: nodeSelector and toleration `semester.dev/pool=<pool>`. @default none (shared nodes) */
    nodePool: dnsLabel.optional(),
    /**
     * Static stability: during calendar windows (lead and tail included) the calendar schedules
     * ceil(need x Z / (Z - 1)) replicas over the region's Z zones and the pods spread with `maxSkew: 1`,
     * `whenUnsatisfiable: DoNotSchedule`, `minDomains: Z`, so losing any one zone leaves the need Ready without
     * waiting for new nodes. Needs `semester:regions[].availabilityZones` >= 2.
     * @default - true for tier `critical`, false otherwise (`DEFAULT_STATIC_STABILITY`)
     */
    staticStability: z.boolean().optional(),
    scaling: scalingSchema.default(scalingSchema.parse({})),
  })
  .refine((s) => s.minReplicas <= s.maxReplicas, {
    message: "`minReplicas` must not exceed `maxReplicas`",
    path: ["minReplicas"],
  });

/** A parsed service, its per-service defaults resolved (by `servicesSchema`). */
export type ServiceConfig = Omit<z.infer<typeof serviceSchema>, "dataAccess" | "staticStability"> & {
  readonly dataAccess: DataAccess;
  readonly staticStability: boolean;
};
export type ServiceConfigInput = z.input<typeof serviceSchema>;

/** Data access of each service when its config does not set `dataAccess`: commands write, queries read. */
export const DEFAULT_DATA_ACCESS: Readonly<Record<ServiceName, DataAccess>> = {
  "assessment-engine": "write",
  enrollment: "write",
  "learner-profile": "write",
  "course-catalog": "read",
  analytics: "read",
  "ai-tutor": "read",
};

/** Static stability of a service whose config does not set it: critical services survive a zone loss. */
export const DEFAULT_STATIC_STABILITY: Readonly<Record<Tier, boolean>> = {
  critical: true,
  standard: false,
  batch: false,
};

const img = (name: string, tag: string) => ({ repository: `public.ecr.aws/semester/${name}`, tag });
const res = (cpu: string, memory: string) => ({ cpu, memory });

/** The six services with realistic defaults, so a stack may omit `semester:services`. */
export const DEFAULT_SERVICES_INPUT: Readonly<Record<ServiceName, ServiceConfigInput>> = {
  "course-catalog": {
    image: img("course-catalog", "1.4.2"),
    tier: "critical",
    team: "catalog",
    namespace: "learning",
    requests: res("250m", "512Mi"),
    limits: res("1", "1Gi"),
    minReplicas: 3,
    maxReplicas: 30,
    publicHost: "catalog.semester.dev",
    // Cached reads: 50 requests/s per 250m replica keeps p99 under the critical 250 ms objective.
    scaling: { cpuUtilization: null, requestRate: { perReplica: 50 } },
  },
  "assessment-engine": {
    image: img("assessment-engine", "2.1.0"),
    tier: "critical",
    team: "assessment",
    namespace: "learning",
    requests: res("500m", "1Gi"),
    limits: res("2", "2Gi"),
    minReplicas: 3,
    maxReplicas: 40,
    publicHost: "assessments.semester.dev",
    calls: ["learner-profile"],
    // Every submission is a write: 20 requests/s per 500m replica.
    scaling: { cpuUtilization: null, requestRate: { perReplica: 20 } },
  },
  enrollment: {
    image: img("enrollment", "1.9.3"),
    tier: "critical",
    team: "enrollment",
    namespace: "learning",
    requests: res("250m", "512Mi"),
    limits: res("1", "1Gi"),
    minReplicas: 3,
    maxReplicas: 24,
    calls: ["course-catalog", "learner-profile"],
    // No own AWS policy: its data-access policy grants consuming its scaling topic as its own consumer groups.
    scaling: {
      cpuUtilization: null,
      kafka: { topic: "enrollment-events", consumerGroup: "enrollment", lagThreshold: 50 },
    },
  },
  "learner-profile": {
    image: img("learner-profile", "3.0.4"),
    tier: "standard",
    team: "profile",
    namespace: "learning",
    requests: res("250m", "512Mi"),
    limits: res("1", "1Gi"),
    minReplicas: 2,
    maxReplicas: 20,
    scaling: { cpuUtilization: null, requestRate: { perReplica: 40 } },
  },
  analytics: {
    image: img("analytics", "0.12.1"),
    tier: "batch",
    team: "insights",
    namespace: "learning",
    requests: res("500m", "1Gi"),
    limits: res("2", "4Gi"),
    minReplicas: 1,
    maxReplicas: 12,
    // No own AWS policy: its read binding's data-access policy grants reading the catalog topics as a group.
    scaling: {
      cpuUtilization: null,
      kafka: { topic: "learner-activity", consumerGroup: "analytics", lagThreshold: 1000 },
    },
  },
  "ai-tutor": {
    image: img("ai-tutor", "0.8.0"),
    tier: "standard",
    team: "ai",
    namespace: "ai-tutor",
    requests: res("2", "4Gi"),
    limits: res("4", "8Gi"),
    minReplicas: 2,
    maxReplicas: 16,
    publicHost: "tutor.semester.dev",
    calls: ["course-catalog", "learner-profile"],
    nodePool: "ai",
    aws: { managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonBedrockLimitedAccess"] },
    scaling: { cpuUtilization: 60 },
  },
};

/**
 * `semester:services`: every one of the six services, each fully specified (or taken from the defaults).
 * Per-service defaults (`dataAccess`, `staticStability`) are resolved here, so a parsed `ServicesConfig` has no gaps.
 */
export const servicesSchema = z
  .strictObject(
    Object.fromEntries(SERVICE_NAMES.map((n) => [n, serviceSchema])) as Record<
      ServiceName,
      typeof serviceSchema
    >,
  )
  .superRefine((services, ctx) => {
    for (const name of SERVICE_NAMES) {
      for (const callee of services[name].calls) {
        if (callee === name) {
          ctx.addIssue({ code: "custom", path: [name, "calls"], message: `a service cannot call itself` });
        }
      }
    }
  })
  .transform(
    (services) =>
      Object.fromEntries(
        SERVICE_NAMES.map((n) => [
          n,
          {
            ...services[n],
            dataAccess: services[n].dataAccess ?? DEFAULT_DATA_ACCESS[n],
            staticStability: services[n].staticStability ?? DEFAULT_STATIC_STABILITY[services[n].tier],
          },
        ]),
      ) as Record<ServiceName, ServiceConfig>,
  );
export type ServicesConfig = z.infer<typeof servicesSchema>;

/**
 * The services that call `name` (those whose `calls` list it), in `SERVICE_NAMES` order: the one source of both the
 * NetworkPolicy ingress allows and the mesh's AuthorizationPolicy principals, so the two never disagree.
 */
export function serviceCallers(name: ServiceName, services: ServicesConfig): ServiceName[] {
  return SERVICE_NAMES.filter((other) => services[other].calls.includes(name));
}

/** @internal A service's Kafka consumer groups are named after it (`<service>` or `<service>-...`); IAM grants only those. */
export function ownsConsumerGroup(service: ServiceName, group: string): boolean {
  return group === service || group.startsWith(`${service}-`);
}

/** The parsed default services. */
export const DEFAULT_SERVICES: ServicesConfig = servicesSchema.parse(DEFAULT_SERVICES_INPUT);

const valuesSchema = z.record(z.string(), z.unknown());

const addonSchema = (repository: string, chart: string, version: string, namespace: string) =>
  z.strictObject({
    /** Helm repository URL. */
    repository: z.url().default(repository),
    /** Chart name in the repository. */
    chart: z.string().default(chart),
    /** Exact chart version (no ranges). */
    version: z
      .string()
      .regex(/^[0-9]+\.[0-9]+\.[0-9]+$/, "must be an exact chart version like `2.20.2`")
      .default(version),
    /** Namespace the release installs into. */
    namespace: dnsLabel.default(namespace),
    /** Values deep-merged over Semester's HA defaults (see `addons.ts`). @default {} */
    values: valuesSchema.default({}),
  });

/**
 * Chart versions (verified, see components/kubernetes/README.md):
 * KEDA chart 2.20.2 = KEDA 2.20.2; Kyverno chart 3.9.0 = Kyverno v1.19.0 (serves policies.kyverno.io/v1
 * ValidatingPolicy); metrics-server chart 3.13.1 = metrics-server 0.8.1; aws-load-balancer-controller chart
 * 3.5.0 = controller v3.5.0; external-dns chart 1.19.0 = ExternalDNS v0.19.0 (kubernetes-sigs/external-dns PR
 * #5819 "feat(chart): Release for v0.19.0"; installed only when `semester:dns` is set, see `dns.ts`).
 */
export const addonsSchema = z.strictObject({
  keda: addonSchema("https://kedacore.github.io/charts", "keda", "2.20.2", "keda").default(() =>
    addonSchema("https://kedacore.github.io/charts", "keda", "2.20.2", "keda").parse({}),
  ),
  kyverno: addonSchema("https://kyverno.github.io/kyverno", "kyverno", "3.9.0", "kyverno").default(() =>
    addonSchema("https://kyverno.github.io/kyverno", "kyverno", "3.9.0", "kyverno").parse({}),
  ),
  metricsServer: addonSchema(
    "https://kubernetes-sigs.github.io/metrics-server",
    "metrics-server",
    "3.13.1",
    "kube-system",
  ).default(() =>
    addonSchema(
      "https://kubernetes-sigs.github.io/metrics-server",
      "metrics-server",
      "3.13.1",
      "kube-system",
    ).parse({}),
  ),
  awsLoadBalancerController: addonSchema(
    "https://aws.github.io/eks-charts",
    "aws-load-balancer-controller",
    "3.5.0",
    "kube-system",
  )
    .extend({
      /**
       * Further managed IAM policies for the controller's Pod Identity role, next to the inline policy Semester
       * always gives it (upstream's published policy narrowed to the cluster, see `alb-controller-policy.ts`).
       * @default []
       */
      iamPolicyArns: z
        .array(z.string().regex(/^arn:aws[a-z-]*:iam::(aws|[0-9]{12}):policy\/.+$/))
        .default([]),
    })
    .default(() => ({
      ...addonSchema(
        "https://aws.github.io/eks-charts",
        "aws-load-balancer-controller",
        "3.5.0",
        "kube-system",
      ).parse({}),
      iamPolicyArns: [],
    })),
  externalDns: addonSchema(
    "https://kubernetes-sigs.github.io/external-dns/",
    "external-dns",
    "1.19.0",
    "external-dns",
  ).default(() =>
    addonSchema(
      "https://kubernetes-sigs.github.io/external-dns/",
      "external-dns",
      "1.19.0",
      "external-dns",
    ).parse({}),
  ),
});
export type AddonsConfig = z.infer<typeof addonsSchema>;
export type AddonName = keyof AddonsConfig;

/** The parsed default add-ons. */
export const DEFAULT_ADDONS: AddonsConfig = addonsSchema.parse({});

/** The image reference of a service: `repository:tag` or `repository@sha256:...`. */
export function imageReference(image: ServiceConfig["image"]): string {
  return image.digest !== undefined
    ? `${image.repository}@${image.digest}`
    : `${image.repository}:${image.tag}`;
}
