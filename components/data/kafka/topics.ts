/**
 * Creates the topic catalog on one MSK cluster through the Pulumi Kafka provider.
 *
 * Network path at deploy time: the Kafka provider talks to the brokers directly (Kafka protocol on 9098, TLS with
 * SASL/IAM), not to an AWS API. The brokers live in the cluster's private subnets and admit only the node security
 * group, so `pulumi up` must run where it can reach them: from a runner inside the VPC whose traffic carries the
 * node security group (for example a Pulumi Kubernetes Operator or deployment job in the cluster itself), or over a
 * VPN/peering path admitted through `peerCidrBlocks`. Its AWS credentials need `kafka-cluster:Connect`,
 * `DescribeTopic`, `CreateTopic`, `AlterTopic` and `DescribeTopicDynamicConfiguration` on the cluster. The offline
 * plan never connects.
 */
import * as kafka from "@pulumi/kafka";
import * as pulumi from "@pulumi/pulumi";
import { throwIfProblems } from "../../core";
import { topicProblems, type ResolvedTopic } from "./catalog";

/** @internal */
export interface KafkaTopicsArgs {
  /** The AWS region of the cluster (signs the SASL/IAM handshake). */
  readonly region: string;
  /** Comma-separated `host:port` list (MSK `bootstrapBrokersSaslIam`). */
  readonly bootstrapBrokers: pulumi.Input<string>;
  /** The resolved catalog (see `resolveTopics`). */
  readonly topics: readonly ResolvedTopic[];
  /** Broker count, to reject a replication factor the cluster cannot place. */
  readonly brokerCount: number;
}

export class KafkaTopics extends pulumi.ComponentResource {
  /** Topic name per catalog entry. */
  public readonly topicNames: readonly string[];

  constructor(name: string, args: KafkaTopicsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("semester:data:KafkaTopics", name, {}, opts);
    throwIfProblems(`KafkaTopics ${name}`, topicProblems(args.topics, args.brokerCount, "`brokerCount`", ""));

    const provider = new kafka.Provider(
      `${name}-provider`,
      {
        bootstrapServers: pulumi
          .output(args.bootstrapBrokers)
          .apply((list) => list.split(",").filter((b) => b !== "")),
        tlsEnabled: true,
        skipTlsVerify: false,
        saslMechanism: "aws-iam",
        saslAwsRegion: args.region,
      },
      { parent: this },
    );
    for (const topic of args.topics) {
      new kafka.Topic(
        `${name}-${topic.name}`,
        {
          name: topic.name,
          partitions: topic.partitions,
          replicationFactor: topic.replicationFactor,
          config: { ...topic.config },
        },
        { parent: this, provider },
      );
    }
    this.topicNames = args.topics.map((t) => t.name);
    this.registerOutputs({ topicNames: this.topicNames });
  }
}
