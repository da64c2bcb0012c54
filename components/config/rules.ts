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
  dailyWindow,
  overlaps,
  weeklyWindow,
} from "../data";
import {
  SERVICE_NAMES,
  type ServicesConfig,
  hostInZone,
  type DnsConfig,
  serviceScalingProblems,
} from "../kubernetes";
import { cidrsOverlap, parseCidr } from "../network";
import { observabilityProblems, type ObservabilityConfig } from "../observability";
import { gameDayProblems } from "../chaos";
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
  const gameDays = parsed(semesterConfigSchema.shape.gameDays, input.gameDays);
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
    ...(dns && services ? publicHostProblems(dns, services) : []),
    ...dataSectionProblems(input.data),
    ...(data && homeRegion !== undefined && regions.every((r) => r !== undefined)
      ? dataTierProblems(environment, homeRegion, regions, data)
      : []),
    ...(services ? serviceProblems(services, input.data, observability) : []),
    ...(services && observability ? observabilityProblems(observability, services, at("observability")) : []),
    ...(services && gameDays ? gameDayProblems(gameDays, services, environment, at("gameDays")) : []),
  ];
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

  const windowPair = (section: "redis" | "postgres", schema: z.ZodObject, weekly: string, daily: string) => {
    const values = section === "redis" ? redis : postgres;
    const w = field(schema, values, weekly) as string | undefined;
    const d = field(schema, values, daily) as string | undefined;
    const wi = w !== undefined ? weeklyWindow(w) : undefined;
    const di = d !== undefined ? dailyWindow(d) : undefined;
    if (wi && di && overlaps(wi.intervals, di.intervals)) {
      problems.push({
        path: at("data", section, daily),
        value: d,
        rule: `must not overlap ${section}.${weekly} ${JSON.stringify(w)}`,
      });
    }
  };
  windowPair("redis", redisSchema, "maintenanceWindow", "snapshotWindow");
  windowPair("postgres", postgresSchema, "maintenanceWindow", "backupWindow");

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
