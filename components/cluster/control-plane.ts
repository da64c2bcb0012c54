import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedClusterSettings } from "./defaults";
import { managedPolicy, serviceRole } from "./iam";

/** @internal */
export interface ControlPlaneArgs {
  readonly clusterName: string;
  readonly settings: ResolvedClusterSettings;
  readonly privateSubnetIds: pulumi.Input<string>[];
  readonly partition: pulumi.Input<string>;
  readonly tags: Record<string, string>;
}

/** @internal */
export interface ControlPlane {
  readonly cluster: aws.eks.Cluster;
  readonly secretsKey: aws.kms.Key;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly role: aws.iam.Role;
}

/**
 * The EKS control plane with the strongest public defaults (terraform-aws-eks v21): private endpoint,
 * control-plane logs with retention, KMS envelope encryption of secrets, API-only authentication,
 * zonal shift, an explicit upgrade policy, and no self-managed add-ons bootstrapped behind our back.
 * @internal
 */
export function createControlPlane(
  name: string,
  args: ControlPlaneArgs,
  opts: pulumi.CustomResourceOptions,
): ControlPlane {
  const { settings } = args;
  const role = serviceRole(
    `${name}-cluster-role`,
    "eks.amazonaws.com",
    [managedPolicy(args.partition, "AmazonEKSClusterPolicy")],
    opts,
  );
  const secretsKey = new aws.kms.Key(
    `${name}-secrets`,
    {
      description: `Envelope encryption of Kubernetes secrets in ${args.clusterName}`,
      enableKeyRotation: true,
      deletionWindowInDays: settings.kmsDeletionWindowDays,
      tags: args.tags,
    },
    opts,
  );
  new aws.kms.Alias(
    `${name}-secrets`,
    { name: `alias/eks/${args.clusterName}`, targetKeyId: secretsKey.keyId },
    opts,
  );
  // Created before the cluster so EKS writes into a group whose retention we own.
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-logs`,
    {
      name: `/aws/eks/${args.clusterName}/cluster`,
      retentionInDays: settings.logRetentionDays,
      tags: args.tags,
    },
    opts,
  );
  const publicCidrs = [...settings.endpointPublicAccessCidrs];
  const cluster = new aws.eks.Cluster(
    `${name}-eks`,
    {
      name: args.clusterName,
      version: settings.kubernetesVersion,
      roleArn: role.arn,
      vpcConfig: {
        subnetIds: args.privateSubnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: publicCidrs.length > 0,
        ...(publicCidrs.length > 0 ? { publicAccessCidrs: publicCidrs } : {}),
      },
      enabledClusterLogTypes: [...settings.logTypes],
      encryptionConfig: { provider: { keyArn: secretsKey.arn }, resources: ["secrets"] },
      accessConfig: {
        authenticationMode: "API",
        bootstrapClusterCreatorAdminPermissions: settings.bootstrapCreatorAdmin,
      },
      zonalShiftConfig: { enabled: settings.zonalShift },
      deletionProtection: settings.deletionProtection,
      upgradePolicy: { supportType: settings.upgradeSupport },
      bootstrapSelfManagedAddons: false,
      tags: args.tags,
    },
    { ...opts, dependsOn: [logGroup] },
  );
  settings.adminPrincipalArns.forEach((principalArn, i) => {
    const entry = new aws.eks.AccessEntry(
      `${name}-admin-${i}`,
      { clusterName: cluster.name, principalArn, type: "STANDARD" },
      opts,
    );
    new aws.eks.AccessPolicyAssociation(
      `${name}-admin-${i}`,
      {
        clusterName: cluster.name,
        principalArn,
        policyArn: pulumi.interpolate`arn:${args.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
        accessScope: { type: "cluster" },
      },
      { ...opts, dependsOn: [entry] },
    );
  });
  return { cluster, secretsKey, logGroup, role };
}
