/** Customer-managed KMS keys of the data stores: one per store and region, rotation on. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { InputError } from "../core";

/** @internal */
export interface DataKeyArgs {
  /** What the key encrypts. */
  readonly description: string;
  /** The region's explicit AWS provider. */
  readonly provider: aws.Provider;
  /** Days a scheduled deletion waits (7-30). @default 30 */
  readonly deletionWindowInDays?: number;
}

export class DataKey extends pulumi.ComponentResource {
  public readonly keyArn: pulumi.Output<string>;
  public readonly keyId: pulumi.Output<string>;

  constructor(name: string, args: DataKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("semester:data:DataKey", name, {}, opts);
    const deletionWindowInDays = args.deletionWindowInDays ?? 30;
    if (!Number.isInteger(deletionWindowInDays) || deletionWindowInDays < 7 || deletionWindowInDays > 30) {
      throw new InputError(`DataKey ${name}`, [
        {
          path: "deletionWindowInDays",
          value: deletionWindowInDays,
          rule: "must be a whole number from 7 to 30",
        },
      ]);
    }
    const key = new aws.kms.Key(
      `${name}-key`,
      { description: args.description, enableKeyRotation: true, deletionWindowInDays },
      { parent: this, provider: args.provider },
    );
    new aws.kms.Alias(
      `${name}-alias`,
      { name: `alias/${name}`, targetKeyId: key.keyId },
      { parent: this, provider: args.provider },
    );
    this.keyArn = key.arn;
    this.keyId = key.keyId;
    this.registerOutputs({ keyArn: this.keyArn, keyId: this.keyId });
  }
}
