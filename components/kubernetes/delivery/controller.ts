/**
 * The Argo Rollouts controller of one cluster: a pinned Helm release (chart 2.41.0 = Argo Rollouts v1.9.0, its
 * CRDs from the chart's templates, `installCRDs`), HA, installed after the other add-ons (Kyverno last among
 * them, so its webhooks never gate these pods) and before the Rollouts that need its CRDs.
 *
 * HA: two replicas with leader election (the controller's `--leader-elect` is on by default, so the second
 * replica is a warm standby) and a PDB of one. RBAC narrowed to the Istio traffic provider, the only one
 * Semester uses (chart `providerRBAC.providers`). Its service account `argo-rollouts` gets a Pod Identity role
 * with the AMP query policy in RegionWorkloads, so SigV4-signed analyses run as it.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { mergeValues, pinnedRelease } from "../../core";
import type { DeliveryConfig } from "./config";

/** The release's name in the cluster (and the Pulumi child suffix). */
export const ROLLOUTS_RELEASE = "argo-rollouts";
/** The controller's service account. */
export const ROLLOUTS_SERVICE_ACCOUNT = "argo-rollouts";

/** The traffic providers the chart can grant RBAC for; only Istio is on. */
const PROVIDERS = [
  "istio",
  "smi",
  "ambassador",
  "awsLoadBalancerController",
  "awsAppMesh",
  "traefik",
  "apisix",
  "contour",
  "glooPlatform",
  "gatewayAPI",
] as const;

/** Semester's values for the chart, before the stack's overrides. Pure. */
export function rolloutsControllerValues(): Record<string, unknown> {
  return {
    installCRDs: true,
    // Deleting the release must not delete every Rollout with its CRD.
    keepCRDs: true,
    controller: {
      replicas: 2,
      pdb: { enabled: true, maxUnavailable: 1 },
      priorityClassName: "system-cluster-critical",
    },
    serviceAccount: { create: true, name: ROLLOUTS_SERVICE_ACCOUNT },
    dashboard: { enabled: false },
    providerRBAC: {
      enabled: true,
      providers: Object.fromEntries(PROVIDERS.map((p) => [p, p === "istio"])),
    },
  };
}

export interface DeliveryControllerArgs {
  readonly controller: DeliveryConfig["controller"];
  readonly provider: k8s.Provider;
  /** The resources the release waits for (the last add-on, the controller's Pod Identity association). */
  readonly dependsOn?: readonly pulumi.Input<pulumi.Resource>[];
}

export class DeliveryController extends pulumi.ComponentResource {
  public readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: DeliveryControllerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("semester:kubernetes:DeliveryController", name, {}, opts);
    const cfg = args.controller;
    this.release = pinnedRelease(
      name,
      {
        release: ROLLOUTS_RELEASE,
        chart: cfg.chart,
        version: cfg.version,
        repository: cfg.repository,
        namespace: cfg.namespace,
        createNamespace: true,
        values: mergeValues(rolloutsControllerValues(), cfg.values),
      },
      { parent: this, provider: args.provider, dependsOn: [...(args.dependsOn ?? [])] },
    );
    this.registerOutputs({});
  }
}
