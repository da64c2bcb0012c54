import { clusterSchema } from "../cluster/config";
import { resolveTopics } from "../data/kafka/catalog";
import { InputError, joinPath, problemsFromZod, type Problem } from "../core/problem";
import { ENVIRONMENTS } from "../core/environment";
import {
  crossFieldProblems,
  regionSchema,
  semesterConfigSchema,
  type RegionConfig,
  type SemesterConfig,
} from "./schema";

/** The config namespace of the project: keys look like `semester:regions`. */
export const NAMESPACE = "semester";

/**
 * Pulumi hands config values over as strings (structured values JSON-encoded).
 * Decodes the `semester:` keys into one object, validates it and applies defaults.
 * Throws a InputError listing every problem; nothing is created before this returns.
 */
export function parseStackConfig(raw: Readonly<Record<string, string>>, source: string): SemesterConfig {
  const input: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(raw)) {
    const [namespace, name] = key.split(":", 2);
    if (namespace === NAMESPACE && name) input[name] = decodeValue(text);
  }
  const result = semesterConfigSchema.safeParse(input, { reportInput: true });
  const problems = [
    ...(result.success ? [] : problemsFromZod(`${NAMESPACE}:`, result.error.issues, semesterConfigSchema)),
    ...crossFieldProblemsOfParts(input),
  ];
  if (!result.success || problems.length > 0) throw new InputError(source, problems);
  return result.data;
}

/**
 * Rules across keys, checked on every part that parsed on its own (each region separately), so a type
 * error in one key does not hide an overlap or a zone count elsewhere.
 */
function crossFieldProblemsOfParts(input: Record<string, unknown>): Problem[] {
  const environment = ENVIRONMENTS.find((e) => e === input.environment);
  if (!environment) return [];
  const cluster = clusterSchema.safeParse(input.cluster);
  const dns = input.dns === undefined ? undefined : semesterConfigSchema.shape.dns.safeParse(input.dns);
  const services = semesterConfigSchema.shape.services.safeParse(input.services);
  const regions = (Array.isArray(input.regions) ? input.regions : []).map(
    (region): RegionConfig | undefined => {
      const parsed = regionSchema.safeParse(region);
      return parsed.success ? parsed.data : undefined;
    },
  );
  const data = semesterConfigSchema.shape.data.safeParse(input.data);
  return [
    ...crossFieldProblems({
      environment,
      homeRegion: typeof input.homeRegion === "string" ? input.homeRegion : "",
      regions,
      cluster: cluster.success ? cluster.data : undefined,
      dns: dns?.success ? dns.data : undefined,
      services: services.success ? services.data : undefined,
    }),
    ...(services.success && data.success ? kafkaScalingProblems(services.data, data.data) : []),
  ].map((p) => ({ path: joinPath(`${NAMESPACE}:`, p.path), value: p.value, rule: p.rule }));
}

/**
 * Services that scale on Kafka lag must read a topic of the data tier's catalog, and the backend must be one
 * KEDA can authenticate to: the trigger uses MSK IAM through Pod Identity; Strimzi's mTLS users are not wired.
 */
function kafkaScalingProblems(services: SemesterConfig["services"], data: SemesterConfig["data"]) {
  const topics = new Set(resolveTopics(data.topics).map((t) => t.name));
  return Object.entries(services).flatMap(([name, service]) => {
    const kafka = service.scaling.kafka;
    if (!kafka) return [];
    const problems: { path: (string | number)[]; value: unknown; rule: string }[] = [];
    if (!topics.has(kafka.topic as never)) {
      problems.push({
        path: ["services", name, "scaling", "kafka", "topic"],
        value: kafka.topic,
        rule: `expected a topic of the data tier's catalog: ${[...topics].sort().join(", ")}`,
      });
    }
    if (data.kafka.backend === "strimzi") {
      problems.push({
        path: ["services", name, "scaling", "kafka"],
        value: kafka,
        rule: "KEDA's Kafka lag trigger authenticates with MSK IAM; with `data.kafka.backend: strimzi` use backend msk, or scale this service on cpu or prometheus",
      });
    }
    return problems;
  });
}

function decodeValue(text: string): unknown {
  const trimmed = text.trim();
  if (/^[[{]/.test(trimmed) || /^(true|false|-?\d+(\.\d+)?)$/.test(trimmed)) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return text;
    }
  }
  return text;
}
