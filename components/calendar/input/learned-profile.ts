/**
 * The parts `npm run learn` adds to a load profile: the seasonal baseline (what the compiler adds to the windows'
 * load) and the provenance (what it was trained on, how well it fits; reports read it, the compiler does not).
 * Their schemas and cross-field rules; `profile.ts` composes them into the profile's schema.
 */
import { IANAZone } from "luxon";
import { z } from "zod";
import { AWS_REGION_RULE, isAwsRegion, type Problem } from "../../core";
import { BASELINE_SLOT_MINUTES, slotsPerWeek } from "../model/baseline";
import { IANA_RULE, expected } from "./problems";

const nonNegative = () => z.number({ error: expected("a number >= 0") }).min(0, { error: "must be >= 0" });
const probability = () =>
  z
    .number({ error: expected("a number strictly between 0 and 1") })
    .gt(0, { error: "must be strictly between 0 and 1" })
    .lt(1, { error: "must be strictly between 0 and 1" });
const text = (what: string) => z.string({ error: expected(what) }).min(1, { error: `must be ${what}` });
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/;
const isoInstant = () =>
  z
    .string({ error: expected("an ISO instant in UTC such as 2026-09-07T00:00:00Z") })
    .regex(ISO_UTC, { error: "must be an ISO instant in UTC such as 2026-09-07T00:00:00Z" });

const seriesSchema = z.strictObject(
  {
    zone: z
      .string({ error: expected("an IANA time zone name such as Europe/London") })
      .refine((zone) => IANAZone.isValidZone(zone), { error: IANA_RULE }),
    levels: z.record(z.string(), z.array(nonNegative(), { error: expected("an array of loads >= 0") }), {
      error: expected("a map of quantiles to the week's slot loads"),
    }),
  },
  { error: expected('a baseline series {"zone", "levels"}') },
);

/** @internal */
export const baselineSchema = z.strictObject(
  {
    quantiles: z
      .array(probability(), { error: expected("an ascending array of quantiles such as [0.5, 0.9, 0.99]") })
      .min(1, { error: "must name at least one quantile" }),
    slotMinutes: z.union(
      BASELINE_SLOT_MINUTES.map((m) => z.literal(m)),
      { error: `must be one of ${BASELINE_SLOT_MINUTES.join(", ")} (minutes that divide an hour)` },
    ),
    series: z.record(
      z.string().refine(isAwsRegion, { error: AWS_REGION_RULE }),
      z.record(z.string(), seriesSchema, { error: expected("a map of services to their baseline") }),
      {
        // A key that fails its refinement is reported by the record, with the record's message.
        error: (issue) =>
          issue.code === "invalid_key"
            ? AWS_REGION_RULE
            : expected("a map of regions to services' baselines")(issue),
      },
    ),
  },
  { error: expected('a baseline {"quantiles", "slotMinutes", "series"}') },
);

const estimateSchema = z.strictObject(
  {
    estimate: nonNegative(),
    low: nonNegative(),
    high: nonNegative(),
    samples: z
      .number({ error: expected("an integer >= 0") })
      .int({ error: "must be an integer >= 0" })
      .min(0, { error: "must be an integer >= 0" }),
    quantiles: z.record(z.string(), nonNegative()).optional(),
  },
  { error: expected("an estimate {estimate, low, high, samples}") },
);

const fitSchema = z.strictObject(
  {
    slots: z.number().int().min(0),
    r2: z.number({ error: expected("a number") }),
    mae: nonNegative(),
    relativeMae: nonNegative(),
  },
  { error: expected("a fit {slots, r2, mae, relativeMae}") },
);

const fileRef = z.strictObject(
  {
    file: text("a file name"),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: "must be a sha256 in hex" }),
  },
  { error: expected('{"file", "sha256"}') },
);

/** @internal */
export const learnedSchema = z.strictObject(
  {
    unit: text("the load's unit, e.g. requests per second"),
    synthetic: z.boolean({ error: expected("true or false") }),
    history: fileRef,
    calendar: fileRef.optional(),
    trainedFrom: isoInstant(),
    trainedTo: isoInstant(),
    shareQuantile: probability(),
    attendance: z.record(z.string(), z.record(z.string(), estimateSchema)),
    capacity: z.record(
      z.string(),
      estimateSchema.extend({ latencyObjectiveMs: z.number().positive({ error: "must be > 0" }) }),
    ),
    fit: z.record(z.string(), z.record(z.string(), fitSchema)),
  },
  { error: expected("the learned provenance written by npm run learn") },
);

function entries(value: unknown): [string, unknown][] {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? Object.entries(value) : [];
}

/**
 * Rules across a baseline's fields (on whatever parts are well-formed): ascending quantiles, one level array of a
 * week's slots per quantile and no others, levels non-decreasing across quantiles, services the profile sizes.
 * @internal
 */
export function baselineProblems(baseline: unknown, services: readonly string[]): Problem[] {
  const root = Object.fromEntries(entries(baseline));
  const quantiles = Array.isArray(root.quantiles) ? (root.quantiles as unknown[]) : [];
  const numeric = quantiles.filter((q): q is number => typeof q === "number");
  const problems: Problem[] = [];
  const ascending = numeric.every((q, i) => i === 0 || q > numeric[i - 1]!);
  if (!ascending)
    problems.push({
      path: "baseline.quantiles",
      value: quantiles,
      rule: "must be strictly ascending",
    });
  const slots =
    typeof root.slotMinutes === "number" &&
    (BASELINE_SLOT_MINUTES as readonly number[]).includes(root.slotMinutes)
      ? slotsPerWeek(root.slotMinutes)
      : undefined;
  const keys = numeric.map(String);
  for (const [region, byService] of entries(root.series)) {
    for (const [service, raw] of entries(byService)) {
      const path = `baseline.series.${region}.${service}`;
      if (!services.includes(service))
        problems.push({
          path,
          value: service,
          rule: `names a service that \`services\` does not define; use one of ${services.join(", ")}`,
        });
      const levels = Object.fromEntries(entries(Object.fromEntries(entries(raw)).levels));
      for (const key of Object.keys(levels).filter((k) => !keys.includes(k)))
        problems.push({
          path: `${path}.levels.${key}`,
          value: key,
          rule: `is not one of baseline.quantiles (${keys.join(", ")})`,
        });
      for (const key of keys) {
        const level = levels[key];
        if (level === undefined) {
          problems.push({
            path: `${path}.levels.${key}`,
            value: undefined,
            rule: "required: every quantile's levels",
          });
        } else if (slots !== undefined && Array.isArray(level) && level.length !== slots) {
          problems.push({
            path: `${path}.levels.${key}`,
            value: `${level.length} slots`,
            rule: `must hold one load per slot of the week: ${slots} slots of baseline.slotMinutes`,
          });
        }
      }
      // Levels are compared across quantiles only when the quantiles themselves are in order.
      (ascending ? keys : []).slice(1).forEach((key, i) => {
        const lower = levels[keys[i]!];
        const upper = levels[key];
        if (!Array.isArray(lower) || !Array.isArray(upper)) return;
        const slot = upper.findIndex((u, s) => typeof u === "number" && u < (lower[s] as number));
        if (slot >= 0)
          problems.push({
            path: `${path}.levels.${key}[${slot}]`,
            value: upper[slot],
            rule: `is below quantile ${keys[i]}'s ${String(lower[slot])}; levels must not decrease as the quantile rises`,
          });
      });
    }
  }
  return problems;
}
