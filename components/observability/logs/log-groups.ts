/**
 * The log groups container logs go to, and the IAM documents around them. Pure.
 *
 * Sources: CloudWatch Logs "Encrypt log data in CloudWatch Logs using AWS KMS" (the key policy statement for
 * `logs.<region>.amazonaws.com` with the `kms:EncryptionContext:aws:logs:arn` condition; writers need no KMS
 * permission of their own); the Service Authorization Reference for CloudWatch Logs (CreateLogStream,
 * PutLogEvents and DescribeLogStreams act on the `log-group` resource, `arn:...:log-group:<name>:*`).
 */
import type { Environment } from "../../core";

/** @internal */
export interface AccountRegion {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/** @internal The log groups of a region, by role. */
export interface LogGroupNames {
  /** The services' container logs (one stream per pod and container). */
  readonly application: string;
}

/** `/semester/<environment>/<region>/application`. */
export function logGroupNames(environment: Environment, region: string): LogGroupNames {
  return { application: `/semester/${environment}/${region}/application` };
}

/** @internal Fluent Bit's policy: create streams in and write to exactly these groups, nothing else. */
export function fluentBitPolicy(at: AccountRegion, groups: readonly string[]): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteContainerLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: groups.map((g) => `arn:${at.partition}:logs:${at.region}:${at.accountId}:log-group:${g}:*`),
      },
    ],
  };
}

/** @internal
 * The key policy statement CloudWatch Logs needs on the region's KMS key to encrypt log groups with it, limited to
 * log groups of this account and region named by `logGroupPatterns` (e.g. `/semester/prod/*`; one statement for
 * every group the key encrypts, the workspace's vended logs included). For the key's owner.
 * @default logGroupPatterns ["*"]
 */
export function logsKeyPolicyStatement(
  at: AccountRegion & { readonly logGroupPatterns?: readonly string[] },
): Record<string, unknown> {
  const arns = (at.logGroupPatterns ?? ["*"]).map(
    (pattern) => `arn:${at.partition}:logs:${at.region}:${at.accountId}:log-group:${pattern}`,
  );
  return {
    Sid: "AllowCloudWatchLogsToUseTheKey",
    Effect: "Allow",
    Principal: { Service: `logs.${at.region}.amazonaws.com` },
    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
    Resource: "*",
    Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": arns.length === 1 ? arns[0] : arns } },
  };
}
