/**
 * The backtest's plot: per series, each method's cost (replica-minutes × the exact schedule) against its coverage
 * of all slots (mean over weeks), one point per method, the target drawn as a rule. Rendered by the calendar's
 * headless Vega-Lite renderer.
 */
import { renderPlotSvg } from "../../calendar";
import { COVERAGE_TARGET } from "./calibrate";
import type { BacktestResult } from "./backtest";
import { summarize } from "./summary";

/** @internal The plot as SVG text. */
export async function plotBacktest(result: BacktestResult): Promise<string> {
  const tag = result.history.synthetic ? "SYNTHETIC " : "";
  const values = result.series.flatMap((s) =>
    s.methods
      .map(summarize)
      .filter((m) => m.skipped === undefined && m.all !== null)
      .map((m) => ({
        series: `${tag}${s.region}/${s.service}`,
        method: m.label,
        cost: m.replicaRatio,
        coverage: m.all!.mean * 100,
        inWindow: m.inWindow === null ? null : m.inWindow.mean * 100,
      })),
  );
  return renderPlotSvg({
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: `${tag}Backtest of ${result.history.file}: cost against coverage`,
    data: { values },
    facet: { row: { field: "series", type: "nominal", title: null } },
    spec: {
      width: 520,
      height: 220,
      layer: [
        {
          mark: { type: "point", filled: true, size: 90 },
          encoding: {
            x: {
              field: "cost",
              type: "quantitative",
              title: "replica-minutes × exact",
              scale: { zero: false },
            },
            y: { field: "coverage", type: "quantitative", title: "slots covered, mean over weeks (%)" },
            color: { field: "method", type: "nominal" },
            tooltip: [{ field: "method" }, { field: "cost" }, { field: "coverage" }, { field: "inWindow" }],
          },
        },
        {
          mark: { type: "rule", strokeDash: [4, 4], color: "#888" },
          encoding: { y: { datum: COVERAGE_TARGET.all * 100 } },
        },
      ],
    },
  });
}
