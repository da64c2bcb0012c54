/**
 * The load profile: per service how many learners one replica serves and its replica bounds, and per window kind
 * which share of the window's learners hits which service. Validated with zod (strict: a misspelt key is an error).
 */
import { z } from "zod";
import { type CalendarInputProblem, formatJsonValue, throwIfProblems, zodProblems } from "./errors";
import { DEFAULT_TIMING } from "../model/timing";
import type { LoadProfile, TimingModel } from "../types";

export { DEFAULT_TIMING };

/** The kinds every profile allows; a profile's `kinds` keys add to them. */
export const DEFAULT_KINDS = ["lecture", "exam", "launch", "enrollment", "live"] as const;

const nonNegative = (what: string) =>
  z.number({ error: `${what} must be a number >= 0` }).min(0, { error: `${what} must be >= 0` });
const replicas = (what: string) =>
  z
    .number({ error: `${what} must be an integer >= 0` })
    .int({ error: `${what} must be an integer >= 0` })
    .min(0, { error: `${what} must be an integer >= 0` });

const serviceSchema = z.strictObject({
  learnersPerReplica: z
    .number({ error: "learnersPerReplica must be a number > 0" })
    .positive({ error: "learnersPerReplica must be > 0" }),
  minReplicas: replicas("minReplicas"),
  maxReplicas: replicas("maxReplicas"),
  leadMinutes: nonNegative("leadMinutes"),
  tailMinutes: nonNegative("tailMinutes"),
});

const timingSchema = z
  .strictObject({
    kedaPollingSeconds: nonNegative("kedaPollingSeconds"),
    hpaSyncSeconds: z
      .number({ error: "hpaSyncSeconds must be a number > 0" })
      .positive({ error: "hpaSyncSeconds must be > 0" }),
    podReadySeconds: nonNegative("podReadySeconds"),
    nodeProvisionSeconds: nonNegative("nodeProvisionSeconds"),
    hpaTolerance: nonNegative("hpaTolerance"),
  })
  .partial();

/** Service names become Kubernetes object names, so they are DNS-1123 labels. */
const SERVICE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const SERVICE_RULE = "a service name must be a DNS label (lowercase letters, digits and -)";

const profileSchema = z.strictObject({
  services: z.record(z.string().regex(SERVICE_NAME, { error: SERVICE_RULE }), serviceSchema, {
    // A key that fails its schema is reported by the record, with the record's message.
    error: (issue) =>
      issue.code === "invalid_key" ? SERVICE_RULE : "services must map service names to their sizing",
  }),
  kinds: z.record(
    z.string().min(1, { error: "a kind must be a non-empty string" }),
    z.record(z.string(), nonNegative("a share"), { error: "a kind must map service names to shares" }),
    { error: "kinds must map window kinds to service shares" },
  ),
  timing: timingSchema.optional(),
});

/**
 * Parses and validates a load profile (JSON text). Throws one `CalendarInputError` naming the file, key path,
 * value and rule of every problem: schema errors, minReplicas > maxReplicas, and kinds naming unknown services.
 */
export function parseProfile(text: string, file: string): LoadProfile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throwIfProblems([{ file, field: "(file)", value: (e as Error).message, allowed: "valid JSON" }]);
  }
  const parsed = profileSchema.safeParse(json);
  // Cross-field rules run on whatever parts are well-formed, so one run reports every problem.
  const problems = [
    ...(parsed.success ? [] : zodProblems(parsed.error, json, file)),
    ...crossProblems(json, file),
  ];
  throwIfProblems(problems);
  return parsed.data as LoadProfile;
}

function entries(value: unknown): [string, unknown][] {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? Object.entries(value) : [];
}

/** minReplicas <= maxReplicas, and every service a kind names exists in `services`. */
function crossProblems(json: unknown, file: string): CalendarInputProblem[] {
  const root = Object.fromEntries(entries(json));
  const services = Object.fromEntries(entries(root.services));
  const problems: CalendarInputProblem[] = [];
  for (const [name, raw] of Object.entries(services)) {
    const s = Object.fromEntries(entries(raw));
    if (
      typeof s.minReplicas === "number" &&
      typeof s.maxReplicas === "number" &&
      s.minReplicas > s.maxReplicas
    ) {
      problems.push({
        file,
        field: `services.${name}.minReplicas`,
        value: formatJsonValue(s.minReplicas),
        issue: `is above maxReplicas ${s.maxReplicas}`,
        allowed: "minReplicas must be <= maxReplicas",
      });
    }
  }
  for (const [kind, shares] of entries(root.kinds)) {
    for (const [service, share] of entries(shares)) {
      if (!(service in services)) {
        problems.push({
          file,
          field: `kinds.${kind}.${service}`,
          value: formatJsonValue(share),
          issue: "names a service that `services` does not define",
          allowed: `one of ${Object.keys(services).join(", ")}`,
        });
      }
    }
  }
  return problems;
}

/** The kinds a calendar may use with this profile: the default kinds plus the profile's own. */
export function allowedKinds(profile: LoadProfile): string[] {
  return [...new Set<string>([...DEFAULT_KINDS, ...Object.keys(profile.kinds)])];
}

/** The timing model: `DEFAULT_TIMING` with the profile's overrides. */
export function profileTiming(profile: LoadProfile): TimingModel {
  return { ...DEFAULT_TIMING, ...profile.timing };
}
