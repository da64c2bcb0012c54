/**
 * The evaluation order, Action/NotAction and Resource/NotResource, each with a case taken from the AWS IAM User
 * Guide ("Policy evaluation logic", "IAM JSON policy elements: Action", "NotAction", "Resource", "NotResource").
 */
import { evaluate } from "../../../cli/plan/wiring/iam";
import { decide, doc } from "./support";

const ACCOUNT = "111122223333";

describe("evaluate: the decision", () => {
  // "NotAction" page, DenyAllUsersNotUsingMFA, next to a policy that allows S3.
  const mfa = doc({
    Sid: "DenyAllUsersNotUsingMFA",
    Effect: "Deny",
    NotAction: "iam:*",
    Resource: "*",
    Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
  });
  const s3 = doc({ Effect: "Allow", Action: "s3:*", Resource: "*" });
  const both = [
    { label: "mfa", document: mfa },
    { label: "s3", document: s3 },
  ];
  const request = (context: Record<string, boolean>, action = "s3:GetObject") =>
    evaluate(both, { action, resource: "arn:aws:s3:::bucket/key", context });

  it("lets an explicit Deny in one policy beat an Allow in another, and names the Deny", () => {
    expect(request({ "aws:MultiFactorAuthPresent": false })).toEqual({
      decision: "explicit-deny",
      decidedBy: ["mfa#DenyAllUsersNotUsingMFA"],
    });
  });

  it("allows when no Deny applies, naming each allowing statement by Sid or index", () => {
    expect(request({ "aws:MultiFactorAuthPresent": true })).toEqual({
      decision: "allow",
      decidedBy: ["s3#0"],
    });
  });

  it("denies implicitly when nothing allows, with no deciding statement", () => {
    expect(request({ "aws:MultiFactorAuthPresent": true }, "ec2:RunInstances")).toEqual({
      decision: "implicit-deny",
      decidedBy: [],
    });
  });

  it("does not apply a NotAction Deny to the actions it lists (IAM stays usable without MFA)", () => {
    expect(request({ "aws:MultiFactorAuthPresent": false }, "iam:ListUsers").decision).toBe("implicit-deny");
  });

  it("denies when the IfExists key is missing (BoolIfExists treats absence as true)", () => {
    expect(evaluate(both, { action: "s3:GetObject", resource: "*" }).decision).toBe("explicit-deny");
  });

  it("lists every Deny that applies", () => {
    const deny = doc(
      { Sid: "One", Effect: "Deny", Action: "s3:*", Resource: "*" },
      { Sid: "Two", Effect: "Deny", Action: "s3:Get*", Resource: "*" },
      { Effect: "Allow", Action: "*", Resource: "*" },
    );
    expect(evaluate([{ label: "d", document: deny }], { action: "s3:GetObject", resource: "*" })).toEqual({
      decision: "explicit-deny",
      decidedBy: ["d#One", "d#Two"],
    });
  });

  it("takes a document as a JSON string", () => {
    expect(decide(JSON.stringify(s3), "s3:PutObject", "*")).toBe("allow");
  });

  it("refuses a malformed document instead of evaluating part of it", () => {
    const broken = doc({ Effect: "Allow", Action: "s3:*", NotAction: "iam:*", Resource: "*" });
    expect(() => decide(broken, "s3:GetObject", "*")).toThrow(/has both Action and NotAction/);
  });

  it("refuses a request whose action is not service:action", () => {
    expect(() => decide(s3, "s3", "*")).toThrow(
      'Invalid input in the IAM request (1 problem):\n  - `action`: got "s3"; must be "<service>:<action>"',
    );
  });
});

describe("evaluate: Action and NotAction", () => {
  it('matches actions case-insensitively ("iam:ListAccessKeys is the same as IAM:listaccesskeys")', () => {
    const policy = doc({ Effect: "Allow", Action: "iam:ListAccessKeys", Resource: "*" });
    expect(decide(policy, "IAM:listaccesskeys", "*")).toBe("allow");
  });

  it("matches * and ? in actions", () => {
    const policy = doc({ Effect: "Allow", Action: ["iam:*AccessKey*", "iam:?etUser"], Resource: "*" });
    expect(decide(policy, "iam:CreateAccessKey", "*")).toBe("allow");
    expect(decide(policy, "iam:ListAccessKeys", "*")).toBe("allow");
    expect(decide(policy, "iam:GetUser", "*")).toBe("allow");
    expect(decide(policy, "iam:GetUserPolicy", "*")).toBe("implicit-deny");
    expect(decide(policy, "iam:ListUsers", "*")).toBe("implicit-deny");
  });

  it('allows everything but IAM with NotAction "iam:*" on "*"', () => {
    const policy = doc({ Effect: "Allow", NotAction: "iam:*", Resource: "*" });
    expect(decide(policy, "s3:ListAllMyBuckets", "*")).toBe("allow");
    expect(decide(policy, "iam:CreateUser", `arn:aws:iam::${ACCOUNT}:user/Bob`)).toBe("implicit-deny");
  });

  it('scopes NotAction "s3:DeleteBucket" to S3 resources, so ListAllMyBuckets on "*" is not allowed', () => {
    const policy = doc({ Effect: "Allow", NotAction: "s3:DeleteBucket", Resource: "arn:aws:s3:::*" });
    expect(decide(policy, "s3:ListBucket", "arn:aws:s3:::reports")).toBe("allow");
    expect(decide(policy, "s3:DeleteBucket", "arn:aws:s3:::reports")).toBe("implicit-deny");
    expect(decide(policy, "s3:ListAllMyBuckets", "*")).toBe("implicit-deny");
  });
});

describe("evaluate: Resource and NotResource", () => {
  it('matches resources case-sensitively ("In the Resource element, the IAM user name is case sensitive")', () => {
    const policy = doc({
      Effect: "Allow",
      Action: "iam:GetUser",
      Resource: `arn:aws:iam::${ACCOUNT}:user/Bob`,
    });
    expect(decide(policy, "iam:GetUser", `arn:aws:iam::${ACCOUNT}:user/Bob`)).toBe("allow");
    expect(decide(policy, "iam:GetUser", `arn:aws:iam::${ACCOUNT}:user/bob`)).toBe("implicit-deny");
  });

  it("lets * span slashes: the User Guide's DOC-EXAMPLE-BUCKET/*/test/* objects all match", () => {
    const policy = doc({
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*/test/*",
    });
    const objects = [
      "1/test/object.jpg",
      "1/2/test/object.jpg",
      "1/2/test/3/object.jpg",
      "1/2/3/test/4/object.jpg",
      "1///test///object.jpg",
      "1/test/.jpg",
      "/test/object.jpg",
      "1/test/",
    ];
    for (const object of objects) {
      expect(decide(policy, "s3:GetObject", `arn:aws:s3:::DOC-EXAMPLE-BUCKET/${object}`)).toBe("allow");
    }
    expect(decide(policy, "s3:GetObject", "arn:aws:s3:::DOC-EXAMPLE-BUCKET/test/object.jpg")).toBe(
      "implicit-deny",
    );
  });

  it("lets a * that ends an ARN segment expand past colons, but not a * inside a segment", () => {
    const trailing = doc({ Effect: "Allow", Action: "ec2:*", Resource: "arn:aws:ec2:us-east-1:*" });
    expect(decide(trailing, "ec2:StopInstances", `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-1`)).toBe(
      "allow",
    );
    const group = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:app`;
    const inside = doc({ Effect: "Allow", Action: "logs:*", Resource: `${group}*-x` });
    expect(decide(inside, "logs:PutLogEvents", `${group}-prod-x`)).toBe("allow");
    expect(decide(inside, "logs:PutLogEvents", `${group}:log-stream:y-x`)).toBe("implicit-deny");
    const ending = doc({ Effect: "Allow", Action: "logs:*", Resource: `${group}*` });
    expect(decide(ending, "logs:PutLogEvents", `${group}:log-stream:y-x`)).toBe("allow");
  });

  it("matches ? with exactly one character other than a colon", () => {
    const policy = doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/v?" });
    expect(decide(policy, "s3:GetObject", "arn:aws:s3:::b/v1")).toBe("allow");
    expect(decide(policy, "s3:GetObject", "arn:aws:s3:::b/v12")).toBe("implicit-deny");
    expect(decide(policy, "s3:GetObject", "arn:aws:s3:::b/v:")).toBe("implicit-deny");
  });

  it('matches any resource, and actions that take none ("*"), with Resource "*"', () => {
    const policy = doc({ Effect: "Allow", Action: "ec2:DescribeInstances", Resource: "*" });
    expect(decide(policy, "ec2:DescribeInstances", "*")).toBe("allow");
    expect(decide(policy, "ec2:DescribeInstances", `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-1`)).toBe(
      "allow",
    );
  });

  it("denies everything except the payroll objects with a NotResource Deny", () => {
    const payroll = ["arn:aws:s3:::HRBucket/Payroll", "arn:aws:s3:::HRBucket/Payroll/*"];
    const policy = doc(
      { Effect: "Allow", Action: "s3:*", Resource: "*" },
      { Effect: "Deny", Action: "s3:*", NotResource: payroll },
    );
    expect(decide(policy, "s3:GetObject", "arn:aws:s3:::HRBucket/Payroll/2026-09.csv")).toBe("allow");
    expect(decide(policy, "s3:GetObject", "arn:aws:s3:::HRBucket/Reviews/ann.pdf")).toBe("explicit-deny");
  });

  it("allows every resource but those listed with a NotResource Allow", () => {
    const policy = doc({ Effect: "Allow", Action: "s3:GetObject", NotResource: "arn:aws:s3:::secrets/*" });
    expect(decide(policy, "s3:GetObject", "arn:aws:s3:::public/a")).toBe("allow");
    expect(decide(policy, "s3:GetObject", "arn:aws:s3:::secrets/a")).toBe("implicit-deny");
  });
});
