/**
 * The one path from Kubernetes objects to a cluster. Every set of plain objects a Semester component applies (the
 * region's rendered charts and the data tier's ConfigMaps, Karpenter's node objects, the gp3 StorageClass, the
 * database role bootstrap, Strimzi's Kafka) is schema-checked by `checkObjects` and registered by `applyObjects`
 * as a v1 `ConfigGroup` with `objs`, which expands every object client-side, so the offline plan and the policies
 * see exactly what a deploy applies.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedKubeObject } from "../core";
import { assertValidObjects } from "./validate";
import { holdsUnknowns, isUnknown } from "./unknown-values";

declare const checked: unique symbol;

/** @internal Objects that passed `checkObjects`: the only input `applyObjects` registers. */
export interface CheckedObjects {
  readonly objects: readonly ResolvedKubeObject[];
  readonly [checked]: true;
}

/**
 * Validates objects against their upstream schemas (vendored CRDs, kubernetes-models) and throws one error
 * listing every problem, named by `context`. A value that is a Pulumi Output (known after deploy) is checked only
 * for being an allowed field; the offline plan validates it resolved. Pure: call it before a component's first
 * resource, so bad objects register nothing.
 */
export function checkObjects(objects: readonly ResolvedKubeObject[], context: string): CheckedObjects {
  assertValidObjects(objects, context);
  return { objects } as CheckedObjects;
}

/** @internal Changes one object's resource options before it registers (a v1 ConfigGroup transformation). */
export type ObjectTransformation = (obj: Record<string, unknown>, opts: pulumi.CustomResourceOptions) => void;

/** @internal */
export interface ApplyObjectsArgs {
  /** The objects, in order. */
  readonly objects: CheckedObjects;
  /**
   * Prefix of every object's resource name (`<prefix>-<namespace>/<name>`): keeps names unique when several
   * regions' clusters share one program. @default the group's name
   */
  readonly resourcePrefix?: string;
  /** Run on every object before it registers. @default none */
  readonly transformations?: readonly ObjectTransformation[];
}

/**
 * Registers checked objects through one v1 `ConfigGroup` on `opts.provider`. The group gets copies (a
 * transformation may change an object, and callers keep theirs): plain objects as JSON, objects holding Outputs
 * around their Outputs, which a JSON copy would lose.
 */
export function applyObjects(
  name: string,
  args: ApplyObjectsArgs,
  opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider },
): k8s.yaml.ConfigGroup {
  return new k8s.yaml.ConfigGroup(
    name,
    {
      objs: args.objects.objects.map((o) => (holdsUnknowns(o) ? copyAround(o) : copyJson(o))),
      resourcePrefix: args.resourcePrefix ?? name,
      ...(args.transformations !== undefined ? { transformations: [...args.transformations] } : {}),
    },
    opts,
  );
}

/**
 * The resources a group registered for `objects`, one Output each. A v1 ConfigGroup creates its children
 * asynchronously, so waiting on the group itself could miss children not yet registered; these resolve to them.
 */
export function appliedResources(
  group: k8s.yaml.ConfigGroup,
  objects: readonly ResolvedKubeObject[],
  resourcePrefix: string,
): pulumi.Output<pulumi.Resource>[] {
  return objects.map((o) => {
    const { name, namespace } = o.metadata;
    const key = `${o.apiVersion}/${o.kind}::${resourcePrefix}-${namespace === undefined ? "" : `${namespace}/`}${name}`;
    return group.resources.apply((resources) => {
      const resource = resources[key];
      if (resource === undefined)
        throw new Error(`applyObjects: ${key} was not registered by ${resourcePrefix}`);
      return resource;
    });
  });
}

/**
 * A deep copy of a plain JSON object. Not structuredClone: under jest that returns arrays of another realm,
 * which Pulumi's serializer (`instanceof Array`) would record as objects.
 */
function copyJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** A copy of the plain arrays and objects around unknown values, which are shared. */
function copyAround(value: unknown): unknown {
  if (isUnknown(value)) return value;
  if (Array.isArray(value)) return value.map(copyAround);
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copyAround(item)]));
  }
  return value;
}
