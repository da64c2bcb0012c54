/**
 * Learning a load profile from a history and the calendar that ran during it, on [history.from, until) only:
 * per region and service a seasonal baseline (baseline-fit.ts), per kind and service the attendance share
 * (attendance.ts), per service the capacity at its latency objective (capacity.ts). The result is a profile in
 * the calendar's schema plus `baseline` and `learned`, a concise report and the data of the fit plot.
 */
import {
  BASELINE_SLOT_MINUTES,
  isoInstant,
  type BaselineSeries,
  type CalendarWindow,
  type FitQuality,
  type LearnedEstimate,
  type LearnedProvenance,
  type LoadProfile,
  type ServiceProfile,
} from "../../calendar";
import { DAY_MS, MINUTE_MS, throwIfProblems, type Problem } from "../../core";
import { DEFAULT_OBJECTIVES } from "../../observability";
import { seededRandom } from "../synthetic/term-generator";
import type { History } from "../types";
import { fitAttendance } from "./attendance";
import { fitBaseline } from "./baseline-fit";
import { fitCapacity, type CapacityFit } from "./capacity";
import { seriesFit } from "./fit-quality";
import { seriesGrid, stepSlots } from "./grid";
import type { LearnOptions, LearnResult, LearnedSeries } from "./types";
import { plotLearned } from "./plot";
import { learnReport } from "./report";

/** The unit of a hand-written profile: the calendar model counts learners. */
export const HAND_PROFILE_UNIT = "concurrent learners";

/** Sizing of a learned service the base profile does not size. */
export const DEFAULT_LEARNED_SERVICE: Omit<ServiceProfile, "learnersPerReplica"> = {
  minReplicas: 1,
  maxReplicas: 100,
  leadMinutes: 10,
  tailMinutes: 15,
};

const DEFAULT_QUANTILES = [0.5, 0.9, 0.99];

/** Fits the profile (synchronous; `learnProfile` adds the report and plot). Throws one InputError on bad input. */
export function fitProfile(
  history: History,
  windows: readonly CalendarWindow[],
  base: LoadProfile | undefined,
  options: LearnOptions,
): LearnResult {
  const source = options.source ?? "learnProfile options";
  const shareQuantile = options.shareQuantile ?? 0.99;
  const quantiles = options.quantiles ?? DEFAULT_QUANTILES;
  const stepMinutes = history.stepMs / MINUTE_MS;
  const slotMinutes = options.slotMinutes ?? Math.max(30, stepMinutes);
  const services = [...new Set(history.series.map((s) => s.service))].sort();
  throwIfProblems(
    source,
    optionProblems(history, options, { shareQuantile, quantiles, slotMinutes, services }),
  );

  const until = Math.min(options.until, history.to);
  const known = windows.filter((w) => w.start < until);
  const rnd = seededRandom(options.seed ?? 1);
  const rounds = options.rounds ?? 200;
  const baseUnit = base?.learned?.unit ?? HAND_PROFILE_UNIT;
  const sameUnit = base !== undefined && baseUnit === history.unit;
  const fallbacks: string[] = [];

  const learned: LearnedSeries[] = [];
  const attendance: Record<string, Record<string, LearnedEstimate>> = {};
  const capacity: Record<string, CapacityFit | { given: number }> = {};
  const sizing: Record<string, ServiceProfile> = {};
  const capacityProblems: Problem[] = [];
  const range = { from: history.from, until, stepMs: history.stepMs };
  const zones = new Map<string, string>();
  const slots = new Map<string, Int32Array>();
  for (const region of new Set(history.series.map((s) => s.region))) {
    zones.set(region, zoneOf(region, known, options.zones));
    slots.set(region, stepSlots(range, zones.get(region)!, slotMinutes));
  }
  for (const service of services) {
    const baseSizing = base?.services[service];
    const margins = baseSizing ?? DEFAULT_LEARNED_SERVICE;
    const grids = history.series
      .filter((s) => s.service === service)
      .map((s) => seriesGrid(s, range, zones.get(s.region)!, slots.get(s.region)!, known, margins));
    const fits = grids.map((g) => fitBaseline(g, slotMinutes, quantiles));
    const shares = fitAttendance(
      grids,
      fits.map((f, i) => Float64Array.from(grids[i].slot, (s) => f.level[s])),
      { quantiles: [...new Set([0.5, 0.9, shareQuantile])].sort((a, b) => a - b), rounds, rnd },
    );
    for (const [kind, estimate] of Object.entries(shares)) (attendance[kind] ??= {})[service] = estimate;
    const mean = Object.fromEntries(Object.entries(shares).map(([k, e]) => [k, e.estimate]));
    grids.forEach((g, i) => {
      const fit = seriesFit(g, fits[i].level, mean);
      learned.push({ grid: g, baseline: fits[i].series, level: fits[i].level, ...fit });
    });

    const given = options.capacity?.[service];
    const objective = objectiveOf(options.latencyMs, service);
    const fit = given === undefined ? fitCapacity(grids, objective, { rounds, rnd }) : undefined;
    let perReplica: number | undefined;
    if (given !== undefined) {
      capacity[service] = { given };
      perReplica = given;
    } else if (fit !== undefined) {
      capacity[service] = fit;
      perReplica = fit.low;
    } else if (baseSizing !== undefined && sameUnit) {
      perReplica = baseSizing.learnersPerReplica;
      fallbacks.push(
        `${service}: no replicas and p95_ms in the history; kept the base profile's ${perReplica} per replica`,
      );
    } else {
      capacityProblems.push({
        path: `capacity.${service}`,
        value: undefined,
        rule:
          `the history has no replicas and p95_ms for ${service} to learn its capacity from, and ` +
          (baseSizing === undefined
            ? "the base profile does not size it"
            : `the base profile's learnersPerReplica is in ${baseUnit}, not ${history.unit}`),
        fix: `pass --capacity ${service}=<load per replica in ${history.unit}>`,
      });
      continue;
    }
    sizing[service] = { ...DEFAULT_LEARNED_SERVICE, ...baseSizing, learnersPerReplica: round(perReplica, 4) };
    if (baseSizing === undefined)
      fallbacks.push(
        `${service}: not in the base profile; bounds, lead and tail are the defaults (min 1, max 100, lead 10, tail 15 min)`,
      );
  }
  throwIfProblems(source, capacityProblems);

  const kinds = learnedKinds(base, attendance, services, shareQuantile, sameUnit, fallbacks);
  const baselineSeries: Record<string, Record<string, BaselineSeries>> = {};
  const fit: Record<string, Record<string, FitQuality>> = {};
  for (const s of learned) {
    (baselineSeries[s.grid.region] ??= {})[s.grid.service] = s.baseline;
    (fit[s.grid.region] ??= {})[s.grid.service] = roundQuality(s.quality);
  }
  const provenance: LearnedProvenance = {
    unit: history.unit,
    synthetic: history.synthetic,
    history: { file: history.file, sha256: options.historySha256 ?? "" },
    ...(options.calendar !== undefined ? { calendar: options.calendar } : {}),
    trainedFrom: isoInstant(history.from),
    trainedTo: isoInstant(until),
    shareQuantile,
    attendance: roundEstimates(attendance),
    capacity: Object.fromEntries(
      Object.entries(capacity).flatMap(([s, c]) =>
        "given" in c ? [] : [[s, { ...roundEstimate(c), latencyObjectiveMs: c.latencyObjectiveMs }]],
      ),
    ),
    fit,
  };
  const profile: LoadProfile = {
    services: { ...base?.services, ...sizing },
    kinds,
    ...(base?.timing !== undefined ? { timing: base.timing } : {}),
    baseline: { quantiles, slotMinutes, series: baselineSeries },
    learned: provenance,
  };
  return { profile, series: learned, capacity, fallbacks };
}

/** The profile's kinds: learned shares at the share quantile where shown, the base's where the history cannot show them. */
function learnedKinds(
  base: LoadProfile | undefined,
  attendance: Readonly<Record<string, Readonly<Record<string, LearnedEstimate>>>>,
  services: readonly string[],
  shareQuantile: number,
  sameUnit: boolean,
  fallbacks: string[],
): Record<string, Record<string, number>> {
  const kinds: Record<string, Record<string, number>> = {};
  const learnedServices = new Set(services);
  for (const [kind, shares] of Object.entries(base?.kinds ?? {})) {
    for (const [service, share] of Object.entries(shares)) {
      if (!learnedServices.has(service)) (kinds[kind] ??= {})[service] = share;
      else if (attendance[kind]?.[service] === undefined) {
        if (sameUnit) {
          (kinds[kind] ??= {})[service] = share;
          fallbacks.push(
            `${kind} x ${service}: no window before --until; kept the base profile's share ${share}`,
          );
        } else
          fallbacks.push(
            `${kind} x ${service}: no window before --until; the base share ${share} is in another unit, dropped`,
          );
      }
    }
  }
  for (const [kind, shares] of Object.entries(attendance)) {
    for (const [service, e] of Object.entries(shares))
      (kinds[kind] ??= {})[service] = round(e.quantiles?.[String(shareQuantile)] ?? e.estimate, 4);
  }
  return kinds;
}

/** The zone of a region's baseline: the option, else the zone most of its windows are written in, else UTC. */
function zoneOf(
  region: string,
  windows: readonly CalendarWindow[],
  zones: Readonly<Record<string, string>> | undefined,
): string {
  const given = zones?.[region];
  if (given !== undefined) return given;
  const counts = new Map<string, number>();
  for (const w of windows) if (w.region === region) counts.set(w.timezone, (counts.get(w.timezone) ?? 0) + 1);
  let best = "Etc/UTC";
  let most = 0;
  for (const [zone, n] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
    if (n > most) [best, most] = [zone, n];
  return best;
}

function objectiveOf(latency: LearnOptions["latencyMs"], service: string): number {
  if (typeof latency === "number") return latency;
  return latency?.[service] ?? DEFAULT_OBJECTIVES.standard.latencyMs;
}

function optionProblems(
  history: History,
  options: LearnOptions,
  o: {
    shareQuantile: number;
    quantiles: readonly number[];
    slotMinutes: number;
    services: readonly string[];
  },
): Problem[] {
  const problems: Problem[] = [];
  const check = (ok: boolean, path: string, value: unknown, rule: string): void => {
    if (!ok) problems.push({ path, value, rule });
  };
  check(history.series.length > 0, "history", history.file, "must have at least one series");
  check(
    Number.isFinite(options.until) && options.until >= history.from + DAY_MS,
    "until",
    Number.isFinite(options.until) ? isoInstant(options.until) : options.until,
    `must leave at least a day of history after its start ${isoInstant(history.from)} (training is [start, until))`,
  );
  check(o.shareQuantile > 0 && o.shareQuantile < 1, "shareQuantile", o.shareQuantile, "must be in (0, 1)");
  check(
    o.quantiles.length > 0 &&
      o.quantiles.every((q, i) => q > 0 && q < 1 && (i === 0 || q > o.quantiles[i - 1])),
    "quantiles",
    o.quantiles,
    "must be ascending, each in (0, 1)",
  );
  const step = history.stepMs / MINUTE_MS;
  check(
    (BASELINE_SLOT_MINUTES as readonly number[]).includes(o.slotMinutes) && o.slotMinutes % step === 0,
    "slotMinutes",
    o.slotMinutes,
    `must be one of ${BASELINE_SLOT_MINUTES.join(", ")} and a multiple of the history's ${step}-minute step`,
  );
  const known = new Set(o.services);
  const perService = (
    name: "capacity" | "latencyMs",
    values: Readonly<Record<string, number>> | undefined,
  ): void => {
    for (const [service, v] of Object.entries(values ?? {})) {
      check(
        known.has(service),
        `${name}.${service}`,
        v,
        `must name a service of the history (${o.services.join(", ")})`,
      );
      check(Number.isFinite(v) && v > 0, `${name}.${service}`, v, "must be a number > 0");
    }
  };
  perService("capacity", options.capacity);
  if (typeof options.latencyMs === "number")
    check(
      Number.isFinite(options.latencyMs) && options.latencyMs > 0,
      "latencyMs",
      options.latencyMs,
      "must be a number > 0",
    );
  else perService("latencyMs", options.latencyMs);
  return problems;
}

function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

function roundEstimate(e: LearnedEstimate): LearnedEstimate {
  return {
    estimate: round(e.estimate, 4),
    low: round(e.low, 4),
    high: round(e.high, 4),
    samples: e.samples,
    ...(e.quantiles !== undefined
      ? { quantiles: Object.fromEntries(Object.entries(e.quantiles).map(([q, v]) => [q, round(v, 4)])) }
      : {}),
  };
}

function roundEstimates(
  byKind: Readonly<Record<string, Readonly<Record<string, LearnedEstimate>>>>,
): Record<string, Record<string, LearnedEstimate>> {
  return Object.fromEntries(
    Object.entries(byKind).map(([k, byService]) => [
      k,
      Object.fromEntries(Object.entries(byService).map(([s, e]) => [s, roundEstimate(e)])),
    ]),
  );
}

function roundQuality(q: FitQuality): FitQuality {
  return { slots: q.slots, r2: round(q.r2, 4), mae: round(q.mae, 3), relativeMae: round(q.relativeMae, 4) };
}

/**
 * Learns a profile, its report and its plot from `history` and `windows` on [history.from, until) only. `base`
 * gives the bounds, lead and tail, and the shares the history cannot show.
 */
export async function learnProfile(
  history: History,
  windows: readonly CalendarWindow[],
  base: LoadProfile | undefined,
  options: LearnOptions,
): Promise<{ profile: LoadProfile; report: string; plotSvg: string; result: LearnResult }> {
  const result = fitProfile(history, windows, base, options);
  const seen = windows.filter((w) => w.start < Math.min(options.until, history.to)).length;
  const report = learnReport(result, {
    history,
    ...(options.calendar !== undefined ? { calendar: { file: options.calendar.file, windows: seen } } : {}),
  });
  const plotSvg = await plotLearned(result, `Semester learned profile: ${history.file}`);
  return { profile: result.profile, report, plotSvg, result };
}
