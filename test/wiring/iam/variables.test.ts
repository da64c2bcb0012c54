/** Policy variables, with cases taken from the AWS IAM User Guide ("IAM policy elements: Variables and tags"). */
import { decide, doc, holds } from "./support";

describe("policy variables", () => {
  const team = () =>
    doc({
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: "arn:aws:s3:::DOC-EXAMPLE-BUCKET-${aws:PrincipalTag/team, 'company-wide'}",
    });

  it("substitutes a principal tag in Resource, and its default when the tag is absent", () => {
    expect(
      decide(team(), "s3:ListBucket", "arn:aws:s3:::DOC-EXAMPLE-BUCKET-yellow", {
        "aws:PrincipalTag/team": "yellow",
      }),
    ).toBe("allow");
    expect(
      decide(team(), "s3:ListBucket", "arn:aws:s3:::DOC-EXAMPLE-BUCKET-blue", {
        "aws:PrincipalTag/team": "yellow",
      }),
    ).toBe("implicit-deny");
    expect(decide(team(), "s3:ListBucket", "arn:aws:s3:::DOC-EXAMPLE-BUCKET-company-wide")).toBe("allow");
  });

  it("treats a substituted value as literal text, not as a wildcard", () => {
    expect(
      decide(team(), "s3:ListBucket", "arn:aws:s3:::DOC-EXAMPLE-BUCKET-blue", {
        "aws:PrincipalTag/team": "*",
      }),
    ).toBe("implicit-deny");
  });

  it("makes a Resource whose variable has no value match no resource", () => {
    const own = doc({
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::home/${aws:username}/*",
    });
    expect(decide(own, "s3:GetObject", "arn:aws:s3:::home/ana/x", { "aws:username": "ana" })).toBe("allow");
    expect(decide(own, "s3:GetObject", "arn:aws:s3:::home/ana/x")).toBe("implicit-deny");
    expect(decide(own, "s3:GetObject", "arn:aws:s3:::home//x")).toBe("implicit-deny");
    expect(decide(own, "s3:GetObject", "arn:aws:s3:::home/${aws:username}/x")).toBe("implicit-deny");
  });

  it("makes StringEquals with a valueless variable false and StringNotEquals true, as documented", () => {
    // "Inverted condition operators like StringNotEquals or StringNotLike do match against a null value".
    const team = (operator: string, value: string) =>
      holds(
        { [operator]: { "s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}" } },
        { "s3:ExistingObjectTag/Team": value },
      );
    expect(team("StringEquals", "red")).toBe(false);
    expect(team("StringNotEquals", "red")).toBe(true);
    // Nor is it an empty string: an empty tag value does not equal a missing one.
    expect(team("StringEquals", "")).toBe(false);
    expect(team("StringNotEquals", "")).toBe(true);
  });

  it("does not substitute a multivalued key", () => {
    expect(
      holds(
        { StringEquals: { "aws:username": "${aws:TagKeys}" } },
        { "aws:username": "a", "aws:TagKeys": ["a"] },
      ),
    ).toBe(false);
  });

  it("reads ${*}, ${?} and ${$} as literal characters", () => {
    const literal = { StringLike: { "aws:RequestTag/note": "${*}${?}${$}" } };
    expect(holds(literal, { "aws:RequestTag/note": "*?$" })).toBe(true);
    expect(holds(literal, { "aws:RequestTag/note": "ab$" })).toBe(false);
  });

  it("treats ${...} as literal text in a document without Version 2012-10-17", () => {
    const old = {
      Statement: [
        { Effect: "Allow" as const, Action: "s3:GetObject", Resource: "arn:aws:s3:::home/${aws:username}" },
      ],
    };
    expect(decide(old, "s3:GetObject", "arn:aws:s3:::home/${aws:username}", { "aws:username": "ana" })).toBe(
      "allow",
    );
    expect(decide(old, "s3:GetObject", "arn:aws:s3:::home/ana", { "aws:username": "ana" })).toBe(
      "implicit-deny",
    );
  });

  it("substitutes variables in Bool but refuses them in numeric operators", () => {
    expect(
      holds(
        { Bool: { "aws:SecureTransport": "${aws:RequestTag/tls}" } },
        { "aws:SecureTransport": true, "aws:RequestTag/tls": "true" },
      ),
    ).toBe(true);
    expect(() =>
      holds({ NumericEquals: { "s3:max-keys": "${aws:RequestTag/n}" } }, { "s3:max-keys": 1 }),
    ).toThrow(/which NumericEquals does not take/);
  });

  it("refuses a variable before the fifth colon of a Resource", () => {
    const account = doc({
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:${aws:RequestedRegion}::b/*",
    });
    expect(() => decide(account, "s3:GetObject", "arn:aws:s3:::b/x")).toThrow(/before the fifth colon/);
  });
});
