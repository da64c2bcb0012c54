/** Data-tier guardrails: MSK, ElastiCache, Aurora, exposure, KMS and tags. */
import type { GovernanceConfig } from "../../components/governance";
import { asList, get, resourcePolicy, type SemesterPolicy } from "./common";

export const MSK_CLUSTER = "aws:msk/cluster:Cluster";
export const MSK_CONFIGURATION = "aws:msk/configuration:Configuration";
export const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
export const RDS_CLUSTER = "aws:rds/cluster:Cluster";
export const RDS_CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
export const RDS_INSTANCE = "aws:rds/instance:Instance";
export const KMS_KEY = "aws:kms/key:Key";

/** Types whose resources must carry the required tags (those Semester creates that accept tags). */
export const TAGGABLE_TYPES = [
  "aws:eks/cluster:Cluster",
  "aws:eks/nodeGroup:NodeGroup",
  "aws:ec2/vpc:Vpc",
  "aws:ec2/subnet:Subnet",
  "aws:ec2/natGateway:NatGateway",
  "aws:ec2/eip:Eip",
  "aws:ec2/internetGateway:InternetGateway",
  "aws:ec2/routeTable:RouteTable",
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:ec2/launchTemplate:LaunchTemplate",
  "aws:ec2/vpcEndpoint:VpcEndpoint",
  "aws:kms/key:Key",
  "aws:iam/role:Role",
  "aws:sqs/queue:Queue",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:cloudwatch/eventRule:EventRule",
  MSK_CLUSTER,
  "aws:msk/replicator:Replicator",
  REPLICATION_GROUP,
  RDS_CLUSTER,
  RDS_CLUSTER_INSTANCE,
  "aws:rds/globalCluster:GlobalCluster",
  "aws:ssm/parameter:Parameter",
] as const;

/** Kafka broker settings every MSK configuration must carry (key, predicate, requirement). */
const BROKER_SETTINGS: readonly [string, (v: string | undefined) => boolean, string][] = [
  ["default.replication.factor", (v) => Number(v) >= 3, "default.replication.factor=3 (or more)"],
  ["min.insync.replicas", (v) => Number(v) >= 2, "min.insync.replicas=2 (or more)"],
  ["auto.create.topics.enable", (v) => v === "false", "auto.create.topics.enable=false"],
];

/** Parses Kafka `server.properties` text into a map. */
export function parseServerProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const eq = trimmed.indexOf("=");
    if (eq > 0) out.set(trimmed.slice(0, eq).trim(), trimmed.slice(eq + 1).trim());
  }
  return out;
}

function fewestGroupReplicas(groups: unknown): number {
  const counts = asList(groups).map((n) => Number(get(n, "replicaCount") ?? 0));
  return counts.length > 0 ? Math.min(...counts) : 0;
}

export function dataPolicies(config: GovernanceConfig): SemesterPolicy[] {
  return [
    resourcePolicy(config, {
      name: "msk-tls",
      description:
        "MSK clusters must encrypt traffic with TLS between clients and brokers and inside the cluster.",
      severity: "high",
      types: [MSK_CLUSTER],
      check: (props, _args, report) => {
        const transit = get(props, "encryptionInfo", "encryptionInTransit");
        // MSK defaults to TLS for both when encryptionInTransit is left unset; an explicit weaker choice is the risk.
        const clientBroker = get(transit, "clientBroker") ?? "TLS";
        if (clientBroker !== "TLS" || get(transit, "inCluster") === false) {
          report(
            'traffic is not TLS-only; set encryptionInfo.encryptionInTransit.clientBroker to "TLS" and inCluster to true.',
          );
        }
      },
    }),
    resourcePolicy(config, {
      name: "msk-iam-auth",
      description: "MSK clusters must authenticate clients with IAM and refuse unauthenticated access.",
      severity: "high",
      types: [MSK_CLUSTER],
      check: (props, _args, report) => {
        const auth = props.clientAuthentication;
        if (get(auth, "sasl", "iam") !== true || get(auth, "unauthenticated") === true) {
          report(
            "clients are not IAM-authenticated; set clientAuthentication.sasl.iam to true and unauthenticated to false.",
          );
        }
      },
    }),
    resourcePolicy(config, {
      name: "msk-replication-settings",
      description:
        "MSK clusters must run at least 3 brokers with replication factor 3, min ISR 2 and no automatic topic creation.",
      severity: "high",
      types: [MSK_CLUSTER, MSK_CONFIGURATION],
      check: (props, args, report) => {
        if (args.type === MSK_CLUSTER) {
          if (typeof props.numberOfBrokerNodes === "number" && props.numberOfBrokerNodes < 3) {
            report(
              `runs ${props.numberOfBrokerNodes} broker(s); set numberOfBrokerNodes to at least 3 (one per zone).`,
            );
          }
          if (get(props, "configurationInfo", "arn") === undefined) {
            report(
              "uses no broker configuration; set configurationInfo to a configuration with the replication settings.",
            );
          }
          return;
        }
        const settings = parseServerProperties(String(props.serverProperties ?? ""));
        const wrong = BROKER_SETTINGS.filter(([key, ok]) => !ok(settings.get(key)));
        if (wrong.length > 0) {
          report(`serverProperties must set ${wrong.map(([, , want]) => want).join(", ")}.`);
        }
      },
    }),
    resourcePolicy(config, {
      name: "elasticache-failover",
      description: "Redis replication groups must fail over automatically to a replica.",
      severity: "high",
      types: [REPLICATION_GROUP],
      check: (props, _args, report) => {
        const replicas =
          typeof props.replicasPerNodeGroup === "number"
            ? props.replicasPerNodeGroup
            : typeof props.numCacheClusters === "number"
              ? props.numCacheClusters - 1
              : fewestGroupReplicas(props.nodeGroupConfigurations);
        if (props.automaticFailoverEnabled !== true || replicas < 1) {
          report(
            "has no automatic failover; set automaticFailoverEnabled to true with replicasPerNodeGroup of at least 1.",
          );
        }
      },
    }),
    resourcePolicy(config, {
      name: "elasticache-multi-az",
      description: "Redis replication groups must place replicas in other zones (Multi-AZ).",
      severity: "high",
      types: [REPLICATION_GROUP],
      check: (props, _args, report) => {
        if (props.multiAzEnabled !== true) report("is not Multi-AZ; set multiAzEnabled to true.");
      },
    }),
    resourcePolicy(config, {
      name: "elasticache-encryption",
      description: "Redis replication groups must encrypt at rest and in transit and require authentication.",
      severity: "high",
      types: [REPLICATION_GROUP],
      check: (props, _args, report) => {
        // Members of a Global Datastore inherit encryption and authentication from the primary.
        if (props.globalReplicationGroupId !== undefined) return;
        const missing: string[] = [];
        if (props.atRestEncryptionEnabled !== true) missing.push("atRestEncryptionEnabled to true");
        if (props.transitEncryptionEnabled !== true) missing.push("transitEncryptionEnabled to true");
        if (props.authToken === undefined && asList(props.userGroupIds).length === 0) {
          missing.push("authToken or userGroupIds");
        }
        if (missing.length > 0) report(`is not encrypted and authenticated; set ${missing.join(", ")}.`);
      },
    }),
    resourcePolicy(config, {
      name: "aurora-encryption",
      description: "Aurora clusters must encrypt their storage.",
      severity: "high",
      types: [RDS_CLUSTER],
      check: (props, _args, report) => {
        if (props.storageEncrypted !== true)
          report("storage is not encrypted; set storageEncrypted to true (with kmsKeyId).");
      },
    }),
    resourcePolicy(config, {
      name: "aurora-deletion-protection",
      description: "Production Aurora clusters must have deletion protection and keep a final snapshot.",
      severity: "high",
      types: [RDS_CLUSTER],
      check: (props, _args, report) => {
        if (!config.production) return;
        if (props.deletionProtection !== true || props.skipFinalSnapshot === true) {
          report(
            "can be deleted without a trace; set deletionProtection to true and skipFinalSnapshot to false.",
          );
        }
      },
    }),
    resourcePolicy(config, {
      name: "aurora-backups",
      description: "Aurora clusters must keep automated backups (7 days or more in production).",
      severity: "high",
      types: [RDS_CLUSTER],
      check: (props, _args, report) => {
        const days = config.production ? 7 : 1;
        const retention = typeof props.backupRetentionPeriod === "number" ? props.backupRetentionPeriod : 1;
        if (retention < days)
          report(`keeps backups ${retention} day(s); set backupRetentionPeriod to at least ${days}.`);
      },
    }),
    resourcePolicy(config, {
      name: "no-public-data-store",
      description: "Data stores must not be reachable from the internet.",
      severity: "critical",
      types: [RDS_CLUSTER_INSTANCE, RDS_INSTANCE, MSK_CLUSTER],
      check: (props, args, report) => {
        if (args.type === MSK_CLUSTER) {
          const type =
            get(props, "brokerNodeGroupInfo", "connectivityInfo", "publicAccess", "type") ?? "DISABLED";
          if (type !== "DISABLED") {
            report(
              'brokers are public; set brokerNodeGroupInfo.connectivityInfo.publicAccess.type to "DISABLED".',
            );
          }
        } else if (props.publiclyAccessible === true) {
          report("the database is publicly accessible; set publiclyAccessible to false.");
        }
      },
    }),
    resourcePolicy(config, {
      name: "kms-key-rotation",
      description: "Symmetric KMS keys must rotate automatically.",
      severity: "medium",
      types: [KMS_KEY],
      check: (props, _args, report) => {
        const spec = props.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
        if (spec === "SYMMETRIC_DEFAULT" && props.enableKeyRotation !== true) {
          report("the key does not rotate; set enableKeyRotation to true.");
        }
      },
    }),
    resourcePolicy(config, {
      name: "required-tags",
      description: `Taggable resources must carry the tags ${config.requiredTags.join(", ")}.`,
      severity: "low",
      types: TAGGABLE_TYPES,
      check: (props, args, report) => {
        const own = (props.tags ?? {}) as Record<string, unknown>;
        // The engine hands provider config over as the provider receives it: object values JSON-encoded.
        const defaults = args.provider?.props.defaultTags;
        const decoded: unknown = typeof defaults === "string" ? JSON.parse(defaults) : defaults;
        const inherited = (get(decoded, "tags") ?? {}) as Record<string, unknown>;
        const missing = config.requiredTags.filter((t) => own[t] === undefined && inherited[t] === undefined);
        if (missing.length > 0) {
          report(
            `tags ${missing.join(", ")} are missing; set them in tags or in the provider's defaultTags.`,
          );
        }
      },
    }),
  ];
}
