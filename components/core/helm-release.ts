/**
 * How Semester installs a chart: one pinned Helm release, atomic, cleaned up on failure, ten minutes to become
 * ready. The add-ons, the mesh, the delivery controller, the observability parts and Chaos Mesh all install
 * through it, so a release's safety settings are decided once.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** One release of a chart at a pinned version. */
export interface PinnedRelease {
  /** The release's name in the cluster (and the suffix of its Pulumi name). */
  readonly release: string;
  readonly chart: string;
  readonly version: string;
  readonly repository: string;
  readonly namespace: string;
  /** Whether Helm creates the namespace (false when another resource owns it). */
  readonly createNamespace: boolean;
  readonly values: pulumi.Input<Record<string, unknown>>;
}

/** The release, its Pulumi name `<name>-<release>`. */
export function pinnedRelease(
  name: string,
  r: PinnedRelease,
  opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
  return new k8s.helm.v3.Release(
    `${name}-${r.release}`,
    {
      name: r.release,
      chart: r.chart,
      version: r.version,
      repositoryOpts: { repo: r.repository },
      namespace: r.namespace,
      createNamespace: r.createNamespace,
      values: r.values,
      atomic: true,
      cleanupOnFail: true,
      timeout: 600,
    },
    opts,
  );
}
