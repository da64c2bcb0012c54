/**
 * `semester:resilience`: zonal autoshift with its SLO outcome alarms and practice runs, and blast zones (quotas per
 * tier). Every part is on by default and can be turned off; defaults live here and only here. Strict schemas: a
 * misspelt key is an error.
 */
import { z } from "zod";

const cpu = z.string().regex(/^([0-9]+m|[0-9]+(\.[0-9]+)?)$/, "must be a CPU quantity like `250m` or `2`");
const memory = z.string().regex(/^[0-9]+(Ki|Mi|Gi|Ti)$/, "must be a memory quantity like `512Mi` or `2Gi`");
const pair = z.strictObject({ cpu, memory });

const autoshiftSchema = z
  .strictObject({
    /** Zonal autoshift (ARC) on every regional cluster and its public ALB, with practice runs. @default true */
    enabled: z.boolean().default(true),
    /** The shortest allowed window offered to ARC, minutes (ARC's practice run itself lasts 30). @default 120 */
    minimumWindowMinutes: z.int().min(30).max(1440).default(120),
    /** Calendar window kinds whose dates become `blockedDates` and that no practice run may meet. @default ["exam"] */
    examKinds: z.array(z.string().min(1)).min(1).default(["exam"]),
    /**
     * `allowedWindows` given by hand (`Day:HH:MM-Day:HH:MM`, UTC), replacing the computed ones. Refused when one
     * meets an exam of the horizon. @default none (computed from the calendar)
     */
    allowedWindows: z.array(z.string()).optional(),
    /** Further `blockedDates` (`YYYY-MM-DD`), added to the exam dates within ARC's 15. @default [] */
    extraBlockedDates: z
      .array(z.string().regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, "must be YYYY-MM-DD"))
      .default([]),
  })
  .prefault({});

const alarmsSchema = z
  .strictObject({
    /**
     * A burn-rate alarm counts only when its window saw at least this many requests per hour at the ALB.
     * @default - `semester:observability.slo.minRequestsPerHour`
     */
    minRequestsPerHour: z.int().min(0).optional(),
  })
  .prefault({});

const blastZonesSchema = z
  .strictObject({
    /** ResourceQuota per tier and LimitRange per workload namespace. @default true */
    enabled: z.boolean().default(true),
    /** LimitRange defaults for a container that sets none. @default requests 100m/128Mi, limits 500m/512Mi */
    containerDefaults: z
      .strictObject({ requests: pair, limits: pair })
      .prefault({ requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } }),
  })
  .prefault({});

export const resilienceSchema = z
  .strictObject({
    autoshift: autoshiftSchema,
    alarms: alarmsSchema,
    blastZones: blastZonesSchema,
  })
  .prefault({});
export type ResilienceConfig = z.infer<typeof resilienceSchema>;

/** The parsed defaults. */
export const DEFAULT_RESILIENCE: ResilienceConfig = resilienceSchema.parse(undefined);
