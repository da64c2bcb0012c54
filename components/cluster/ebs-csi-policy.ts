/**
 * Persistent volumes: the Amazon EBS CSI driver as an EKS add-on (its controller bound to its own role through the
 * add-on's Pod Identity association), a customer-managed KMS key for the volumes, and the `gp3` StorageClass.
 *
 * Tagging (driver docs/tagging.md): the driver tags every volume and snapshot it creates with
 * `ebs.csi.aws.com/cluster: true`, plus the controller's `extraVolumeTags`, and sends them with the create call.
 * Semester sets `extraVolumeTags` to `kubernetes.io/cluster/<cluster>: owned`, so the role can create only volumes
 * carrying this cluster's tag and touch only volumes that carry it. (`controller.k8sTagClusterId` would add the same
 * tag, but `extraVolumeTags` is the key the add-on's configuration schema is known to accept.)
 * KMS (driver docs/install.md, "Encrypted EBS Volumes via KMS"): Decrypt, GenerateDataKeyWithoutPlaintext and
 * CreateGrant on the key, which EC2 calls on the driver's behalf: here on this one key, only through EC2 in this
 * region, grants only for AWS resources.
 * Pure: names, the policy, the add-on configuration and the StorageClass; `ebs-csi.ts` creates the resources.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ResolvedKubeObject } from "../core";

/** @internal The EKS add-on's name. */
export const EBS_CSI_ADDON = "aws-ebs-csi-driver";
/** @internal The CSI driver name a StorageClass names as its provisioner. */
export const EBS_CSI_PROVISIONER = "ebs.csi.aws.com";
/** @internal The add-on controller's service account (kube-system), bound to the driver's role. */
export const EBS_CSI_CONTROLLER_SERVICE_ACCOUNT = "ebs-csi-controller-sa";
/** The encrypted gp3 StorageClass every in-cluster stateful backend asks for. */
export const GP3_STORAGE_CLASS = "gp3";

/** @internal */
export interface EbsCsiPolicyScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly clusterName: string;
  /** The volumes' customer-managed key. */
  readonly kmsKeyArn: string;
}

/** @internal The tags the driver sends on every volume and snapshot it creates in this cluster. */
export function ebsCsiVolumeTags(clusterName: string): Record<string, string> {
  return { [`kubernetes.io/cluster/${clusterName}`]: "owned", "ebs.csi.aws.com/cluster": "true" };
}

/** @internal The add-on's configuration: the cluster's ownership tag on everything the driver creates. */
export function ebsCsiConfigurationValues(clusterName: string): string {
  return JSON.stringify({
    controller: { extraVolumeTags: { [`kubernetes.io/cluster/${clusterName}`]: "owned" } },
  });
}

/**
 * The driver's least-privilege policy (written for Semester, not upstream's): reads in its region; creating
 * volumes and snapshots only with this cluster's tags; attaching, detaching, modifying, deleting and snapshotting
 * only volumes tagged as this cluster's, on this cluster's nodes; the one KMS key, through EC2 only.
 * @internal
 */
export function ebsCsiDriverPolicy(scope: EbsCsiPolicyScope): string {
  const { partition: p, region: r, accountId: a, clusterName: c } = scope;
  const volumes = `arn:${p}:ec2:${r}:${a}:volume/*`;
  // Snapshot ARNs carry no account.
  const snapshots = `arn:${p}:ec2:${r}::snapshot/*`;
  const instances = `arn:${p}:ec2:${r}:${a}:instance/*`;
  const requestTags = Object.fromEntries(
    Object.entries(ebsCsiVolumeTags(c)).map(([k, v]) => [`aws:RequestTag/${k}`, v]),
  );
  const owned = { [`aws:ResourceTag/kubernetes.io/cluster/${c}`]: "owned" };
  const statements = [
    {
      // Describe calls take no resource ARN: pinned to the region instead.
      Sid: "RegionalReads",
      Effect: "Allow",
      Action: [
        "ec2:DescribeAvailabilityZones",
        "ec2:DescribeInstances",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeSnapshots",
        "ec2:DescribeTags",
        "ec2:DescribeVolumes",
        "ec2:DescribeVolumesModifications",
        "ec2:DescribeVolumeStatus",
      ],
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestedRegion": r } },
    },
    {
      Sid: "CreateVolumesTaggedForCluster",
      Effect: "Allow",
      Action: "ec2:CreateVolume",
      Resource: volumes,
      Condition: { StringEquals: requestTags },
    },
    {
      // Restoring a volume from a snapshot also authorises the snapshot: only this cluster's.
      Sid: "CreateVolumesFromOwnSnapshots",
      Effect: "Allow",
      Action: "ec2:CreateVolume",
      Resource: snapshots,
      Condition: { StringEquals: owned },
    },
    {
      Sid: "CreateSnapshotsTaggedForCluster",
      Effect: "Allow",
      Action: "ec2:CreateSnapshot",
      Resource: snapshots,
      Condition: { StringEquals: requestTags },
    },
    {
      Sid: "TagOnCreate",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: [volumes, snapshots],
      Condition: { StringEquals: { ...requestTags, "ec2:CreateAction": ["CreateVolume", "CreateSnapshot"] } },
    },
    {
      Sid: "ManageOwnVolumes",
      Effect: "Allow",
      Action: [
        "ec2:AttachVolume",
        "ec2:DetachVolume",
        "ec2:ModifyVolume",
        "ec2:DeleteVolume",
        "ec2:CreateSnapshot",
      ],
      Resource: volumes,
      Condition: { StringEquals: owned },
    },
    {
      // Attach and detach also authorise the instance: only this cluster's nodes (Karpenter's and the managed
      // node group's instances both carry the ownership tag).
      Sid: "AttachToClusterNodes",
      Effect: "Allow",
      Action: ["ec2:AttachVolume", "ec2:DetachVolume"],
      Resource: instances,
      Condition: { StringEquals: owned },
    },
    {
      Sid: "DeleteOwnSnapshots",
      Effect: "Allow",
      Action: "ec2:DeleteSnapshot",
      Resource: snapshots,
      Condition: { StringEquals: owned },
    },
    {
      Sid: "UseVolumeKeyThroughEc2",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"],
      Resource: scope.kmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `ec2.${r}.amazonaws.com` } },
    },
    {
      // EC2 grants itself (and the instance a volume attaches to) use of the key.
      Sid: "GrantVolumeKeyToEc2",
      Effect: "Allow",
      Action: "kms:CreateGrant",
      Resource: scope.kmsKeyArn,
      Condition: {
        StringEquals: { "kms:ViaService": `ec2.${r}.amazonaws.com` },
        Bool: { "kms:GrantIsForAWSResource": "true" },
      },
    },
  ];
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * The `gp3` StorageClass: encrypted with the cluster's volume key; a volume is created in the zone its pod is
 * scheduled to (WaitForFirstConsumer: zonal EBS volumes must be where the pod runs, and zone-pinned Kafka pools
 * would otherwise get a volume in the wrong zone); expandable in place; and kept when its claim goes (Retain:
 * this class holds stateful data such as Kafka logs, which a deleted claim or namespace must not destroy; a
 * released volume is deleted by an operator, deliberately).
 * @internal
 */
export function gp3StorageClass(kmsKeyArn: pulumi.Input<string>): ResolvedKubeObject {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: GP3_STORAGE_CLASS, labels: { "app.kubernetes.io/part-of": "semester" } },
    provisioner: EBS_CSI_PROVISIONER,
    parameters: { type: "gp3", encrypted: "true", kmsKeyId: kmsKeyArn },
    volumeBindingMode: "WaitForFirstConsumer",
    allowVolumeExpansion: true,
    reclaimPolicy: "Retain",
  };
}
