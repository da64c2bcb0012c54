/**
 * The calendar compiler: a need series becomes KEDA cron triggers whose MAX keeps Ready replicas >= need.
 *
 * Pipeline (docs/calendar-compiler.md has the reasoning and the upstream sources):
 * 1. The need series (model/need.ts) is the level Ready must reach at each instant.
 * 2. Per window: replicas weight w (learners * share / learnersPerReplica), start rounded down and end rounded up
 *    to the minute, end extended by tailMinutes, clipped to the horizon.
 * 3. Lead per window: max(leadMinutes, ramp(p, q)) where q = max need over the window (with its tail) and p = min
 *    need over the stretch of time the lead could reach back (the level Ready is known to be at when the trigger
 *    fires: the schedule before it keeps Ready >= need).
 * 4. required(t) = the model's `levelSteps` (clamp(ceil(sum w))) over [start - lead, end + tail), plus the learned
 *    baseline's forecast (series.forecast) requested one ramp ahead of each of its rises; the emitted target
 *    raises each level past the HPA tolerance (toleranceSafeLevel) so no level change can be swallowed by it.
 *    With static stability (`series.zones`), inside each [start - lead, end + tail) the level is the zone-loss
 *    headroom ceil(L x Z / (Z - 1)) of the highest level L still to come in that span (model/headroom.ts), capped
 *    at maxReplicas, so nothing has to scale up while a zone is down; the lead is sized for ramping to the raised
 *    peak; outside windows the floor stays.
 * 5. Exact decomposition (skyline.ts); if above the budget, the cheaper of the optimiser and the greedy (merge.ts).
 * 6. UTC date-specific specs (cron-spec.ts); a start on 29 February moves to 28 February 23:59. With
 *    `weeklyPatterns`, also the weekly form (the target folded onto one week in the windows' zone) and the mixed
 *    form (a weekly base plus dated triggers for the rest); the cheapest is emitted (forms.ts).
 * Windows whose need exceeds maxReplicas are the need model's to report (`shortfalls`); the compiler clamps.
 */
import type {
  CompileOptions,
  CompileResult,
  LoadProfile,
  NeedSeries,
  PlaceholderSchedule,
  PreProvisionResult,
  Segment,
  ServiceProfile,
  WindowLead,
} from "../types";
import { DEFAULT_BEHAVIOR, behaviorProblems } from "../../kubernetes";
import { CRON_TIMEZONE, ceilToMinute, floorToMinute, isLeapDay } from "./cron-spec";
import { integralOfMin, maxOf, rangeQuery } from "./skyline";
import { integrate } from "../model/steps";
import { ceilReplicas, levelSteps, weightsFromProfile, type WindowWeight } from "../model/need";
import { forecastAhead } from "../model/baseline";
import type { WeightedInterval } from "../model/steps";
import { headroomSegments, windowHeadroom, zoneLossHeadroom, zoneLossSurvivors } from "../model/headroom";
import { RAMP_ENDS, createRampModel, toleranceSafeLevel, validateTiming } from "../model/timing";
import { emitTriggers } from "./emit";
import { compilePlaceholders } from "./pre-provision";
import { MINUTE_MS, MAX_HORIZON_MS, InputError, throwIfProblems, type Problem } from "../../core";

export { CALENDAR_TRIGGER_PREFIX } from "./emit";

function problemsOf(
  series: NeedSeries,
  sizing: ServiceProfile,
  options: CompileOptions,
  weight: WindowWeight,
): Problem[] {
  const problems: Problem[] = [];
  const check = (ok: boolean, path: string, value: unknown, rule: string): void => {
    if (!ok) problems.push({ path, value, rule });
  };
  const { from, to } = options.horizon;
  const finiteNonNeg = (v: number): boolean => Number.isFinite(v) && v >= 0;
  check(
    Number.isFinite(sizing.learnersPerReplica) && sizing.learnersPerReplica > 0,
    "sizing.learnersPerReplica",
    sizing.learnersPerReplica,
    "must be > 0",
  );
  check(
    Number.isInteger(sizing.minReplicas) && sizing.minReplicas >= 0,
    "sizing.minReplicas",
    sizing.minReplicas,
    "must be an integer >= 0",
  );
  check(
    Number.isInteger(sizing.maxReplicas) && sizing.maxReplicas >= Math.max(1, sizing.minReplicas),
    "sizing.maxReplicas",
    sizing.maxReplicas,
    "must be an integer >= max(1, minReplicas)",
  );
  check(finiteNonNeg(sizing.leadMinutes), "sizing.leadMinutes", sizing.leadMinutes, "must be a number >= 0");
  check(finiteNonNeg(sizing.tailMinutes), "sizing.tailMinutes", sizing.tailMinutes, "must be a number >= 0");
  check(
    Number.isInteger(options.triggerBudget) && options.triggerBudget >= 1,
    "options.triggerBudget",
    options.triggerBudget,
    "must be an integer >= 1",
  );
  check(
    Number.isFinite(from) && from % MINUTE_MS === 0,
    "options.horizon.from",
    from,
    "must be a whole UTC minute in epoch ms",
  );
  check(
    Number.isFinite(to) && to % MINUTE_MS === 0,
    "options.horizon.to",
    to,
    "must be a whole UTC minute in epoch ms",
  );
  check(
    to > from && to - from < MAX_HORIZON_MS,
    "options.horizon",
    { from, to },
    "`to` must be after `from` and less than 365 days later, because date-specific cron specs recur every year",
  );
  check(
    !isLeapDay(from),
    "options.horizon.from",
    from,
    "must not fall on 29 February (a trigger starting then recurs only in leap years)",
  );
  problems.push(
    ...validateTiming(options.timing, "options.timing"),
    ...behaviorProblems(options.behavior ?? DEFAULT_BEHAVIOR, "options.behavior"),
  );
  if (series.zones !== undefined)
    check(
      Number.isInteger(series.zones) && series.zones >= 2,
      "series.zones",
      series.zones,
      "static stability needs an integer >= 2 zones (one zone cannot survive its own loss)",
    );
  for (const w of series.windows) {
    const value = weight(w);
    check(
      Number.isFinite(value) && value >= 0,
      `weight(${w.occurrenceId})`,
      value,
      "a window's replica weight must be a finite number >= 0",
    );
    check(w.end > w.start, `windows[${w.occurrenceId}].end`, w.end, "must be after start");
  }
  return problems;
}

/**
 * Compiles one region's need for one service into a KEDA cron schedule. `series.need` must be the need model's
 * series for the same sizing (`needSeries`); `weight` gives each window's replicas before rounding (see
 * `weightsFromProfile`).
 * @throws one `InputError` (source `compileService <region>/<service>`) listing every invalid input.
 * @internal
 */
export function compileService(
  series: NeedSeries,
  sizing: ServiceProfile,
  options: CompileOptions,
  weight: WindowWeight,
): CompileResult {
  throwIfProblems(
    `compileService ${series.region}/${series.service}`,
    problemsOf(series, sizing, options, weight),
  );
  const { from, to } = options.horizon;
  const { minReplicas: floor, maxReplicas: max } = sizing;
  const behavior = options.behavior ?? DEFAULT_BEHAVIOR;
  const preProvision = options.preProvision === true;
  // Pre-provisioned, the pods land on nodes the placeholders hold: their lead ends with preemption, not a launch.
  const ramp = createRampModel(
    options.timing,
    behavior,
    preProvision ? RAMP_ENDS.preProvisionedNode : RAMP_ENDS.newNode,
  );
  const warnings: string[] = [];
  const tailMs = sizing.tailMinutes * MINUTE_MS;
  const leadMs = ceilToMinute(sizing.leadMinutes * MINUTE_MS);

  const windows = series.windows
    .map((w) => ({ w, start: floorToMinute(w.start), end: ceilToMinute(w.end + tailMs), weight: weight(w) }))
    .filter(({ w, start, end, weight }) => {
      const inside = end > from && start < to;
      if (!inside && weight > 0)
        warnings.push(
          `window ${w.occurrenceId} (${w.summary}) lies outside the horizon and is not scheduled`,
        );
      return inside && weight > 0;
    });
  const need = rangeQuery(series.need, floor);
  const zones = series.zones;
  const raise = zones === undefined ? undefined : (n: number) => zoneLossHeadroom(n, zones);

  const leads: WindowLead[] = [];
  const extended = windows.map((x) => {
    const start = Math.max(x.start, from);
    const end = Math.min(x.end, to);
    // The level the ramp must reach: the window's peak need, with its headroom when statically stable.
    const peak = need("max", start, end);
    const q = raise === undefined ? peak : Math.min(max, raise(peak));
    const reach = Math.max(leadMs, ceilToMinute(ramp(floor, q) * 1000));
    const p = need("min", start - reach, start);
    const lead = Math.max(leadMs, ceilToMinute(ramp(p, q) * 1000));
    if (start - lead < from)
      warnings.push(
        `window ${x.w.occurrenceId} (${x.w.summary}) starts too close to the horizon to get its full ${lead / MINUTE_MS}-minute lead`,
      );
    leads.push({ occurrenceId: x.w.occurrenceId, start: x.w.start, minutes: lead / MINUTE_MS });
    return { start: Math.max(from, start - lead), end, weight: x.weight };
  });
  // The forecast is requested one ramp ahead of each rise (from the floor to its peak: an upper bound of any
  // rise's ramp), and adds to the windows' replicas as the need model adds it.
  const forecast =
    series.forecast === undefined
      ? undefined
      : forecastAhead(series.forecast.replicas, forecastLeadMs(series.forecast.replicas, floor, max, ramp));
  const base = levelSteps([...extended, ...(forecast ?? [])], sizing, options.horizon);
  const required =
    zones === undefined
      ? base
      : maxOf(
          extended.flatMap((x) => windowHeadroom(base, x, zones, max)),
          floor,
          from,
          to,
        );
  const tolerance = options.timing.hpaTolerance;
  const target = required.map((s) =>
    s.replicas > floor ? { ...s, replicas: toleranceSafeLevel(s.replicas, tolerance, max) } : s,
  );
  if (
    target.some(
      (s, i) => s.replicas === max && toleranceSafeLevel(required[i]!.replicas, tolerance, Infinity) > max,
    )
  ) {
    warnings.push(
      `levels near maxReplicas ${max} cannot clear the HPA tolerance ${tolerance}; only scaleUp.tolerance "0" guarantees them`,
    );
  }
  const weeklyZone = sharedZone(series);
  const emitted = emitTriggers(target, floor, options, weeklyZone);
  const { intervals, triggers } = emitted;
  const scheduled = maxOf(intervals, floor, from, to);
  const needed = integrate(series.need, from, to);
  const covered = integralOfMin(series.need, scheduled, from, to) / MINUTE_MS;
  const scheduledArea = integrate(scheduled, from, to);
  const headroom = zones === undefined ? [] : headroomSegments(required, base);
  const schedule = {
    region: series.region,
    service: series.service,
    minReplicaCount: floor,
    maxReplicaCount: max,
    triggers,
    behavior,
  };
  return {
    schedule,
    required,
    headroom,
    scheduled,
    stats: {
      exactTriggers: emitted.exactTriggers,
      emittedTriggers: triggers.length,
      neededReplicaMinutes: needed,
      scheduledReplicaMinutes: scheduledArea,
      coverage: needed === 0 ? 1 : covered / needed,
      excessRatio: needed === 0 ? 0 : scheduledArea / needed,
      headroomReplicaMinutes: integrate(headroom, from, to),
      zoneLossCoverage: zones === undefined ? null : zoneLossCoverage(series, scheduled, zones, from, to),
      form: emitted.form,
    },
    leads,
    ...(forecast !== undefined ? { forecastRequired: levelSteps(forecast, sizing, options.horizon) } : {}),
    ...(preProvision
      ? {
          preProvision: preProvisionResult(
            compilePlaceholders(schedule, scheduled, options, { form: emitted.form, weeklyZone }),
            compileService(series, sizing, { ...options, preProvision: false }, weight),
          ),
        }
      : {}),
    warnings,
  };
}

/** How early the forecast's rises are requested: the ramp from the floor to its peak level, whole minutes. */
function forecastLeadMs(
  forecast: readonly WeightedInterval[],
  floor: number,
  max: number,
  ramp: (from: number, to: number) => number,
): number {
  const peak = Math.min(max, ceilReplicas(forecast.reduce((m, i) => Math.max(m, i.weight), 0)));
  return peak > floor ? ceilToMinute(ramp(floor, peak) * 1000) : 0;
}

/** The placeholders, with what the service's schedule would be without them (the comparison reports show). */
function preProvisionResult(placeholders: PlaceholderSchedule, without: CompileResult): PreProvisionResult {
  return {
    ...placeholders,
    leadsWithout: without.leads,
    scheduledReplicaMinutesWithout: without.stats.scheduledReplicaMinutes,
  };
}

/**
 * The share of needed replica-minutes inside the windows that the scheduled replicas' survivors of a zone loss
 * (m - ceil(m / zones)) still cover. Outside windows the floor is normal capacity, so it is not counted.
 */
function zoneLossCoverage(
  series: NeedSeries,
  scheduled: readonly Segment[],
  zones: number,
  from: number,
  to: number,
): number {
  const spans = mergedSpans(
    series.windows.map((w) => ({ start: Math.max(w.start, from), end: Math.min(w.end, to) })),
  );
  const inWindows = (segs: readonly Segment[]): Segment[] =>
    spans.flatMap((w) =>
      segs
        .filter((s) => s.start < w.end && s.end > w.start)
        .map((s) => ({
          start: Math.max(s.start, w.start),
          end: Math.min(s.end, w.end),
          replicas: s.replicas,
        })),
    );
  const need = inWindows(series.need);
  const survivors = scheduled.map((s) => ({ ...s, replicas: zoneLossSurvivors(s.replicas, zones) }));
  const needed = integrate(need, from, to);
  return needed === 0 ? 1 : integralOfMin(need, survivors, from, to) / MINUTE_MS / needed;
}

/** Non-empty spans sorted and merged where they overlap or touch. */
function mergedSpans(spans: readonly { start: number; end: number }[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const s of [...spans].filter((x) => x.end > x.start).sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (last !== undefined && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/** The zone every window was written in, or UTC when they differ (weekly triggers are written in it). */
export function sharedZone(series: NeedSeries): string {
  const zones = new Set(series.windows.map((w) => w.timezone));
  const [only] = zones;
  return zones.size === 1 && only !== undefined ? only : CRON_TIMEZONE;
}

/**
 * Compiles every series against the profile's sizing and shares; `preProvisioned` picks the services whose nodes
 * placeholders pre-provision (default: `options.preProvision` for all).
 * @throws one `InputError` (source `compileAll`) listing every series that has no sizing and every invalid
 * input, each path prefixed with its series (`eu-west-2/api: sizing.minReplicas`).
 */
export function compileAll(
  series: readonly NeedSeries[],
  profile: LoadProfile,
  options: CompileOptions,
  preProvisioned: (service: string) => boolean = () => options.preProvision === true,
): CompileResult[] {
  const problems: Problem[] = [];
  const results: CompileResult[] = [];
  for (const s of series) {
    const sizing = profile.services[s.service];
    if (sizing === undefined) {
      problems.push({
        path: `profile.services.${s.service}`,
        value: undefined,
        rule: `required: series ${s.region}/${s.service} needs its sizing`,
      });
      continue;
    }
    try {
      const own = { ...options, preProvision: preProvisioned(s.service) };
      results.push(compileService(s, sizing, own, weightsFromProfile(profile, s.service)));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(...e.problems.map((p) => ({ ...p, path: `${s.region}/${s.service}: ${p.path}` })));
    }
  }
  throwIfProblems("compileAll", problems);
  return results;
}
