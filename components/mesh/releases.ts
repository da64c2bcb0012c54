/**
 * The mesh's Helm releases in one cluster, in order: istio-base (CRDs) → istio-cni (node agent: pods started after
 * it get their traffic redirected without NET_ADMIN) → istiod (control plane and the injection webhook) → the
 * ingress gateway (itself injected by istiod's webhook). Their namespaces come first, labelled for Pod Security:
 * istio-system `privileged` (the CNI agent is privileged with hostPath mounts), istio-ingress `restricted`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { mergeValues, pinnedRelease } from "../core";
import type { MeshConfig } from "./config";
import { ISTIO_INGRESS, ISTIO_SYSTEM } from "./names";
import { MESH_CHARTS, MESH_RELEASE_NAMES, meshValues, type MeshChart } from "./values";

const NAMESPACE_OF: Readonly<Record<MeshChart, string>> = {
  base: ISTIO_SYSTEM,
  cni: ISTIO_SYSTEM,
  istiod: ISTIO_SYSTEM,
  gateway: ISTIO_INGRESS,
};

export interface MeshReleasesArgs {
  readonly mesh: MeshConfig;
  readonly provider: k8s.Provider;
  /** What the namespaces and the first release wait for (the cluster and its add-ons). @default [] */
  readonly dependsOn?: readonly pulumi.Input<pulumi.Resource>[];
  /** Labels on the namespaces. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

export class MeshReleases extends pulumi.ComponentResource {
  public readonly releases: Readonly<Record<MeshChart, k8s.helm.v3.Release>>;
  public readonly namespaces: readonly k8s.core.v1.Namespace[];

  constructor(name: string, args: MeshReleasesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("semester:mesh:MeshReleases", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const level: Record<string, string> = { [ISTIO_SYSTEM]: "privileged", [ISTIO_INGRESS]: "restricted" };
    this.namespaces = [ISTIO_SYSTEM, ISTIO_INGRESS].map(
      (ns) =>
        new k8s.core.v1.Namespace(
          `${name}-${ns}`,
          {
            metadata: {
              name: ns,
              labels: {
                ...args.labels,
                "kubernetes.io/metadata.name": ns,
                "pod-security.kubernetes.io/enforce": level[ns]!,
                "pod-security.kubernetes.io/enforce-version": "latest",
              },
            },
          },
          { ...child, dependsOn: [...(args.dependsOn ?? [])] },
        ),
    );
    const releases: Partial<Record<MeshChart, k8s.helm.v3.Release>> = {};
    let previous: pulumi.Resource[] = [...this.namespaces];
    for (const chart of MESH_CHARTS) {
      const release = pinnedRelease(
        name,
        {
          release: MESH_RELEASE_NAMES[chart],
          chart,
          version: args.mesh.version,
          repository: args.mesh.repository,
          namespace: NAMESPACE_OF[chart],
          createNamespace: false,
          values: mergeValues(meshValues(chart, args.mesh), args.mesh.values[chart]),
        },
        { ...child, dependsOn: previous },
      );
      releases[chart] = release;
      previous = [release];
    }
    this.releases = releases as Record<MeshChart, k8s.helm.v3.Release>;
    this.registerOutputs({});
  }
}
