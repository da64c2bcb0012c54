/**
 * Every rule of a stack file that involves more than one key, in one place; `parseStackConfig` runs them before
 * anything renders and reports them with the schema's problems in the stack file's one `InputError`.
 *
 * Each rule runs on whatever parts of the input parsed on their own (a region, a section, a single field), so a
 * type error in one key does not hide a rule elsewhere. A rule that a component also checks on its own arguments
 * (`RegionalCluster`, `DataTier`, `KafkaTopics`, `LearningChart`) is defined once in that component's module and
 * called here with the stack path. Rules within one object of a section (exactly one of an image's tag and digest,
 * `minReplicas <= maxReplicas`, a service calling itself, a window's length) stay with that object's schema.
 */
import { z } from "zod";
import {
  clusterSchema,
  resolveClusterSettings,
  clusterSettingsProblems,
  nodePoolBudgetProblems,
  regionLayoutProblems,
} from "../cluster";
import { ENVIRONMENTS, type Environment, joinPath, type Problem, isAwsRegion } from "../core";
import {
  KAFKA_ZONES,
  kafkaSchema,
  postgresSchema,
  redisSchema,
  topicsSchema,
  knownTopicProblems,
  resolveTopics,
  TOPIC_NAMES,
  topicProblems,
  homeRegionProblems,
  resolveDataTier,
  pinnedWindows,
  windowPairProblems,
} from "../data";
import {
  SERVICE_NAMES,
  type ServicesConfig,
  hostInZone,
  type DnsConfig,
  serviceScalingProblems,
  serviceReplicaBounds,
} from "../kubernetes";
import { cidrsOverlap, parseCidr } from "../network";
import { observabilityProblems, type ObservabilityConfig } from "../observability";
import { registryPattern } from "../governance";
import { resolveTraffic, trafficProblems, type MeshConfig } from "../mesh";
import { enabledExperiments, engineOf, gameDayProblems, type GameDaysConfig } from "../chaos";
import { regionSchema, semesterConfigSchema, type RegionConfig } from "./schema";

/** Where the stack keys sit: `semester:regions[1].vpcCidr`. */
const at = (...path: (string | number)[]) => joinPath("semester:", path);

/** @internal The cross-key problems of a decoded `semester:` namespace (its keys without the prefix). */
export function stackRuleProblems(input: Readonly<Record<string, unknown>>): Problem[] {
  const environment = ENVIRONMENTS.find((e) => e === input.environment);
  if (!environment) return [];
  const rawRegions = Array.isArray(input.regions) ? (input.regions as unknown[]) : [];
  const regions = rawRegions.map((r) => parsed(regionSchema, r));
  const cluster = parsed(clusterSchema, input.cluster);
  const dns = input.dns === undefined ? undefined : parsed(semesterConfigSchema.shape.dns, input.dns);
  const services = parsed(semesterConfigSchema.shape.services, input.services);
  const data = parsed(semesterConfigSchema.shape.data, input.data);
  const observability = parsed(semesterConfigSchema.shape.observability, input.observability);
  const mesh = parsed(semesterConfigSchema.shape.mesh, input.mesh);
  const governance = parsed(semesterConfigSchema.shape.governance, input.governance);
  const gameDays = parsed(semesterConfigSchema.shape.gameDays, input.gameDays);
  const resilience = parsed(semesterConfigSchema.shape.resilience, input.resilience ?? {});
  const calendar = parsed(semesterConfigSchema.shape.calendar, input.calendar);
  const homeRegion = typeof input.homeRegion === "string" ? input.homeRegion : undefined;
  // Region names that are AWS regions, even where another key of that region is wrong.
  const regionNames = rawRegions
    .map((r) => member(r, "region"))
    .filter((name): name is string => typeof name === "string" && isAwsRegion(name));

  return [
    ...regionProblems(regions, environment),
    ...(homeRegion !== undefined && isAwsRegion(homeRegion) && regionNames.length > 0
      ? homeRegionProblems(homeRegion, [...new Set(regionNames)], at("homeRegion"))
      : []),
    ...(cluster ? clusterSettingsProblems(resolveClusterSettings(cluster, environment), at("cluster")) : []),
    ...(cluster && calendar ? calendarBudgetProblems(cluster, calendar, environment) : []),
    ...(dns && services ? publicHostProblems(dns, services) : []),
    ...dataSectionProblems(input.data),
    ...(data && homeRegion !== undefined && regions.every((r) => r !== undefined)
      ? dataTierProblems(environment, homeRegion, regions, data)
      : []),
    ...(services ? serviceProblems(services, input.data, observability) : []),
    ...(services ? staticStabilityProblems(regions, services) : []),
    ...(services && observability ? observabilityProblems(observability, services, at("observability")) : []),
    ...(mesh && services ? meshProblems(mesh, services, governance?.allowedRegistries) : []),
    ...deliveryProblems(
      parsed(semesterConfigSchema.shape.delivery, input.delivery ?? {}),
      cluster,
      observability,
    ),
    ...(services && gameDays ? gameDayProblems(gameDays, services, environment, at("gameDays")) : []),
    ...(services && gameDays && resilience ? gameDayStopProblems(gameDays, resilience, services) : []),
  ];
}

/** Every NodePool's own budgets plus the most the calendar may add fit Karpenter's 50. */
function calendarBudgetProblems(
  cluster: z.output<typeof clusterSchema>,
  calendar: z.output<typeof semesterConfigSchema.shape.calendar>,
  environment: Environment,
): Problem[] {
  const budgets = calendar.disruptionBudgets;
  if (!calendar.enabled || !budgets.enabled) return [];
  return nodePoolBudgetProblems(
    resolveClusterSettings(cluster, environment).karpenter.nodePools,
    budgets.maxBudgets,
    at("cluster"),
    "`semester:calendar.disruptionBudgets.maxBudgets`",
  );
}

/**
 * The mesh against the services and governance: overrides name real services, every service's resolved traffic
 * policy passes the mesh's rules (`trafficProblems`), and the mesh's images come from an allowed registry.
 */
function meshProblems(
  mesh: MeshConfig,
  services: ServicesConfig,
  allowedRegistries: readonly string[] | undefined,
): Problem[] {
  if (!mesh.enabled) return [];
  const problems: Problem[] = [];
  for (const name of Object.keys(mesh.services)) {
    if (!(SERVICE_NAMES as readonly string[]).includes(name))
      problems.push({
        path: at("mesh", "services", name),
        value: name,
        rule: `must name a service: ${SERVICE_NAMES.join(", ")}`,
      });
  }
  for (const name of SERVICE_NAMES) {
    const s = services[name];
    const subject = {
      name,
      tier: s.tier,
      writes: s.dataAccess === "write",
      minReplicas: serviceReplicaBounds(s).minReplicas,
    };
    const path =
      mesh.services[name] !== undefined ? at("mesh", "services", name) : at("mesh", "tiers", s.tier);
    problems.push(...trafficProblems(subject, resolveTraffic(subject, mesh), path));
  }
  if (
    allowedRegistries !== undefined &&
    !new RegExp(registryPattern(allowedRegistries)).test(`${mesh.hub}/proxyv2`)
  ) {
    problems.push({
      path: at("mesh", "hub"),
      value: mesh.hub,
      rule: `the sidecar and the mesh's pods pull from here, and semester:governance.allowedRegistries (${allowedRegistries.join(", ")}) does not allow it`,
      fix: "add it to semester:governance.allowedRegistries or mirror Istio's images into an allowed registry",
    });
  }
  return problems;
}

/**
 * Delivery needs what its Rollouts rely on: a PromQL endpoint for every analysis (metrics on), and a cluster
 * that honours the HPA's `tolerance` (HPAConfigurableTolerance, beta and on by default from Kubernetes 1.35),
 * which keeps a canary's extra pods out of the HPA's arithmetic (README "Delivery", argo-rollouts #4847).
 */
function deliveryProblems(
  delivery: z.output<typeof semesterConfigSchema.shape.delivery> | undefined,
  cluster: z.output<typeof clusterSchema> | undefined,
  observability: ObservabilityConfig | undefined,
): Problem[] {
  if (delivery === undefined || !delivery.enabled) return [];
  const problems: Problem[] = [];
  if (observability !== undefined && !observability.metrics.enabled) {
    problems.push({
      path: at("delivery", "enabled"),
      value: true,
      rule: "every Rollout step is gated by an analysis on the PromQL endpoint, and `semester:observability.metrics.enabled` is false",
      fix: "turn metrics on, or set `semester:delivery.enabled: false`",
    });
  }
  const minor = cluster === undefined ? undefined : Number(cluster.kubernetesVersion.split(".")[1]);
  if (minor !== undefined && minor < 35) {
    problems.push({
      path: at("cluster", "kubernetesVersion"),
      value: cluster!.kubernetesVersion,
      rule: "delivery needs Kubernetes 1.35 or later: the HPA tolerance that keeps canary pods from inflating KEDA's scaling is beta (on) from 1.35",
      fix: 'set "1.35", or `semester:delivery.enabled: false`',
    });
  }
  return problems;
}

/** Each region once, within what AWS and prod allow, with disjoint VPC ranges. */
function regionProblems(regions: readonly (RegionConfig | undefined)[], environment: Environment): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  regions.forEach((region, i) => {
    if (!region) return;
    const first = seen.get(region.region);
    if (first !== undefined) {
      problems.push({
        path: at("regions", i, "region"),
        value: region.region,
        rule: `already listed at regions[${first}]; list each region once`,
      });
    }
    seen.set(region.region, i);
    problems.push(...regionLayoutProblems(region, environment, at("regions", i)));
    regions.slice(0, i).forEach((other, j) => {
      if (!other) return;
      const a = parseCidr(region.vpcCidr);
      const b = parseCidr(other.vpcCidr);
      if (a && b && cidrsOverlap(a, b)) {
        problems.push({
          path: at("regions", i, "vpcCidr"),
          value: region.vpcCidr,
          rule: `overlaps regions[${j}].vpcCidr ${other.vpcCidr} (${other.region}); give each region a disjoint range`,
        });
      }
    });
  });
  return problems;
}

/**
 * @internal A statically stable service keeps its need Ready when one of Z zones fails, which takes Z >= 2: one
 * problem per such service and region with fewer zones, on the service's key.
 */
export function staticStabilityProblems(
  regions: readonly (RegionConfig | undefined)[],
  services: ServicesConfig,
): Problem[] {
  return SERVICE_NAMES.filter((name) => services[name].staticStability).flatMap((name) =>
    regions.flatMap((region, i) =>
      region !== undefined && region.availabilityZones < 2
        ? [
            {
              path: at("services", name, "staticStability"),
              value: true,
              rule: `needs at least 2 availability zones in every region, but regions[${i}] (${region.region}) has ${region.availabilityZones}: no capacity survives the loss of its only zone`,
              fix: `set \`semester:services.${name}.staticStability: false\`, or raise \`semester:regions[${i}].availabilityZones\` to 2 or more`,
            },
          ]
        : [],
    ),
  );
}

/** @internal ExternalDNS writes records only in `semester:dns.zoneName`: one problem per public host outside it. */
export function publicHostProblems(dns: DnsConfig, services: ServicesConfig): Problem[] {
  return SERVICE_NAMES.flatMap((name) => {
    const host = services[name].publicHost;
    if (host === undefined || hostInZone(host, dns.zoneName)) return [];
    return [
      {
        path: at("services", name, "publicHost"),
        value: host,
        rule: `must end with \`semester:dns.zoneName\` (${dns.zoneName}): ExternalDNS only writes records in that zone`,
      },
    ];
  });
}

/**
 * Rules across keys of `semester:data`, each on the fields it compares (parsed one by one, defaults applied), so
 * an error elsewhere in the section hides none of them.
 */
function dataSectionProblems(rawData: unknown): Problem[] {
  const kafka = member(rawData, "kafka");
  const redis = member(rawData, "redis");
  const postgres = member(rawData, "postgres");
  const field = <S extends z.ZodObject>(schema: S, section: unknown, key: keyof S["shape"] & string) =>
    parsed(schema.shape[key] as z.ZodType, member(section, key));
  const problems: Problem[] = [];

  // The pinned windows (each parsed on its own) against each other: the rule DataTier checks on its arguments.
  const pins = pinnedWindows({
    redis: {
      maintenanceWindow: field(redisSchema, redis, "maintenanceWindow") as string | undefined,
      snapshotWindow: field(redisSchema, redis, "snapshotWindow") as string | undefined,
    },
    postgres: {
      maintenanceWindow: field(postgresSchema, postgres, "maintenanceWindow") as string | undefined,
      backupWindow: field(postgresSchema, postgres, "backupWindow") as string | undefined,
    },
  });
  problems.push(...windowPairProblems(pins, (key) => at("data", ...key.split("."))));

  const buckets = field(postgresSchema, postgres, "buckets") as number | undefined;
  for (const key of ["shards", "previousShards"] as const) {
    const value = field(postgresSchema, postgres, key) as number | undefined;
    if (buckets !== undefined && value !== undefined && value > buckets) {
      problems.push({
        path: at("data", "postgres", key),
        value,
        rule: `must be at most postgres.buckets ${buckets}`,
      });
    }
  }

  const perAz = field(kafkaSchema, kafka, "brokersPerAz") as number | undefined;
  const topics = parsed(topicsSchema, member(rawData, "topics") ?? {});
  if (perAz !== undefined && topics !== undefined) {
    const rule = `${KAFKA_ZONES} AZs × kafka.brokersPerAz ${perAz}`;
    problems.push(...topicProblems(resolveTopics(topics), KAFKA_ZONES * perAz, rule, at("data")));
  }
  return problems;
}

/** The data tier's switches against the regions and classes (the rules `DataTier` checks on its arguments). */
function dataTierProblems(
  environment: Environment,
  homeRegion: string,
  regions: readonly (RegionConfig | undefined)[],
  data: SemesterDataConfig,
): Problem[] {
  const byRegion = Object.fromEntries(regions.flatMap((r) => (r ? [[r.region, { region: r.region }]] : [])));
  return resolveDataTier(
    { environment, homeRegion, regions: byRegion, config: data },
    { regions: at("regions"), config: at("data") },
  ).problems;
}

type SemesterDataConfig = z.output<typeof semesterConfigSchema.shape.data>;

/**
 * Each service's scaling (the rules `LearningChart` checks on its arguments), and Kafka lag scaling against the
 * data tier: a topic of the catalog and a backend KEDA can authenticate to (the trigger uses MSK IAM through Pod
 * Identity; Strimzi's mTLS users are not wired).
 */
function serviceProblems(
  services: ServicesConfig,
  rawData: unknown,
  observability: ObservabilityConfig | undefined,
): Problem[] {
  // An unparsable observability section is reported on its own; judge the services as if metrics were on.
  const metricsOn = observability?.metrics.enabled ?? true;
  const backend = parsed(kafkaSchema.shape.backend, member(member(rawData, "kafka"), "backend"));
  return SERVICE_NAMES.flatMap((name) => {
    const service = services[name];
    const problems = serviceScalingProblems(name, service, at("services", name), {
      promqlEndpoint: metricsOn,
      promqlFix: "turn semester:observability.metrics.enabled on",
    });
    const kafka = service.scaling.kafka;
    if (kafka === undefined) return problems;
    problems.push(
      ...knownTopicProblems(kafka.topic, TOPIC_NAMES, at("services", name, "scaling", "kafka", "topic")),
    );
    if (backend === "strimzi") {
      problems.push({
        path: at("services", name, "scaling", "kafka"),
        value: kafka,
        rule: "KEDA's Kafka lag trigger authenticates with MSK IAM; with `data.kafka.backend: strimzi` use backend msk, or scale this service on cpu or prometheus",
      });
    }
    return problems;
  });
}

/** The value when it parses on its own (defaults applied), else undefined: its own problems are reported already. */
function parsed<S extends z.ZodType>(schema: S, value: unknown): z.output<S> | undefined {
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

/** `value[key]` when `value` is an object, else undefined. */
function member(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/**
 * FIS experiments stop on the region's SLO fast-burn alarm, which the resilience layer builds on the public ALB
 * with zonal autoshift: GameDays with a FIS experiment need both.
 */
function gameDayStopProblems(
  gameDays: GameDaysConfig,
  resilience: z.output<typeof semesterConfigSchema.shape.resilience>,
  services: ServicesConfig,
): Problem[] {
  const fis = enabledExperiments(gameDays).filter(([, e]) => engineOf(e.fault) === "fis");
  if (!gameDays.enabled || fis.length === 0) return [];
  const why = `FIS experiments (${fis.map(([n]) => n).join(", ")}) stop on the region's SLO fast-burn alarm`;
  if (!resilience.autoshift.enabled)
    return [
      {
        path: at("gameDays", "enabled"),
        value: true,
        rule: `${why}, which exists only with \`semester:resilience.autoshift.enabled\``,
        fix: "turn autoshift on, or turn the FIS experiments off",
      },
    ];
  if (!SERVICE_NAMES.some((s) => services[s].publicHost !== undefined))
    return [
      {
        path: at("gameDays", "enabled"),
        value: true,
        rule: `${why}, which watches the public ALB, and no service has a \`publicHost\``,
      },
    ];
  return [];
}
