import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedClusterSettings } from "./defaults";

/** @internal */
export interface SystemNodeGroupArgs {
  readonly cluster: aws.eks.Cluster;
  readonly nodeRole: aws.iam.Role;
  readonly privateSubnetIds: pulumi.Input<string>[];
  readonly settings: ResolvedClusterSettings["systemNodeGroup"];
  readonly tags: Record<string, string>;
}

/** @internal Label of the managed nodes that run the platform's own controllers (Karpenter, CoreDNS, add-ons). */
export const SYSTEM_POOL_LABEL = { "semester.dev/pool": "system" } as const;

/**
 * The managed node group for system workloads, spread over every zone. Its launch template requires
 * IMDSv2 with a hop limit of 1 (pods cannot reach the node's credentials; they use Pod Identity) and
 * encrypts the root volume.
 * @internal
 */
export function createSystemNodeGroup(
  name: string,
  args: SystemNodeGroupArgs,
  opts: pulumi.CustomResourceOptions,
): aws.eks.NodeGroup {
  const { settings } = args;
  const template = new aws.ec2.LaunchTemplate(
    `${name}-system`,
    {
      description: "Semester system node group",
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          ebs: {
            volumeSize: settings.diskSizeGiB,
            volumeType: "gp3",
            encrypted: "true",
            deleteOnTermination: "true",
          },
        },
      ],
      tagSpecifications: [
        { resourceType: "instance", tags: args.tags },
        { resourceType: "volume", tags: args.tags },
      ],
      updateDefaultVersion: true,
      tags: args.tags,
    },
    opts,
  );
  return new aws.eks.NodeGroup(
    `${name}-system`,
    {
      clusterName: args.cluster.name,
      version: args.cluster.version,
      nodeRoleArn: args.nodeRole.arn,
      subnetIds: args.privateSubnetIds,
      instanceTypes: [...settings.instanceTypes],
      amiType: settings.amiType,
      capacityType: "ON_DEMAND",
      scalingConfig: {
        minSize: settings.minSize,
        maxSize: settings.maxSize,
        desiredSize: settings.desiredSize,
      },
      updateConfig: { maxUnavailablePercentage: settings.maxUnavailablePercentage },
      launchTemplate: { id: template.id, version: pulumi.interpolate`${template.latestVersion}` },
      nodeRepairConfig: { enabled: true },
      labels: { ...SYSTEM_POOL_LABEL },
      tags: args.tags,
    },
    opts,
  );
}
