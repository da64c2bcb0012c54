/**
 * Helm values against the charts: Helm ignores a value the chart does not read, so a misspelt key deploys as if it
 * were not there. For every `kubernetes:helm.sh/v3:Release` of a plan: its chart and version must be vendored
 * (`charts.ts`); every value path it sets must exist in the chart's `values.yaml`, lie under a free-form map (an
 * empty `{}`/`[]`/`null` default, or an object the schema leaves open), or be `global`; the values coalesced over the
 * defaults (as Helm does: maps merge, everything else replaces, `null` deletes) must pass `values.schema.json` where
 * the chart ships one. Values under a subchart's key that the parent's values.yaml does not describe are reported as
 * not checked (the subcharts are not vendored). Values only known after deploy (Outputs, secrets) are skipped.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ErrorObject } from "ajv";
import type { PlannedResource } from "../record";
import type { ChartCatalogue, VendoredChart } from "./charts";
import { isRecord, type JsonObject } from "../json";

export const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";

/** Leaves whose value the plan does not know: the engine's unknown, the validator's placeholder, a redacted secret. */
const UNKNOWN_LEAVES = new Set(["04da6b54-80e4-46f7-96ec-b56ff0331ba9", "(known after deploy)", "[secret]"]);

/** @internal Whether a value is only known after deploy. */
export function isUnknownLeaf(value: unknown): boolean {
  return (
    (typeof value === "string" && UNKNOWN_LEAVES.has(value)) ||
    pulumi.Output.isInstance(value) ||
    value instanceof Promise
  );
}

export interface HelmFinding {
  readonly region: string;
  /** `Helm release keda/keda (keda 2.20.2)`. */
  readonly source: string;
  readonly message: string;
}

export interface HelmNotChecked {
  readonly region: string;
  readonly source: string;
  /** The value path, dotted. */
  readonly path: string;
  readonly reason: string;
}

export interface HelmResult {
  readonly findings: HelmFinding[];
  readonly notChecked: HelmNotChecked[];
  /** Releases whose chart was found and checked. */
  readonly releases: number;
  /** Value paths (leaves and free-form maps) proven to be read by their chart. */
  readonly valuePaths: number;
  /** Releases whose values passed the chart's values.schema.json. */
  readonly schemaValidated: number;
}

type Json = JsonObject;

/** The schema node for `key` under `node` (following local `$ref`s and `allOf`/`anyOf`/`oneOf` branches). */
function schemaChild(root: Json, node: Json | undefined, key: string): Json | undefined {
  for (const n of schemaBranches(root, node)) {
    const props = n.properties;
    if (isRecord(props) && isRecord(props[key])) return props[key];
    const patterns = n.patternProperties;
    if (isRecord(patterns)) {
      for (const [pattern, s] of Object.entries(patterns))
        if (isRecord(s) && new RegExp(pattern, "u").test(key)) return s;
    }
  }
  return undefined;
}

function resolveRef(root: Json, node: Json): Json {
  const ref = node.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#/")) return node;
  let target: unknown = root;
  for (const part of ref.slice(2).split("/")) target = isRecord(target) ? target[part] : undefined;
  return isRecord(target) ? resolveRef(root, target) : node;
}

function schemaBranches(root: Json, node: Json | undefined): Json[] {
  if (node === undefined) return [];
  const n = resolveRef(root, node);
  const nested = ["allOf", "anyOf", "oneOf"].flatMap((k) =>
    Array.isArray(n[k]) ? (n[k] as unknown[]).filter(isRecord).flatMap((b) => schemaBranches(root, b)) : [],
  );
  return [n, ...nested];
}

/** Whether the schema lets a map hold keys it does not list: `additionalProperties` true or a schema, or no `properties`. */
function schemaOpen(root: Json, node: Json | undefined): boolean {
  const branches = schemaBranches(root, node);
  if (branches.length === 0) return false;
  return branches.some((n) => {
    const extra = n.additionalProperties;
    if (extra === true || isRecord(extra)) return true;
    return (
      extra === undefined &&
      n.properties === undefined &&
      n.patternProperties === undefined &&
      n.type === "object"
    );
  });
}

/** Keys whose map holds Kubernetes labels, annotations or selectors: any key goes, whatever the example default. */
const LABEL_MAP_KEY =
  /(^|[a-z])(labels|Labels|annotations|Annotations|nodeSelector|NodeSelector|matchLabels)$/;

/**
 * Whether a default value is a free-form map: anything may go under it. An empty map, list or null; a map named
 * like a label, annotation or node-selector map; or a map whose example keys are label keys (`kubernetes.io/os`).
 */
function freeForm(key: string, d: unknown): boolean {
  if (d === null || Array.isArray(d)) return true;
  if (!isRecord(d)) return false;
  const keys = Object.keys(d);
  return keys.length === 0 || LABEL_MAP_KEY.test(key) || keys.some((k) => /[./]/.test(k));
}

/** A value path as the report prints it: dotted, a key holding `.` or `/` in brackets. */
function dotted(path: readonly string[]): string {
  return path.map((k, i) => (/[./]/.test(k) ? `[${JSON.stringify(k)}]` : i === 0 ? k : `.${k}`)).join("");
}

interface Walk {
  readonly chart: VendoredChart;
  readonly bad: string[];
  readonly notChecked: { path: string; reason: string }[];
  proven: number;
}

function walkValues(
  w: Walk,
  value: Json,
  def: unknown,
  schema: Json | undefined,
  at: string[],
  subchart?: string,
) {
  const root = (w.chart.schema ?? {}) as Json;
  for (const [key, v] of Object.entries(value)) {
    const p = [...at, key];
    if (isUnknownLeaf(v)) continue;
    const top = at.length === 0;
    const sub = subchart ?? (top && w.chart.subcharts.includes(key) ? key : undefined);
    const d = isRecord(def) ? def[key] : undefined;
    const s = schemaChild(root, schema, key);
    const exists = (isRecord(def) && key in def) || s !== undefined;
    if (!exists) {
      if (top && key === "global") w.proven++;
      else if (top && w.chart.commentedKeys.has(key)) w.proven++;
      else if (schemaOpen(root, schema)) w.proven++;
      else if (sub !== undefined)
        w.notChecked.push({
          path: dotted(p),
          reason: `subchart ${sub} is not vendored and the chart's values.yaml does not describe it`,
        });
      else w.bad.push(dotted(p));
      continue;
    }
    if (isRecord(v) && !freeForm(key, d) && (isRecord(d) || (d === undefined && s !== undefined))) {
      walkValues(w, v, d, s, p, sub);
    } else w.proven++;
  }
}

/** Helm's coalescing of user values over chart defaults: maps merge, other values replace, `null` removes the key. */
export function coalesce(defaults: unknown, values: unknown): unknown {
  if (!isRecord(defaults) || !isRecord(values)) return values === undefined ? defaults : values;
  const out: Json = { ...defaults };
  for (const [k, v] of Object.entries(values)) {
    if (v === null) delete out[k];
    else out[k] = coalesce(defaults[k], v);
  }
  return out;
}

/** JSON pointers of the unknown leaves of a value tree. */
function unknownPointers(value: unknown, at = ""): string[] {
  if (isUnknownLeaf(value)) return [at];
  if (Array.isArray(value)) return value.flatMap((v, i) => unknownPointers(v, `${at}/${i}`));
  if (isRecord(value)) return Object.entries(value).flatMap(([k, v]) => unknownPointers(v, `${at}/${k}`));
  return [];
}

function describe(e: ErrorObject): string {
  const where = e.instancePath === "" ? "(root)" : e.instancePath;
  const extra =
    e.keyword === "additionalProperties"
      ? ` (\`${String((e.params as { additionalProperty?: string }).additionalProperty)}\`)`
      : e.keyword === "enum"
        ? ` (${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)})`
        : "";
  return `${where} ${e.message ?? e.keyword}${extra}`;
}

/** The chart a release names: the last segment of `chart` (`oci://public.ecr.aws/karpenter/karpenter`, `repo/keda`). */
export function chartName(chart: string): string {
  return chart.replace(/\/+$/, "").split("/").pop() ?? chart;
}

/** Checks every Helm release of the plan against the vendored charts. */
export function checkHelmValues(resources: readonly PlannedResource[], charts: ChartCatalogue): HelmResult {
  const findings: HelmFinding[] = [];
  const notChecked: HelmNotChecked[] = [];
  let releases = 0;
  let valuePaths = 0;
  let schemaValidated = 0;
  for (const r of resources.filter((x) => x.type === HELM_RELEASE)) {
    const region = r.region ?? "global";
    const name = `${String(r.inputs.namespace ?? "default")}/${String(r.inputs.name ?? r.name)}`;
    const chartRef = String(r.inputs.chart ?? "");
    const chartId = chartName(chartRef);
    const version = String(r.inputs.version ?? "");
    const source = `Helm release ${name} (${chartId} ${version || "unpinned"})`;
    const chart = charts.get(chartId, version);
    if (chart === undefined) {
      const have = charts.versions(chartId);
      // A vendored chart at another version: the stack moved off what was verified, and its values may not be
      // the new version's. A chart never vendored (no upstream metadata at hand, Strimzi's today): listed as not
      // checked, since the plan cannot judge it and a finding would block the stack with no fix to make.
      if (have.length > 0) {
        findings.push({
          region,
          source,
          message: `chart ${chartRef} ${version || "(no version)"} is not vendored in cli/plan/charts (vendored: ${have.join(", ")}), so its values cannot be checked; vendor its Chart.yaml, values.yaml and values.schema.json`,
        });
      } else {
        notChecked.push({
          region,
          source,
          path: "(all values)",
          reason: `chart ${chartRef} is not vendored in cli/plan/charts`,
        });
      }
      continue;
    }
    releases++;
    const values = isRecord(r.inputs.values) ? r.inputs.values : {};
    const w: Walk = { chart, bad: [], notChecked: [], proven: 0 };
    walkValues(w, values, chart.values, chart.schema as Json | undefined, []);
    valuePaths += w.proven;
    for (const p of w.bad)
      findings.push({
        region,
        source,
        message: `value \`${p}\` is not in the chart's values.yaml (nor under a free-form map): Helm ignores it`,
      });
    for (const n of w.notChecked) notChecked.push({ region, source, ...n });
    if (chart.validate !== undefined) {
      const unknown = unknownPointers(values);
      const merged = coalesce(chart.values, values);
      const errors = chart.validate(merged)
        ? []
        : (chart.validate.errors ?? []).filter(
            (e) =>
              e.keyword !== "anyOf" &&
              !unknown.some((u) => e.instancePath === u || e.instancePath.startsWith(`${u}/`)),
          );
      if (errors.length === 0) schemaValidated++;
      for (const e of errors)
        findings.push({ region, source, message: `values do not pass values.schema.json: ${describe(e)}` });
    }
  }
  return { findings, notChecked, releases, valuePaths, schemaValidated };
}
