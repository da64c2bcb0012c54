/**
 * The calls the EBS CSI driver's controller makes to give this cluster's claims encrypted volumes, as IAM sees them,
 * and the neighbours it must not reach. Tags follow the driver's docs/tagging.md: every volume carries
 * `CSIVolumeName`, `ebs.csi.aws.com/cluster: true` and the add-on's extra tag `kubernetes.io/cluster/<name>: owned`
 * (Semester's configuration), sent with CreateVolume; EBS calls KMS on the driver's behalf (kms:ViaService
 * `ec2.<region>.amazonaws.com`). Pure.
 */
import { mustAllow, mustDeny, type CallCheck, type ClusterScope } from "../types";

export interface EbsCsiArns {
  /** The volumes' customer-managed key (from the plan). */
  readonly kmsKeyArn: string;
}

export function ebsCsiCallChecks(scope: ClusterScope, arns: EbsCsiArns): CallCheck[] {
  const { partition: p, accountId: a, region: r, clusterName: c, neighbour: n } = scope;
  const ec2 = (region: string, resource: string) => `arn:${p}:ec2:${region}:${a}:${resource}`;
  const volume = (region: string) => ec2(region, "volume/vol-0a1b2c3d4e5f67890");
  const node = (region: string) => ec2(region, "instance/i-0a1b2c3d4e5f67890");
  const createTags = (cluster: string) => ({
    [`aws:RequestTag/kubernetes.io/cluster/${cluster}`]: "owned",
    "aws:RequestTag/ebs.csi.aws.com/cluster": "true",
    "aws:RequestTag/CSIVolumeName": "pvc-3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b",
    "aws:TagKeys": [`kubernetes.io/cluster/${cluster}`, "ebs.csi.aws.com/cluster", "CSIVolumeName"],
    "aws:RequestedRegion": r,
  });
  const ownedBy = (cluster: string) => ({
    [`aws:ResourceTag/kubernetes.io/cluster/${cluster}`]: "owned",
    "aws:ResourceTag/ebs.csi.aws.com/cluster": "true",
    "aws:RequestedRegion": r,
  });
  const viaEc2 = { "kms:ViaService": `ec2.${r}.amazonaws.com`, "aws:RequestedRegion": r };

  const checks: CallCheck[] = [
    mustAllow("find a claim's volume", "ec2:DescribeVolumes", "*", { "aws:RequestedRegion": r }),
    mustAllow(
      "create a claim's volume, tagged for this cluster",
      "ec2:CreateVolume",
      ec2(r, "volume/*"),
      createTags(c),
    ),
    mustAllow("tag the volume while creating it", "ec2:CreateTags", ec2(r, "volume/*"), {
      ...createTags(c),
      "ec2:CreateAction": "CreateVolume",
    }),
    mustAllow("attach its volume", "ec2:AttachVolume", volume(r), ownedBy(c)),
    mustAllow("attach to this cluster's node", "ec2:AttachVolume", node(r), {
      [`aws:ResourceTag/kubernetes.io/cluster/${c}`]: "owned",
      "aws:RequestedRegion": r,
    }),
    mustAllow("detach its volume", "ec2:DetachVolume", volume(r), ownedBy(c)),
    mustAllow("expand its volume", "ec2:ModifyVolume", volume(r), ownedBy(c)),
    mustAllow("delete its volume", "ec2:DeleteVolume", volume(r), ownedBy(c)),
    mustAllow("encrypt the new volume (EBS creates a grant on the key)", "kms:CreateGrant", arns.kmsKeyArn, {
      ...viaEc2,
      "kms:GrantIsForAWSResource": true,
    }),
    mustAllow(
      "encrypt the new volume (EBS asks for a data key)",
      "kms:GenerateDataKeyWithoutPlaintext",
      arns.kmsKeyArn,
      viaEc2,
    ),
    mustAllow(
      "attach the encrypted volume (EBS decrypts its data key)",
      "kms:Decrypt",
      arns.kmsKeyArn,
      viaEc2,
    ),
    mustDeny("another cluster's volume", "ec2:DeleteVolume", volume(r), ownedBy(n.clusterName)),
    mustDeny("attaching another cluster's volume", "ec2:AttachVolume", volume(r), ownedBy(n.clusterName)),
    mustDeny("attaching to another cluster's node", "ec2:AttachVolume", node(r), {
      [`aws:ResourceTag/kubernetes.io/cluster/${n.clusterName}`]: "owned",
      "aws:RequestedRegion": r,
    }),
    mustDeny(
      "a volume tagged for another cluster",
      "ec2:CreateVolume",
      ec2(r, "volume/*"),
      createTags(n.clusterName),
    ),
    mustDeny("a volume without the cluster tag", "ec2:CreateVolume", ec2(r, "volume/*"), {
      "aws:RequestTag/ebs.csi.aws.com/cluster": "true",
      "aws:RequestedRegion": r,
    }),
    mustDeny("re-tagging a volume after creation", "ec2:CreateTags", volume(r), {
      ...ownedBy(c),
      [`aws:RequestTag/kubernetes.io/cluster/${c}`]: "owned",
    }),
    mustDeny("decrypting with the key outside EC2", "kms:Decrypt", arns.kmsKeyArn, {
      "aws:RequestedRegion": r,
    }),
    mustDeny("a grant for something other than an AWS resource", "kms:CreateGrant", arns.kmsKeyArn, {
      ...viaEc2,
      "kms:GrantIsForAWSResource": false,
    }),
    mustDeny(
      "another key",
      "kms:CreateGrant",
      `arn:${p}:kms:${n.region}:${a}:key/0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9`,
      {
        "kms:ViaService": `ec2.${n.region}.amazonaws.com`,
        "kms:GrantIsForAWSResource": true,
        "aws:RequestedRegion": n.region,
      },
    ),
  ];
  if (n.region !== r) {
    checks.push(
      mustDeny(
        "a volume in another region, even tagged for this cluster",
        "ec2:CreateVolume",
        ec2(n.region, "volume/*"),
        {
          ...createTags(c),
          "aws:RequestedRegion": n.region,
        },
      ),
      mustDeny("this cluster's tag on a volume in another region", "ec2:DeleteVolume", volume(n.region), {
        ...ownedBy(c),
        "aws:RequestedRegion": n.region,
      }),
    );
  }
  return checks;
}
