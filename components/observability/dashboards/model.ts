/**
 * The pieces of a Grafana dashboard JSON model Semester uses: time series panels laid out on the 24-column grid,
 * Prometheus targets, threshold lines and Prometheus annotation queries. Pure.
 *
 * Relied on: Grafana's dashboard JSON model (grafana.com/docs/grafana/latest/dashboards/build-dashboards/
 * view-dashboard-json-model/) and the schema migrations in grafana/grafana
 * `apps/dashboard/pkg/migration/schemaversion/migrations.go` (LATEST_VERSION 42). kube-prometheus-stack 88.5.3
 * ships the grafana chart 12.11.1, whose appVersion is Grafana 13.2.0; Grafana migrates a model of a lower
 * schema version forward when it loads it, so 42 is read by that Grafana and by any later one.
 */

/** @internal The dashboard schema version written (see above). */
export const GRAFANA_SCHEMA_VERSION = 42;

/** @internal
 * The uid of the metrics datasource every panel and annotation queries: the region's PromQL endpoint (AMP or the
 * in-cluster Prometheus), provisioned by `KubePrometheusStack` under this uid.
 */
export const METRICS_DATASOURCE_UID = "semester-metrics";

/** @internal A Grafana uid is at most 40 characters. */
export const MAX_UID_LENGTH = 40;

const DATASOURCE = { uid: METRICS_DATASOURCE_UID } as const;

/** @internal One PromQL query of a panel. */
export interface Query {
  readonly expr: string;
  /** Legend template, e.g. `{{nodepool}}` or a literal. */
  readonly legend: string;
}

/** @internal A time series panel before layout. */
export interface PanelSpec {
  readonly title: string;
  readonly description?: string;
  /** Grafana unit id: `reqps`, `percentunit`, `s`, `short`. */
  readonly unit: string;
  readonly queries: readonly Query[];
  /** A red threshold line (the SLO), in the panel's unit. @default none */
  readonly threshold?: number;
  /** Panel width in grid columns (24 per row). @default 12 */
  readonly width?: number;
}

/** @internal A Prometheus annotation query: every interval where `expr` returns a sample becomes an annotation region. */
export interface AnnotationSpec {
  readonly name: string;
  readonly expr: string;
  readonly titleFormat: string;
  readonly textFormat: string;
  /** Labels of the series shown as the annotation's tags, comma-separated. */
  readonly tagKeys: string;
  readonly iconColor: string;
}

/** @internal A row header and the panels under it. */
export interface Section {
  readonly title: string;
  readonly panels: readonly PanelSpec[];
}

const PANEL_HEIGHT = 8;
const GRID_WIDTH = 24;

function timeseries(id: number, spec: PanelSpec, x: number, y: number, width: number) {
  const thresholds =
    spec.threshold === undefined
      ? { mode: "absolute", steps: [{ color: "green", value: null }] }
      : {
          mode: "absolute",
          steps: [
            { color: "green", value: null },
            { color: "red", value: spec.threshold },
          ],
        };
  return {
    id,
    type: "timeseries",
    title: spec.title,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    datasource: DATASOURCE,
    gridPos: { h: PANEL_HEIGHT, w: width, x, y },
    targets: spec.queries.map((q, i) => ({
      refId: String.fromCharCode(65 + i),
      datasource: DATASOURCE,
      expr: q.expr,
      legendFormat: q.legend,
      range: true,
    })),
    fieldConfig: {
      defaults: {
        unit: spec.unit,
        min: 0,
        thresholds,
        custom: {
          drawStyle: "line",
          lineWidth: 1,
          fillOpacity: 0,
          showPoints: "never",
          spanNulls: false,
          thresholdsStyle: { mode: spec.threshold === undefined ? "off" : "line" },
        },
      },
      overrides: [],
    },
    options: {
      legend: { displayMode: "list", placement: "bottom", showLegend: true },
      tooltip: { mode: "multi", sort: "none" },
    },
  };
}

/** @internal Lays sections out top to bottom: a row header, then the panels left to right, wrapping at 24 columns. */
export function layout(sections: readonly Section[]): Record<string, unknown>[] {
  const panels: Record<string, unknown>[] = [];
  let id = 1;
  let y = 0;
  for (const section of sections) {
    panels.push({
      id: id++,
      type: "row",
      title: section.title,
      collapsed: false,
      gridPos: { h: 1, w: GRID_WIDTH, x: 0, y },
      panels: [],
    });
    y += 1;
    let x = 0;
    for (const spec of section.panels) {
      const width = spec.width ?? 12;
      if (x + width > GRID_WIDTH) {
        x = 0;
        y += PANEL_HEIGHT;
      }
      panels.push(timeseries(id++, spec, x, y, width));
      x += width;
    }
    if (x > 0) y += PANEL_HEIGHT;
  }
  return panels;
}

/** Grafana's built-in annotation (alerts and manual annotations), which every saved dashboard carries. */
const BUILT_IN_ANNOTATION = {
  builtIn: 1,
  datasource: { type: "grafana", uid: "-- Grafana --" },
  enable: true,
  hide: true,
  iconColor: "rgba(0, 211, 255, 1)",
  name: "Annotations & Alerts",
  type: "dashboard",
};

function annotation(spec: AnnotationSpec) {
  return {
    name: spec.name,
    datasource: DATASOURCE,
    enable: true,
    hide: false,
    iconColor: spec.iconColor,
    expr: spec.expr,
    // One sample a minute: consecutive samples within a step merge into one region per window.
    step: "1m",
    titleFormat: spec.titleFormat,
    textFormat: spec.textFormat,
    tagKeys: spec.tagKeys,
    useValueForTime: false,
  };
}

/** @internal The whole dashboard JSON model. */
export function dashboardModel(args: {
  readonly uid: string;
  readonly title: string;
  readonly tags: readonly string[];
  readonly sections: readonly Section[];
  readonly annotations?: readonly AnnotationSpec[];
  readonly description?: string;
}): Record<string, unknown> {
  return {
    uid: args.uid,
    title: args.title,
    ...(args.description !== undefined ? { description: args.description } : {}),
    tags: [...args.tags],
    timezone: "utc",
    // Provisioned from code: edits in the UI would be lost on the next deploy.
    editable: false,
    graphTooltip: 1,
    schemaVersion: GRAFANA_SCHEMA_VERSION,
    version: 1,
    refresh: "1m",
    time: { from: "now-24h", to: "now" },
    timepicker: {},
    fiscalYearStartMonth: 0,
    liveNow: false,
    links: [],
    templating: { list: [] },
    annotations: { list: [BUILT_IN_ANNOTATION, ...(args.annotations ?? []).map(annotation)] },
    panels: layout(args.sections),
  };
}
