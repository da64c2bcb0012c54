/**
 * Strimzi in one regional cluster: the operator (Helm release, which installs the kafka.strimzi.io CRDs) and then
 * the Kafka objects (`strimzi.ts`) through the one object path, after the release.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { applyObjects, checkObjects } from "../../objects";
import type { ClusterHandle } from "../../cluster";
import type { ResolvedKubeObject } from "../../core";

/** Strimzi's operator chart; its version matches the vendored Strimzi CRDs (1.2.0). */
export const STRIMZI_CHART = { chart: "oci://quay.io/strimzi-helm/strimzi-kafka-operator", version: "1.2.0" };

/**
 * Where a deployed stack registered the operator and the Kafka objects before the data tier owned them: children
 * of `parent` named `<namePrefix>-<region>-strimzi` and `<namePrefix>-<region>-kafka` (the `Platform`). The
 * aliases can go once every stack that ran Strimzi has been updated with them.
 */
export interface StrimziMovedFrom {
  readonly parent: pulumi.Resource;
  readonly namePrefix: string;
}

/** @internal */
export interface StrimziOperatorArgs {
  readonly cluster: ClusterHandle;
  /** The Kafka, KafkaNodePool and KafkaTopic objects (`strimziObjects`). */
  readonly objects: readonly ResolvedKubeObject[];
  /** The namespace of the operator and the objects. */
  readonly namespace: string;
  /** Aliases to the old URNs, so `pulumi up` moves rather than replaces them. @default none (a new stack) */
  readonly movedFrom?: StrimziMovedFrom;
}

/** @internal */
export interface StrimziOperator {
  readonly release: k8s.helm.v3.Release;
  readonly objects: k8s.yaml.ConfigGroup;
}

/** @internal The operator after the cluster is ready, then the objects after the operator. */
export function createStrimziOperator(
  name: string,
  args: StrimziOperatorArgs,
  opts: pulumi.ResourceOptions,
): StrimziOperator {
  const { cluster, movedFrom } = args;
  const region = cluster.region;
  const objects = checkObjects(args.objects, `Strimzi objects of ${name}-${region}`);
  const movedAs = (role: string): pulumi.Alias[] =>
    movedFrom ? [{ name: `${movedFrom.namePrefix}-${region}-${role}`, parent: movedFrom.parent }] : [];
  const release = new k8s.helm.v3.Release(
    `${name}-${region}-strimzi`,
    {
      name: "strimzi",
      ...STRIMZI_CHART,
      namespace: args.namespace,
      createNamespace: true,
      atomic: true,
      values: { replicas: 2, watchAnyNamespace: false },
    },
    {
      ...opts,
      provider: cluster.kubernetesProvider,
      dependsOn: cluster.readiness,
      aliases: movedAs("strimzi"),
    },
  );
  // The group's children are named after it, so they inherit its alias (the SDK and engine carry the prefix over).
  const group = applyObjects(
    `${name}-${region}-kafka`,
    { objects },
    { ...opts, provider: cluster.kubernetesProvider, dependsOn: [release], aliases: movedAs("kafka") },
  );
  return { release, objects: group };
}
