/**
 * The in-cluster Kafka backend: Strimzi `kafka.strimzi.io/v1` objects for one region, as plain objects the
 * Kubernetes layer applies (the Strimzi operator and its CRDs must be installed first). KRaft only: per zone one
 * controller pool (a three-voter quorum over three zones) and one broker pool pinned to the zone, with rack
 * awareness on `topology.kubernetes.io/zone` so replicas of a partition land in different zones. The topic
 * catalog becomes KafkaTopic objects. Clients authenticate with mutual TLS (KafkaUser objects) and are authorised
 * by simple ACLs.
 */
import { GP3_STORAGE_CLASS } from "../../cluster";
import { KAFKA_ZONES } from "../config";
import { throwIfProblems, type Problem, type ResolvedKubeObject as KubeObject } from "../../core";
import { topicProblems, type ResolvedTopic } from "./catalog";

export const STRIMZI_API_VERSION = "kafka.strimzi.io/v1";
/** @internal */
export const ZONE_LABEL = "topology.kubernetes.io/zone";
/** Port of the internal TLS listener. */
export const STRIMZI_TLS_PORT = 9093;

/** @internal */
export interface StrimziKafkaArgs {
  readonly region: string;
  /** @default "kafka" */
  readonly namespace?: string;
  /** Name of the Kafka resource. @default "events" */
  readonly clusterName?: string;
  /** @default "4.1.0" */
  readonly kafkaVersion?: string;
  /** Brokers per zone. @default 1 */
  readonly brokersPerZone?: number;
  /** Broker volume, GiB. @default 1000 */
  readonly storageGiB?: number;
  /** Controller (KRaft metadata) volume, GiB. @default 20 */
  readonly controllerStorageGiB?: number;
  /** The StorageClass of every pool's volumes. @default GP3_STORAGE_CLASS (`gp3`, created with the EBS CSI driver) */
  readonly storageClass?: string;
  /** The three zones. @default - `<region>a`, `<region>b`, `<region>c` */
  readonly zones?: readonly string[];
  readonly topics: readonly ResolvedTopic[];
  /**
   * When the Cluster Operator may start the rolling restarts it schedules itself (CA renewal): Quartz cron
   * expressions in UTC (`strimziMaintenanceTimeWindows`). @default - none: whenever they fall due
   */
  readonly maintenanceTimeWindows?: readonly string[];
}

/** The bootstrap address clients in the cluster use. */
export function strimziBootstrap(namespace: string, clusterName: string): string {
  return `${clusterName}-kafka-bootstrap.${namespace}.svc:${STRIMZI_TLS_PORT}`;
}

const inZone = (zone: string) => ({
  pod: {
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE_LABEL, operator: "In", values: [zone] }] }],
        },
      },
    },
  },
});

/** Builds the Kafka, KafkaNodePool and KafkaTopic objects; throws listing every problem. */
export function strimziObjects(args: StrimziKafkaArgs): KubeObject[] {
  const namespace = args.namespace ?? "kafka";
  const clusterName = args.clusterName ?? "events";
  const kafkaVersion = args.kafkaVersion ?? "4.1.0";
  const brokersPerZone = args.brokersPerZone ?? 1;
  const storageGiB = args.storageGiB ?? 1000;
  const controllerStorageGiB = args.controllerStorageGiB ?? 20;
  const storageClass = args.storageClass ?? GP3_STORAGE_CLASS;
  const zones = args.zones ?? ["a", "b", "c"].map((s) => `${args.region}${s}`);

  const problems: Problem[] = [];
  if (zones.length !== KAFKA_ZONES || new Set(zones).size !== KAFKA_ZONES) {
    problems.push({ path: "zones", value: zones, rule: `must be ${KAFKA_ZONES} distinct zones` });
  }
  if (!Number.isInteger(brokersPerZone) || brokersPerZone < 1) {
    problems.push({
      path: "brokersPerZone",
      value: brokersPerZone,
      rule: "must be a whole number of at least 1",
    });
  } else {
    const brokers = KAFKA_ZONES * brokersPerZone;
    problems.push(
      ...topicProblems(
        args.topics,
        brokers,
        `${KAFKA_ZONES} zones × \`brokersPerZone\` ${brokersPerZone}`,
        "",
      ),
    );
  }
  throwIfProblems(`Strimzi Kafka ${clusterName} in ${args.region}`, problems);

  const labels = { "strimzi.io/cluster": clusterName };
  const meta = (name: string, withLabels: boolean) => ({
    name,
    namespace,
    ...(withLabels ? { labels } : {}),
  });
  const kafka: KubeObject = {
    apiVersion: STRIMZI_API_VERSION,
    kind: "Kafka",
    metadata: meta(clusterName, false),
    spec: {
      kafka: {
        version: kafkaVersion,
        listeners: [
          {
            name: "tls",
            port: STRIMZI_TLS_PORT,
            type: "internal",
            tls: true,
            authentication: { type: "tls" },
          },
        ],
        authorization: { type: "simple" },
        rack: { type: "topology-label", topologyKey: ZONE_LABEL },
        config: {
          "auto.create.topics.enable": false,
          "default.replication.factor": 3,
          "min.insync.replicas": 2,
          "offsets.topic.replication.factor": 3,
          "transaction.state.log.replication.factor": 3,
          "transaction.state.log.min.isr": 2,
          "unclean.leader.election.enable": false,
        },
      },
      entityOperator: { topicOperator: {}, userOperator: {} },
      ...(args.maintenanceTimeWindows !== undefined && args.maintenanceTimeWindows.length > 0
        ? { maintenanceTimeWindows: [...args.maintenanceTimeWindows] }
        : {}),
    },
  };
  const pools: KubeObject[] = zones.flatMap((zone, i) => {
    const suffix = String.fromCharCode(97 + i);
    const pool = (role: "controller" | "broker", replicas: number, size: number): KubeObject => ({
      apiVersion: STRIMZI_API_VERSION,
      kind: "KafkaNodePool",
      metadata: meta(`${role}-${suffix}`, true),
      spec: {
        replicas,
        roles: [role],
        storage: { type: "persistent-claim", size: `${size}Gi`, class: storageClass, deleteClaim: false },
        template: inZone(zone),
      },
    });
    return [pool("controller", 1, controllerStorageGiB), pool("broker", brokersPerZone, storageGiB)];
  });
  const topics: KubeObject[] = args.topics.map((t) => ({
    apiVersion: STRIMZI_API_VERSION,
    kind: "KafkaTopic",
    metadata: meta(t.name, true),
    spec: {
      topicName: t.name,
      partitions: t.partitions,
      replicas: t.replicationFactor,
      config: { ...t.config },
    },
  }));
  return [kafka, ...pools, ...topics];
}
