/**
 * The two shapes of a Kubernetes object in Semester. A `KubeObject` is plain JSON (a rendered cdk8s chart, a
 * recorded plan object, what the schema validator and the CEL engine read). A `ResolvedKubeObject` is what a
 * ConfigGroup applies: the same shape, but any value may still be a Pulumi Output (an endpoint known only after
 * deploy), so only the identifying fields are typed.
 */
import type * as pulumi from "@pulumi/pulumi";

/** A plain Kubernetes object: `apiVersion`, `kind`, `metadata` and whatever its kind defines. */
export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string } & Record<string, unknown>;
} & Record<string, unknown>;

/** A plain object and the region whose cluster it is applied to (the plan records objects this way). */
export interface RegionObject {
  readonly region: string;
  readonly object: KubeObject;
}

/** A Kubernetes object whose values may be Pulumi Inputs. */
export interface ResolvedKubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, pulumi.Input<string>>>;
  };
  readonly [field: string]: unknown;
}
