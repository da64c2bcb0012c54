/**
 * One customer-managed KMS key per region for what observability stores: the metrics workspace, the log groups
 * (workspace logs, container logs) and the alert topics. A key policy, not IAM alone, decides whether a service
 * may use a key, so besides the account root (administration, and use granted by IAM policies: the AWS default)
 * the policy carries the statements each part declares for the services that encrypt with it
 * (`metricsKeyPolicyStatements`: CloudWatch Logs for the workspace's log group, AMP's grants, AMP publishing to
 * the encrypted topics; `logsKeyPolicyStatement`: CloudWatch Logs for the container log groups), each limited
 * to this account and to its own resources.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterHandle } from "../cluster";

/** Where a key policy's statements apply. */
export interface KeyScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/** @internal The key policy (JSON): the root statement, then the parts' statements. Pure. */
export function observabilityKeyPolicy(scope: KeyScope, statements: readonly object[]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountAdministration",
        Effect: "Allow",
        Principal: { AWS: `arn:${scope.partition}:iam::${scope.accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      ...statements,
    ],
  });
}

export interface ObservabilityKeyArgs {
  readonly cluster: ClusterHandle;
  /** The statements the parts need, for the cluster's partition, region and account. @default none */
  readonly statements?: (scope: KeyScope) => readonly object[];
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
        policy: pulumi.all([cluster.partition, cluster.accountId]).apply(([partition, accountId]) => {
          const scope = { partition, region: cluster.region, accountId };
          return observabilityKeyPolicy(scope, args.statements?.(scope) ?? []);
        }),
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
