/**
 * MSK Replicator from the home region's cluster to one other region's cluster, created in the target region.
 * Topic names stay identical, so a consumer that fails over keeps its topic names, and consumer-group offsets
 * are translated and synchronised (LEGACY mode: producers write to the home cluster only), so it resumes near
 * where it stopped. Both clusters must use IAM authentication (they do).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { InputError } from "../../core";

/** @internal */
export interface ReplicatorEndpoint {
  readonly clusterArn: pulumi.Input<string>;
  /** Subnets for the replicator's interfaces in this cluster's VPC. */
  readonly subnetIds: pulumi.Input<string>[];
  /** The replicator security group of this region (egress to the brokers, admitted by them). */
  readonly securityGroupId: pulumi.Input<string>;
}

/** @internal */
export interface MskReplicatorArgs {
  /** The target region's provider: the replicator lives where the data goes. */
  readonly provider: aws.Provider;
  readonly source: ReplicatorEndpoint;
  readonly target: ReplicatorEndpoint;
  /** Topic names (or regular expressions) to replicate. */
  readonly topics: readonly string[];
  /** Consumer groups (regular expressions) whose offsets are synchronised. @default [".*"] */
  readonly consumerGroups?: readonly string[];
  /** Where a new replication starts. @default "EARLIEST" (a fresh region receives the retained history) */
  readonly startingPosition?: "EARLIEST" | "LATEST";
  /** @default "LZ4" */
  readonly targetCompressionType?: "NONE" | "GZIP" | "SNAPPY" | "LZ4" | "ZSTD";
}

/** ARN patterns the replicator's role may act on, derived from a cluster ARN. @internal */
export function clusterResourceArns(clusterArn: string): string[] {
  const base = clusterArn.replace(":cluster/", ":");
  const topic = base.replace(/:([^:]*)$/, ":topic/$1/*");
  const group = base.replace(/:([^:]*)$/, ":group/$1/*");
  return [clusterArn, topic, group];
}

export class MskReplicator extends pulumi.ComponentResource {
  public readonly arn: pulumi.Output<string>;

  constructor(name: string, args: MskReplicatorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("semester:data:MskReplicator", name, {}, opts);
    const consumerGroups = args.consumerGroups ?? [".*"];
    const startingPosition = args.startingPosition ?? "EARLIEST";
    const targetCompressionType = args.targetCompressionType ?? "LZ4";
    if (args.topics.length === 0)
      throw new InputError(`MskReplicator ${name}`, [
        { path: "topics", value: [], rule: "must list at least one topic" },
      ]);

    const child = { parent: this, provider: args.provider };
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `MSK Replicator ${name}`,
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "kafka.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        }),
      },
      child,
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.name,
        policy: pulumi.all([args.source.clusterArn, args.target.clusterArn]).apply(([source, target]) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: [
                  "kafka-cluster:Connect",
                  "kafka-cluster:DescribeCluster",
                  "kafka-cluster:AlterCluster",
                  "kafka-cluster:DescribeTopic",
                  "kafka-cluster:CreateTopic",
                  "kafka-cluster:AlterTopic",
                  "kafka-cluster:WriteData",
                  "kafka-cluster:ReadData",
                  "kafka-cluster:AlterGroup",
                  "kafka-cluster:DescribeGroup",
                  "kafka-cluster:DescribeTopicDynamicConfiguration",
                  "kafka-cluster:AlterTopicDynamicConfiguration",
                  "kafka-cluster:WriteDataIdempotently",
                ],
                Resource: [...clusterResourceArns(source), ...clusterResourceArns(target)],
              },
            ],
          }),
        ),
      },
      child,
    );
    const endpoint = (e: ReplicatorEndpoint) => ({
      amazonMskCluster: { mskClusterArn: e.clusterArn },
      vpcConfig: { subnetIds: e.subnetIds, securityGroupsIds: [e.securityGroupId] },
    });
    const replicator = new aws.msk.Replicator(
      `${name}-replicator`,
      {
        replicatorName: name,
        description: `Home-region topics and consumer offsets into ${name}`,
        serviceExecutionRoleArn: role.arn,
        kafkaClusters: [endpoint(args.source), endpoint(args.target)],
        replicationInfoList: {
          sourceKafkaClusterArn: args.source.clusterArn,
          targetKafkaClusterArn: args.target.clusterArn,
          targetCompressionType,
          topicReplications: [
            {
              topicsToReplicates: [...args.topics],
              copyTopicConfigurations: true,
              copyAccessControlListsForTopics: true,
              detectAndCopyNewTopics: true,
              startingPosition: { type: startingPosition },
              topicNameConfiguration: { type: "IDENTICAL" },
            },
          ],
          consumerGroupReplications: [
            {
              consumerGroupsToReplicates: [...consumerGroups],
              synchroniseConsumerGroupOffsets: true,
              detectAndCopyNewConsumerGroups: true,
              consumerGroupOffsetSyncMode: "LEGACY",
            },
          ],
        },
      },
      { ...child, dependsOn: [policy] },
    );
    this.arn = replicator.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
