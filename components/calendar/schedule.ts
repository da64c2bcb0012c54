/**
 * The calendar pipeline end to end, shared by `npm run calendar` and the Pulumi program: load the profile and the
 * calendar, model the need per region and service over the horizon (within the stack's replica bounds when
 * compiling for a stack) and compile it into KEDA cron triggers. Pure apart from reading the two input files;
 * writes nothing. The ScaledObjects that carry the triggers are built by `kubernetes/keda` alone.
 */
import type { CompileResult, LoadProfile, NeedSeries, TimingModel, CalendarWindow } from "./types";
import type { HpaBehavior } from "../kubernetes";
import { loadCalendarFile, loadProfileFile } from "./input/load";
import {
  InputError,
  throwIfProblems,
  type Problem,
  DAY_MS,
  DEFAULT_TRIGGER_BUDGET,
  MAX_HORIZON_DAYS,
  type OverCapacity,
} from "../core";
import {
  describeWindow,
  needSeries,
  replicaCount,
  shortfallWarning,
  shortfalls,
  type ReplicaBounds,
  type Shortfall,
} from "./model/need";
import { compileAll } from "./compile/compile";
import { allowedKinds, profileTiming } from "./input/profile";
import { windowRegionPath } from "./input/problems";
import { forecastReplicas, quantileKey } from "./model/baseline";

/** @internal The replica bounds a stack sets, which the calendar compiles against instead of the profile's. */
export interface StackBounds {
  /** The stack file, for messages (`stacks/Pulumi.prod.yaml`). */
  readonly file: string;
  /** Bounds per service (`semester:services.<svc>.minReplicas/maxReplicas`, raised to the tier floor). */
  readonly services: Readonly<Record<string, ReplicaBounds>>;
  /**
   * A window that needs more than a service's maxReplicas: a warning (the schedule caps it there) or an
   * `InputError` naming the stack file and the key. @default "warn"
   */
  readonly overCapacity?: OverCapacity;
  /**
   * Static stability as the stack decides it: which services get zone-loss headroom, over how many zones in each
   * region (`semester:services.<svc>.staticStability`, `semester:regions[].availabilityZones`). It replaces the
   * profile's `zoneSpread` for the services the stack bounds. @default - none: no headroom for them
   */
  readonly staticStability?: {
    readonly services: readonly string[];
    readonly zones: Readonly<Record<string, number>>;
  };
}

export interface CompileCalendarOptions {
  /** An iCalendar (`.ics`) or JSON (`.json`) calendar. */
  readonly calendarPath: string;
  /** The load profile (JSON). */
  readonly profilePath: string;
  /** The calendar as the user named it, the source of its problems. @default calendarPath */
  readonly calendarName?: string;
  /** The profile as the user named it, the source of its problems. @default profilePath */
  readonly profileName?: string;
  /**
   * Regions to schedule; windows of other regions are an error.
   * @default - every region the calendar names
   */
  readonly regions?: readonly string[];
  /**
   * Region of events that name none.
   * @default - none: every event must name its region
   */
  readonly defaultRegion?: string;
  /**
   * Services to schedule; each must be a profile service.
   * @default - every service of the profile
   */
  readonly services?: readonly string[];
  /**
   * Serve the windows of a calendar region from another region, e.g. `{"ap-northeast-1": "eu-west-2"}` in a
   * one-region dev stack. @default {} (every window's region must be one of `regions`)
   */
  readonly regionAliases?: Readonly<Record<string, string>>;
  /**
   * Allow weekly (day-of-week) triggers where they schedule fewer replica-minutes (see `weekly.ts`).
   * @default false
   */
  readonly weeklyPatterns?: boolean;
  /** Start of the horizon, epoch ms UTC. */
  readonly from: number;
  /** Length of the horizon in days, 1..MAX_HORIZON_DAYS. */
  readonly days: number;
  /**
   * At most this many cron triggers per ScaledObject.
   * @default 40 (as the stack config's `semester:calendar.triggerBudget`)
   */
  readonly budget?: number;
  /**
   * HPA behavior the ScaledObjects get; the ramp model reads it.
   * @default DEFAULT_BEHAVIOR (kubernetes/keda)
   */
  readonly behavior?: HpaBehavior;
  /**
   * Services whose nodes are pre-provisioned by placeholders (compile/pre-provision.ts): their leads end with
   * preemption and pod start-up, and each result carries its placeholders' schedule.
   * @default [] (none)
   */
  readonly preProvision?: readonly string[];
  /**
   * The quantile of the learned baseline's forecast the schedule provides for (one the profile's
   * `baseline.quantiles` carries). Only with a learned profile (`npm run learn`).
   * @default - the baseline's highest quantile; none without a baseline
   */
  readonly forecastQuantile?: number;
  /**
   * Where `forecastQuantile` was set, for its problems: a stack file and key, or a command line and flag.
   * @default { source: "compileCalendar options", path: "forecastQuantile" }
   */
  readonly forecastQuantileSource?: { readonly source: string; readonly path: string };
  /**
   * Compile for a stack: its bounds replace the profile's minReplicas/maxReplicas for the services it bounds, and
   * a window needing more than the stack allows is a warning or an error (`overCapacity`).
   * @default - none: the profile's bounds (standalone use)
   */
  readonly stack?: StackBounds;
}

export interface CalendarSchedule {
  readonly horizon: { readonly from: number; readonly to: number };
  readonly profile: LoadProfile;
  readonly timing: TimingModel;
  readonly budget: number;
  readonly windows: readonly CalendarWindow[];
  /** Need per region and service, sorted by region then service. */
  readonly series: readonly NeedSeries[];
  /** One result per series, in the same order; warnings hold the windows over capacity and the compiler's others. */
  readonly results: readonly CompileResult[];
  /** Every series' warnings (windows over capacity, windows cut by the horizon), in series order. */
  readonly warnings: readonly string[];
}

/** @internal The source of problems with `compileCalendar`'s own options. */
export const CALENDAR_OPTIONS = "compileCalendar options";

/** @internal Problems with the horizon and budget, each with its option path, value and rule. */
export function scheduleOptionProblems(
  options: Pick<CompileCalendarOptions, "from" | "days" | "budget">,
): Problem[] {
  const problems: Problem[] = [];
  if (!Number.isFinite(options.from))
    problems.push({ path: "from", value: options.from, rule: "must be an instant (epoch ms)" });
  if (!Number.isInteger(options.days) || options.days < 1 || options.days > MAX_HORIZON_DAYS) {
    problems.push({
      path: "days",
      value: options.days,
      rule:
        `must be an integer in 1..${MAX_HORIZON_DAYS} ` +
        "(date-specific cron triggers recur yearly, so the horizon stays under a year)",
    });
  }
  const budget = options.budget;
  if (budget !== undefined && (!Number.isInteger(budget) || budget < 1)) {
    problems.push({
      path: "budget",
      value: budget,
      rule: "must be an integer >= 1 (cron triggers per ScaledObject)",
    });
  }
  return problems;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Loads, models and compiles a calendar over [from, from + days).
 * @throws one `InputError` per input: the options, the profile or the calendar, each with all its problems.
 */
export function compileCalendar(options: CompileCalendarOptions): CalendarSchedule {
  throwIfProblems(CALENDAR_OPTIONS, scheduleOptionProblems(options));
  const budget = options.budget ?? DEFAULT_TRIGGER_BUDGET;
  const horizon = { from: options.from, to: options.from + options.days * DAY_MS };

  const profileName = options.profileName ?? options.profilePath;
  const fullProfile = loadProfileFile(options.profilePath, profileName);
  const sized = Object.keys(fullProfile.services);
  throwIfProblems(
    profileName,
    (options.services ?? [])
      .filter((s) => !(s in fullProfile.services))
      .map((s) => ({
        path: `services.${s}`,
        value: undefined,
        rule: `required: the calendar schedules ${s} (\`services\`), so the profile must size it`,
        fix: `size it, or schedule only services the profile sizes: ${sized.join(", ")}`,
      })),
  );
  const profile = withBounds(restrictServices(fullProfile, options.services), options.stack);
  const aliases = options.regionAliases ?? {};
  const aliased = Object.keys(aliases).length > 0;
  const loaded = loadCalendarFile(options.calendarPath, {
    file: options.calendarName ?? options.calendarPath,
    kinds: allowedKinds(profile),
    horizon,
    ...(options.defaultRegion !== undefined ? { defaultRegion: options.defaultRegion } : {}),
    // With aliases the loader may see any region; the check happens after mapping, below.
    ...(options.regions !== undefined && !aliased ? { regions: options.regions } : {}),
  });
  const windows = aliased ? serveThroughAliases(loaded, aliases, options) : loaded;
  const regions = [...(options.regions ?? new Set(windows.map((w) => w.region)))].sort(byName);
  const zones = seriesZones(profile, options.stack);
  const quantile = forecastQuantile(
    profile,
    options.forecastQuantile,
    profileName,
    options.forecastQuantileSource ?? { source: CALENDAR_OPTIONS, path: "forecastQuantile" },
  );
  const forecast =
    quantile === undefined
      ? undefined
      : (region: string, service: string) => {
          const replicas = forecastReplicas(profile, region, service, quantile, horizon);
          return replicas === undefined ? undefined : { quantile, replicas };
        };
  const series = [
    ...needSeries(windows, profile, { regions, horizon, zones, ...(forecast ? { forecast } : {}) }),
  ].sort((a, b) => byName(a.region, b.region) || byName(a.service, b.service));
  const over = series.map((x) => shortfalls(x, profile));
  if (options.stack?.overCapacity === "error" && over.some((x) => x.length > 0)) {
    throw new InputError(options.stack.file, over.flat().map(overCapacityProblem));
  }
  const timing = profileTiming(profile);
  const preProvisioned = new Set(options.preProvision ?? []);
  const compiled = compileAll(
    series,
    profile,
    {
      triggerBudget: budget,
      timing,
      horizon,
      ...(options.behavior !== undefined ? { behavior: options.behavior } : {}),
      ...(options.weeklyPatterns ? { weeklyPatterns: true } : {}),
    },
    (service) => preProvisioned.has(service),
  );
  const results = compiled.map((r, i) => ({
    ...r,
    warnings: [
      ...(quantile !== undefined && series[i]!.forecast === undefined
        ? [
            `${r.schedule.service} in ${r.schedule.region}: the learned baseline has no series for it; the calendar alone sizes it`,
          ]
        : []),
      ...over[i]!.map((f) => overCapacityWarning(f, options.stack?.file)),
      ...r.warnings.map((w) => `${r.schedule.service} in ${r.schedule.region}: ${w}`),
    ],
  }));
  const warnings = results.flatMap((r) => r.warnings);
  return { horizon, profile, timing, budget, windows, series, results, warnings };
}

/**
 * The forecast quantile to compile for: the one asked, which the profile's baseline must carry, or its highest;
 * undefined without a baseline. Asking for one without a baseline is an error of the option.
 */
function forecastQuantile(
  profile: LoadProfile,
  asked: number | undefined,
  profileName: string,
  where: { readonly source: string; readonly path: string },
): number | undefined {
  const baseline = profile.baseline;
  if (asked === undefined) return baseline?.quantiles[baseline.quantiles.length - 1];
  const rule =
    baseline === undefined
      ? `needs a learned profile with a baseline; ${profileName} has none (npm run learn writes one)`
      : quantileKey(baseline, asked) === undefined
        ? `must be one of the quantiles ${profileName}'s baseline carries: ${baseline.quantiles.join(", ")}`
        : undefined;
  throwIfProblems(where.source, rule === undefined ? [] : [{ path: where.path, value: asked, rule }]);
  return asked;
}

/**
 * Moves windows of regions the stack does not run to the region that serves them (`regionAliases`), and
 * refuses any window whose region is still not one of `regions`, naming the event.
 */
function serveThroughAliases(
  windows: readonly CalendarWindow[],
  aliases: Readonly<Record<string, string>>,
  options: CompileCalendarOptions,
): CalendarWindow[] {
  const mapped = windows.map((w) => (aliases[w.region] ? { ...w, region: aliases[w.region]! } : w));
  if (options.regions === undefined) return mapped;
  const allowed = new Set(options.regions);
  const runs = [...allowed].join(", ");
  // One problem per event: its windows all carry the region it names.
  const stray = new Map<string, Problem>();
  windows.forEach((w, i) => {
    const path = windowRegionPath(w);
    if (allowed.has(mapped[i]!.region) || stray.has(path)) return;
    stray.set(path, {
      path,
      value: w.region,
      rule: `must be a region this stack runs (${runs}) or one \`semester:calendar.regionAliases\` maps to one`,
      fix: `serve it from one of ${runs} with \`semester:calendar.regionAliases\``,
    });
  });
  throwIfProblems(options.calendarName ?? options.calendarPath, [...stray.values()]);
  return mapped;
}

/**
 * @internal The zones each region's service spreads over for static stability: the stack's decision for the
 * services it bounds, the profile's `zoneSpread` otherwise.
 */
export function seriesZones(
  profile: LoadProfile,
  stack: StackBounds | undefined,
): (region: string, service: string) => number | undefined {
  const stable = new Set(stack?.staticStability?.services ?? []);
  return (region, service) => {
    if (stack === undefined || !(service in stack.services))
      return profile.services[service]?.zoneSpread?.zones;
    return stable.has(service) ? stack.staticStability?.zones[region] : undefined;
  };
}

/** The profile with only `services` (and their shares) kept; the whole profile when `services` is undefined. */
function restrictServices(profile: LoadProfile, services: readonly string[] | undefined): LoadProfile {
  if (services === undefined) return profile;
  const keep = new Set(services);
  return {
    ...profile,
    services: Object.fromEntries(Object.entries(profile.services).filter(([s]) => keep.has(s))),
    kinds: Object.fromEntries(
      Object.entries(profile.kinds).map(([kind, shares]) => [
        kind,
        Object.fromEntries(Object.entries(shares).filter(([s]) => keep.has(s))),
      ]),
    ),
  };
}

/** The profile with the stack's bounds in place of its own, for the services the stack bounds. */
function withBounds(profile: LoadProfile, stack: StackBounds | undefined): LoadProfile {
  if (stack === undefined) return profile;
  return {
    ...profile,
    services: Object.fromEntries(
      Object.entries(profile.services).map(([name, sizing]) => {
        const bounds = stack.services[name];
        return [name, bounds === undefined ? sizing : { ...sizing, ...bounds }];
      }),
    ),
  };
}

/** The warning for a window over capacity, naming the stack's key when compiling for a stack. */
function overCapacityWarning(f: Shortfall, stackFile: string | undefined): string {
  return stackFile === undefined
    ? shortfallWarning(f)
    : shortfallWarning(
        f,
        `the stack allows ${f.maxReplicas} (${stackFile} \`semester:services.${f.service}.maxReplicas\`)`,
      );
}

/** A window over capacity as a problem of the stack's key (`semester:calendar.overCapacity: error`). */
function overCapacityProblem(f: Shortfall): Problem {
  return {
    path: `semester:services.${f.service}.maxReplicas`,
    value: f.maxReplicas,
    rule:
      f.zones === undefined
        ? `must cover the calendar: ${describeWindow(f.window)} needs ${replicaCount(f.peak)} of ${f.service} in ${f.region} at its peak`
        : `must cover the calendar: ${describeWindow(f.window)} needs ${replicaCount(f.need ?? f.peak)} of ${f.service} in ${f.region} at its peak, ${f.peak} with the headroom to survive a zone loss (${f.zones} zones, \`semester:services.${f.service}.staticStability\`)`,
    fix: `raise it to at least ${f.peak}, or set \`semester:calendar.overCapacity\` to "warn" to cap the window at ${f.maxReplicas}`,
  };
}
