/**
 * The platform add-ons of one regional cluster, each a Helm release with a pinned chart version, HA values
 * merged with the stack's overrides, and explicit ordering:
 *   aws-load-balancer-controller -> external-dns -> metrics-server -> KEDA -> Kyverno
 * The load balancer controller's webhooks mutate Services and Pods, so it is ready before anything else creates
 * them; ExternalDNS (only with `semester:dns`) publishes the ALBs the controller creates; KEDA's CPU/memory triggers need metrics-server; Kyverno comes last so its admission webhooks never gate
 * the other add-ons' pods. Learning workloads depend on all of them (their CRDs included).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { AddonName, AddonsConfig } from "./config";
import { DnsConfig, externalDnsValues } from "./dns";
import { InputError, mergeValues, pinnedRelease } from "../core";

/** Order of installation; each release depends on the ones before it. */
export const ADDON_ORDER: readonly AddonName[] = [
  "awsLoadBalancerController",
  "externalDns",
  "metricsServer",
  "keda",
  "kyverno",
];

/** Release names in the cluster (also the Pulumi child suffixes). */
export const ADDON_RELEASE_NAMES: Readonly<Record<AddonName, string>> = {
  awsLoadBalancerController: "aws-load-balancer-controller",
  externalDns: "external-dns",
  metricsServer: "metrics-server",
  keda: "keda",
  kyverno: "kyverno",
};

/** Semester's HA values per add-on, before the stack's overrides. Pure; exported for tests. */
export function defaultAddonValues(
  name: AddonName,
  ctx: {
    clusterName: pulumi.Input<string>;
    region: string;
    vpcId?: pulumi.Input<string>;
    /** Required for `externalDns`. */
    dns?: DnsConfig;
  },
): Record<string, unknown> {
  switch (name) {
    case "awsLoadBalancerController":
      return {
        clusterName: ctx.clusterName,
        region: ctx.region,
        ...(ctx.vpcId !== undefined ? { vpcId: ctx.vpcId } : {}),
        replicaCount: 2,
        serviceAccount: { create: true, name: "aws-load-balancer-controller" },
        podDisruptionBudget: { maxUnavailable: 1 },
        priorityClassName: "system-cluster-critical",
      };
    case "externalDns":
      if (ctx.dns === undefined) {
        throw new InputError("defaultAddonValues externalDns", [
          { path: "dns", value: undefined, rule: "required: ExternalDNS writes into the zone it names" },
        ]);
      }
      return externalDnsValues({ dns: ctx.dns, region: ctx.region, clusterName: ctx.clusterName });
    case "metricsServer":
      return {
        replicas: 2,
        podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
        priorityClassName: "system-cluster-critical",
      };
    case "keda":
      return {
        operator: { replicaCount: 2 },
        metricsServer: { replicaCount: 2 },
        webhooks: { replicaCount: 2 },
        podDisruptionBudget: {
          operator: { maxUnavailable: 1 },
          metricServer: { maxUnavailable: 1 },
          webhooks: { maxUnavailable: 1 },
        },
        serviceAccount: { operator: { create: true, name: "keda-operator" } },
        // RBAC on `rollouts/scale` (Argo Rollouts are the services' workloads) instead of the chart's default
        // `*/scale` on every group; Deployments and StatefulSets are granted by the chart regardless.
        rbac: {
          enabledCustomScaledRefKinds: true,
          scaledRefKinds: [{ apiGroup: "argoproj.io", kind: "Rollout" }],
        },
        // The operator's /metrics (keda_* series: scaler values, errors, active scalers) for the scrape job.
        prometheus: { operator: { enabled: true } },
      };
    case "kyverno":
      return {
        admissionController: { replicas: 3 },
        backgroundController: { replicas: 2 },
        cleanupController: { replicas: 2 },
        reportsController: { replicas: 2 },
        // PolicyExceptions (GameDays' FIS exceptions) are honoured, and only from the kyverno namespace.
        features: { policyExceptions: { enabled: true, namespace: "kyverno" } },
      };
    default: {
      const never: never = name;
      throw new Error(`unknown add-on ${String(never)}`);
    }
  }
}

export interface PlatformAddonsArgs {
  readonly addons: AddonsConfig;
  readonly provider: k8s.Provider;
  readonly clusterName: pulumi.Input<string>;
  readonly region: string;
  readonly vpcId?: pulumi.Input<string>;
  /** What the first release waits for (the cluster's readiness resources). @default [] */
  readonly dependsOn?: readonly pulumi.Resource[];
  /**
   * The public zone ExternalDNS writes latency records into; ExternalDNS is installed only when set.
   * @default none (no ExternalDNS release)
   */
  readonly dns?: DnsConfig;
  /** Further resources a release waits for, per add-on (its Pod Identity association, say). @default {} */
  readonly releaseDependsOn?: Readonly<Partial<Record<AddonName, readonly pulumi.Resource[]>>>;
}

/** The add-on releases of one cluster by add-on; `externalDns` only when `dns` is set. */
export type AddonReleases = Readonly<Record<Exclude<AddonName, "externalDns">, k8s.helm.v3.Release>> & {
  readonly externalDns?: k8s.helm.v3.Release;
};

/** The add-on releases of one cluster, in order. */
export class PlatformAddons extends pulumi.ComponentResource {
  public readonly releases: AddonReleases;

  constructor(name: string, args: PlatformAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("semester:kubernetes:PlatformAddons", name, {}, opts);
    const releases: Partial<Record<AddonName, k8s.helm.v3.Release>> = {};
    let previous: pulumi.Resource[] = [...(args.dependsOn ?? [])];
    for (const addon of ADDON_ORDER) {
      if (addon === "externalDns" && args.dns === undefined) continue;
      const cfg = args.addons[addon];
      const releaseName = ADDON_RELEASE_NAMES[addon];
      const release = pinnedRelease(
        name,
        {
          release: releaseName,
          chart: cfg.chart,
          version: cfg.version,
          repository: cfg.repository,
          namespace: cfg.namespace,
          createNamespace: cfg.namespace !== "kube-system",
          values: mergeValues(
            defaultAddonValues(addon, {
              clusterName: args.clusterName,
              region: args.region,
              vpcId: args.vpcId,
              dns: args.dns,
            }),
            cfg.values,
          ),
        },
        {
          parent: this,
          provider: args.provider,
          dependsOn: [...previous, ...(args.releaseDependsOn?.[addon] ?? [])],
        },
      );
      releases[addon] = release;
      previous = [release];
    }
    this.releases = releases as AddonReleases;
    this.registerOutputs({});
  }
}
