import { databaseRolesCallChecks } from "../../cli/plan/wiring/checks/database-roles";
import { evaluate, policyProblems } from "../../cli/plan/wiring/iam";
import type { CallCheck, ClusterScope } from "../../cli/plan/wiring/types";
import { roleBootstrapPolicy } from "../../components/data/postgres/role-bootstrap";

const scope: ClusterScope = {
  partition: "aws",
  accountId: "123456789012",
  region: "us-east-1",
  clusterName: "semester-prod-us-east-1",
  vpcId: "vpc-1",
  neighbour: { region: "eu-west-2", clusterName: "semester-prod-eu-west-2", vpcId: "vpc-2" },
};
const secrets = [0, 1, 2, 3].map(
  (i) =>
    `arn:aws:secretsmanager:us-east-1:123456789012:secret:semester-prod-data-us-east-1-pg-${i}-master-Ab12C${i}`,
);
const decide = (policy: string, check: CallCheck) =>
  evaluate([{ label: "database-roles", document: policy }], check.request).decision === "allow"
    ? "allow"
    : "deny";

describe("databaseRolesCallChecks", () => {
  const checks = databaseRolesCallChecks(scope, { secretArns: secrets });

  it("asks for each primary's secret in the Job's region, and denies the neighbours of each", () => {
    expect(
      checks.filter((c) => c.expect === "allow").map((c) => [c.request.action, c.request.resource]),
    ).toEqual(secrets.map((s) => ["secretsmanager:GetSecretValue", s]));
    expect(checks.filter((c) => c.expect === "deny").map((c) => c.why)).toEqual([
      ...secrets.flatMap(() => ["the same secret name in eu-west-2", "overwrite the master secret"]),
      "another secret of the account",
      "another RDS-managed master secret",
      "list the account's secrets",
    ]);
    expect(checks[1]!.request.resource).toBe(secrets[0]!.replace(":us-east-1:", ":eu-west-2:"));
  });

  it("is answered as expected by the Job role's policy, which has no problem", () => {
    const policy = roleBootstrapPolicy("us-east-1", secrets);
    expect(policyProblems("database-roles", policy)).toEqual([]);
    expect(checks.map((c) => [c.why, c.request.resource, decide(policy, c)])).toEqual(
      checks.map((c) => [c.why, c.request.resource, c.expect]),
    );
  });

  it("catches a policy scoped wider than the shards' secrets", () => {
    const wide = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: ["secretsmanager:GetSecretValue"],
          Resource: "arn:aws:secretsmanager:*:*:secret:*",
        },
      ],
    });
    const wrong = checks.filter((c) => decide(wide, c) !== c.expect).map((c) => c.why);
    expect(new Set(wrong)).toEqual(
      new Set([
        "the same secret name in eu-west-2",
        "another secret of the account",
        "another RDS-managed master secret",
      ]),
    );
  });

  it("catches a policy that misses one primary's secret", () => {
    const short = roleBootstrapPolicy("us-east-1", secrets.slice(0, 3));
    expect(
      checks.filter((c) => decide(short, c) !== c.expect).map((c) => [c.why, c.request.resource]),
    ).toEqual([["read a primary writer's master secret", secrets[3]]]);
  });
});
