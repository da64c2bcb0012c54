/**
 * The `capacity-plan.json` document: what the calendar asks for and what the compiled schedule provides, per
 * region and service, in a form a person (or `jq`) can audit. Built from the need series and the compile results;
 * deterministic (sorted regions and services, fixed key order, no generation timestamp) so that two runs over the
 * same inputs produce byte-identical files and a diff in review shows only real changes.
 */
import type {
  CompileResult,
  CompileStats,
  CronTrigger,
  NeedSeries,
  PreProvisionResult,
  Segment,
} from "../types";
import type { HpaBehavior } from "../../kubernetes";
import { DAY_MS, MINUTE_MS, throwIfProblems, type Problem } from "../../core";
import { integralOfMin } from "../compile/skyline";
import { integrate } from "../model/steps";

/** @internal The document's format version; bump on any incompatible change of its shape. */
export const CAPACITY_PLAN_VERSION = "semester.dev/capacity-plan/v1" as const;

/** @internal A segment with ISO instants, as written to the document. */
export interface PlanSegment {
  readonly start: string;
  readonly end: string;
  readonly replicas: number;
}

/** @internal A calendar window as the document lists it (what `npm run calendar -- --diff` compares). */
export interface PlanOccurrence {
  /** The event's UID (iCalendar) or id (JSON). */
  readonly event: string;
  readonly kind: string;
  readonly start: string;
  readonly end: string;
  readonly learners: number;
}

/** @internal One window's lead as the document writes it. */
export interface PlanLead {
  readonly window: string;
  readonly start: string;
  /** Minutes the schedule starts scaling out before the window. */
  readonly minutes: number;
  /** The same without pre-provisioning (its ramp waits for a node launch); null when pre-provisioning is off. */
  readonly withoutPreProvision: number | null;
}

/** @internal A service's node placeholders (pre-provisioning). */
export interface PlanPreProvision {
  readonly triggers: readonly CronTrigger[];
  readonly exactTriggers: number;
  /** The longest time placeholders rise before a scale-out, minutes. */
  readonly nodeLeadMinutes: number;
  /** The longest a pre-provisioned node stands empty before the service's pods take it (under consolidateAfter). */
  readonly emptyNodeSeconds: number;
  /** Placeholder replica-minutes: node capacity reserved ahead of scale-outs. */
  readonly reservedReplicaMinutes: number;
  /** The service's scheduled replica-minutes without pre-provisioning (longer leads). */
  readonly scheduledReplicaMinutesWithout: number;
  readonly scheduled: readonly PlanSegment[];
}

/** @internal What pre-provisioning changes over a set of results: leads and replica-minutes, before and after. */
export interface PreProvisionTotals {
  /** Pre-provisioned series. */
  readonly series: number;
  /** Windows that scale out (lead > 0 without pre-provisioning). */
  readonly windows: number;
  readonly meanLeadMinutes: { readonly before: number; readonly after: number };
  readonly maxLeadMinutes: { readonly before: number; readonly after: number };
  /** The services' scheduled replica-minutes without and with pre-provisioning, and the placeholders'. */
  readonly replicaMinutes: { readonly before: number; readonly after: number; readonly placeholders: number };
}

/** @internal Totals of pre-provisioning over `results` (the series without it are left out); undefined if none. */
export function preProvisionTotals(results: readonly CompileResult[]): PreProvisionTotals | undefined {
  const on = results.filter((r) => r.preProvision !== undefined);
  if (on.length === 0) return undefined;
  const pairs = on.flatMap((r) =>
    r.leads
      .map((l, i) => ({ after: l.minutes, before: r.preProvision!.leadsWithout[i]?.minutes ?? 0 }))
      .filter((p) => p.before > 0),
  );
  const mean = (xs: readonly number[]) =>
    xs.length === 0 ? 0 : ratio(xs.reduce((a, b) => a + b, 0) / xs.length);
  const sum = (f: (r: CompileResult) => number) => on.reduce((m, r) => m + f(r), 0);
  return {
    series: on.length,
    windows: pairs.length,
    meanLeadMinutes: { before: mean(pairs.map((p) => p.before)), after: mean(pairs.map((p) => p.after)) },
    maxLeadMinutes: {
      before: Math.max(0, ...pairs.map((p) => p.before)),
      after: Math.max(0, ...pairs.map((p) => p.after)),
    },
    replicaMinutes: {
      before: sum((r) => r.preProvision!.scheduledReplicaMinutesWithout),
      after: sum((r) => r.stats.scheduledReplicaMinutes),
      placeholders: sum((r) => r.preProvision!.reservedReplicaMinutes),
    },
  };
}

/** @internal The totals as one line a person reads (the calendar CLI and the plan print it). */
export function preProvisionLine(t: PreProvisionTotals): string {
  const n = (x: number) => Math.round(x).toLocaleString("en-US");
  return (
    `pre-provisioned nodes (${t.series} series, ${t.windows} scale-out windows): lead ${t.meanLeadMinutes.before.toFixed(1)} → ` +
    `${t.meanLeadMinutes.after.toFixed(1)} min mean (max ${t.maxLeadMinutes.before} → ${t.maxLeadMinutes.after}); ` +
    `replica-minutes ${n(t.replicaMinutes.before)} → ${n(t.replicaMinutes.after)} + ${n(t.replicaMinutes.placeholders)} placeholder`
  );
}

/** @internal The plan of one service in one region. */
export interface ServicePlan {
  readonly region: string;
  readonly service: string;
  /** Calendar windows that contribute to this service's need. */
  readonly windows: number;
  /** Those windows, by start then event. */
  readonly occurrences: readonly PlanOccurrence[];
  readonly minReplicaCount: number;
  readonly maxReplicaCount: number;
  /** Highest need over the horizon. */
  readonly peakNeed: number;
  /** Highest scheduled replica count over the horizon. */
  readonly peakScheduled: number;
  readonly stats: CompileStats;
  /** Static stability: the zones the service spreads over (its windows carry zone-loss headroom), else null. */
  readonly zones: number | null;
  readonly need: readonly PlanSegment[];
  /** What the schedule must provide (need with lead and tail, and the zone-loss headroom). */
  readonly required: readonly PlanSegment[];
  /** The zone-loss headroom inside `required` (0 outside windows); empty without static stability. */
  readonly headroom: readonly PlanSegment[];
  readonly scheduled: readonly PlanSegment[];
  readonly triggers: readonly CronTrigger[];
  readonly behavior: HpaBehavior;
  /** Every scheduled window's lead, with and without pre-provisioning. */
  readonly leads: readonly PlanLead[];
  /** The service's node placeholders; null without pre-provisioning. */
  readonly preProvision: PlanPreProvision | null;
  /** Which part of `required` the learned baseline's forecast asks for; null without a forecast. */
  readonly forecast: PlanForecast | null;
  readonly warnings: readonly string[];
}

/**
 * The forecast's part of a service's schedule: the level it alone requires, and how the required replica-minutes
 * split between it and the calendar (the calendar's part is what `required` holds above the forecast's level).
 * @internal
 */
export interface PlanForecast {
  readonly quantile: number;
  /** The level the forecast alone requires (requested one ramp ahead, within the bounds). */
  readonly required: readonly PlanSegment[];
  /** Required replica-minutes up to the forecast's level, and above it (the calendar's part). */
  readonly replicaMinutes: { readonly forecast: number; readonly calendar: number };
}

/** @internal Totals over every region and service. */
export interface PlanSummary {
  readonly regions: number;
  readonly services: number;
  /** Region x service pairs, one ScaledObject each. */
  readonly scaledObjects: number;
  /** Distinct calendar windows (occurrences) over all series. */
  readonly windows: number;
  readonly triggers: number;
  readonly neededReplicaMinutes: number;
  readonly scheduledReplicaMinutes: number;
  /** Needed-minute weighted coverage over every series (1 = every window covered). */
  readonly coverage: number;
  /** Lowest coverage of a single series. */
  readonly minCoverage: number;
  /** scheduledReplicaMinutes / neededReplicaMinutes over every series. */
  readonly excessRatio: number;
  /** What static stability costs: the replica-minutes its zone-loss headroom adds, in total and per service. */
  readonly staticStability: {
    readonly headroomReplicaMinutes: number;
    /** service -> replica-minutes over every region, sorted by name; only statically stable services. */
    readonly byService: Readonly<Record<string, number>>;
  };
  /** What pre-provisioning changes: leads and replica-minutes before and after; null when no series has it. */
  readonly preProvision: PreProvisionTotals | null;
  /** Required replica-minutes from the forecast and from the calendar over every series; null without a forecast. */
  readonly forecast: {
    readonly quantile: number;
    readonly replicaMinutes: { readonly forecast: number; readonly calendar: number };
  } | null;
  readonly warnings: number;
}

/** @internal */
export interface CapacityPlan {
  readonly version: typeof CAPACITY_PLAN_VERSION;
  readonly horizon: { readonly from: string; readonly to: string; readonly days: number };
  readonly summary: PlanSummary;
  /** region -> service -> plan, both levels sorted by name. */
  readonly regions: Readonly<Record<string, Readonly<Record<string, ServicePlan>>>>;
  /** Warnings that belong to no single series (loading, shortfalls across the calendar), then every series' own. */
  readonly warnings: readonly string[];
}

/** @internal */
export interface CapacityPlanInput {
  /** The horizon [from, to), epoch ms UTC. */
  readonly horizon: { readonly from: number; readonly to: number };
  /** The need per region and service; a result without a series (and vice versa) is an error. */
  readonly series: readonly NeedSeries[];
  readonly results: readonly CompileResult[];
  /**
   * Warnings not tied to a compile result (for example from loading the calendar).
   * @default []
   */
  readonly warnings?: readonly string[];
}

/** ISO-8601 UTC instant; milliseconds are dropped when zero so the file reads like a calendar. */
export function isoInstant(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}

/** A coverage fraction as a percentage with one decimal, rounded down so that a shortfall never reads 100%. */
export function formatCoverage(x: number): string {
  if (x >= 1) return "100%";
  return `${(Math.floor(x * 1000) / 10).toFixed(1)}%`;
}

/** Rounds a ratio for the document: six decimals are finer than any replica-minute matters. */
function ratio(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 1e6) / 1e6 : x;
}

function planSegments(segments: readonly Segment[]): PlanSegment[] {
  return segments.map((s) => ({ start: isoInstant(s.start), end: isoInstant(s.end), replicas: s.replicas }));
}

function peak(segments: readonly Segment[]): number {
  return segments.reduce((m, s) => Math.max(m, s.replicas), 0);
}

function key(region: string, service: string): string {
  return `${region}\u0000${service}`;
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function orderedStats(s: CompileStats): CompileStats {
  return {
    exactTriggers: s.exactTriggers,
    emittedTriggers: s.emittedTriggers,
    neededReplicaMinutes: s.neededReplicaMinutes,
    scheduledReplicaMinutes: s.scheduledReplicaMinutes,
    coverage: ratio(s.coverage),
    excessRatio: ratio(s.excessRatio),
    headroomReplicaMinutes: s.headroomReplicaMinutes,
    zoneLossCoverage: s.zoneLossCoverage === null ? null : ratio(s.zoneLossCoverage),
    form: s.form,
  };
}

function orderedTrigger(t: CronTrigger): CronTrigger {
  return {
    name: t.name,
    timezone: t.timezone,
    start: t.start,
    end: t.end,
    desiredReplicas: t.desiredReplicas,
  };
}

/** Sorts every object's keys so behavior (which the compiler may build in any order) serializes stably. */
function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeysDeep) as T;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => byName(a, b));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeysDeep(v)])) as T;
  }
  return value;
}

/**
 * Builds the capacity plan. Throws one error listing every series without a result and every result without a
 * series, since a plan that silently dropped one would misreport coverage.
 */
export function buildCapacityPlan(input: CapacityPlanInput): CapacityPlan {
  const { horizon } = input;
  const seriesByKey = new Map(input.series.map((s) => [key(s.region, s.service), s]));
  const resultByKey = new Map(input.results.map((r) => [key(r.schedule.region, r.schedule.service), r]));
  const problems: Problem[] = [];
  input.series.forEach((s, i) => {
    if (!resultByKey.has(key(s.region, s.service)))
      problems.push({
        path: `series[${i}]`,
        value: `${s.region}/${s.service}`,
        rule: "must have a compile result",
      });
  });
  input.results.forEach((r, i) => {
    if (!seriesByKey.has(key(r.schedule.region, r.schedule.service)))
      problems.push({
        path: `results[${i}]`,
        value: `${r.schedule.region}/${r.schedule.service}`,
        rule: "must have a need series",
      });
  });
  if (!(horizon.to > horizon.from))
    problems.push({ path: "horizon", value: horizon, rule: "must end after it starts" });
  throwIfProblems("buildCapacityPlan", problems);

  const plans = [...input.results]
    .sort(
      (a, b) =>
        byName(a.schedule.region, b.schedule.region) || byName(a.schedule.service, b.schedule.service),
    )
    .map((r): ServicePlan => {
      const s = seriesByKey.get(key(r.schedule.region, r.schedule.service)) as NeedSeries;
      return {
        region: r.schedule.region,
        service: r.schedule.service,
        windows: s.windows.length,
        occurrences: s.windows
          .map((w) => ({
            event: w.eventId,
            kind: w.kind,
            start: isoInstant(w.start),
            end: isoInstant(w.end),
            learners: w.learners,
          }))
          .sort((a, b) => byName(a.start, b.start) || byName(a.event, b.event)),
        minReplicaCount: r.schedule.minReplicaCount,
        maxReplicaCount: r.schedule.maxReplicaCount,
        peakNeed: peak(s.need),
        peakScheduled: peak(r.scheduled),
        stats: orderedStats(r.stats),
        zones: s.zones ?? null,
        need: planSegments(s.need),
        required: planSegments(r.required),
        headroom: planSegments(r.headroom),
        scheduled: planSegments(r.scheduled),
        triggers: r.schedule.triggers.map(orderedTrigger),
        behavior: sortKeysDeep(r.schedule.behavior),
        leads: r.leads.map((l, i) => ({
          window: l.occurrenceId,
          start: isoInstant(l.start),
          minutes: l.minutes,
          withoutPreProvision: r.preProvision?.leadsWithout[i]?.minutes ?? null,
        })),
        preProvision: r.preProvision === undefined ? null : planPreProvision(r.preProvision),
        forecast: planForecast(s, r, horizon),
        warnings: [...r.warnings],
      };
    });

  const regions: Record<string, Record<string, ServicePlan>> = {};
  for (const p of plans) (regions[p.region] ??= {})[p.service] = p;

  const needed = plans.reduce((sum, p) => sum + p.stats.neededReplicaMinutes, 0);
  const scheduled = plans.reduce((sum, p) => sum + p.stats.scheduledReplicaMinutes, 0);
  const covered = plans.reduce((sum, p) => sum + p.stats.coverage * p.stats.neededReplicaMinutes, 0);
  const occurrences = new Set(input.series.flatMap((s) => s.windows.map((w) => w.occurrenceId)));
  const warnings = [...(input.warnings ?? []), ...plans.flatMap((p) => p.warnings)];
  const byService: Record<string, number> = {};
  for (const p of [...plans].sort((a, b) => byName(a.service, b.service))) {
    if (p.zones !== null) byService[p.service] = (byService[p.service] ?? 0) + p.stats.headroomReplicaMinutes;
  }

  return {
    version: CAPACITY_PLAN_VERSION,
    horizon: {
      from: isoInstant(horizon.from),
      to: isoInstant(horizon.to),
      days: ratio((horizon.to - horizon.from) / DAY_MS),
    },
    summary: {
      regions: Object.keys(regions).length,
      services: new Set(plans.map((p) => p.service)).size,
      scaledObjects: plans.length,
      windows: occurrences.size,
      triggers: plans.reduce((sum, p) => sum + p.triggers.length, 0),
      neededReplicaMinutes: needed,
      scheduledReplicaMinutes: scheduled,
      coverage: needed > 0 ? ratio(covered / needed) : 1,
      minCoverage: plans.reduce((m, p) => Math.min(m, p.stats.coverage), 1),
      excessRatio: needed > 0 ? ratio(scheduled / needed) : 0,
      staticStability: {
        headroomReplicaMinutes: plans.reduce((sum, p) => sum + p.stats.headroomReplicaMinutes, 0),
        byService,
      },
      preProvision: preProvisionTotals(input.results) ?? null,
      forecast: forecastTotals(plans),
      warnings: warnings.length,
    },
    regions,
    warnings,
  };
}

/** @internal The forecast's and the calendar's shares of the required replica-minutes, as one line. */
export function forecastLine(totals: NonNullable<PlanSummary["forecast"]>): string {
  const { forecast, calendar } = totals.replicaMinutes;
  const n = (x: number) => Math.round(x).toLocaleString("en-US");
  const share = forecast + calendar > 0 ? Math.round((100 * forecast) / (forecast + calendar)) : 0;
  return (
    `learned baseline (quantile ${totals.quantile}): ${n(forecast)} required replica-minutes from the forecast ` +
    `(${share} %), ${n(calendar)} from the calendar above it`
  );
}

/** The forecast's part of one service's required schedule; null without a forecast. */
function planForecast(
  series: NeedSeries,
  result: CompileResult,
  horizon: CapacityPlanInput["horizon"],
): PlanForecast | null {
  if (series.forecast === undefined || result.forecastRequired === undefined) return null;
  const fromForecast =
    integralOfMin(result.required, result.forecastRequired, horizon.from, horizon.to) / MINUTE_MS;
  return {
    quantile: series.forecast.quantile,
    required: planSegments(result.forecastRequired),
    replicaMinutes: {
      forecast: fromForecast,
      calendar: integrate(result.required, horizon.from, horizon.to) - fromForecast,
    },
  };
}

/** The forecast's and the calendar's required replica-minutes over every series with a forecast. */
function forecastTotals(plans: readonly ServicePlan[]): PlanSummary["forecast"] {
  const withForecast = plans.flatMap((p) => (p.forecast === null ? [] : [p.forecast]));
  const [first] = withForecast;
  if (first === undefined) return null;
  const sum = (f: (x: PlanForecast) => number) => withForecast.reduce((m, x) => m + f(x), 0);
  return {
    quantile: first.quantile,
    replicaMinutes: {
      forecast: sum((x) => x.replicaMinutes.forecast),
      calendar: sum((x) => x.replicaMinutes.calendar),
    },
  };
}

function planPreProvision(p: PreProvisionResult): PlanPreProvision {
  return {
    triggers: p.schedule.triggers.map(orderedTrigger),
    exactTriggers: p.exactTriggers,
    nodeLeadMinutes: p.nodeLeadMinutes,
    emptyNodeSeconds: p.emptyNodeSeconds,
    reservedReplicaMinutes: p.reservedReplicaMinutes,
    scheduledReplicaMinutesWithout: p.scheduledReplicaMinutesWithout,
    scheduled: planSegments(p.scheduled),
  };
}

/** The document as written to disk: two-space JSON with a trailing newline. */
export function serializeCapacityPlan(plan: CapacityPlan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}
