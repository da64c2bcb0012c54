import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedClusterSettings } from "./defaults";

/** @internal */
export interface EksAddons {
  readonly vpcCni: aws.eks.Addon;
  readonly kubeProxy: aws.eks.Addon;
  readonly coreDns: aws.eks.Addon;
  readonly podIdentityAgent: aws.eks.Addon;
}

/**
 * The cluster's core add-ons, managed as EKS add-ons (the cluster is created without self-managed ones).
 * The VPC CNI enforces NetworkPolicies, which the learning services' default-deny policies rely on.
 * @internal
 */
export function createEksAddons(
  name: string,
  cluster: aws.eks.Cluster,
  versions: ResolvedClusterSettings["addonVersions"],
  nodes: pulumi.Resource,
  opts: pulumi.CustomResourceOptions,
): EksAddons {
  const addon = (
    role: string,
    addonName: string,
    version: string | undefined,
    extra: Partial<aws.eks.AddonArgs>,
    dependsOn: pulumi.Resource[] = [],
  ) =>
    new aws.eks.Addon(
      `${name}-${role}`,
      {
        clusterName: cluster.name,
        addonName,
        ...(version !== undefined ? { addonVersion: version } : {}),
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "PRESERVE",
        ...extra,
      },
      { ...opts, dependsOn },
    );
  return {
    vpcCni: addon("vpc-cni", "vpc-cni", versions.vpcCni, {
      configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }),
    }),
    kubeProxy: addon("kube-proxy", "kube-proxy", versions.kubeProxy, {}),
    // CoreDNS needs nodes to schedule on; waiting for the node group avoids a degraded add-on at creation.
    coreDns: addon("coredns", "coredns", versions.coreDns, {}, [nodes]),
    podIdentityAgent: addon("pod-identity-agent", "eks-pod-identity-agent", versions.podIdentityAgent, {}),
  };
}
