/**
 * Node placeholders of one service (calendar pre-provisioning, `calendar/compile/pre-provision.ts`): a Deployment
 * of pause pods that Karpenter launches nodes for ahead of each scale-out, scaled by its own ScaledObject whose cron
 * triggers the calendar compiles from the service's schedule, so the service's pods land on running nodes.
 *
 * Why each field:
 * - The pods must fit exactly where the service's pods will go, so their scheduling is copied from the service's
 *   rendered pod template (Deployment or Rollout): node selector, affinity, tolerations, and the zone and host
 *   spread rewritten to select the placeholders. Each container of the service gets a pause twin with the same
 *   requests and limits; in the mesh one more twin holds the sidecar's (Istio injects one into every service pod),
 *   while `sidecar.istio.io/inject: "false"` keeps Istio from adding a real one to the placeholder.
 * - `semester-placeholder` priority (-10, `preemptionPolicy: Never`): every pod preempts them, they preempt none.
 * - `terminationGracePeriodSeconds: 0`: a preempted or scaled-down placeholder frees its room at once.
 * - `karpenter.sh/do-not-disrupt`: consolidation does not take a node while placeholders hold it (Karpenter
 *   "Disruption": pod-level do-not-disrupt blocks voluntary disruption of its node).
 * - No probes: a pause container serves nothing; the governance rule `require-probes` exempts exactly these pods
 *   (the role label and every container on `PLACEHOLDER_POD.image`).
 */
import { Construct } from "constructs";
import { ApiObject } from "cdk8s";
import { PLACEHOLDER_POD, RESTRICTED_CONTAINER_SECURITY_CONTEXT } from "../core";
import { LABELS } from "./tiers";
import { INJECTION_OPT_OUT } from "../mesh";
import {
  PLACEHOLDER_BEHAVIOR,
  ServiceScaledObject,
  type ScalingContribution,
  type ServiceScaledObjectProps,
} from "./keda";

/** A Kubernetes container's requests and limits. */
export interface ContainerResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

export interface NodePlaceholderProps {
  /** The service whose nodes the placeholders hold. */
  readonly service: string;
  readonly namespace: string;
  readonly region: string;
  /** The service's labels (team, region, part-of...); the name, service and tier labels are the placeholder's own. */
  readonly labels: Readonly<Record<string, string>>;
  /** The service's rendered workload (Deployment or Rollout): its pod template's scheduling is copied. */
  readonly workload: Record<string, unknown>;
  /** The calendar's placeholder triggers (at least one). */
  readonly contribution: ScalingContribution;
  /** The service's maxReplicas (no scale-out is larger). */
  readonly maxReplicas: number;
  /** The mesh sidecar Istio injects into the service's pods, which the placeholders hold room for. @default none */
  readonly sidecar?: ContainerResources;
  /** KEDA polling interval, as the calendar's timing model assumed. @default 30 */
  readonly pollingIntervalSeconds?: number;
}

/** The label value and object name of a service's placeholders. */
export const placeholderName = (service: string): string => `${service}-placeholder`;
/** KEDA's cooldown before the last placeholder goes (only with minReplicaCount 0). */
export const PLACEHOLDER_COOLDOWN_SECONDS = 30;

/** The labels of a service's placeholders: the service's, with their own name, role and tier, not its selector. */
export function placeholderLabels(
  service: string,
  labels: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {
    ...labels,
    [LABELS.name]: placeholderName(service),
    [PLACEHOLDER_POD.roleLabel]: PLACEHOLDER_POD.roleValue,
    [LABELS.tier]: PLACEHOLDER_POD.roleValue,
    "semester.dev/placeholder-for": service,
  };
  delete out[LABELS.service];
  return out;
}

/**
 * The placeholders' ScaledObject: from 0 to the service's maxReplicas on the calendar's triggers alone,
 * `PLACEHOLDER_BEHAVIOR`, a 30 s cooldown. The chart and `npm run calendar -- --stack` both build it from here.
 */
export function placeholderScaledObject(
  props: Pick<
    NodePlaceholderProps,
    "service" | "namespace" | "region" | "labels" | "contribution" | "maxReplicas" | "pollingIntervalSeconds"
  >,
): ServiceScaledObjectProps {
  return {
    service: placeholderName(props.service),
    namespace: props.namespace,
    region: props.region,
    minReplicas: 0,
    maxReplicas: props.maxReplicas,
    contributions: [props.contribution],
    behavior: PLACEHOLDER_BEHAVIOR,
    cooldownPeriodSeconds: PLACEHOLDER_COOLDOWN_SECONDS,
    pollingIntervalSeconds: props.pollingIntervalSeconds ?? 30,
    labels: placeholderLabels(props.service, props.labels),
  };
}

interface PodSpec {
  readonly containers: readonly { name: string; resources?: ContainerResources }[];
  readonly securityContext?: Record<string, unknown>;
  readonly nodeSelector?: Record<string, string>;
  readonly affinity?: Record<string, unknown>;
  readonly tolerations?: readonly Record<string, unknown>[];
  readonly topologySpreadConstraints?: readonly Record<string, unknown>[];
}

export class NodePlaceholder extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: NodePlaceholderProps) {
    super(scope, id);
    const name = placeholderName(props.service);
    this.name = name;
    const selector = { [LABELS.name]: name, [PLACEHOLDER_POD.roleLabel]: PLACEHOLDER_POD.roleValue };
    const labels = placeholderLabels(props.service, props.labels);
    const meta = { name, namespace: props.namespace, labels };
    const template = (props.workload.spec as { template: { spec: PodSpec } }).template.spec;

    new ApiObject(this, "deployment", {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: meta,
      spec: {
        // KEDA owns the count from 0 (minReplicaCount 0): nothing is held outside the compiled spans.
        replicas: 0,
        selector: { matchLabels: { ...selector } },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "100%", maxUnavailable: "100%" } },
        template: {
          metadata: {
            labels: { ...labels, ...INJECTION_OPT_OUT },
            annotations: { "karpenter.sh/do-not-disrupt": "true" },
          },
          spec: placeholderPodSpec(template, selector, props.sidecar),
        },
      },
    });
    new ServiceScaledObject(this, "scaled-object", placeholderScaledObject(props));
  }
}

/**
 * The placeholders' pod spec from the service's: the same scheduling constraints (spread rewritten to select the
 * placeholders, without `matchLabelKeys`, which would split them by ReplicaSet), one pause container per service
 * container with its resources, one more for the sidecar. Pure; exported for tests.
 * @internal
 */
export function placeholderPodSpec(
  service: PodSpec,
  selector: Readonly<Record<string, string>>,
  sidecar: ContainerResources | undefined,
): Record<string, unknown> {
  const pause = (containerName: string, resources: ContainerResources | undefined) => ({
    name: containerName,
    image: PLACEHOLDER_POD.image,
    imagePullPolicy: "IfNotPresent",
    ...(resources !== undefined ? { resources } : {}),
    securityContext: RESTRICTED_CONTAINER_SECURITY_CONTEXT,
  });
  const containers = [
    ...service.containers.map((c) => pause(`reserve-${c.name}`, c.resources)),
    ...(sidecar !== undefined ? [pause("reserve-sidecar", sidecar)] : []),
  ];
  return {
    containers,
    priorityClassName: PLACEHOLDER_POD.priorityClassName,
    terminationGracePeriodSeconds: 0,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    ...(service.securityContext !== undefined ? { securityContext: service.securityContext } : {}),
    ...(service.nodeSelector !== undefined ? { nodeSelector: service.nodeSelector } : {}),
    ...(service.affinity !== undefined ? { affinity: service.affinity } : {}),
    ...(service.tolerations !== undefined ? { tolerations: service.tolerations } : {}),
    ...(service.topologySpreadConstraints !== undefined
      ? {
          topologySpreadConstraints: service.topologySpreadConstraints.map((t) => {
            const { matchLabelKeys: _keys, ...rest } = t;
            void _keys;
            return { ...rest, labelSelector: { matchLabels: { ...selector } } };
          }),
        }
      : {}),
  };
}
