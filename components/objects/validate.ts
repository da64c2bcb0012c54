/**
 * Validates rendered Kubernetes objects against their upstream schemas: custom resources against the vendored
 * CRDs, core objects against kubernetes-models. Every problem names the object, the JSON path and the reason.
 */
import { CrdRegistry, describeAjvError } from "./crd-registry";
import { CORE_API_VERSIONS, isCoreKind, validateCoreObject } from "./core-schema";
import { withPlaceholders } from "./unknown-values";

/** One reason an object does not validate. */
export interface SchemaProblem {
  readonly kind: string;
  readonly apiVersion: string;
  readonly namespace?: string;
  readonly name: string;
  /** JSON pointer into the object, `/` for the object itself. */
  readonly path: string;
  readonly reason: string;
}

/** What the validator reads: any JSON object, since checking its shape is the validator's job. */
type UncheckedObject = Readonly<Record<string, unknown>>;

let defaultRegistry: CrdRegistry | undefined;
function registry(): CrdRegistry {
  defaultRegistry ??= new CrdRegistry();
  return defaultRegistry;
}

/**
 * Checks every object; returns all problems (empty when everything validates). An object may hold Pulumi Outputs
 * (see `unknown-values.ts`): their places are checked only for being allowed fields.
 */
export function validateObjects(
  objs: readonly UncheckedObject[],
  crds: CrdRegistry = registry(),
): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  objs.forEach((given, index) => {
    const { value, unknownPaths } = withPlaceholders(given);
    const obj = value as UncheckedObject;
    const meta = (obj.metadata ?? {}) as Record<string, unknown>;
    const apiVersion = typeof obj.apiVersion === "string" ? obj.apiVersion : "";
    const kind = typeof obj.kind === "string" ? obj.kind : "";
    const name = typeof meta.name === "string" ? meta.name : `<object ${index}>`;
    const namespace = typeof meta.namespace === "string" ? meta.namespace : undefined;
    const add = (path: string, reason: string) => {
      // What the schema says about a placeholder is not about the value it stands for.
      if (unknownPaths.has(path) && reason !== "unknown field") return;
      problems.push({ kind: kind || "<no kind>", apiVersion, namespace, name, path, reason });
    };

    if (apiVersion === "" || kind === "") {
      add("/", "`apiVersion` and `kind` are required");
      return;
    }
    if (typeof meta.name !== "string" || meta.name === "")
      add("/metadata/name", "an explicit name is required");

    const crd = crds.lookup(apiVersion, kind);
    if (crd !== undefined) {
      if (crd.validate === undefined) {
        add("/apiVersion", crd.refusal ?? "not served");
        return;
      }
      if (crd.crd.scope === "Namespaced" && namespace === undefined) {
        add("/metadata/namespace", "an explicit namespace is required");
      }
      if (!crd.validate(obj)) {
        for (const e of crd.validate.errors ?? []) {
          // anyOf wrappers (int-or-string) repeat what their branches said.
          if (e.keyword === "anyOf") continue;
          const d = describeAjvError(e);
          add(d.path, d.reason);
        }
      }
      return;
    }
    if (isCoreKind(apiVersion, kind)) {
      for (const p of validateCoreObject(obj)) {
        if (p.error !== undefined) {
          if (p.error.keyword === "oneOf" || p.error.keyword === "anyOf") continue;
          const d = describeAjvError(p.error);
          add(d.path, d.reason);
        } else {
          add(p.path, p.reason ?? "invalid");
        }
      }
      return;
    }
    const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
    add(
      "/apiVersion",
      crds.knowsGroup(group)
        ? `no vendored CRD defines kind ${kind} in ${group}`
        : `no schema for ${apiVersion} ${kind}: vendor its CRD into components/objects/crds or use a core API (${CORE_API_VERSIONS.join(", ")})`,
    );
  });
  return problems;
}

/** One line per problem: `Kind namespace/name: path: reason`. */
export function formatProblem(p: SchemaProblem): string {
  const where = p.namespace !== undefined ? `${p.namespace}/${p.name}` : p.name;
  return `${p.kind} ${where}: \`${p.path}\`: ${p.reason}`;
}

/** Throws one error listing every problem. */
export function assertValidObjects(objs: readonly UncheckedObject[], context = "Kubernetes objects"): void {
  const problems = validateObjects(objs);
  if (problems.length === 0) return;
  throw new Error(
    `${context}: ${problems.length} schema problem(s):\n${problems.map((p) => `- ${formatProblem(p)}`).join("\n")}`,
  );
}
