/**
 * The vendored upstream CRDs (crds/, provenance in SOURCES.md), compiled with ajv the way the API server
 * applies a structural schema: unknown fields are errors (Kubernetes prunes them; Semester refuses them, since a
 * pruned field is a silently ignored setting), `x-kubernetes-int-or-string` accepts an integer or a string,
 * `x-kubernetes-preserve-unknown-fields` keeps a subtree open, and only served versions are accepted.
 */
import * as fs from "fs";
import * as path from "path";
import Ajv, { ErrorObject, ValidateFunction } from "ajv";
import { parseAllDocuments } from "yaml";

/** @internal */
export const CRD_DIR = path.join(__dirname, "crds");

interface CrdVersion {
  readonly name: string;
  readonly served: boolean;
  readonly storage: boolean;
  readonly deprecated: boolean;
  readonly schema: Record<string, unknown>;
}

/** @internal One kind of one CRD file. */
export interface CrdKind {
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  readonly scope: "Namespaced" | "Cluster";
  readonly versions: readonly CrdVersion[];
  /** Path relative to CRD_DIR, for messages. */
  readonly file: string;
}

type Json = Record<string, unknown>;

/** @internal Where a kind is defined, found without parsing (parsing all vendored CRDs takes seconds). */
export interface CrdIndexEntry {
  readonly group: string;
  readonly kind: string;
  readonly file: string;
}

/** Lists the group and kind of every CRD document under `dir` from their `spec.group`/`spec.names.kind` lines. */
export function indexCrds(dir: string = CRD_DIR): CrdIndexEntry[] {
  const files = fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".yaml"))
    .sort();
  const entries: CrdIndexEntry[] = [];
  for (const file of files) {
    for (const doc of fs.readFileSync(path.join(dir, file), "utf8").split(/^---\s*$/m)) {
      if (!/^kind: CustomResourceDefinition\s*$/m.test(doc)) continue;
      const group = /^ {2}group: (\S+)\s*$/m.exec(doc)?.[1];
      const kind = /^ {4}kind: (\S+)\s*$/m.exec(doc)?.[1];
      if (group === undefined || kind === undefined)
        throw new Error(`${file}: cannot find spec.group or spec.names.kind`);
      entries.push({ group, kind, file });
    }
  }
  return entries;
}

/** @internal Parses the CRDs of one file (multi-document files included). */
export function loadCrdFile(file: string, dir: string = CRD_DIR): CrdKind[] {
  const kinds: CrdKind[] = [];
  for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, file), "utf8"))) {
    const crd = doc.toJS() as Json | null;
    if (crd === null || crd.kind !== "CustomResourceDefinition") continue;
    const spec = crd.spec as Json;
    const names = spec.names as Json;
    kinds.push({
      group: spec.group as string,
      kind: names.kind as string,
      plural: names.plural as string,
      scope: spec.scope as "Namespaced" | "Cluster",
      file,
      versions: (spec.versions as Json[]).map((v) => ({
        name: v.name as string,
        served: v.served === true,
        storage: v.storage === true,
        deprecated: v.deprecated === true,
        schema: ((v.schema as Json | undefined)?.openAPIV3Schema ?? {}) as Json,
      })),
    });
  }
  return kinds;
}

/**
 * @internal The root schema with `apiVersion`, `kind` and `metadata`, which the API server accepts on every custom
 * resource whether or not the CRD lists them (Istio's generated CRDs list only `spec` and `status`).
 */
export function withTypeMeta(schema: Json): Json {
  const props = (schema.properties ?? {}) as Json;
  if (schema.properties === undefined) return schema;
  return {
    ...schema,
    properties: {
      apiVersion: { type: "string" },
      kind: { type: "string" },
      metadata: { type: "object" },
      ...props,
    },
  };
}

/**
 * Rewrites a structural schema into a JSON schema ajv enforces like the API server (plus unknown-field errors).
 * Pure; exported for tests.
 */
export function toStrictJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toStrictJsonSchema);
  if (node === null || typeof node !== "object") return node;
  const src = node as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(src)) {
    // Descriptions are large and irrelevant to validation; x-kubernetes-* keywords are handled below.
    if (key === "description" || key.startsWith("x-kubernetes-")) continue;
    if (key === "properties" && value !== null && typeof value === "object") {
      out.properties = Object.fromEntries(
        Object.entries(value as Json).map(([k, v]) => [k, toStrictJsonSchema(v)]),
      );
    } else if (key === "pattern" && typeof value === "string") {
      out.pattern = withoutInlineCaseFlag(value);
    } else if ((key === "exclusiveMinimum" || key === "exclusiveMaximum") && typeof value === "boolean") {
      // OpenAPI 3.0's boolean form (chaos-mesh's Schedule): it makes `minimum`/`maximum` exclusive (draft-07's number).
      continue;
    } else {
      out[key] = toStrictJsonSchema(value);
    }
  }
  for (const [flag, bound] of [
    ["exclusiveMinimum", "minimum"],
    ["exclusiveMaximum", "maximum"],
  ] as const) {
    if (src[flag] === true && typeof src[bound] === "number") {
      out[flag] = src[bound];
      delete out[bound];
    }
  }
  if (src["x-kubernetes-int-or-string"] === true) {
    delete out.type;
    out.anyOf = [{ type: "integer" }, { type: "string" }];
  }
  const open = src["x-kubernetes-preserve-unknown-fields"] === true;
  if (src.properties !== undefined && src.additionalProperties === undefined && !open) {
    out.additionalProperties = false;
  }
  if (
    src.type === "object" &&
    src.properties === undefined &&
    src.additionalProperties === undefined &&
    !open
  ) {
    // `metadata: {type: object}` in every CRD: the API server validates ObjectMeta itself; so does validate.ts.
    out.additionalProperties = true;
  }
  return out;
}

/**
 * @internal RE2's inline case flag `(?i)` (prometheus-operator's PrometheusRule uses it) has no JavaScript form
 * inside a pattern: drop it and match each ASCII letter after it in either case (`a` becomes `[aA]`). Escapes and
 * character classes are copied as they are.
 */
export function withoutInlineCaseFlag(pattern: string): string {
  const at = pattern.indexOf("(?i)");
  if (at < 0) return pattern;
  let out = pattern.slice(0, at);
  let inClass = false;
  const tail = pattern.slice(at + 4);
  for (let k = 0; k < tail.length; k++) {
    const c = tail[k];
    if (c === "\\") {
      out += c + (tail[k + 1] ?? "");
      k++;
    } else if (inClass) {
      if (c === "]") inClass = false;
      out += c;
    } else if (c === "[") {
      inClass = true;
      out += c;
    } else {
      out += /[a-zA-Z]/.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c;
    }
  }
  return out;
}

/** @internal */
export interface CrdCheck {
  /** The compiled validator, or undefined when the apiVersion is not served. */
  readonly validate?: ValidateFunction;
  readonly crd: CrdKind;
  /** Why the apiVersion is refused, when it is. */
  readonly refusal?: string;
}

/** Parses and compiles CRD schemas on first use and answers which validator applies to an apiVersion and kind. */
export class CrdRegistry {
  private readonly ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly parsed = new Map<string, CrdKind>();
  private readonly index: readonly CrdIndexEntry[];

  constructor(private readonly dir: string = CRD_DIR) {
    this.index = indexCrds(dir);
  }

  /** The kinds known, as `group/Kind`. */
  public kinds(): string[] {
    return this.index.map((c) => `${c.group}/${c.kind}`).sort();
  }

  /** Whether a vendored CRD defines `group`. */
  public knowsGroup(group: string): boolean {
    return this.index.some((c) => c.group === group);
  }

  private crd(group: string, kind: string): CrdKind | undefined {
    const key = `${group}|${kind}`;
    const cached = this.parsed.get(key);
    if (cached !== undefined) return cached;
    const entry = this.index.find((e) => e.group === group && e.kind === kind);
    if (entry === undefined) return undefined;
    for (const crd of loadCrdFile(entry.file, this.dir)) this.parsed.set(`${crd.group}|${crd.kind}`, crd);
    return this.parsed.get(key);
  }

  /** The check for `apiVersion`+`kind`, or undefined when no vendored CRD defines that group and kind. */
  public lookup(apiVersion: string, kind: string): CrdCheck | undefined {
    const slash = apiVersion.indexOf("/");
    if (slash < 0) return undefined;
    const group = apiVersion.slice(0, slash);
    const version = apiVersion.slice(slash + 1);
    const crd = this.crd(group, kind);
    if (crd === undefined) return undefined;
    const served = crd.versions.filter((v) => v.served).map((v) => v.name);
    const v = crd.versions.find((x) => x.name === version);
    if (v === undefined || !v.served) {
      const what = v === undefined ? "does not define" : "no longer serves";
      return {
        crd,
        refusal: `the ${kind} CRD (${crd.file}) ${what} ${apiVersion}; served: ${served.join(", ")}`,
      };
    }
    const key = `${group}|${kind}|${version}`;
    let fn = this.compiled.get(key);
    if (fn === undefined) {
      fn = this.ajv.compile(toStrictJsonSchema(withTypeMeta(v.schema)) as object);
      this.compiled.set(key, fn);
    }
    return { crd, validate: fn };
  }
}

/** @internal Turns an ajv error into `path` and a sentence. */
export function describeAjvError(e: ErrorObject): { path: string; reason: string } {
  const at = e.instancePath === "" ? "/" : e.instancePath;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "additionalProperties":
      return { path: `${e.instancePath}/${String(p.additionalProperty)}`, reason: "unknown field" };
    case "required":
      return { path: `${e.instancePath}/${String(p.missingProperty)}`, reason: "required field is missing" };
    case "type":
      return { path: at, reason: `must be ${String(p.type)}` };
    case "enum":
      return {
        path: at,
        reason: `must be one of ${(p.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(", ")}`,
      };
    default:
      return { path: at, reason: e.message ?? e.keyword };
  }
}
