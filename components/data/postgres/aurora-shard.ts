/**
 * One shard of the sharded Postgres: an Aurora PostgreSQL cluster with a writer and readers spread over the
 * cluster's AZs, storage and Performance Insights encrypted with a customer-managed key, continuous backups
 * (point-in-time recovery over the retention window), IAM database authentication, TLS enforced, logs exported.
 *
 * Credentials. A standalone shard lets RDS generate and rotate the master password in Secrets Manager
 * (`manageMasterUserPassword`), so none enters the Pulumi state. AWS does not support that for clusters in an
 * Aurora Global Database, so a `global-primary` gets a random password from Secrets Manager's generator through
 * the write-only `masterPasswordWo`, and the same value goes write-only into a Secrets Manager secret of its own
 * (`<name>-master`, in the RDS-managed secret's JSON shape), so the database role bootstrap can sign in; both
 * write-only inputs are kept in the state only as encrypted Pulumi secrets, never as outputs. To rotate it, write
 * a new secret version and set the cluster's password to it. A `global-secondary` has no credentials of its own.
 * `masterUserSecretArn` names the secret a primary's master credentials are in.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterHandle } from "../../cluster";
import { DATA_DEFAULTS } from "../config";
import { DataPorts } from "../network";
import { throwIfProblems, type Problem } from "../../core";
import type { CapacitySchedule } from "../scaling/capacity-schedule";
import { ScheduledCapacity } from "../scaling/scheduled-capacity";
import { auroraUnsupported } from "../scaling/targets";

/** @internal */
export type ShardRole = "standalone" | "global-primary" | "global-secondary";

/** @internal */
export interface AuroraShardArgs {
  readonly cluster: ClusterHandle;
  /** The Postgres security group (admits the cluster nodes on 5432). */
  readonly securityGroupId: pulumi.Input<string>;
  /** The region's Postgres CMK (storage and Performance Insights). */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** @default "standalone" */
  readonly role?: ShardRole;
  /** Required for the global roles: the Aurora Global Database to join. */
  readonly globalClusterIdentifier?: pulumi.Input<string>;
  /** @default "db.r7g.large" */
  readonly instanceClass?: string;
  /** Readers besides the writer (a secondary runs readers + 1 replicas, ready for promotion). @default 1 */
  readonly readers?: number;
  /** @default "16.6" */
  readonly engineVersion?: string;
  /** Days of continuous backup (the PITR window). @default 14 */
  readonly backupRetentionDays?: number;
  /** @default "02:00-03:00" */
  readonly backupWindow?: string;
  /** @default "sun:04:00-sun:05:00" */
  readonly maintenanceWindow?: string;
  /** @default false */
  readonly deletionProtection?: boolean;
  /** Take a final snapshot on deletion. @default - the value of `deletionProtection` */
  readonly finalSnapshot?: boolean;
  /** @default 7 */
  readonly performanceInsightsRetentionDays?: number;
  /** @default "semester" */
  readonly databaseName?: string;
  /** @default "semester_admin" */
  readonly masterUsername?: string;
  /**
   * Global write forwarding (role "global-secondary" only): sessions on this secondary may write, and Aurora
   * forwards the writes to the primary, with session consistency (a session reads its own writes). Supported in
   * every Aurora PostgreSQL 16 minor version (15.4+, 14.9+ before that). @default false
   */
  readonly writeForwarding?: boolean;
  /**
   * Readers scheduled from the calendar on top of the provisioned ones (Application Auto Scaling adds and removes
   * its own readers; the provisioned instances stay Pulumi's). Its static count must be `readers`.
   * @default - none: the provisioned readers only
   */
  readonly readerSchedule?: CapacitySchedule;
}

export class AuroraShard extends pulumi.ComponentResource {
  public readonly clusterIdentifier: pulumi.Output<string>;
  public readonly clusterArn: pulumi.Output<string>;
  /** The cluster's resource id (`cluster-…`), which IAM database authentication names in `rds-db` ARNs. */
  public readonly clusterResourceId: pulumi.Output<string>;
  /** Writer endpoint (inactive on a global secondary until it is promoted). */
  public readonly writerEndpoint: pulumi.Output<string>;
  /** Load-balanced reader endpoint. */
  public readonly readerEndpoint: pulumi.Output<string>;
  /** The instances, so secondaries can wait for the primary to be ready. */
  public readonly instances: aws.rds.ClusterInstance[];
  /**
   * ARN of the Secrets Manager secret holding the master credentials (`{"username", "password"}`): the RDS-managed
   * secret of a standalone shard, the shard's own secret of a global primary; `undefined` on a global secondary.
   */
  public readonly masterUserSecretArn: pulumi.Output<string> | undefined;

  constructor(name: string, args: AuroraShardArgs, opts?: pulumi.ComponentResourceOptions) {
    super("semester:data:AuroraShard", name, {}, opts);
    const d = DATA_DEFAULTS.postgres;
    const role = args.role ?? "standalone";
    const instanceClass = args.instanceClass ?? d.instanceClass;
    const readers = args.readers ?? d.readersPerShard;
    const engineVersion = args.engineVersion ?? d.engineVersion;
    const backupRetentionDays = args.backupRetentionDays ?? d.backupRetentionDays;
    const backupWindow = args.backupWindow ?? d.backupWindow;
    const maintenanceWindow = args.maintenanceWindow ?? d.maintenanceWindow;
    const deletionProtection = args.deletionProtection ?? false;
    const finalSnapshot = args.finalSnapshot ?? deletionProtection;
    const piRetention = args.performanceInsightsRetentionDays ?? d.performanceInsightsRetentionDays;
    const databaseName = args.databaseName ?? d.databaseName;
    const masterUsername = args.masterUsername ?? d.masterUsername;
    const writeForwarding = args.writeForwarding ?? false;

    const problems: Problem[] = [];
    if (!Number.isInteger(readers) || readers < 1 || readers > 15) {
      problems.push({
        path: "readers",
        value: readers,
        rule: "must be from 1 to 15 so a writer failure has a replica in another AZ",
      });
    }
    if (!Number.isInteger(backupRetentionDays) || backupRetentionDays < 1 || backupRetentionDays > 35) {
      problems.push({
        path: "backupRetentionDays",
        value: backupRetentionDays,
        rule: "must be from 1 to 35",
      });
    }
    if (role !== "standalone" && args.globalClusterIdentifier === undefined) {
      problems.push({
        path: "globalClusterIdentifier",
        value: undefined,
        rule: `required for role "${role}"`,
      });
    }
    if (role === "standalone" && args.globalClusterIdentifier !== undefined) {
      problems.push({
        path: "globalClusterIdentifier",
        value:
          typeof args.globalClusterIdentifier === "string" ? args.globalClusterIdentifier : "(an Output)",
        rule: 'only the roles "global-primary" and "global-secondary" join a global database',
        fix: 'remove it, or set `role` to "global-primary" or "global-secondary"',
      });
    }
    if (writeForwarding && role !== "global-secondary") {
      problems.push({
        path: "writeForwarding",
        value: true,
        rule: `only a "global-secondary" forwards writes (role is "${role}")`,
      });
    }
    const unsupported = args.readerSchedule !== undefined ? auroraUnsupported(role) : undefined;
    if (unsupported !== undefined)
      problems.push({ path: "readerSchedule", value: `role "${role}"`, rule: unsupported, fix: "remove it" });
    if (args.readerSchedule !== undefined && args.readerSchedule.staticCount !== readers) {
      problems.push({
        path: "readerSchedule.staticCount",
        value: args.readerSchedule.staticCount,
        rule: `must equal \`readers\` (${readers}): the schedule returns to the provisioned readers`,
      });
    }
    throwIfProblems(`AuroraShard ${name}`, problems);

    const provider = args.cluster.awsProvider;
    const child = { parent: this, provider };
    const subnets = new aws.rds.SubnetGroup(
      `${name}-subnets`,
      { subnetIds: args.cluster.privateSubnetIds, description: `${name}: private subnets over 3 AZs` },
      child,
    );
    const params = new aws.rds.ClusterParameterGroup(
      `${name}-params`,
      {
        family: `aurora-postgresql${engineVersion.split(".")[0]}`,
        description: writeForwarding
          ? `${name}: TLS required, session-consistent write forwarding`
          : `${name}: TLS required`,
        parameters: [
          { name: "rds.force_ssl", value: "1" },
          // Read-your-writes for forwarded sessions (the documented default, pinned so it cannot drift).
          ...(writeForwarding ? [{ name: "apg_write_forward.consistency_mode", value: "session" }] : []),
        ],
      },
      child,
    );
    const generatedPassword =
      role === "global-primary"
        ? pulumi.secret(
            aws.secretsmanager.getRandomPasswordOutput(
              { passwordLength: 40, excludePunctuation: true },
              { parent: this, provider },
            ).randomPassword,
          )
        : undefined;
    const credentials =
      role === "standalone"
        ? { databaseName, masterUsername, manageMasterUserPassword: true }
        : role === "global-primary"
          ? { databaseName, masterUsername, masterPasswordWo: generatedPassword, masterPasswordWoVersion: 1 }
          : {};
    const cluster = new aws.rds.Cluster(
      `${name}-cluster`,
      {
        engine: "aurora-postgresql",
        engineVersion,
        ...credentials,
        globalClusterIdentifier: args.globalClusterIdentifier,
        ...(writeForwarding ? { enableGlobalWriteForwarding: true } : {}),
        port: DataPorts.postgres,
        dbSubnetGroupName: subnets.name,
        vpcSecurityGroupIds: [args.securityGroupId],
        dbClusterParameterGroupName: params.name,
        storageEncrypted: true,
        kmsKeyId: args.kmsKeyArn,
        iamDatabaseAuthenticationEnabled: true,
        backupRetentionPeriod: backupRetentionDays,
        preferredBackupWindow: backupWindow,
        preferredMaintenanceWindow: maintenanceWindow,
        copyTagsToSnapshot: true,
        deletionProtection,
        skipFinalSnapshot: !finalSnapshot,
        finalSnapshotIdentifier: finalSnapshot ? `${name}-final` : undefined,
        enabledCloudwatchLogsExports: ["postgresql"],
      },
      {
        ...child,
        // A fresh generator value on every run must not look like a change; a secondary's replication source is
        // managed by the global database.
        ignoreChanges:
          role === "global-primary"
            ? ["masterPasswordWo"]
            : role === "global-secondary"
              ? ["replicationSourceIdentifier"]
              : [],
      },
    );

    if (generatedPassword !== undefined) {
      const secret = new aws.secretsmanager.Secret(
        `${name}-master`,
        {
          description: `${name}: master credentials of the global primary (the database role bootstrap reads them)`,
        },
        child,
      );
      const version = new aws.secretsmanager.SecretVersion(
        `${name}-master`,
        {
          secretId: secret.arn,
          secretStringWo: pulumi.secret(
            pulumi.jsonStringify({ username: masterUsername, password: generatedPassword }),
          ),
          secretStringWoVersion: 1,
        },
        // Written once, with the cluster's password; later runs' generator values are not changes.
        { ...child, ignoreChanges: ["secretStringWo"] },
      );
      this.masterUserSecretArn = version.arn;
    } else if (role === "standalone") {
      this.masterUserSecretArn = cluster.masterUserSecrets.apply((secrets) => {
        const arn = secrets?.[0]?.secretArn;
        if (arn === undefined) throw new Error(`AuroraShard ${name}: RDS reported no master user secret`);
        return arn;
      });
    } else {
      this.masterUserSecretArn = undefined;
    }

    const zones = args.cluster.privateSubnetIds.map(
      (id) => aws.ec2.getSubnetOutput({ id }, { parent: this, provider }).availabilityZone,
    );
    const count = readers + 1;
    this.instances = Array.from({ length: count }, (_, i) => {
      const instanceName =
        role === "global-secondary"
          ? `${name}-replica-${i}`
          : i === 0
            ? `${name}-writer`
            : `${name}-reader-${i}`;
      return new aws.rds.ClusterInstance(
        instanceName,
        {
          clusterIdentifier: cluster.id,
          engine: "aurora-postgresql",
          engineVersion,
          instanceClass,
          // Writer in the first AZ, readers round-robin over the others.
          availabilityZone: zones[i % zones.length],
          promotionTier: i === 0 ? 0 : 1,
          publiclyAccessible: false,
          performanceInsightsEnabled: true,
          performanceInsightsKmsKeyId: args.kmsKeyArn,
          performanceInsightsRetentionPeriod: piRetention,
          autoMinorVersionUpgrade: true,
        },
        child,
      );
    });

    if (args.readerSchedule !== undefined) {
      new ScheduledCapacity(
        `${name}-readers`,
        {
          store: "aurora",
          provider,
          storeId: cluster.id,
          partition: args.cluster.partition,
          accountId: args.cluster.accountId,
          schedule: args.readerSchedule,
          dependsOn: this.instances,
        },
        { parent: this },
      );
    }

    this.clusterIdentifier = cluster.id;
    this.clusterArn = cluster.arn;
    this.clusterResourceId = cluster.clusterResourceId;
    this.writerEndpoint = cluster.endpoint;
    this.readerEndpoint = cluster.readerEndpoint;
    this.registerOutputs({
      clusterIdentifier: this.clusterIdentifier,
      clusterArn: this.clusterArn,
      clusterResourceId: this.clusterResourceId,
      writerEndpoint: this.writerEndpoint,
      readerEndpoint: this.readerEndpoint,
    });
  }
}
