/**
 * The calls the database role bootstrap Job makes, as IAM sees them, and the neighbours it must not reach. The
 * Job reads each primary shard writer's master secret in its own region (`secretsmanager:GetSecretValue`, its only
 * action); it must not read the same secret name in another region, another secret of the account (a made-up
 * neighbour and another RDS-managed one), nor write its own secrets. The secrets are encrypted with the AWS managed
 * key `aws/secretsmanager`, whose key policy decides decryption, so there is no KMS call to check. Pure.
 */
import type { CallCheck, ClusterScope } from "../types";

export interface DatabaseRolesArns {
  /** The master secrets of the primaries the Job signs in to, in the Job's region (from the plan). */
  readonly secretArns: readonly string[];
}

/** `arn:<p>:secretsmanager:<region>:<account>:secret:<name>`: the same secret name in another region. */
function inRegion(arn: string, region: string): string {
  const parts = arn.split(":");
  return [...parts.slice(0, 3), region, ...parts.slice(4)].join(":");
}

export function databaseRolesCallChecks(scope: ClusterScope, arns: DatabaseRolesArns): CallCheck[] {
  const { partition: p, accountId: a, region: r, neighbour: n } = scope;
  const secret = (name: string) => `arn:${p}:secretsmanager:${r}:${a}:secret:${name}`;
  const call = (why: string, action: string, resource: string, expect: CallCheck["expect"]): CallCheck => ({
    why,
    request: { action, resource, context: { "aws:RequestedRegion": resource.split(":")[3] ?? r } },
    expect,
  });
  return [
    ...arns.secretArns.flatMap((arn) => [
      call("read a primary writer's master secret", "secretsmanager:GetSecretValue", arn, "allow"),
      call(
        `the same secret name in ${n.region}`,
        "secretsmanager:GetSecretValue",
        inRegion(arn, n.region),
        "deny",
      ),
      call("overwrite the master secret", "secretsmanager:PutSecretValue", arn, "deny"),
    ]),
    call(
      "another secret of the account",
      "secretsmanager:GetSecretValue",
      secret("semester-not-a-shard-Zz9Yx8"),
      "deny",
    ),
    call(
      "another RDS-managed master secret",
      "secretsmanager:GetSecretValue",
      secret("rds!cluster-00000000-0000-4000-8000-000000000000-Qw3Er4"),
      "deny",
    ),
    call("list the account's secrets", "secretsmanager:ListSecrets", "*", "deny"),
  ];
}
