/**
 * One customer-managed KMS key per region for what observability stores: the metrics workspace, the log groups
 * (workspace logs, container logs) and the alert topics. A key policy, not IAM alone, decides whether a service
 * may use a key, so the policy names each service that encrypts with it, each limited to this account and to its
 * own resources:
 * - the account root (administration and IAM-granted use, the AWS default);
 * - CloudWatch Logs (`logs.<region>.amazonaws.com`), only for this account's log groups in the region
 *   (encryption context `aws:logs:arn`), as "Encrypt log data in CloudWatch Logs using AWS KMS" requires;
 * - Amazon Managed Service for Prometheus's alert manager (`aps.amazonaws.com`) and SNS, to publish to the
 *   encrypted topics (SNS needs `GenerateDataKey*` and `Decrypt` from the publisher's principal on SSE topics).
 * AMP encrypts its workspace through grants it creates with the caller's permissions, which the root statement
 * covers.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterHandle } from "../cluster";

/** @internal The key policy (JSON). Pure. */
export function observabilityKeyPolicy(p: { partition: string; region: string; accountId: string }): string {
  const account = p.accountId;
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountAdministration",
        Effect: "Allow",
        Principal: { AWS: `arn:${p.partition}:iam::${account}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "CloudWatchLogsForThisAccountsLogGroups",
        Effect: "Allow",
        Principal: { Service: `logs.${p.region}.amazonaws.com` },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        Resource: "*",
        Condition: {
          ArnLike: {
            "kms:EncryptionContext:aws:logs:arn": `arn:${p.partition}:logs:${p.region}:${account}:log-group:*`,
          },
        },
      },
      {
        Sid: "AlertPublishersToEncryptedTopics",
        Effect: "Allow",
        Principal: { Service: ["aps.amazonaws.com", "sns.amazonaws.com"] },
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": account } },
      },
    ],
  });
}

export interface ObservabilityKeyArgs {
  readonly cluster: ClusterHandle;
  /** Days before a deleted key is destroyed. @default 30 */
  readonly deletionWindowDays?: number;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The region's observability key, rotating, with its alias `alias/<name>`. */
export class ObservabilityKey extends pulumi.ComponentResource {
  public readonly key: aws.kms.Key;
  public readonly arn: pulumi.Output<string>;

  constructor(name: string, args: ObservabilityKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("semester:observability:ObservabilityKey", name, {}, opts);
    const { cluster } = args;
    const provider = cluster.awsProvider;
    this.key = new aws.kms.Key(
      name,
      {
        description: `Semester observability data in ${cluster.region}: metrics workspace, log groups, alert topics`,
        enableKeyRotation: true,
        deletionWindowInDays: args.deletionWindowDays ?? 30,
        policy: pulumi
          .all([cluster.partition, cluster.accountId])
          .apply(([partition, accountId]) =>
            observabilityKeyPolicy({ partition, region: cluster.region, accountId }),
          ),
        tags: { ...args.tags },
      },
      { parent: this, provider },
    );
    new aws.kms.Alias(
      name,
      { name: `alias/${name}`, targetKeyId: this.key.keyId },
      { parent: this, provider },
    );
    this.arn = this.key.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
