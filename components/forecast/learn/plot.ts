/**
 * The learner's plot (`plot.svg`): for the busiest series (highest mean load; up to `MAX_PANELS`), the history
 * against the fitted model (baseline median + windows at their mean shares) and, below it, the residuals. Bucket
 * means at about two pixels each keep the SVG small; rendered with the calendar plot's Vega-Lite renderer.
 */
import { isoInstant, renderPlotSvg } from "../../calendar";
import type { LearnResult, LearnedSeries } from "./types";

const MAX_PANELS = 2;
const WIDTH = 1100;

interface Point {
  readonly t: number;
  readonly value: number;
  readonly line: string;
}

/** Mean of each bucket of `bucket` steps (NaN steps skipped; an all-NaN bucket is left out). */
function buckets(s: LearnedSeries, values: (k: number) => number, line: string, bucket: number): Point[] {
  const out: Point[] = [];
  for (let k0 = 0; k0 < s.grid.load.length; k0 += bucket) {
    let n = 0;
    let sum = 0;
    for (let k = k0; k < Math.min(k0 + bucket, s.grid.load.length); k++) {
      const v = values(k);
      if (Number.isFinite(v)) {
        n++;
        sum += v;
      }
    }
    if (n > 0) out.push({ t: s.grid.from + k0 * s.grid.stepMs, value: sum / n, line });
  }
  return out;
}

function meanLoad(s: LearnedSeries): number {
  let n = 0;
  let sum = 0;
  s.grid.load.forEach((y) => {
    if (Number.isFinite(y)) {
      n++;
      sum += y;
    }
  });
  return n > 0 ? sum / n : 0;
}

/** The plot as SVG text. */
export async function plotLearned(result: LearnResult, title: string): Promise<string> {
  const busiest = [...result.series].sort((a, b) => meanLoad(b) - meanLoad(a)).slice(0, MAX_PANELS);
  const unit = result.profile.learned?.unit ?? "load";
  const panels = busiest.flatMap((s) => {
    const bucket = Math.max(1, Math.ceil(s.grid.load.length / (WIDTH / 2)));
    const x = { field: "t", type: "temporal", scale: { type: "utc" }, title: null };
    const fit = [
      ...buckets(s, (k) => s.grid.load[k], "history", bucket),
      ...buckets(s, (k) => s.predicted[k], "fit", bucket),
    ];
    const residual = buckets(s, (k) => s.grid.load[k] - s.predicted[k], "residual", bucket);
    const q = s.quality;
    return [
      {
        title: {
          text: `${s.grid.region} · ${s.grid.service}`,
          subtitle: `R² ${q.r2.toFixed(3)} · MAE ${q.mae.toFixed(2)} (${(q.relativeMae * 100).toFixed(1)} % of the mean) · ${q.slots} steps`,
        },
        width: WIDTH,
        height: 180,
        data: { values: fit },
        mark: { type: "line", strokeWidth: 1.2 },
        encoding: {
          x,
          y: { field: "value", type: "quantitative", title: unit },
          color: {
            field: "line",
            type: "nominal",
            scale: { domain: ["history", "fit"], range: ["#868e96", "#e8590c"] },
            legend: { title: null, orient: "top", direction: "horizontal" },
          },
        },
      },
      {
        width: WIDTH,
        height: 70,
        data: { values: residual },
        mark: { type: "area", color: "#1c7ed6", opacity: 0.6 },
        encoding: { x, y: { field: "value", type: "quantitative", title: "residual" } },
      },
    ];
  });
  const learned = result.profile.learned;
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: {
      text: title,
      subtitle: learned
        ? `${learned.synthetic ? "SYNTHETIC history · " : ""}trained ${learned.trainedFrom} → ${learned.trainedTo} · bucket means`
        : isoInstant(0),
      anchor: "start",
      fontSize: 16,
    },
    background: "white",
    padding: 16,
    config: { font: "DejaVu Sans, Helvetica, Arial, sans-serif", view: { stroke: "#dee2e6" } },
    resolve: { scale: { color: "independent" } },
    vconcat: panels,
  };
  return renderPlotSvg(spec as never);
}
