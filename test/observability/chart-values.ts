/**
 * Checks Helm values against a vendored chart's defaults (shared/charts/<chart>/<version>/): every path Semester
 * sets must exist in values.yaml or lie under a map the chart leaves free-form (`{}`), since Helm ignores an unknown
 * value silently; with a values.schema.json, the merged values must pass it, as `helm install` would check.
 */
import * as fs from "fs";
import * as path from "path";
import Ajv2019 from "ajv/dist/2019";
import { parse } from "yaml";

export const SHARED_CHARTS = "/work/shared/charts";

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

export function chartDefaults(chart: string, version: string): Json {
  return parse(fs.readFileSync(path.join(SHARED_CHARTS, chart, version, "values.yaml"), "utf8")) as Json;
}

/** Paths in `values` that the chart's defaults do not have (a `{}` default is free-form). */
export function unknownValuePaths(values: Json, defaults: Json, at = ""): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const here = at === "" ? key : `${at}.${key}`;
    if (!(key in defaults)) {
      out.push(here);
      continue;
    }
    const d = defaults[key];
    if (isMap(value) && isMap(d) && Object.keys(d).length > 0) out.push(...unknownValuePaths(value, d, here));
    else if (isMap(value) && d !== null && !isMap(d)) out.push(`${here} (the chart's default is not a map)`);
  }
  return out;
}

function merge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over))
    out[k] = isMap(out[k]) && isMap(v) ? merge(out[k] as Json, v) : v;
  return out;
}

/** Schema errors of the merged values (empty without a schema file). */
export function schemaErrors(chart: string, version: string, values: Json): string[] {
  const file = path.join(SHARED_CHARTS, chart, version, "values.schema.json");
  if (!fs.existsSync(file)) return [];
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(fs.readFileSync(file, "utf8")) as object);
  const merged = merge(chartDefaults(chart, version), values);
  return validate(merged) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""}`);
}
