/**
 * An ElastiCache Global Datastore: the home region's replication group is the primary; secondaries in up to two
 * other regions join it (`RedisReplicationGroup` with `globalReplicationGroupId`) and serve local reads.
 * Failover across regions is a manual promotion (AWS does not fail over a Global Datastore automatically).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { InputError } from "../../core";

/** @internal AWS allows a primary plus at most this many secondary regions. */
export const MAX_GLOBAL_DATASTORE_SECONDARIES = 2;

/** @internal */
export interface RedisGlobalDatastoreArgs {
  /** The home region's provider. */
  readonly provider: aws.Provider;
  /** The home region's replication group id. */
  readonly primaryReplicationGroupId: pulumi.Input<string>;
  /** Suffix of the global id (AWS prefixes it with an account-specific string). */
  readonly idSuffix: string;
}

export class RedisGlobalDatastore extends pulumi.ComponentResource {
  public readonly globalReplicationGroupId: pulumi.Output<string>;

  constructor(name: string, args: RedisGlobalDatastoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("semester:data:RedisGlobalDatastore", name, {}, opts);
    if (!/^[a-z][a-z0-9-]{0,39}$/.test(args.idSuffix)) {
      throw new InputError(`RedisGlobalDatastore ${name}`, [
        {
          path: "idSuffix",
          value: args.idSuffix,
          rule: "must be a lowercase letter then up to 39 lowercase letters, digits or hyphens",
        },
      ]);
    }
    const global = new aws.elasticache.GlobalReplicationGroup(
      `${name}-global`,
      {
        globalReplicationGroupIdSuffix: args.idSuffix,
        primaryReplicationGroupId: args.primaryReplicationGroupId,
        globalReplicationGroupDescription: `${name}: primary in the home region`,
        automaticFailoverEnabled: true,
      },
      { parent: this, provider: args.provider },
    );
    this.globalReplicationGroupId = global.globalReplicationGroupId;
    this.registerOutputs({ globalReplicationGroupId: this.globalReplicationGroupId });
  }
}
