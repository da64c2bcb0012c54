import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { applyObjects, checkObjects } from "../../objects";
import type { ResolvedClusterSettings } from "../defaults";
import { managedPolicy, serviceRole } from "../iam";
import { bindServiceAccount } from "../pod-identity";
import { karpenterControllerPolicy } from "./controller-policy";
import { createInterruptionQueue } from "./interruption";
import { karpenterNodeObjects } from "./node-objects";
import type { ZeroBudgetWindow } from "./window-budgets";

/** @internal */
export interface KarpenterArgs {
  readonly region: string;
  readonly clusterName: string;
  readonly cluster: aws.eks.Cluster;
  readonly partition: pulumi.Input<string>;
  readonly accountId: pulumi.Input<string>;
  readonly availabilityZones: pulumi.Input<string[]>;
  readonly settings: ResolvedClusterSettings["karpenter"];
  readonly kubernetesProvider: k8s.Provider;
  /** What must exist before the controller can run: system nodes and the Pod Identity agent. */
  readonly dependsOn: pulumi.Resource[];
  readonly tags: Record<string, string>;
  /** The calendar's windows without voluntary disruption, for every NodePool. @default [] */
  readonly zeroBudgetWindows?: readonly ZeroBudgetWindow[];
}

/** @internal */
export interface Karpenter {
  readonly nodeRole: aws.iam.Role;
  readonly interruptionQueue: aws.sqs.Queue;
  readonly crds: k8s.helm.v3.Release;
  readonly controller: k8s.helm.v3.Release;
  readonly nodeObjects: k8s.yaml.ConfigGroup;
}

const CHART_REPOSITORY = "oci://public.ecr.aws/karpenter";
const NAMESPACE = "kube-system";

/**
 * Karpenter provisions the nodes the learning services run on. Its CRDs come from the separate
 * `karpenter-crd` chart, because Helm installs a chart's crds/ only once and never upgrades them.
 * @internal
 */
export function installKarpenter(
  name: string,
  args: KarpenterArgs,
  opts: pulumi.CustomResourceOptions,
): Karpenter {
  const { settings } = args;
  const nodeRole = serviceRole(
    `${name}-karpenter-node`,
    "ec2.amazonaws.com",
    [
      "AmazonEKSWorkerNodePolicy",
      "AmazonEKS_CNI_Policy",
      "AmazonEC2ContainerRegistryReadOnly",
      "AmazonSSMManagedInstanceCore",
    ].map((policy) => managedPolicy(args.partition, policy)),
    opts,
  );
  const nodeAccess = new aws.eks.AccessEntry(
    `${name}-karpenter-node`,
    { clusterName: args.cluster.name, principalArn: nodeRole.arn, type: "EC2_LINUX" },
    opts,
  );
  const interruptionQueue = createInterruptionQueue(name, `${args.clusterName}-karpenter`, args.tags, opts);
  const controllerBinding = bindServiceAccount(
    `${name}-karpenter`,
    args.cluster.name,
    {
      namespace: NAMESPACE,
      serviceAccount: "karpenter",
      inlinePolicy: pulumi
        .all([args.partition, args.accountId, interruptionQueue.arn, nodeRole.arn])
        .apply(([partition, accountId, interruptionQueueArn, nodeRoleArn]) =>
          karpenterControllerPolicy({
            partition,
            region: args.region,
            accountId,
            clusterName: args.clusterName,
            interruptionQueueArn,
            nodeRoleArn,
          }),
        ),
    },
    opts,
  );
  const k8sOpts = { ...opts, provider: args.kubernetesProvider };
  const crds = new k8s.helm.v3.Release(
    `${name}-karpenter-crd`,
    {
      name: "karpenter-crd",
      chart: `${CHART_REPOSITORY}/karpenter-crd`,
      version: settings.chartVersion,
      namespace: NAMESPACE,
      atomic: true,
    },
    { ...k8sOpts, dependsOn: args.dependsOn },
  );
  const controller = new k8s.helm.v3.Release(
    `${name}-karpenter`,
    {
      name: "karpenter",
      chart: `${CHART_REPOSITORY}/karpenter`,
      version: settings.chartVersion,
      namespace: NAMESPACE,
      skipCrds: true,
      atomic: true,
      values: {
        replicas: 2,
        serviceAccount: { name: "karpenter" },
        settings: { clusterName: args.clusterName, interruptionQueue: interruptionQueue.name },
        controller: {
          resources: { requests: { cpu: "500m", memory: "768Mi" }, limits: { cpu: "1", memory: "768Mi" } },
        },
        // Never on nodes it manages itself: a consolidation could evict its own controller.
        nodeSelector: { "semester.dev/pool": "system" },
        podDisruptionBudget: { name: "karpenter", maxUnavailable: 1 },
      },
    },
    { ...k8sOpts, dependsOn: [crds, nodeAccess, controllerBinding.association, ...args.dependsOn] },
  );
  const nodeObjects = applyObjects(
    `${name}-karpenter-nodes`,
    {
      objects: checkObjects(
        karpenterNodeObjects({
          clusterName: args.cluster.name,
          nodeRoleName: nodeRole.name,
          clusterSecurityGroupId: args.cluster.vpcConfig.clusterSecurityGroupId,
          availabilityZones: args.availabilityZones,
          settings,
          tags: args.tags,
          zeroBudgetWindows: args.zeroBudgetWindows ?? [],
        }),
        `Karpenter node objects of ${name}`,
      ),
    },
    { ...opts, provider: args.kubernetesProvider, dependsOn: [crds, controller] },
  );
  return { nodeRole, interruptionQueue, crds, controller, nodeObjects };
}
