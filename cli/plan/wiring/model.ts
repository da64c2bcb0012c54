/**
 * Lookups over a recorded plan for the wiring analysis: resources by type and region, by the references other
 * resources hold to them (ids, physical names, ARNs), the cluster objects of a region, and dependency order.
 * Everything is built once per plan; the checks only read.
 */
import type { PlannedObject, PlannedResource } from "../record";

type Obj = PlannedObject["object"];

/** The part of a plan the analysis reads. */
export interface WiringInput {
  readonly resources: readonly PlannedResource[];
  readonly objects: readonly PlannedObject[];
}

/** A string-valued field of a resource: its inputs first, then what the provider computed. */
export function field(r: PlannedResource, key: string): string | undefined {
  const v = r.inputs[key] ?? r.outputs?.[key];
  return typeof v === "string" ? v : undefined;
}

/** A nested value of a record, or undefined. */
export function at(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** A Job's container env, merged over its init and main containers (values only). */
export function jobEnv(job: Obj): Record<string, string> {
  const spec = at(job, "spec", "template", "spec");
  const containers = [at(spec, "initContainers"), at(spec, "containers")].flatMap((c) =>
    Array.isArray(c) ? c : [],
  );
  return Object.fromEntries(
    containers.flatMap((c) =>
      ((at(c, "env") ?? []) as { name: string; value?: unknown }[])
        .filter((e) => typeof e.value === "string")
        .map((e) => [e.name, String(e.value)]),
    ),
  );
}

export class PlanIndex {
  private readonly byTypeMap = new Map<string, PlannedResource[]>();
  private readonly byUrnMap = new Map<string, PlannedResource>();
  private readonly refs = new Map<string, PlannedResource>();
  private readonly objectsByRegion = new Map<string, Obj[]>();
  private readonly ancestors = new Map<string, Set<string>>();
  private readonly children = new Map<string, string[]>();

  constructor(readonly input: WiringInput) {
    for (const r of input.resources) {
      this.byUrnMap.set(r.urn, r);
      const list = this.byTypeMap.get(r.type) ?? [];
      list.push(r);
      this.byTypeMap.set(r.type, list);
      if (r.parent) this.children.set(r.parent, [...(this.children.get(r.parent) ?? []), r.urn]);
      for (const ref of [r.id, field(r, "name"), r.outputs?.arn, r.outputs?.name]) {
        if (typeof ref === "string" && ref !== "") this.refs.set(`${r.type}\u0000${ref}`, r);
      }
    }
    for (const o of input.objects) {
      const list = this.objectsByRegion.get(o.region) ?? [];
      list.push(o.object);
      this.objectsByRegion.set(o.region, list);
    }
  }

  /** Resources of a type, optionally in one region, in plan order. */
  ofType(type: string, region?: string): PlannedResource[] {
    const all = this.byTypeMap.get(type) ?? [];
    return region === undefined ? all : all.filter((r) => r.region === region);
  }

  byUrn(urn: string): PlannedResource | undefined {
    return this.byUrnMap.get(urn);
  }

  /** The resource of `type` that `ref` names: its id, its physical name or its ARN. */
  find(type: string, ref: unknown): PlannedResource | undefined {
    return typeof ref === "string" ? this.refs.get(`${type}\u0000${ref}`) : undefined;
  }

  /** The regions that have a cluster, in plan order. */
  regions(): string[] {
    return [...new Set(this.ofType("aws:eks/cluster:Cluster").map((r) => r.region ?? ""))].filter(Boolean);
  }

  /** The Kubernetes objects applied to a region's cluster, optionally of one kind and namespace. */
  objects(region: string, kind?: string, namespace?: string): Obj[] {
    return (this.objectsByRegion.get(region) ?? []).filter(
      (o) =>
        (kind === undefined || o.kind === kind) &&
        (namespace === undefined || o.metadata.namespace === namespace),
    );
  }

  /**
   * The pod-template workloads of a region: Deployments and Argo Rollouts (a Rollout's `spec.template` is a
   * Deployment's), optionally in one namespace.
   */
  workloads(region: string, namespace?: string): Obj[] {
    return [...this.objects(region, "Deployment", namespace), ...this.objects(region, "Rollout", namespace)];
  }

  /** Every resource `r` waits for before it is created: its dependencies, and its ancestors' dependencies. */
  waitsFor(r: PlannedResource): Set<string> {
    const cached = this.ancestors.get(r.urn);
    if (cached) return cached;
    const out = new Set<string>();
    this.ancestors.set(r.urn, out); // cycles cannot occur in a plan; the early entry only guards recursion
    const direct = [...(r.dependencies ?? []), ...Object.values(r.propertyDependencies ?? {}).flat()];
    for (const urn of direct) {
      out.add(urn);
      const dep = this.byUrn(urn);
      if (dep) for (const u of this.waitsFor(dep)) out.add(u);
      for (const child of this.descendants(urn)) out.add(child);
    }
    const parent = r.parent ? this.byUrn(r.parent) : undefined;
    if (parent) for (const u of this.waitsFor(parent)) out.add(u);
    return out;
  }

  /** A component's children, recursively (depending on a component waits for all of them). */
  private descendants(urn: string): string[] {
    return (this.children.get(urn) ?? []).flatMap((child) => [child, ...this.descendants(child)]);
  }
}
