/**
 * An Aurora Global Database for one shard: the home region's cluster is the primary (writer), read-only
 * secondary clusters in the other regions replicate from it with typically sub-second lag and can be promoted
 * (managed switchover or failover) if the home region is lost.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DATA_DEFAULTS } from "../config";
import { InputError } from "../../core";

/** @internal */
export interface AuroraGlobalDatabaseArgs {
  /** The home region's provider. */
  readonly provider: aws.Provider;
  /** Globally unique identifier of the global cluster. */
  readonly identifier: string;
  /** @default "16.6" */
  readonly engineVersion?: string;
  /** @default false */
  readonly deletionProtection?: boolean;
}

export class AuroraGlobalDatabase extends pulumi.ComponentResource {
  public readonly globalClusterIdentifier: pulumi.Output<string>;

  constructor(name: string, args: AuroraGlobalDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("semester:data:AuroraGlobalDatabase", name, {}, opts);
    const engineVersion = args.engineVersion ?? DATA_DEFAULTS.postgres.engineVersion;
    const deletionProtection = args.deletionProtection ?? false;
    if (
      !/^[a-zA-Z][a-zA-Z0-9-]{0,62}$/.test(args.identifier) ||
      args.identifier.endsWith("-") ||
      args.identifier.includes("--")
    ) {
      throw new InputError(`AuroraGlobalDatabase ${name}`, [
        {
          path: "identifier",
          value: args.identifier,
          rule: "must be a letter then up to 62 letters, digits or single hyphens, not ending in a hyphen",
        },
      ]);
    }
    const global = new aws.rds.GlobalCluster(
      `${name}-global`,
      {
        globalClusterIdentifier: args.identifier,
        engine: "aurora-postgresql",
        engineVersion,
        storageEncrypted: true,
        deletionProtection,
      },
      { parent: this, provider: args.provider },
    );
    this.globalClusterIdentifier = global.id;
    this.registerOutputs({ globalClusterIdentifier: this.globalClusterIdentifier });
  }
}
