import type { RegionObject } from "../../components/core";
/** One resource the program registered, as the offline plan records it (resources.json). */
export interface PlannedResource {
  /** Pulumi type token, for example `aws:eks/cluster:Cluster` or `kubernetes:apps/v1:Deployment`. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  readonly urn: string;
  /** URN of the parent resource (null for the stack itself). */
  readonly parent: string | null;
  /** AWS region of the resource's provider (for Kubernetes objects, the region of the cluster); null if none. */
  readonly region: string | null;
  /** Whether it is a custom resource (false for components). */
  readonly custom: boolean;
  /** The inputs as the program gave them (secrets shown as "[secret]"). */
  readonly inputs: Record<string, unknown>;
  /** The physical id the mock provider answered (custom resources only). */
  readonly id?: string;
  /**
   * What the mock provider answered beyond the inputs (ARNs, endpoints, generated names): what a real provider
   * would compute. In memory only (not in resources.json); the wiring analysis reads it.
   */
  readonly outputs?: Readonly<Record<string, unknown>>;
  /** URN of the resource's explicit provider, when it has one. */
  readonly provider?: string;
  /** URNs the resource depends on, as the engine would know them. */
  readonly dependencies?: readonly string[];
  /** Per input property, the URNs its value came from. */
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

/** A Kubernetes object the plan would apply, with the region whose cluster receives it. */
/** A Kubernetes object the plan would apply, and its cluster's region. */
export type PlannedObject = RegionObject;
