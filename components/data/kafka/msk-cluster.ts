/**
 * Amazon MSK in one region: brokers over the cluster's three private subnets (one per AZ), TLS between clients and
 * brokers and inside the cluster, SASL/IAM authentication only, storage encrypted with a customer-managed key,
 * a configuration that never loses acknowledged writes to one broker loss, broker logs in CloudWatch and the
 * Prometheus JMX and node exporters.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterHandle } from "../../cluster";
import { DATA_DEFAULTS, KAFKA_ZONES } from "../config";
import { DataKey } from "../keys";
import { throwIfProblems, type Problem } from "../../core";

/** Broker settings every MSK cluster starts from; `serverProperties` overrides them key by key. */
export const MSK_SERVER_PROPERTIES: Readonly<Record<string, string>> = {
  "auto.create.topics.enable": "false",
  "default.replication.factor": "3",
  "min.insync.replicas": "2",
  "unclean.leader.election.enable": "false",
};

/** @internal */
export interface MskClusterArgs {
  /** The regional cluster: private subnets (3 AZs) and the AWS provider. */
  readonly cluster: ClusterHandle;
  /** The MSK security group (admits the cluster nodes on 9098). */
  readonly securityGroupId: pulumi.Input<string>;
  /** @default "kafka.m7g.large" */
  readonly brokerInstanceType?: string;
  /** Brokers in each of the 3 AZs. @default 1 */
  readonly brokersPerAz?: number;
  /** EBS volume per broker, GiB. @default 1000 */
  readonly storageGiB?: number;
  /** @default "3.8.x" */
  readonly kafkaVersion?: string;
  /** Retention of the broker log group, days. @default 30 */
  readonly logRetentionDays?: number;
  /** Broker properties merged over {@link MSK_SERVER_PROPERTIES}. @default {} */
  readonly serverProperties?: Readonly<Record<string, string>>;
  /** MSK CloudWatch metrics level. @default "PER_BROKER" */
  readonly enhancedMonitoring?: "DEFAULT" | "PER_BROKER" | "PER_TOPIC_PER_BROKER" | "PER_TOPIC_PER_PARTITION";
}

/** Renders broker properties as the sorted `key=value` lines MSK expects. @internal */
export function renderProperties(props: Readonly<Record<string, string>>): string {
  return Object.keys(props)
    .sort()
    .map((k) => `${k}=${props[k]}`)
    .join("\n");
}

/** @internal Problems of the resolved broker settings (replication factor vs brokers, min ISR vs replication factor). */
export function mskProblems(
  brokersPerAz: number,
  storageGiB: number,
  props: Readonly<Record<string, string>>,
): Problem[] {
  const problems: Problem[] = [];
  if (!Number.isInteger(brokersPerAz) || brokersPerAz < 1) {
    problems.push({
      path: "brokersPerAz",
      value: brokersPerAz,
      rule: "must be a whole number of at least 1",
    });
  }
  if (!Number.isInteger(storageGiB) || storageGiB < 1 || storageGiB > 16384) {
    problems.push({ path: "storageGiB", value: storageGiB, rule: "must be a whole number from 1 to 16384" });
  }
  const brokers = KAFKA_ZONES * brokersPerAz;
  const rf = Number(props["default.replication.factor"]);
  const isr = Number(props["min.insync.replicas"]);
  if (!Number.isInteger(rf) || rf < 1 || rf > brokers) {
    problems.push({
      path: 'serverProperties["default.replication.factor"]',
      value: props["default.replication.factor"],
      rule: `must be from 1 to the broker count ${brokers}`,
    });
  }
  if (!Number.isInteger(isr) || isr < 1 || isr >= rf) {
    problems.push({
      path: 'serverProperties["min.insync.replicas"]',
      value: props["min.insync.replicas"],
      rule: `must be at least 1 and less than the replication factor ${rf}`,
    });
  }
  return problems;
}

export class MskCluster extends pulumi.ComponentResource {
  public readonly arn: pulumi.Output<string>;
  /** Comma-separated `host:9098` list for SASL/IAM over TLS. */
  public readonly bootstrapBrokersSaslIam: pulumi.Output<string>;
  public readonly kmsKeyArn: pulumi.Output<string>;
  public readonly brokerCount: number;

  constructor(name: string, args: MskClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("semester:data:MskCluster", name, {}, opts);
    const d = DATA_DEFAULTS.kafka;
    const brokerInstanceType = args.brokerInstanceType ?? d.brokerInstanceType;
    const brokersPerAz = args.brokersPerAz ?? d.brokersPerAz;
    const storageGiB = args.storageGiB ?? d.storageGiB;
    const kafkaVersion = args.kafkaVersion ?? d.kafkaVersion;
    const logRetentionDays = args.logRetentionDays ?? d.logRetentionDays;
    const enhancedMonitoring = args.enhancedMonitoring ?? "PER_BROKER";
    const props = { ...MSK_SERVER_PROPERTIES, ...(args.serverProperties ?? {}) };
    const problems = mskProblems(brokersPerAz, storageGiB, props);
    if (args.cluster.privateSubnetIds.length !== KAFKA_ZONES) {
      problems.push({
        path: "cluster.privateSubnetIds.length",
        value: args.cluster.privateSubnetIds.length,
        rule: `must be ${KAFKA_ZONES}: MSK brokers need exactly one subnet per AZ`,
      });
    }
    throwIfProblems(`MskCluster ${name}`, problems);

    const child = { parent: this, provider: args.cluster.awsProvider };
    const key = new DataKey(
      `${name}-kms`,
      { description: `MSK ${name} storage`, provider: args.cluster.awsProvider },
      { parent: this },
    );
    const logs = new aws.cloudwatch.LogGroup(
      `${name}-broker-logs`,
      { retentionInDays: logRetentionDays },
      child,
    );
    const configuration = new aws.msk.Configuration(
      `${name}-config`,
      {
        kafkaVersions: [kafkaVersion],
        serverProperties: renderProperties(props),
        description: `Broker settings of ${name}`,
      },
      child,
    );
    const cluster = new aws.msk.Cluster(
      `${name}-cluster`,
      {
        kafkaVersion,
        numberOfBrokerNodes: KAFKA_ZONES * brokersPerAz,
        brokerNodeGroupInfo: {
          instanceType: brokerInstanceType,
          clientSubnets: args.cluster.privateSubnetIds,
          securityGroups: [args.securityGroupId],
          storageInfo: { ebsStorageInfo: { volumeSize: storageGiB } },
          connectivityInfo: { publicAccess: { type: "DISABLED" } },
        },
        clientAuthentication: { sasl: { iam: true, scram: false }, unauthenticated: false },
        encryptionInfo: {
          encryptionAtRestKmsKeyArn: key.keyArn,
          encryptionInTransit: { clientBroker: "TLS", inCluster: true },
        },
        configurationInfo: { arn: configuration.arn, revision: configuration.latestRevision },
        loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: logs.name } } },
        openMonitoring: {
          prometheus: { jmxExporter: { enabledInBroker: true }, nodeExporter: { enabledInBroker: true } },
        },
        enhancedMonitoring,
      },
      child,
    );

    this.arn = cluster.arn;
    this.bootstrapBrokersSaslIam = cluster.bootstrapBrokersSaslIam;
    this.kmsKeyArn = key.keyArn;
    this.brokerCount = KAFKA_ZONES * brokersPerAz;
    this.registerOutputs({
      arn: this.arn,
      bootstrapBrokersSaslIam: this.bootstrapBrokersSaslIam,
      kmsKeyArn: this.kmsKeyArn,
    });
  }
}
