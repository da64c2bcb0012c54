/**
 * Synthetic load histories with a known truth: the bundled term generator's windows (or any given ones) turned
 * into per-step load, replicas and p95 latency per region and service by the model in `model.ts`. Seeded and
 * deterministic: the same options give the same history, CSV and truth on every machine.
 */
import { DateTime } from "luxon";
import { isoInstant, type CalendarWindow } from "../../calendar";
import { DAY_MS, HOUR_MS, MINUTE_MS, throwIfProblems, type Problem } from "../../core";
import { DEFAULT_OBJECTIVES } from "../../observability";
import { lognormalFactor, lognormalQuantile, normalSampler } from "../stats";
import type { History, HistoryPoint, HistorySeries } from "../types";
import {
  AUTOSCALER_UTILISATION,
  DEFAULT_NOISE,
  baselineAt,
  latencyP95,
  type LatencyCurve,
  type SyntheticNoise,
} from "./model";
import { historyCsv } from "./csv";
import { DEFAULT_TERM_REGIONS, generateTerm, seededRandom, type TermRegion } from "./term-generator";

/** The unit of every synthetic history. */
export const SYNTHETIC_UNIT = "concurrent learners";

/** kind -> service -> share of a window's learners, the truth when none is given. */
export const DEFAULT_SYNTHETIC_SHARES: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  lecture: { api: 0.6, video: 0.4 },
  exam: { api: 0.8, video: 0.05 },
  launch: { api: 0.9, video: 0.7 },
  enrollment: { api: 1, video: 0.1 },
  live: { api: 0.5, video: 0.8 },
};

/** The per-window share quantiles the truth states (and the learner's `kinds` may pick from). */
export const TRUTH_QUANTILES = [0.5, 0.9, 0.99] as const;

export interface SynthesizeOptions {
  /** Seed of every random draw (term, attendance, noise, autoscaler). @default 1 */
  readonly seed?: number;
  /** Weeks of history. @default 3 */
  readonly weeks?: number;
  /**
   * The term week the history starts with (Monday 00:00 UTC): 0 is the enrollment week before teaching, 1 the
   * first teaching week, 13 and 14 the exam weeks. Ignored with `windows`. @default 0
   */
  readonly startWeek?: number;
  /** Minutes per row; divides 60. @default 5 */
  readonly stepMinutes?: number;
  /** Regions and their zones (the baseline follows local time). @default us-east-1 (New York) and eu-west-2 (London) */
  readonly regions?: readonly TermRegion[];
  /** Services of every region. @default ["api", "video"] */
  readonly services?: readonly string[];
  /** kind -> service -> true share. @default DEFAULT_SYNTHETIC_SHARES */
  readonly shares?: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** service -> true capacity (load per replica at the latency objective). @default api 40, video 25 */
  readonly capacities?: Readonly<Record<string, number>>;
  /** service -> baseline peak per region (load). @default api 300, video 150 */
  readonly peaks?: Readonly<Record<string, number>>;
  /** p95 at the objective, ms. @default the observability module's standard tier objective */
  readonly latencyObjectiveMs?: number;
  /** p95 of an idle replica, ms. @default 60 */
  readonly latencyBaseMs?: number;
  readonly noise?: SyntheticNoise;
  /** Course sections the term generator spreads over the regions. @default 40 */
  readonly sections?: number;
  /** Windows to use instead of the generated term's; the history starts the Monday (UTC) of the first. */
  readonly windows?: readonly CalendarWindow[];
  /** The history's file name (History.file and the CSV's header). @default "synthetic.csv" */
  readonly file?: string;
}

/** What generated the history: enough to check a learner against it. JSON-serialisable (`truth.json`). */
export interface SyntheticTruth {
  readonly seed: number;
  readonly unit: string;
  readonly from: string;
  readonly to: string;
  readonly stepMinutes: number;
  readonly shares: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** kind -> service -> String(q) -> the q-quantile of one window's share (share x attendance quantile). */
  readonly windowShares: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, number>>>>>>;
  readonly attendance: {
    readonly distribution: "lognormal";
    readonly mean: 1;
    readonly sd: number;
    /** occurrenceId -> the window's attendance factor. */
    readonly factors: Readonly<Record<string, number>>;
  };
  readonly capacity: Readonly<Record<string, LatencyCurve>>;
  /** region -> service -> the baseline's zone and peak (`syntheticBaseline` evaluates it). */
  readonly baseline: Readonly<Record<string, Readonly<Record<string, { zone: string; peak: number }>>>>;
  readonly noise: Required<SyntheticNoise>;
  /** kind -> windows of that kind in the history. */
  readonly windowsByKind: Readonly<Record<string, number>>;
}

export interface SyntheticHistory {
  readonly history: History;
  /** The history as format A CSV (what `loadHistoryFile` reads back). */
  readonly csv: string;
  readonly truth: SyntheticTruth;
  /** The calendar windows that drove it (those overlapping the history), with unique event ids. */
  readonly windows: readonly CalendarWindow[];
}

const DEFAULT_CAPACITIES: Readonly<Record<string, number>> = { api: 40, video: 25 };
const DEFAULT_PEAKS: Readonly<Record<string, number>> = { api: 300, video: 150 };
const SOURCE = "synthesizeHistory options";

/** The true baseline (before noise) of a synthetic series at `instant`. */
export function syntheticBaseline(
  truth: SyntheticTruth,
  region: string,
  service: string,
  instant: number,
): number {
  const b = truth.baseline[region]?.[service];
  if (b === undefined) return 0;
  const local = DateTime.fromMillis(instant, { zone: b.zone });
  return baselineAt(b.peak, (local.weekday - 1) * 1440 + local.hour * 60 + local.minute + local.second / 60);
}

/** Generates a synthetic history. Throws one `InputError` (source `synthesizeHistory options`) on bad options. */
export function synthesizeHistory(options: SynthesizeOptions = {}): SyntheticHistory {
  const seed = options.seed ?? 1;
  const weeks = options.weeks ?? 3;
  const startWeek = options.startWeek ?? 0;
  const stepMinutes = options.stepMinutes ?? 5;
  const regions = options.regions ?? DEFAULT_TERM_REGIONS.slice(0, 2);
  const services = options.services ?? ["api", "video"];
  const shares = options.shares ?? DEFAULT_SYNTHETIC_SHARES;
  const noise = { ...DEFAULT_NOISE, ...options.noise };
  const objectiveMs = options.latencyObjectiveMs ?? DEFAULT_OBJECTIVES.standard.latencyMs;
  const baseMs = options.latencyBaseMs ?? 60;
  const capacities = services.map((s) => options.capacities?.[s] ?? DEFAULT_CAPACITIES[s] ?? 30);
  const peaks = services.map((s) => options.peaks?.[s] ?? DEFAULT_PEAKS[s] ?? 100);
  const problems = optionProblems({
    weeks,
    startWeek,
    stepMinutes,
    services,
    capacities,
    peaks,
    objectiveMs,
    baseMs,
    noise,
  });
  throwIfProblems(SOURCE, problems);

  const termRegions = regions.map((r) => ({ ...r, share: r.share > 0 ? r.share : 1 }));
  const term =
    options.windows === undefined
      ? generateTerm({ seed, sections: options.sections ?? 40, regions: termRegions })
      : undefined;
  const source = options.windows ?? term!.windows;
  const from =
    term !== undefined
      ? Date.parse("2026-09-07T00:00:00Z") + (startWeek - 1) * 7 * DAY_MS
      : mondayUtc(Math.min(...source.map((w) => w.start)));
  const to = from + weeks * 7 * DAY_MS;
  const known = new Set(regions.map((r) => r.region));
  const windows = uniqueIds(source.filter((w) => known.has(w.region) && w.start < to && w.end > from));

  const attendanceRnd = normalSampler(seededRandom(seed * 7 + 1));
  const factors: Record<string, number> = {};
  for (const w of windows) factors[w.occurrenceId] = lognormalFactor(attendanceRnd(), noise.attendance);

  const stepMs = stepMinutes * MINUTE_MS;
  const steps = (to - from) / stepMs;
  const series: HistorySeries[] = [];
  const noiseRnd = normalSampler(seededRandom(seed * 7 + 2));
  const scalerRnd = seededRandom(seed * 7 + 3);
  for (const region of [...regions].sort((a, b) => (a.region < b.region ? -1 : 1))) {
    const minuteOfWeek = localMinutes(region.timezone, from, steps, stepMs);
    const mine = windows.filter((w) => w.region === region.region);
    services
      .map((service, i) => ({ service, i }))
      .sort((a, b) => (a.service < b.service ? -1 : 1))
      .forEach(({ service, i }) => {
        const expected = Float64Array.from(minuteOfWeek, (m) => baselineAt(peaks[i], m));
        for (const w of mine) {
          const share = shares[w.kind]?.[service] ?? 0;
          if (share === 0) continue;
          const add = w.learners * share * factors[w.occurrenceId];
          const first = Math.max(0, Math.floor((w.start - from) / stepMs));
          const last = Math.min(steps - 1, Math.ceil((w.end - from) / stepMs) - 1);
          for (let k = first; k <= last; k++) {
            const t = from + k * stepMs;
            expected[k] += (add * (Math.min(w.end, t + stepMs) - Math.max(w.start, t))) / stepMs;
          }
        }
        const curve: LatencyCurve = { capacity: capacities[i], objectiveMs, baseMs };
        series.push({
          region: region.region,
          service,
          points: observe(expected, from, stepMs, curve, noise, noiseRnd, scalerRnd),
        });
      });
  }
  const file = options.file ?? "synthetic.csv";
  const history: History = {
    file,
    unit: SYNTHETIC_UNIT,
    synthetic: true,
    stepMs,
    series,
    from,
    to,
    gaps: [],
  };
  const truth = buildTruth({
    seed,
    from,
    to,
    stepMinutes,
    shares,
    noise,
    factors,
    windows,
    regions,
    services,
    capacities,
    peaks,
    objectiveMs,
    baseMs,
  });
  const description =
    `seed ${seed}, ${weeks} weeks from ${isoInstant(from)}, ${windows.length} windows` +
    (term !== undefined ? ` of the term generator (${options.sections ?? 40} sections)` : "");
  // The CSV is written when asked for: most callers (the tests) use the in-memory history.
  return {
    history,
    get csv() {
      return historyCsv(history, description);
    },
    truth,
    windows,
  };
}

/** Noisy load, the autoscaler's replicas and p95 per step, rounded as the CSV writes them. */
function observe(
  expected: Float64Array,
  from: number,
  stepMs: number,
  curve: LatencyCurve,
  noise: Required<SyntheticNoise>,
  normal: () => number,
  uniform: () => number,
): HistoryPoint[] {
  const points: HistoryPoint[] = [];
  let utilisation = 1;
  let previous = expected[0];
  const stepsPerHour = HOUR_MS / stepMs;
  for (let k = 0; k < expected.length; k++) {
    if (k % stepsPerHour === 0)
      utilisation =
        AUTOSCALER_UTILISATION.low + (AUTOSCALER_UTILISATION.high - AUTOSCALER_UTILISATION.low) * uniform();
    const load = round(Math.max(0, expected[k] * (1 + noise.load * normal())), 2);
    const replicas = Math.max(1, Math.ceil(previous / (utilisation * curve.capacity)));
    const p95Ms = round(latencyP95(curve, load / replicas) * Math.max(0.05, 1 + noise.latency * normal()), 1);
    points.push({ time: from + k * stepMs, load, replicas, p95Ms });
    previous = load;
  }
  return points;
}

function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

/**
 * Local minutes since Monday 00:00 at each step's midpoint. The zone's offset is looked up at each UTC midnight
 * and, on the rare day whose next midnight differs (a daylight-saving change), at each hour of that day.
 */
function localMinutes(zone: string, from: number, steps: number, stepMs: number): Float64Array {
  const offsetAt = (t: number): number => DateTime.fromMillis(t, { zone }).offset * MINUTE_MS;
  const daily = new Map<number, number>();
  const hourly = new Map<number, number>();
  const dayOffset = (day: number): number => {
    let o = daily.get(day);
    if (o === undefined) daily.set(day, (o = offsetAt(day * DAY_MS)));
    return o;
  };
  return Float64Array.from({ length: steps }, (_, k) => {
    const t = from + k * stepMs + stepMs / 2;
    const day = Math.floor(t / DAY_MS);
    let offset = dayOffset(day);
    if (dayOffset(day + 1) !== offset) {
      const hour = Math.floor(t / HOUR_MS);
      let o = hourly.get(hour);
      if (o === undefined) hourly.set(hour, (o = offsetAt(hour * HOUR_MS)));
      offset = o;
    }
    const local = t + offset;
    // Epoch day 0 (1970-01-01) was a Thursday, weekday 3 counting Monday as 0.
    const weekday = (((Math.floor(local / DAY_MS) + 3) % 7) + 7) % 7;
    return weekday * 1440 + (((local % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS;
  });
}

function mondayUtc(instant: number): number {
  const day = Math.floor(instant / DAY_MS);
  return (day - ((day + 3) % 7)) * DAY_MS;
}

/**
 * Every window its own event id (`<event>~<n>`), so the windows write to a JSON calendar (ids unique) and read
 * back with the same occurrence ids.
 */
function uniqueIds(windows: readonly CalendarWindow[]): CalendarWindow[] {
  const seen = new Map<string, number>();
  return [...windows]
    .sort((a, b) => a.start - b.start || (a.occurrenceId < b.occurrenceId ? -1 : 1))
    .map((w) => {
      const n = (seen.get(w.eventId) ?? 0) + 1;
      seen.set(w.eventId, n);
      const eventId = `${w.eventId}~${n}`;
      return {
        ...w,
        eventId,
        occurrenceId: `${eventId}@${new Date(w.start).toISOString()}`,
        source: { file: "synthetic" },
      };
    });
}

function optionProblems(o: {
  weeks: number;
  startWeek: number;
  stepMinutes: number;
  services: readonly string[];
  capacities: readonly number[];
  peaks: readonly number[];
  objectiveMs: number;
  baseMs: number;
  noise: Required<SyntheticNoise>;
}): Problem[] {
  const problems: Problem[] = [];
  const check = (ok: boolean, path: string, value: unknown, rule: string): void => {
    if (!ok) problems.push({ path, value, rule });
  };
  check(
    Number.isInteger(o.weeks) && o.weeks >= 1 && o.weeks <= 20,
    "weeks",
    o.weeks,
    "must be an integer in 1..20",
  );
  check(
    Number.isInteger(o.startWeek) && o.startWeek >= 0 && o.startWeek <= 14,
    "startWeek",
    o.startWeek,
    "must be an integer in 0..14 (the term's weeks)",
  );
  check(
    [1, 2, 5, 10, 15, 30, 60].includes(o.stepMinutes),
    "stepMinutes",
    o.stepMinutes,
    "must be one of 1, 2, 5, 10, 15, 30, 60 (divides an hour)",
  );
  check(o.services.length > 0, "services", o.services, "must name at least one service");
  o.services.forEach((s, i) => {
    check(o.capacities[i] > 0, `capacities.${s}`, o.capacities[i], "must be > 0");
    check(o.peaks[i] >= 0, `peaks.${s}`, o.peaks[i], "must be >= 0");
  });
  check(
    o.baseMs > 0 && o.baseMs < o.objectiveMs,
    "latencyBaseMs",
    o.baseMs,
    `must be > 0 and below the objective ${o.objectiveMs} ms`,
  );
  for (const [key, value] of Object.entries(o.noise))
    check(value >= 0 && value < 1, `noise.${key}`, value, "must be in [0, 1)");
  return problems;
}

function buildTruth(o: {
  seed: number;
  from: number;
  to: number;
  stepMinutes: number;
  shares: Readonly<Record<string, Readonly<Record<string, number>>>>;
  noise: Required<SyntheticNoise>;
  factors: Record<string, number>;
  windows: readonly CalendarWindow[];
  regions: readonly TermRegion[];
  services: readonly string[];
  capacities: readonly number[];
  peaks: readonly number[];
  objectiveMs: number;
  baseMs: number;
}): SyntheticTruth {
  const windowShares = Object.fromEntries(
    Object.entries(o.shares).map(([kind, byService]) => [
      kind,
      Object.fromEntries(
        Object.entries(byService).map(([service, share]) => [
          service,
          Object.fromEntries(
            TRUTH_QUANTILES.map((q) => [String(q), share * lognormalQuantile(o.noise.attendance, q)]),
          ),
        ]),
      ),
    ]),
  );
  const windowsByKind: Record<string, number> = {};
  for (const w of o.windows) windowsByKind[w.kind] = (windowsByKind[w.kind] ?? 0) + 1;
  return {
    seed: o.seed,
    unit: SYNTHETIC_UNIT,
    from: isoInstant(o.from),
    to: isoInstant(o.to),
    stepMinutes: o.stepMinutes,
    shares: o.shares,
    windowShares,
    attendance: { distribution: "lognormal", mean: 1, sd: o.noise.attendance, factors: o.factors },
    capacity: Object.fromEntries(
      o.services.map((s, i) => [
        s,
        { capacity: o.capacities[i], objectiveMs: o.objectiveMs, baseMs: o.baseMs },
      ]),
    ),
    baseline: Object.fromEntries(
      o.regions.map((r) => [
        r.region,
        Object.fromEntries(o.services.map((s, i) => [s, { zone: r.timezone, peak: o.peaks[i] }])),
      ]),
    ),
    noise: o.noise,
    windowsByKind,
  };
}
