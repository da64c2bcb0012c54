/**
 * Values a schema cannot check at construction: Pulumi Outputs (an endpoint, an ARN) and promises inside an object
 * that is applied before they resolve. The validator checks such an object with a placeholder at each of those
 * places and ignores what the schema says about the placeholder itself; everything around it (kinds, names, keys,
 * every plain value) is still checked. The offline plan validates the resolved values (`cli/plan/check.ts`).
 */
import * as pulumi from "@pulumi/pulumi";

/** @internal What stands in for an unknown value while the rest of its object is validated. */
export const UNKNOWN_PLACEHOLDER = "(known after deploy)";

/** @internal A plain copy of an object, with a placeholder at every unknown value and the JSON pointers of those places. */
export interface WithPlaceholders {
  readonly value: unknown;
  /** Each unknown value's path, as a JSON pointer and with its keys unescaped (both forms appear in problems). */
  readonly unknownPaths: ReadonlySet<string>;
}

/** @internal Whether a value is only known after deploy. */
export function isUnknown(value: unknown): boolean {
  return pulumi.Output.isInstance(value) || value instanceof Promise;
}

/** @internal Whether an object holds an unknown value anywhere. */
export function holdsUnknowns(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(holdsUnknowns);
  if (value !== null && typeof value === "object") return Object.values(value).some(holdsUnknowns);
  return false;
}

/** @internal Replaces every unknown value by the placeholder; returns `value` itself when it holds none. */
export function withPlaceholders(value: unknown): WithPlaceholders {
  if (!holdsUnknowns(value)) return { value, unknownPaths: new Set() };
  const unknownPaths = new Set<string>();
  const walk = (v: unknown, pointer: string, raw: string): unknown => {
    if (isUnknown(v)) {
      unknownPaths.add(pointer).add(raw);
      return UNKNOWN_PLACEHOLDER;
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, `${pointer}/${i}`, `${raw}/${i}`));
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(
        Object.entries(v).map(([key, item]) => [
          key,
          walk(item, `${pointer}/${escape(key)}`, `${raw}/${key}`),
        ]),
      );
    }
    return v;
  };
  return { value: walk(value, "", ""), unknownPaths };
}

/** RFC 6901: `~` and `/` inside a key. */
function escape(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}
