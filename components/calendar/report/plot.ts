/**
 * The capacity plot: need, required and scheduled replicas over time (and, for statically stable services, the
 * zone-loss headroom inside required as a line of its own; with a learned profile, the level its forecast alone
 * requires), one small multiple per region (row) and
 * service (column), calendar windows shaded by kind behind the step lines, UTC day ticks, and each panel titled
 * with its coverage and excess.
 *
 * Rendered with Vega-Lite 5 / Vega 5 (their CommonJS builds run headless in Node 20, with no canvas and no
 * network) to a self-contained SVG. Series are downsampled before plotting to a max-envelope at about one bucket
 * per pixel: the peak of every bucket survives, so a short spike is never hidden, and since the same buckets are
 * used for every line, "scheduled covers need" still holds point for point on the picture.
 */
import type { TopLevelSpec } from "vega-lite";
import type { CalendarWindow, CompileResult, NeedSeries, Segment } from "../types";
import { formatCoverage, isoInstant } from "./capacity-plan";
import { DAY_MS, MINUTE_MS } from "../../core";

/** @internal Options of the plot's layout. */
export interface PlotOptions {
  /**
   * Target width of the whole figure in pixels; panels share it by service.
   * @default 1400
   */
  readonly width?: number;
  /**
   * Height of one panel in pixels.
   * @default 150
   */
  readonly panelHeight?: number;
  /**
   * Figure title.
   * @default "Semester capacity plan"
   */
  readonly title?: string;
}

/** @internal */
export interface PlotInput {
  /** The horizon [from, to), epoch ms UTC. */
  readonly horizon: { readonly from: number; readonly to: number };
  readonly series: readonly NeedSeries[];
  readonly results: readonly CompileResult[];
}

/** @internal A point of a step line (`step-after`): the value holds from `t` until the next point. */
export interface StepPoint {
  readonly t: number;
  readonly replicas: number;
}

/** @internal A shaded interval of windows of one kind. */
export interface Band {
  readonly start: number;
  readonly end: number;
  readonly kind: string;
}

const LINES = ["need", "required", "scheduled", "headroom", "forecast"] as const;
const LINE_COLORS: Record<(typeof LINES)[number], string> = {
  need: "#1f2937",
  required: "#e8590c",
  scheduled: "#1c7ed6",
  headroom: "#2f9e44",
  forecast: "#9c36b5",
};
const LINE_DASHES: Record<(typeof LINES)[number], [number, number]> = {
  need: [1, 0],
  required: [5, 3],
  scheduled: [1, 0],
  headroom: [2, 2],
  forecast: [6, 2],
};
/** Known kinds get fixed, quiet colors; others take the next of the spare ones in name order. */
const KIND_COLORS: Readonly<Record<string, string>> = {
  lecture: "#adb5bd",
  exam: "#f783ac",
  launch: "#8ce99a",
  enrollment: "#ffd43b",
  live: "#b197fc",
};
const SPARE_COLORS = ["#99e9f2", "#ffc078", "#d0bfff", "#c0eb75", "#eebefa"];

/**
 * The max-envelope of a step function over buckets of `bucketMs` from `from` to `to`, as step points merged where
 * the value does not change; the last point closes the line at `to`. Time outside the segments counts as 0.
 * @internal
 */
export function envelope(
  segments: readonly Segment[],
  from: number,
  to: number,
  bucketMs: number,
  origin: number = from,
): StepPoint[] {
  const first0 = Math.floor((from - origin) / bucketMs);
  const buckets = Math.max(1, Math.ceil((to - origin) / bucketMs) - first0);
  const base = origin + first0 * bucketMs;
  const values = new Array<number>(buckets).fill(0);
  for (const s of segments) {
    const start = Math.max(s.start, from);
    const end = Math.min(s.end, to);
    if (end <= start) continue;
    const first = Math.floor((start - base) / bucketMs);
    const last = Math.min(buckets - 1, Math.ceil((end - base) / bucketMs) - 1);
    for (let i = first; i <= last; i++) if (s.replicas > values[i]) values[i] = s.replicas;
  }
  const points: StepPoint[] = [];
  values.forEach((replicas, i) => {
    if (points.length === 0 || points[points.length - 1].replicas !== replicas)
      points.push({ t: Math.max(from, base + i * bucketMs), replicas });
  });
  points.push({ t: to, replicas: points[points.length - 1].replicas });
  return points;
}

/** @internal How finely the plot samples time: about a pixel per bucket, or whole UTC days when a day is under ~14 px. */
export function resolution(
  from: number,
  to: number,
  panelWidth: number,
): { bucketMs: number; daily: boolean } {
  const pxPerDay = (panelWidth * DAY_MS) / (to - from);
  if (pxPerDay < 14) return { bucketMs: DAY_MS, daily: true };
  return {
    bucketMs: Math.max(MINUTE_MS, Math.ceil((to - from) / panelWidth / MINUTE_MS) * MINUTE_MS),
    daily: false,
  };
}

/**
 * The windows as shaded bands per kind, snapped outwards to buckets and merged where they touch, so hundreds of
 * lectures on a busy day read as one band rather than a barcode.
 * @internal
 */
export function windowBands(
  windows: readonly CalendarWindow[],
  from: number,
  to: number,
  bucketMs: number,
  origin: number = from,
): Band[] {
  const byKind = new Map<string, Array<[number, number]>>();
  for (const w of windows) {
    const start = Math.max(from, origin + Math.floor((w.start - origin) / bucketMs) * bucketMs);
    const end = Math.min(to, origin + Math.ceil((w.end - origin) / bucketMs) * bucketMs);
    if (end <= start) continue;
    const list = byKind.get(w.kind) ?? [];
    list.push([start, end]);
    byKind.set(w.kind, list);
  }
  const bands: Band[] = [];
  for (const kind of [...byKind.keys()].sort()) {
    const intervals = (byKind.get(kind) as Array<[number, number]>).sort(
      (a, b) => a[0] - b[0] || a[1] - b[1],
    );
    let [start, end] = intervals[0];
    for (const [s, e] of intervals.slice(1)) {
      if (s <= end) end = Math.max(end, e);
      else {
        bands.push({ start, end, kind });
        [start, end] = [s, e];
      }
    }
    bands.push({ start, end, kind });
  }
  return bands;
}

function kindColors(kinds: readonly string[]): { domain: string[]; range: string[] } {
  const domain = [...new Set(kinds)].sort();
  let spare = 0;
  const range = domain.map((k) => KIND_COLORS[k] ?? SPARE_COLORS[spare++ % SPARE_COLORS.length]);
  return { domain, range };
}

/** Day ticks for short horizons, then every 2, 7 or 14 days so that labels never collide. */
function dayStep(days: number, panelWidth: number): number {
  const perLabel = 64; // px a "Mon 08 Sep" label needs
  for (const step of [1, 2, 7, 14, 28]) if ((days / step) * perLabel <= panelWidth) return step;
  return 28;
}

/** @internal Tick instants and label format: UTC midnights every `step` days, or every 3 hours within two days. */
export function timeTicks(
  from: number,
  to: number,
  panelWidth: number,
): { values: number[]; format: string } {
  const days = (to - from) / DAY_MS;
  if (days <= 2) {
    const stepMs = 3 * 3_600_000;
    const values: number[] = [];
    for (let t = Math.ceil(from / stepMs) * stepMs; t <= to; t += stepMs) values.push(t);
    return { values, format: "%a %H:%M" };
  }
  const step = dayStep(days, panelWidth);
  const values: number[] = [];
  // Weekly ticks fall on Mondays, so weeks read like a term calendar.
  let t = Math.ceil(from / DAY_MS) * DAY_MS;
  if (step === 7 || step === 14 || step === 28) while (new Date(t).getUTCDay() !== 1) t += DAY_MS;
  for (; t <= to; t += step * DAY_MS) values.push(t);
  return { values, format: step === 1 ? "%a %d %b" : "%d %b" };
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** @internal The Vega-Lite specification of the plot (pure; rendering is `renderPlotSvg`). */
export function buildPlotSpec(input: PlotInput, options: PlotOptions = {}): TopLevelSpec {
  const width = options.width ?? 1400;
  const panelHeight = options.panelHeight ?? 150;
  const { from, to } = input.horizon;
  const seriesByKey = new Map(input.series.map((s) => [`${s.region}\u0000${s.service}`, s]));
  const results = [...input.results].sort(
    (a, b) => byName(a.schedule.region, b.schedule.region) || byName(a.schedule.service, b.schedule.service),
  );
  const regions = [...new Set(results.map((r) => r.schedule.region))];
  const services = [...new Set(results.map((r) => r.schedule.service))].sort();
  const panelWidth = Math.max(320, Math.min(1200, Math.floor(width / Math.max(1, services.length)) - 70));
  const { bucketMs, daily } = resolution(from, to, panelWidth);
  const origin = daily ? Math.floor(from / DAY_MS) * DAY_MS : from;
  const days = (to - from) / DAY_MS;
  const ticks = timeTicks(from, to, panelWidth);
  const allKinds = input.series.flatMap((s) => s.windows.map((w) => w.kind));
  const kinds = kindColors(allKinds);

  // The forecast's line is in the legend only when a learned profile drew one.
  const shown = LINES.filter((l) => l !== "forecast" || input.results.some((r) => r.forecastRequired));
  const panel = (r: CompileResult): Record<string, unknown> => {
    const s = seriesByKey.get(`${r.schedule.region}\u0000${r.schedule.service}`);
    const lines = [
      ...envelope(s?.need ?? [], from, to, bucketMs, origin).map((p) => ({ ...p, line: "need" })),
      ...envelope(r.required, from, to, bucketMs, origin).map((p) => ({ ...p, line: "required" })),
      ...envelope(r.scheduled, from, to, bucketMs, origin).map((p) => ({ ...p, line: "scheduled" })),
      // Static stability: the replicas the schedule adds so that a zone loss leaves the need Ready.
      ...(r.headroom.length > 0
        ? envelope(r.headroom, from, to, bucketMs, origin).map((p) => ({ ...p, line: "headroom" }))
        : []),
      // A learned profile: the level the baseline's forecast alone asks for; required above it is the calendar's.
      ...(r.forecastRequired !== undefined
        ? envelope(r.forecastRequired, from, to, bucketMs, origin).map((p) => ({ ...p, line: "forecast" }))
        : []),
    ];
    const bands = windowBands(s?.windows ?? [], from, to, bucketMs, origin);
    const peak = Math.max(1, ...lines.map((p) => p.replicas));
    const max = r.schedule.maxReplicaCount;
    // The maxReplicas line is drawn when it is near enough to matter (need clamped, or little headroom left).
    const showMax = max <= peak * 1.5;
    const top = Math.ceil(Math.max(peak, showMax ? max : 0) * 1.1);
    // Scales are declared on the step layers and shared by the bands (a domain on a layer with `x2` trips
    // Vega-Lite 5 into merging the domain with itself).
    const x = {
      field: "t",
      type: "temporal",
      scale: { type: "utc", domain: [from, to] },
      title: null,
      axis: { values: ticks.values, format: ticks.format, labelFlush: true, gridColor: "#e9ecef" },
    };
    const y = {
      field: "replicas",
      type: "quantitative",
      scale: { domain: [0, top], nice: true },
      title: "replicas",
      axis: { tickMinStep: 1, gridColor: "#f1f3f5" },
    };
    return {
      title: {
        text: `${r.schedule.region} · ${r.schedule.service}`,
        // Two short lines, so a long subtitle never widens its column.
        subtitle: [
          `coverage ${formatCoverage(r.stats.coverage)} · excess ${r.stats.excessRatio.toFixed(2)}× · ` +
            `${r.schedule.triggers.length} triggers`,
          `${s?.windows.length ?? 0} windows · peak ${peak} replicas (max ${max})`,
          ...(s?.zones !== undefined
            ? [
                `zone-loss headroom over ${s.zones} zones +${Math.round(r.stats.headroomReplicaMinutes)} replica-min · ` +
                  `zone-loss coverage ${formatCoverage(r.stats.zoneLossCoverage ?? 1)}`,
              ]
            : []),
        ],
        subtitleColor: r.stats.coverage < 1 ? "#c92a2a" : "#495057",
      },
      width: panelWidth,
      height: panelHeight,
      layer: [
        {
          data: { values: bands },
          mark: { type: "rect", opacity: 0.45 },
          encoding: {
            x: { field: "start", type: "temporal" },
            x2: { field: "end" },
            y: { datum: 0, type: "quantitative" },
            y2: { datum: top },
            fill: {
              field: "kind",
              type: "nominal",
              scale: kinds,
              legend: { title: "calendar windows", orient: "top", direction: "horizontal" },
            },
          },
        },
        {
          data: { values: lines.filter((p) => p.line === "scheduled") },
          mark: { type: "area", interpolate: "step-after", color: LINE_COLORS.scheduled, opacity: 0.12 },
          encoding: { x, y },
        },
        {
          data: { values: lines.filter((p) => p.line === "need") },
          mark: {
            type: "area",
            interpolate: "step-after",
            color: LINE_COLORS.need,
            opacity: daily ? 0.3 : 0.08,
          },
          encoding: { x, y },
        },
        {
          data: { values: lines },
          mark: { type: "line", interpolate: "step-after", strokeWidth: 1.6 },
          encoding: {
            x,
            y,
            color: {
              field: "line",
              type: "nominal",
              scale: { domain: shown, range: shown.map((l) => LINE_COLORS[l]) },
              legend: { title: "replicas", orient: "top", direction: "horizontal", symbolType: "stroke" },
            },
            strokeDash: {
              field: "line",
              type: "nominal",
              scale: { domain: shown, range: shown.map((l) => LINE_DASHES[l]) },
              legend: { title: "replicas", orient: "top", direction: "horizontal", symbolType: "stroke" },
            },
            order: { field: "t", type: "quantitative" },
          },
        },
        ...(showMax
          ? [
              {
                data: { values: [{ max }] },
                mark: { type: "rule", color: "#c92a2a", strokeDash: [2, 3], opacity: 0.7 },
                encoding: { y: { field: "max", type: "quantitative" } },
              },
              {
                data: { values: [{ max, label: `maxReplicas ${max}` }] },
                mark: { type: "text", align: "right", dx: -4, dy: -6, fontSize: 10, color: "#c92a2a" },
                encoding: {
                  y: { field: "max", type: "quantitative" },
                  x: { value: panelWidth },
                  text: { field: "label" },
                },
              },
            ]
          : []),
      ],
    };
  };

  const rows = regions.map((region) => ({
    hconcat: services.map((service) => {
      const r = results.find((x) => x.schedule.region === region && x.schedule.service === service);
      return r ? panel(r) : { width: panelWidth, height: panelHeight, mark: "text", data: { values: [{}] } };
    }),
  }));
  const coverage = results.reduce((m, r) => Math.min(m, r.stats.coverage), 1);
  const title = options.title ?? "Semester capacity plan";
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: {
      text: title,
      subtitle:
        `${isoInstant(from)} → ${isoInstant(to)} (${Number(days.toFixed(2))} days, UTC) · ` +
        (daily ? "daily peaks per UTC day · " : "") +
        `${results.length} scaled objects · lowest coverage ${formatCoverage(coverage)}`,
      anchor: "start",
      fontSize: 18,
      subtitleFontSize: 12,
    },
    background: "white",
    padding: 16,
    config: {
      font: "DejaVu Sans, Helvetica, Arial, sans-serif",
      view: { stroke: "#dee2e6" },
      title: { anchor: "start", fontSize: 13, subtitleFontSize: 11 },
      axis: { labelFontSize: 10, titleFontSize: 10, titleColor: "#495057", labelColor: "#495057" },
      legend: { labelFontSize: 11, titleFontSize: 11 },
      concat: { spacing: 28 },
    },
    resolve: { scale: { y: "independent" } },
    vconcat: rows,
  } as unknown as TopLevelSpec;
}

/** @internal Renders a Vega-Lite specification to a standalone SVG string, headless. */
export async function renderPlotSvg(spec: TopLevelSpec): Promise<string> {
  // Loaded here, not at the top: the calendar's public API carries the plot, and vega is heavy to load for the
  // callers (the Pulumi program, the plan) that never draw one.
  const [vega, vl] = await Promise.all([import("vega"), import("vega-lite")]);
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The plot as SVG text. */
export async function plotCapacity(input: PlotInput, options: PlotOptions = {}): Promise<string> {
  return renderPlotSvg(buildPlotSpec(input, options));
}
