/**
 * Condition operators, several keys and values, and set operators, each with a case taken from
 * the AWS IAM User Guide ("IAM JSON policy elements: Condition operators", "IAM JSON policy elements: Condition",
 * "Conditions with multiple context keys or values", "Multivalued context keys examples").
 */
import { decide, doc, holds } from "./support";

describe("conditions: keys, values and case", () => {
  it("reads condition key names case-insensitively but compares StringEquals values case-sensitively", () => {
    const johndoe = { StringEquals: { "aws:username": "johndoe" } };
    expect(holds(johndoe, { "AWS:UserName": "johndoe" })).toBe(true);
    expect(holds(johndoe, { "aws:username": "JohnDoe" })).toBe(false);
  });

  it("matches johndoe and JohnDoe with StringEqualsIgnoreCase", () => {
    const either = { StringEqualsIgnoreCase: { "aws:username": "johndoe" } };
    expect(holds(either, { "aws:username": "JohnDoe" })).toBe(true);
    expect(holds(either, { "aws:username": "janedoe" })).toBe(false);
  });

  it('matches the tag-key part of aws:ResourceTag/TagKey1 case-insensitively ("TagKey1 or tagkey1")', () => {
    expect(
      holds(
        { StringEquals: { "aws:ResourceTag/TagKey1": "Value1" } },
        { "aws:resourcetag/tagkey1": "Value1" },
      ),
    ).toBe(true);
  });

  it("refuses a request context with two keys that differ only by case", () => {
    expect(() =>
      holds({ StringEquals: { "aws:username": "a" } }, { "aws:username": "a", "AWS:UserName": "b" }),
    ).toThrow(
      "Invalid input in the IAM request (1 problem):\n" +
        '  - `context.AWS:UserName`: got "b"; repeats `aws:username`: context keys are case-insensitive; fix: give each key once',
    );
  });

  it('is false when the key is absent ("the values do not match and the condition is false")', () => {
    // The aws:PrincipalTag/job-category example: a user without the tag is implicitly denied.
    const policy = doc({
      Effect: "Allow",
      Action: "iam:*AccessKey*",
      Resource: "arn:aws:iam::111122223333:user/*",
      Condition: { StringEquals: { "aws:PrincipalTag/job-category": "iamuser-admin" } },
    });
    const user = "arn:aws:iam::111122223333:user/ana";
    expect(
      decide(policy, "iam:CreateAccessKey", user, { "aws:PrincipalTag/job-category": "iamuser-admin" }),
    ).toBe("allow");
    expect(decide(policy, "iam:CreateAccessKey", user)).toBe("implicit-deny");
  });

  it("is true for a negated operator when the key is absent, as the Condition operators page says", () => {
    // "If the policy condition requires that the key is not matched, such as StringNotLike or ArnNotLike, and the
    // right key is not present, the condition is true."
    expect(holds({ StringNotLike: { "aws:PrincipalTag/team": "red*" } })).toBe(true);
    expect(holds({ ArnNotLike: { "aws:SourceArn": "arn:aws:sns:*:*:alerts" } })).toBe(true);
    expect(holds({ StringNotEquals: { "aws:PrincipalTag/team": "red" } })).toBe(true);
    expect(holds({ NumericNotEquals: { "s3:max-keys": "10" } })).toBe(true);
  });

  it("ANDs operators and keys and ORs the values of one key (the department/role/account example)", () => {
    const condition = {
      StringEqualsIgnoreCase: {
        "aws:PrincipalTag/department": ["finance", "hr", "legal"],
        "aws:PrincipalTag/role": ["audit", "security"],
      },
      StringEquals: { "aws:PrincipalAccount": "123456789012" },
    };
    const context = {
      "aws:PrincipalTag/department": "HR",
      "aws:PrincipalTag/role": "audit",
      "aws:PrincipalAccount": "123456789012",
    };
    expect(holds(condition, context)).toBe(true);
    expect(holds(condition, { ...context, "aws:PrincipalTag/department": "sales" })).toBe(false);
    expect(holds(condition, { ...context, "aws:PrincipalAccount": "999999999999" })).toBe(false);
    const withoutRole: Record<string, string> = { ...context };
    delete withoutRole["aws:PrincipalTag/role"];
    expect(holds(condition, withoutRole)).toBe(false);
  });

  it("NORs the values of a negated operator: the request value must match none of them", () => {
    const notEither = { StringNotEquals: { "aws:PrincipalAccount": ["111122223333", "444455556666"] } };
    expect(holds(notEither, { "aws:PrincipalAccount": "111122223333" })).toBe(false);
    expect(holds(notEither, { "aws:PrincipalAccount": "444455556666" })).toBe(false);
    expect(holds(notEither, { "aws:PrincipalAccount": "999999999999" })).toBe(true);
  });

  it("refuses several request values for an operator without a set qualifier", () => {
    expect(() => holds({ StringEquals: { "aws:TagKeys": "a" } }, { "aws:TagKeys": ["a", "b"] })).toThrow(
      "Invalid input in the IAM request (1 problem):\n" +
        '  - `context.aws:TagKeys`: got ["a","b"]; has 2 values, which `StringEquals` cannot compare: a multivalued key needs ForAllValues: or ForAnyValue:',
    );
    expect(holds({ StringEquals: { "aws:TagKeys": "a" } }, { "aws:TagKeys": ["a"] })).toBe(true);
  });
});

describe("conditions: string and ARN operators", () => {
  // The home-directory example: s3:prefix is "", "home/" or under home/<username>/.
  const home = { StringLike: { "s3:prefix": ["", "home/", "home/${aws:username}/*"] } };

  it("matches StringLike wildcards and substitutes ${aws:username}", () => {
    expect(holds(home, { "s3:prefix": "home/janedoe/notes/", "aws:username": "janedoe" })).toBe(true);
    expect(holds(home, { "s3:prefix": "", "aws:username": "janedoe" })).toBe(true);
    expect(holds(home, { "s3:prefix": "home/", "aws:username": "janedoe" })).toBe(true);
    expect(holds(home, { "s3:prefix": "home/bob/notes/", "aws:username": "janedoe" })).toBe(false);
  });

  it("compares StringLike values case-sensitively", () => {
    expect(holds(home, { "s3:prefix": "home/JaneDoe/x", "aws:username": "janedoe" })).toBe(false);
  });

  it("matches ? with exactly one character in StringLike", () => {
    const t = { StringLike: { "ec2:InstanceType": "t?.*" } };
    expect(holds(t, { "ec2:InstanceType": "t3.micro" })).toBe(true);
    expect(holds(t, { "ec2:InstanceType": "t3a.micro" })).toBe(false);
  });

  it("treats * literally in StringEquals", () => {
    const star = { StringEquals: { "aws:RequestTag/owner": "*" } };
    expect(holds(star, { "aws:RequestTag/owner": "anyone" })).toBe(false);
    expect(holds(star, { "aws:RequestTag/owner": "*" })).toBe(true);
  });

  it("matches the User Guide's finance/* value with StringLike but not with ArnLike", () => {
    const pattern = "arn:aws:someservice:*:111122223333:finance/*";
    const value = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt";
    expect(holds({ StringLike: { "aws:SourceArn": pattern } }, { "aws:SourceArn": value })).toBe(true);
    expect(holds({ ArnLike: { "aws:SourceArn": pattern } }, { "aws:SourceArn": value })).toBe(false);
  });

  it("checks each ARN component with wildcards in ArnEquals and ArnLike alike", () => {
    const topic = "arn:aws:sns:us-east-1:123456789012:alerts";
    for (const operator of ["ArnEquals", "ArnLike"]) {
      expect(
        holds(
          { [operator]: { "aws:SourceArn": "arn:aws:sns:*:123456789012:alerts" } },
          { "aws:SourceArn": topic },
        ),
      ).toBe(true);
    }
    expect(
      holds(
        { ArnNotLike: { "aws:SourceArn": "arn:aws:sns:*:123456789012:alerts" } },
        { "aws:SourceArn": topic },
      ),
    ).toBe(false);
    expect(
      holds({ ArnLike: { "aws:SourceArn": "arn:aws:sns:*:*:*" } }, { "aws:SourceArn": "not-an-arn" }),
    ).toBe(false);
  });
});

describe("conditions: IfExists and Null", () => {
  // The StringLikeIfExists example on ec2:InstanceType.
  const types = { StringLikeIfExists: { "ec2:InstanceType": ["t1.*", "t2.*", "m3.*"] } };

  it("checks an IfExists key only when present", () => {
    expect(holds(types, { "ec2:InstanceType": "m3.large" })).toBe(true);
    expect(holds(types, { "ec2:InstanceType": "c5.large" })).toBe(false);
    expect(holds(types)).toBe(true);
  });

  it("still denies with a negated IfExists Deny when the tag is missing", () => {
    const policy = doc(
      { Effect: "Allow", Action: "ec2:*", Resource: "*" },
      {
        Effect: "Deny",
        Action: "ec2:*",
        Resource: "*",
        Condition: { StringNotEqualsIfExists: { "aws:ResourceTag/team": "blue" } },
      },
    );
    expect(decide(policy, "ec2:StopInstances", "*")).toBe("explicit-deny");
    expect(decide(policy, "ec2:StopInstances", "*", { "aws:ResourceTag/team": "red" })).toBe("explicit-deny");
    expect(decide(policy, "ec2:StopInstances", "*", { "aws:ResourceTag/team": "blue" })).toBe("allow");
  });

  it('is true for Null "true" only when the key is absent (the aws:TokenIssueTime example)', () => {
    const noToken = { Null: { "aws:TokenIssueTime": "true" } };
    expect(holds(noToken)).toBe(true);
    expect(holds(noToken, { "aws:TokenIssueTime": "2026-10-19T09:00:00Z" })).toBe(false);
  });

  it('is true for Null "false" only when the key is present with a value', () => {
    const present = { Null: { "aws:RequestTag/owner": false } };
    expect(holds(present, { "aws:RequestTag/owner": "ana" })).toBe(true);
    expect(holds(present)).toBe(false);
    expect(holds(present, { "aws:RequestTag/owner": "" })).toBe(false);
  });
});

describe("conditions: ForAllValues and ForAnyValue", () => {
  // The DynamoDB Thread table example.
  const onlyThese = { "ForAllValues:StringEquals": { "dynamodb:Attributes": ["ID", "Message", "Tags"] } };

  it("holds ForAllValues when every request value is listed", () => {
    expect(holds(onlyThese, { "dynamodb:Attributes": ["ID", "Message", "Tags"] })).toBe(true);
    expect(holds(onlyThese, { "dynamodb:Attributes": ["ID", "UserName"] })).toBe(false);
  });

  it("holds ForAllValues when the key is absent or empty, as documented", () => {
    expect(holds(onlyThese)).toBe(true);
    expect(holds(onlyThese, { "dynamodb:Attributes": [] })).toBe(true);
    expect(holds(onlyThese, { "dynamodb:Attributes": "" })).toBe(true);
  });

  it("denies PutItem on ID or PostDateTime with a ForAnyValue Deny, and not for an absent key", () => {
    const policy = doc(
      { Effect: "Allow", Action: "dynamodb:PutItem", Resource: "*" },
      {
        Effect: "Deny",
        Action: "dynamodb:PutItem",
        Resource: "*",
        Condition: { "ForAnyValue:StringEquals": { "dynamodb:Attributes": ["ID", "PostDateTime"] } },
      },
    );
    const put = (attributes?: string[]) =>
      decide(policy, "dynamodb:PutItem", "*", attributes ? { "dynamodb:Attributes": attributes } : undefined);
    expect(put(["PostDateTime", "Message"])).toBe("explicit-deny");
    expect(put(["Message"])).toBe("allow");
    expect(put([])).toBe("allow");
    expect(put()).toBe("allow");
  });

  it('matches the "ForAllValues:StringNotLike" aws:TagKeys key1* table row by row', () => {
    const notKey1 = { "ForAllValues:StringNotLike": { "aws:TagKeys": "key1*" } };
    expect(holds(notKey1, { "aws:TagKeys": ["key1:legal"] })).toBe(false);
    expect(holds(notKey1, { "aws:TagKeys": ["key1:hr", "key1:personnel"] })).toBe(false);
    expect(holds(notKey1, { "aws:TagKeys": ["key2:audit"] })).toBe(true);
    expect(holds(notKey1)).toBe(true);
  });

  it("reads a single request value as a one-member set", () => {
    expect(holds(onlyThese, { "dynamodb:Attributes": "Tags" })).toBe(true);
    expect(
      holds({ "ForAnyValue:StringLike": { "aws:TagKeys": "team*" } }, { "aws:TagKeys": "teamname" }),
    ).toBe(true);
  });
});

describe("conditions: Bool, numeric and IP address operators", () => {
  it('compares Bool with the string "false" against a boolean or string request value', () => {
    const policy = doc(
      { Effect: "Allow", Action: "s3:*", Resource: "*" },
      {
        Sid: "BooleanExample",
        Effect: "Deny",
        Action: "s3:*",
        Resource: "*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    );
    expect(decide(policy, "s3:GetObject", "*", { "aws:SecureTransport": false })).toBe("explicit-deny");
    expect(decide(policy, "s3:GetObject", "*", { "aws:SecureTransport": "false" })).toBe("explicit-deny");
    expect(decide(policy, "s3:GetObject", "*", { "aws:SecureTransport": true })).toBe("allow");
    expect(holds({ Bool: { "aws:SecureTransport": true } }, { "aws:SecureTransport": "true" })).toBe(true);
  });

  it("compares numbers: s3:max-keys NumericLessThanEquals 10", () => {
    const max = { NumericLessThanEquals: { "s3:max-keys": "10" } };
    expect(holds(max, { "s3:max-keys": 10 })).toBe(true);
    expect(holds(max, { "s3:max-keys": "7" })).toBe(true);
    expect(holds(max, { "s3:max-keys": 11 })).toBe(false);
    expect(holds(max, { "s3:max-keys": "ten" })).toBe(false);
    expect(holds(max)).toBe(false);
  });

  it("implements each numeric comparison, with NumericNotEquals NOR-ing its values", () => {
    const at = (operator: string, value: number) =>
      holds({ [operator]: { "s3:max-keys": 5 } }, { "s3:max-keys": value });
    expect([at("NumericEquals", 5), at("NumericEquals", 6)]).toEqual([true, false]);
    expect([at("NumericLessThan", 4), at("NumericLessThan", 5)]).toEqual([true, false]);
    expect([at("NumericGreaterThan", 6), at("NumericGreaterThan", 5)]).toEqual([true, false]);
    expect([at("NumericGreaterThanEquals", 5), at("NumericGreaterThanEquals", 4)]).toEqual([true, false]);
    const neither = { NumericNotEquals: { "s3:max-keys": [5, 6] } };
    expect([5, 6, 7].map((n) => holds(neither, { "s3:max-keys": n }))).toEqual([false, false, true]);
  });

  it("matches IPv4 CIDR ranges and reads a bare address as /32", () => {
    const office = { IpAddress: { "aws:SourceIp": ["203.0.113.0/24", "198.51.100.7"] } };
    expect(holds(office, { "aws:SourceIp": "203.0.113.200" })).toBe(true);
    expect(holds(office, { "aws:SourceIp": "198.51.100.7" })).toBe(true);
    expect(holds(office, { "aws:SourceIp": "198.51.100.8" })).toBe(false);
    expect(
      holds({ NotIpAddress: { "aws:SourceIp": "203.0.113.0/24" } }, { "aws:SourceIp": "192.0.2.1" }),
    ).toBe(true);
    expect(
      holds({ NotIpAddress: { "aws:SourceIp": "203.0.113.0/24" } }, { "aws:SourceIp": "203.0.113.9" }),
    ).toBe(false);
  });

  it("refuses an IPv6 request address rather than guessing", () => {
    expect(() =>
      holds({ IpAddress: { "aws:SourceIp": "203.0.113.0/24" } }, { "aws:SourceIp": "2001:db8::1" }),
    ).toThrow(
      "Invalid input in the IAM request (1 problem):\n" +
        '  - `context.aws:SourceIp`: got "2001:db8::1"; is an IPv6 address, which `IpAddress` here does not support',
    );
  });
});

describe("conditions: operators the evaluator does not know", () => {
  it.each([
    ["StringEqual", /`StringEqual` is not a condition operator/],
    ["stringequals", /did you mean `StringEquals`/],
    ["DateLessThan", /AWS operator this evaluator does not support/],
    ["NullIfExists", /IfExists cannot be added to Null/],
  ])("throws on %s with a message that says so", (operator, message) => {
    expect(() => holds({ [operator]: { "aws:username": "a" } }, { "aws:username": "a" })).toThrow(message);
  });
});
