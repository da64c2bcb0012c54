import * as pulumi from "@pulumi/pulumi";
import type { ResolvedClusterSettings, ResolvedNodePool } from "../defaults";
import type { ResolvedKubeObject as KubernetesObject } from "../../core";
import { zeroBudgets, type ZeroBudgetWindow } from "./window-budgets";

/** @internal */
export interface NodeObjectsArgs {
  readonly clusterName: pulumi.Input<string>;
  readonly nodeRoleName: pulumi.Input<string>;
  readonly clusterSecurityGroupId: pulumi.Input<string>;
  readonly availabilityZones: pulumi.Input<string[]>;
  readonly settings: ResolvedClusterSettings["karpenter"];
  readonly tags: Record<string, string>;
  /** The calendar's windows without voluntary disruption, appended to every pool's own budgets. @default [] */
  readonly zeroBudgetWindows?: readonly ZeroBudgetWindow[];
}

/** @internal The tag Karpenter uses to discover this cluster's private subnets. */
export const DISCOVERY_TAG = "karpenter.sh/discovery";

/**
 * One EC2NodeClass (IMDSv2 with hop limit 1, encrypted gp3 root volumes, private subnets only) and a
 * NodePool per configured pool, each restricted to the cluster's zones so pods spread over all of them, with its
 * own disruption budgets followed by the calendar's.
 * @internal
 */
export function karpenterNodeObjects(args: NodeObjectsArgs): KubernetesObject[] {
  const nodeClass: KubernetesObject = {
    apiVersion: "karpenter.k8s.aws/v1",
    kind: "EC2NodeClass",
    metadata: { name: "default" },
    spec: {
      role: args.nodeRoleName,
      amiSelectorTerms: [{ alias: args.settings.amiAlias }],
      subnetSelectorTerms: [{ tags: { [DISCOVERY_TAG]: args.clusterName } }],
      securityGroupSelectorTerms: [{ id: args.clusterSecurityGroupId }],
      metadataOptions: {
        httpEndpoint: "enabled",
        httpProtocolIPv6: "disabled",
        httpPutResponseHopLimit: 1,
        httpTokens: "required",
      },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: {
            volumeSize: `${args.settings.rootVolumeGiB}Gi`,
            volumeType: "gp3",
            encrypted: true,
            deleteOnTermination: true,
          },
        },
      ],
      tags: args.tags,
    },
  };
  const pools = Object.entries(args.settings.nodePools)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, pool]) =>
      nodePool(name, pool, args.availabilityZones, zeroBudgets(args.zeroBudgetWindows ?? [])),
    );
  return [nodeClass, ...pools];
}

function nodePool(
  name: string,
  pool: ResolvedNodePool,
  zones: pulumi.Input<string[]>,
  calendarBudgets: readonly Record<string, string>[],
): KubernetesObject {
  return {
    apiVersion: "karpenter.sh/v1",
    kind: "NodePool",
    metadata: { name },
    spec: {
      template: {
        metadata: { labels: { ...pool.labels } },
        spec: {
          nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" },
          requirements: [
            {
              key: "karpenter.k8s.aws/instance-category",
              operator: "In",
              values: [...pool.instanceCategories],
            },
            {
              key: "karpenter.k8s.aws/instance-generation",
              operator: "Gt",
              values: [String(pool.minInstanceGeneration)],
            },
            { key: "karpenter.sh/capacity-type", operator: "In", values: [...pool.capacityTypes] },
            { key: "kubernetes.io/arch", operator: "In", values: [...pool.architectures] },
            { key: "topology.kubernetes.io/zone", operator: "In", values: zones },
          ],
          ...(pool.taints.length > 0 ? { taints: pool.taints.map((t) => ({ ...t })) } : {}),
          expireAfter: pool.expireAfter,
        },
      },
      disruption: {
        consolidationPolicy: pool.consolidationPolicy,
        consolidateAfter: pool.consolidateAfter,
        budgets: [...pool.budgets.map((b) => ({ ...b })), ...calendarBudgets.map((b) => ({ ...b }))],
      },
      limits: { cpu: String(pool.cpuLimit) },
      ...(pool.weight !== undefined ? { weight: pool.weight } : {}),
    },
  };
}
