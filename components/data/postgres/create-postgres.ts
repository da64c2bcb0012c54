/**
 * Postgres of a data tier: per region a KMS key and `deployedShards` Aurora shards. With global databases, per
 * shard the Global Database first, then the home region's primary, then the other regions' secondaries (after the
 * primary's instances; with write forwarding they accept writes and forward them to the primary).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../../core";
import type { PostgresConfig } from "../config";
import { DataKey } from "../keys";
import type { DataSecurityGroups } from "../network";
import type { DataTierSettings } from "../settings";
import type { TierRegions } from "../tier-regions";
import { storeSchedule, type StoreScalingPlan } from "../scaling/plan";
import type { DataWindows } from "../data-windows";
import { AuroraGlobalDatabase } from "./global-database";
import { AuroraShard, type ShardRole } from "./aurora-shard";

/** @internal */
export interface PostgresArgs extends TierRegions {
  readonly environment: Environment;
  readonly config: PostgresConfig;
  /** Each region's store security groups (Postgres's). */
  readonly securityGroups: Readonly<Record<string, DataSecurityGroups>>;
  /** The windows per region (`DataTier.windows`). */
  readonly windows: Readonly<Record<string, DataWindows>>;
  readonly settings: Pick<
    DataTierSettings,
    "globalDatabase" | "writeForwarding" | "deletionProtection" | "deployedShards"
  >;
  /** The calendar-scheduled stores (`dataScalingPlan`); every shard of a region gets its region's readers. @default [] */
  readonly scaling?: readonly StoreScalingPlan[];
}

/** @internal */
export interface Postgres {
  /** The shards by region, in shard order. */
  readonly shards: Readonly<Record<string, readonly AuroraShard[]>>;
  /** The Global Database per shard (empty without global databases). */
  readonly globalDatabases: readonly AuroraGlobalDatabase[];
}

/** @internal */
export function createPostgres(name: string, args: PostgresArgs, opts: pulumi.ResourceOptions): Postgres {
  const { config: c, settings, environment, homeRegion } = args;
  const keys = Object.fromEntries(
    args.regions.map((region) => [
      region,
      new DataKey(
        `${name}-${region}-pg-kms`,
        {
          description: `Aurora shards of ${name} in ${region}`,
          provider: args.clusters[region]!.awsProvider,
        },
        opts,
      ),
    ]),
  );
  const globalDatabases = settings.globalDatabase
    ? Array.from(
        { length: settings.deployedShards },
        (_, i) =>
          new AuroraGlobalDatabase(
            `${name}-pg-${i}`,
            {
              provider: args.clusters[homeRegion]!.awsProvider,
              identifier: `semester-${environment}-pg-${i}`,
              engineVersion: c.engineVersion,
              deletionProtection: settings.deletionProtection,
            },
            opts,
          ),
      )
    : [];
  const shards: Record<string, AuroraShard[]> = {};
  for (const region of args.regions) {
    const role: ShardRole = !settings.globalDatabase
      ? "standalone"
      : region === homeRegion
        ? "global-primary"
        : "global-secondary";
    shards[region] = Array.from(
      { length: settings.deployedShards },
      (_, i) =>
        new AuroraShard(
          `${name}-${region}-pg-${i}`,
          {
            cluster: args.clusters[region]!,
            securityGroupId: args.securityGroups[region]!.groupIds.postgres!,
            kmsKeyArn: keys[region]!.keyArn,
            role,
            globalClusterIdentifier: globalDatabases[i]?.globalClusterIdentifier,
            instanceClass: c.instanceClass,
            readers: c.readersPerShard,
            engineVersion: c.engineVersion,
            backupRetentionDays: c.backupRetentionDays,
            backupWindow: args.windows[region]!["postgres.backupWindow"],
            maintenanceWindow: args.windows[region]!["postgres.maintenanceWindow"],
            deletionProtection: settings.deletionProtection,
            performanceInsightsRetentionDays: c.performanceInsightsRetentionDays,
            databaseName: c.databaseName,
            masterUsername: c.masterUsername,
            writeForwarding: role === "global-secondary" && settings.writeForwarding,
            readerSchedule: storeSchedule(args.scaling ?? [], region, "aurora"),
          },
          { ...opts, dependsOn: role === "global-secondary" ? shards[homeRegion]![i]!.instances : [] },
        ),
    );
  }
  return { shards, globalDatabases };
}
