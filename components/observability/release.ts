/**
 * How every observability part installs its chart: one pinned Helm release in `OBSERVABILITY_NAMESPACE` (created
 * by whichever release comes first), atomic, cleaned up on failure, ten minutes to become ready, like the
 * platform add-ons (`components/kubernetes/addons.ts`).
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { OBSERVABILITY_NAMESPACE } from "./names";

/** A chart at a pinned version. */
export interface PinnedChart {
  readonly chart: string;
  readonly version: string;
  readonly repository: string;
}

/** The release `release` of `chart`, its Pulumi name `<name>-<release>`. */
export function observabilityRelease(
  name: string,
  release: string,
  chart: PinnedChart,
  values: pulumi.Input<Record<string, unknown>>,
  opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
  return new k8s.helm.v3.Release(
    `${name}-${release}`,
    {
      name: release,
      chart: chart.chart,
      version: chart.version,
      repositoryOpts: { repo: chart.repository },
      namespace: OBSERVABILITY_NAMESPACE,
      createNamespace: true,
      values,
      atomic: true,
      cleanupOnFail: true,
      timeout: 600,
    },
    opts,
  );
}
