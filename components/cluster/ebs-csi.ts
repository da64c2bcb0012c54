/** Installs the EBS CSI driver pieces described in `ebs-csi-policy.ts`. */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { applyObjects, checkObjects } from "../objects";
import {
  EBS_CSI_ADDON,
  EBS_CSI_CONTROLLER_SERVICE_ACCOUNT,
  ebsCsiConfigurationValues,
  ebsCsiDriverPolicy,
  gp3StorageClass,
} from "./ebs-csi-policy";
import { trustPolicy } from "./iam";

/** @internal */
export interface EbsCsiDriverArgs {
  readonly region: string;
  readonly clusterName: string;
  readonly cluster: aws.eks.Cluster;
  readonly partition: pulumi.Input<string>;
  readonly accountId: pulumi.Input<string>;
  /** @default EKS's default version for the cluster's Kubernetes version */
  readonly version?: string;
  readonly kmsDeletionWindowDays: number;
  readonly kubernetesProvider: k8s.Provider;
  /** What the add-on waits for: nodes to run on and the Pod Identity agent. */
  readonly dependsOn: pulumi.Resource[];
  readonly tags: Record<string, string>;
}

/** @internal */
export interface EbsCsiDriver {
  readonly volumeKey: aws.kms.Key;
  readonly role: aws.iam.Role;
  readonly addon: aws.eks.Addon;
  readonly storageClass: k8s.yaml.ConfigGroup;
}

/** @internal The driver, its key and role, and the StorageClass (applied after the add-on). Children `${name}-ebs-csi*`. */
export function installEbsCsiDriver(
  name: string,
  args: EbsCsiDriverArgs,
  opts: pulumi.CustomResourceOptions,
): EbsCsiDriver {
  const volumeKey = new aws.kms.Key(
    `${name}-ebs-volumes`,
    {
      description: `Encryption of persistent volumes in ${args.clusterName}`,
      enableKeyRotation: true,
      deletionWindowInDays: args.kmsDeletionWindowDays,
      tags: args.tags,
    },
    opts,
  );
  new aws.kms.Alias(
    `${name}-ebs-volumes`,
    { name: `alias/eks/${args.clusterName}/ebs`, targetKeyId: volumeKey.keyId },
    opts,
  );
  const role = new aws.iam.Role(
    `${name}-ebs-csi-role`,
    { assumeRolePolicy: trustPolicy("pods.eks.amazonaws.com") },
    opts,
  );
  new aws.iam.RolePolicy(
    `${name}-ebs-csi-role`,
    {
      role: role.name,
      policy: pulumi
        .all([args.partition, args.accountId, volumeKey.arn])
        .apply(([partition, accountId, kmsKeyArn]) =>
          ebsCsiDriverPolicy({
            partition,
            region: args.region,
            accountId,
            clusterName: args.clusterName,
            kmsKeyArn,
          }),
        ),
    },
    opts,
  );
  const addon = new aws.eks.Addon(
    `${name}-ebs-csi`,
    {
      clusterName: args.cluster.name,
      addonName: EBS_CSI_ADDON,
      ...(args.version !== undefined ? { addonVersion: args.version } : {}),
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "PRESERVE",
      configurationValues: ebsCsiConfigurationValues(args.clusterName),
      // The association is part of the add-on: EKS creates it with the add-on and removes it with it.
      podIdentityAssociations: [{ roleArn: role.arn, serviceAccount: EBS_CSI_CONTROLLER_SERVICE_ACCOUNT }],
    },
    { ...opts, dependsOn: args.dependsOn },
  );
  const storageClass = applyObjects(
    `${name}-storage`,
    { objects: checkObjects([gp3StorageClass(volumeKey.arn)], `the gp3 StorageClass of ${name}`) },
    { parent: opts.parent, provider: args.kubernetesProvider, dependsOn: [addon] },
  );
  return { volumeKey, role, addon, storageClass };
}
