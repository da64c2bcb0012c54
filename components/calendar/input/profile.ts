/**
 * The load profile: per service how many learners one replica serves and its replica bounds, and per window kind
 * which share of the window's learners hits which service. Validated with zod (strict: a misspelt key is an error).
 */
import { z } from "zod";
import { DNS_LABEL, throwIfProblems, type Problem } from "../../core";
import { WHOLE_FILE, expected, schemaProblems } from "./problems";
import { DEFAULT_TIMING } from "../model/timing";
import { baselineProblems, baselineSchema, learnedSchema } from "./learned-profile";
import type { LoadProfile, TimingModel } from "../types";

export { DEFAULT_TIMING };

/** @internal The kinds every profile allows; a profile's `kinds` keys add to them. */
export const DEFAULT_KINDS = ["lecture", "exam", "launch", "enrollment", "live"] as const;

const nonNegative = () => z.number({ error: expected("a number >= 0") }).min(0, { error: "must be >= 0" });
const positive = () => z.number({ error: expected("a number > 0") }).positive({ error: "must be > 0" });
const replicas = (min: number) =>
  z
    .number({ error: expected(`an integer >= ${min}`) })
    .int({ error: `must be an integer >= ${min}` })
    .min(min, { error: `must be an integer >= ${min}` });

const serviceSchema = z.strictObject(
  {
    learnersPerReplica: positive(),
    minReplicas: replicas(0),
    // A ScaledObject needs room for one replica; 0 would also leave the compiler nothing to schedule.
    maxReplicas: replicas(1),
    leadMinutes: nonNegative(),
    tailMinutes: nonNegative(),
    // Static stability without a stack: the zones the service spreads over (one zone cannot survive its loss).
    zoneSpread: z
      .strictObject(
        {
          zones: z
            .number({ error: expected("an integer from 2 to 6") })
            .int({ error: "must be an integer from 2 to 6" })
            .min(2, { error: "must be an integer from 2 to 6: one zone cannot survive its own loss" })
            .max(6, { error: "must be an integer from 2 to 6 (no AWS region has more zones)" }),
        },
        { error: expected('an object {"zones": <zones the pods spread over>}') },
      )
      .optional(),
  },
  {
    error: expected(
      "a service's sizing (learnersPerReplica, minReplicas, maxReplicas, leadMinutes, tailMinutes, optional zoneSpread)",
    ),
  },
);

const timingSchema = z
  .strictObject(
    {
      kedaPollingSeconds: nonNegative(),
      hpaSyncSeconds: positive(),
      podReadySeconds: nonNegative(),
      nodeProvisionSeconds: nonNegative(),
      nodeBatchSeconds: nonNegative(),
      preemptionSeconds: nonNegative(),
      hpaTolerance: nonNegative(),
    },
    { error: expected("an object of timing overrides") },
  )
  .partial();

/** Service names become Kubernetes object names, so they are DNS-1123 labels. */
const SERVICE_NAME = DNS_LABEL;
const SERVICE_RULE = "a service name must be a DNS label (lowercase letters, digits and -)";

const profileSchema = z.strictObject(
  {
    services: z.record(z.string().regex(SERVICE_NAME, { error: SERVICE_RULE }), serviceSchema, {
      // A key that fails its schema is reported by the record, with the record's message.
      error: (issue) =>
        issue.code === "invalid_key"
          ? SERVICE_RULE
          : expected("a map of service names to their sizing")(issue),
    }),
    kinds: z.record(
      z.string().min(1, { error: "a kind must be a non-empty string" }),
      z.record(z.string(), nonNegative(), { error: expected("a map of service names to shares") }),
      { error: expected("a map of window kinds to service shares") },
    ),
    timing: timingSchema.optional(),
    baseline: baselineSchema.optional(),
    learned: learnedSchema.optional(),
  },
  { error: expected('an object with "services" and "kinds"') },
);

/**
 * Parses and validates a load profile (JSON text). Throws one `InputError` (source: `file`) naming the key path,
 * value and rule of every problem: schema errors, minReplicas > maxReplicas, kinds naming unknown services, and a
 * learned baseline's shape (input/learned-profile.ts).
 * @internal
 */
export function parseProfile(text: string, file: string): LoadProfile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throwIfProblems(file, [{ path: WHOLE_FILE, value: (e as Error).message, rule: "must be valid JSON" }]);
  }
  const parsed = profileSchema.safeParse(json, { reportInput: true });
  // Cross-field rules run on whatever parts are well-formed, so one run reports every problem.
  throwIfProblems(file, [
    ...(parsed.success ? [] : schemaProblems("", parsed.error.issues, profileSchema)),
    ...crossProblems(json),
  ]);
  return parsed.data as LoadProfile;
}

function entries(value: unknown): [string, unknown][] {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? Object.entries(value) : [];
}

/** minReplicas <= maxReplicas, and every service a kind names exists in `services`. */
function crossProblems(json: unknown): Problem[] {
  const root = Object.fromEntries(entries(json));
  const services = Object.fromEntries(entries(root.services));
  const problems: Problem[] = [];
  for (const [name, raw] of Object.entries(services)) {
    const s = Object.fromEntries(entries(raw));
    if (
      typeof s.minReplicas === "number" &&
      typeof s.maxReplicas === "number" &&
      s.minReplicas > s.maxReplicas
    ) {
      problems.push({
        path: `services.${name}.minReplicas`,
        value: s.minReplicas,
        rule: `is above maxReplicas ${s.maxReplicas}; minReplicas must be <= maxReplicas`,
      });
    }
  }
  for (const [kind, shares] of entries(root.kinds)) {
    for (const [service, share] of entries(shares)) {
      if (!(service in services)) {
        problems.push({
          path: `kinds.${kind}.${service}`,
          value: share,
          rule: `names a service that \`services\` does not define; use one of ${Object.keys(services).join(", ")}`,
        });
      }
    }
  }
  if (root.baseline !== undefined) problems.push(...baselineProblems(root.baseline, Object.keys(services)));
  return problems;
}

/** @internal The kinds a calendar may use with this profile: the default kinds plus the profile's own. */
export function allowedKinds(profile: LoadProfile): string[] {
  return [...new Set<string>([...DEFAULT_KINDS, ...Object.keys(profile.kinds)])];
}

/** @internal The timing model: `DEFAULT_TIMING` with the profile's overrides. */
export function profileTiming(profile: LoadProfile): TimingModel {
  return { ...DEFAULT_TIMING, ...profile.timing };
}
