/**
 * Values an object needs that exist only after deploy (an AMP workspace's URL in a KEDA trigger), for objects
 * rendered by pure code (cdk8s charts) that cannot hold a Pulumi Output. The chart writes a token
 * (`lateBoundToken("promql-url")`); `bindLateValues` replaces every string containing one with an Output of the
 * string with the value in place, so the ConfigGroup applies the real value and the chart stays pure.
 */
import * as pulumi from "@pulumi/pulumi";
import { InputError, type KubeObject, type ResolvedKubeObject } from "../core";

const TOKEN = /\$\{late:([a-z0-9-]+)\}/g;

/** The placeholder a pure renderer writes for the late-bound value `name`. */
export function lateBoundToken(name: string): string {
  return `\${late:${name}}`;
}

/**
 * The objects with every token replaced by its value. A token without a value is an error naming the object and
 * the token: an object must never reach a cluster with a placeholder in it.
 */
export function bindLateValues(
  objects: readonly KubeObject[],
  values: Readonly<Record<string, pulumi.Input<string>>>,
): ResolvedKubeObject[] {
  const missing: { path: string; value: string }[] = [];
  const bind = (value: unknown, path: string): unknown => {
    if (typeof value === "string") {
      const names = [...value.matchAll(TOKEN)].map((m) => m[1]!);
      if (names.length === 0) return value;
      for (const n of names) if (!(n in values)) missing.push({ path, value: n });
      return pulumi
        .all(names.map((n) => values[n] ?? ""))
        .apply((resolved) => value.replace(TOKEN, (_m, n: string) => resolved[names.indexOf(n)] ?? ""));
    }
    if (Array.isArray(value)) return value.map((v, i) => bind(v, `${path}[${i}]`));
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bind(v, `${path}.${k}`)]));
    }
    return value;
  };
  const bound = objects.map((o) => {
    const where = `${o.kind} ${o.metadata.namespace ?? ""}/${o.metadata.name}`;
    return bind(o, where) as ResolvedKubeObject;
  });
  if (missing.length > 0) {
    throw new InputError(
      "late-bound object values",
      missing.map((m) => ({
        path: m.path,
        value: m.value,
        rule: "names a late-bound value nobody provides",
      })),
    );
  }
  return bound;
}

/** Whether any string in the objects still holds a token (a renderer's output before binding). */
export function hasLateBoundTokens(objects: readonly KubeObject[]): boolean {
  return JSON.stringify(objects).includes("${late:");
}
