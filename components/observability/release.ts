/**
 * How every observability part installs its chart: core's `pinnedRelease` in `OBSERVABILITY_NAMESPACE` (created by
 * whichever release comes first).
 */
import type * as k8s from "@pulumi/kubernetes";
import { pinnedRelease } from "../core";
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
  return pinnedRelease(
    name,
    { release, ...chart, namespace: OBSERVABILITY_NAMESPACE, createNamespace: true, values },
    opts,
  );
}
