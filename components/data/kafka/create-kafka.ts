/**
 * Kafka of a data tier: per region an MSK cluster with the topic catalog, or Strimzi in the regional cluster;
 * with `replicator`, MSK Replicator from the home region to every other. Returns each region's Kafka binding.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedKubeObject } from "../../core";
import type { KafkaConfig } from "../config";
import type { KafkaBinding } from "../cqrs";
import type { DataSecurityGroups } from "../network";
import type { TierRegions } from "../tier-regions";
import type { DataWindows } from "../data-windows";
import { strimziMaintenanceTimeWindows } from "./strimzi-maintenance";
import type { ResolvedTopic, TopicName } from "./catalog";
import { MskCluster } from "./msk-cluster";
import { MskReplicator } from "./replicator";
import { strimziBootstrap, strimziObjects } from "./strimzi";
import { createStrimziOperator, type StrimziMovedFrom, type StrimziOperator } from "./strimzi-operator";
import { KafkaTopics } from "./topics";

/** @internal */
export interface KafkaArgs extends TierRegions {
  readonly config: KafkaConfig;
  readonly topics: readonly ResolvedTopic[];
  /** Each region's store security groups (MSK's and the replicator's). */
  readonly securityGroups: Readonly<Record<string, DataSecurityGroups>>;
  /** MSK Replicator from the home region to every other region (`DataTierSettings.replicator`). */
  readonly replicator: boolean;
  /** Where a deployed stack's Strimzi resources were before the data tier owned them. @default none */
  readonly strimziMovedFrom?: StrimziMovedFrom;
  /** The windows per region (`DataTier.windows`): Strimzi's maintenance time windows follow Redis's. */
  readonly windows: Readonly<Record<string, DataWindows>>;
}

/** @internal */
export interface Kafka {
  /** Each region's own brokers, as the bindings name them. */
  readonly bindings: Readonly<Record<string, KafkaBinding>>;
  /** MSK clusters by region (none with Strimzi). */
  readonly mskClusters: Readonly<Record<string, MskCluster>>;
  /** Strimzi objects by region (empty with MSK). */
  readonly strimziObjects: Readonly<Record<string, readonly ResolvedKubeObject[]>>;
  /** Strimzi's operator and applied objects by region (none with MSK). */
  readonly strimzi: Readonly<Record<string, StrimziOperator>>;
}

/** @internal */
export function createKafka(name: string, args: KafkaArgs, opts: pulumi.ResourceOptions): Kafka {
  const { config: c, topics } = args;
  const topicNames = Object.fromEntries(topics.map((t) => [t.name, t.name])) as Record<TopicName, string>;
  const bindings: Record<string, KafkaBinding> = {};
  const mskClusters: Record<string, MskCluster> = {};
  const objects: Record<string, ResolvedKubeObject[]> = {};
  const strimzi: Record<string, StrimziOperator> = {};
  for (const region of args.regions) {
    const cluster = args.clusters[region]!;
    if (c.backend === "msk") {
      const m = new MskCluster(
        `${name}-${region}-msk`,
        {
          cluster,
          securityGroupId: args.securityGroups[region]!.groupIds.kafka!,
          brokerInstanceType: c.brokerInstanceType,
          brokersPerAz: c.brokersPerAz,
          storageGiB: c.storageGiB,
          kafkaVersion: c.kafkaVersion,
          logRetentionDays: c.logRetentionDays,
        },
        opts,
      );
      mskClusters[region] = m;
      new KafkaTopics(
        `${name}-${region}-topics`,
        { region, bootstrapBrokers: m.bootstrapBrokersSaslIam, topics, brokerCount: m.brokerCount },
        opts,
      );
      bindings[region] = {
        backend: "msk",
        region,
        bootstrapServers: m.bootstrapBrokersSaslIam,
        securityProtocol: "SASL_SSL",
        saslMechanism: "AWS_MSK_IAM",
        topics: topicNames,
      };
      objects[region] = [];
    } else {
      const s = c.strimzi;
      objects[region] = strimziObjects({
        region,
        namespace: s.namespace,
        clusterName: s.clusterName,
        kafkaVersion: s.kafkaVersion,
        brokersPerZone: c.brokersPerAz,
        storageGiB: c.storageGiB,
        storageClass: s.storageClass,
        zones: s.zones?.[region],
        topics,
        // MSK has no configurable maintenance window; Strimzi's restarts share the 60-minute Redis one.
        maintenanceTimeWindows: strimziMaintenanceTimeWindows(
          args.windows[region]!["redis.maintenanceWindow"],
        ),
      });
      strimzi[region] = createStrimziOperator(
        name,
        { cluster, objects: objects[region], namespace: s.namespace, movedFrom: args.strimziMovedFrom },
        opts,
      );
      bindings[region] = {
        backend: "strimzi",
        region,
        bootstrapServers: pulumi.output(strimziBootstrap(s.namespace, s.clusterName)),
        securityProtocol: "SSL",
        topics: topicNames,
      };
    }
  }
  if (args.replicator) {
    const home = args.homeRegion;
    const source = args.clusters[home]!;
    for (const region of args.regions.filter((r) => r !== home)) {
      const target = args.clusters[region]!;
      new MskReplicator(
        `${name}-msk-replicator-${region}`,
        {
          provider: target.awsProvider,
          source: {
            clusterArn: mskClusters[home]!.arn,
            subnetIds: source.privateSubnetIds,
            securityGroupId: args.securityGroups[home]!.replicatorGroupId!,
          },
          target: {
            clusterArn: mskClusters[region]!.arn,
            subnetIds: target.privateSubnetIds,
            securityGroupId: args.securityGroups[region]!.replicatorGroupId!,
          },
          topics: topics.map((t) => t.name),
        },
        opts,
      );
    }
  }
  return { bindings, mskClusters, strimziObjects: objects, strimzi };
}
