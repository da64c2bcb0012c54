/**
 * The vendored Helm chart metadata (`cli/plan/charts/<chart>/<version>/`, see its SOURCES.md): each chart's default
 * values, its declared dependencies (subcharts) and, where it ships one, its `values.schema.json` compiled with ajv
 * under the draft the schema names (Helm validates the coalesced values against it on install).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import Ajv2019 from "ajv/dist/2019";
import Ajv2020 from "ajv/dist/2020";
import { parse as parseYaml } from "yaml";

/** Where the vendored charts are. */
export const CHARTS_DIR = path.join(__dirname, "..", "charts");

export interface VendoredChart {
  readonly name: string;
  readonly version: string;
  /** The chart's `values.yaml`, parsed. */
  readonly values: Readonly<Record<string, unknown>>;
  /**
   * Top-level keys values.yaml documents only as a commented example (`# priorityClassName: ...`): charts
   * document optional values that way, and their templates read them.
   */
  readonly commentedKeys: ReadonlySet<string>;
  /** The value keys of its subcharts: each dependency's alias, else its name. */
  readonly subcharts: readonly string[];
  /** Its `values.schema.json`, when it ships one. */
  readonly schema?: Readonly<Record<string, unknown>>;
  /** The schema, compiled. */
  readonly validate?: ValidateFunction;
}

function compile(schema: Record<string, unknown>): ValidateFunction {
  const draft = String(schema.$schema ?? "");
  const options = { allErrors: true, strict: false, validateFormats: false } as const;
  const ajv = draft.includes("2020-12")
    ? new Ajv2020(options)
    : draft.includes("2019-09")
      ? new Ajv2019(options)
      : new Ajv(options);
  // The draft chose the validator; a meta-schema URI ajv does not bundle (`http://json-schema.org/schema#`) and a
  // placeholder `$id` would only stop it compiling.
  const body = { ...schema };
  delete body.$schema;
  delete body.$id;
  return ajv.compile(body);
}

/**
 * Istio's charts nest their defaults under `_internal_defaults_do_not_set` (a Helm workaround, see the comment on
 * top of each values.yaml) and read them at the top level: users set `autoscaleMin`, not the wrapped key.
 * @internal
 */
export function unwrapIstioDefaults(values: Record<string, unknown>): Record<string, unknown> {
  const wrapped = values._internal_defaults_do_not_set;
  if (wrapped === null || typeof wrapped !== "object" || Array.isArray(wrapped)) return values;
  const rest = { ...values };
  delete rest._internal_defaults_do_not_set;
  return { ...(wrapped as Record<string, unknown>), ...rest };
}

/** The charts under `dir`, read on first use. */
export class ChartCatalogue {
  private readonly loaded = new Map<string, VendoredChart | undefined>();

  constructor(private readonly dir: string = CHARTS_DIR) {}

  /** The vendored chart, or undefined when that chart at that version is not vendored. */
  get(name: string, version: string): VendoredChart | undefined {
    const key = `${name}@${version}`;
    if (!this.loaded.has(key)) this.loaded.set(key, this.read(name, version));
    return this.loaded.get(key);
  }

  /** The versions of a chart that are vendored. */
  versions(name: string): string[] {
    const folder = path.join(this.dir, name);
    return fs.existsSync(folder) ? fs.readdirSync(folder).sort() : [];
  }

  private read(name: string, version: string): VendoredChart | undefined {
    const folder = path.join(this.dir, name, version);
    if (name.includes("..") || version.includes("..") || !fs.existsSync(path.join(folder, "Chart.yaml")))
      return undefined;
    const chart = parseYaml(fs.readFileSync(path.join(folder, "Chart.yaml"), "utf8")) as {
      dependencies?: { name: string; alias?: string }[];
    };
    const valuesText = fs.readFileSync(path.join(folder, "values.yaml"), "utf8");
    const values = unwrapIstioDefaults((parseYaml(valuesText) ?? {}) as Record<string, unknown>);
    const commentedKeys = new Set(
      [...valuesText.matchAll(/^# ?([A-Za-z][A-Za-z0-9_]*):/gm)].map((m) => m[1]!),
    );
    const schemaFile = path.join(folder, "values.schema.json");
    const schema = fs.existsSync(schemaFile)
      ? (JSON.parse(fs.readFileSync(schemaFile, "utf8")) as Record<string, unknown>)
      : undefined;
    return {
      name,
      commentedKeys,
      version,
      values,
      subcharts: (chart.dependencies ?? []).map((d) => d.alias ?? d.name),
      ...(schema ? { schema, validate: compile(schema) } : {}),
    };
  }
}
