/**
 * Random small policies and requests, decided by `evaluate` and by a deliberately naive reference written here:
 * wildcards become regular expressions (the evaluator uses a dynamic-programming matcher over tokens), and the
 * decision is two plain loops. Small alphabets make matches, near misses and colons common.
 */
import fc from "fast-check";
import { isDeepStrictEqual } from "node:util";
import { evaluate, type PolicyStatement } from "../../../cli/plan/wiring/iam";

const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** A plain glob, `*` any run and `?` any one character; case-insensitive for actions, sensitive for StringLike. */
function globRegex(pattern: string, flags: "i" | ""): RegExp {
  const body = [...pattern]
    .map((c) => (c === "*" ? "[\\s\\S]*" : c === "?" ? "[\\s\\S]" : escape(c)))
    .join("");
  return new RegExp(`^${body}$`, flags);
}

/** Resource glob: `*` stays inside a colon segment unless it ends one; `?` never matches a colon. */
function resourceRegex(pattern: string): RegExp {
  const chars = [...pattern];
  const body = chars
    .map((c, i) => {
      if (c === "?") return "[^:]";
      if (c !== "*") return escape(c);
      const next = chars[i + 1];
      return next === undefined || next === ":" ? "[\\s\\S]*" : "[^:]*";
    })
    .join("");
  return new RegExp(`^${body}$`);
}

function listOf(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : typeof value === "string" ? [value] : value;
}

function referenceApplies(s: PolicyStatement, action: string, resource: string): boolean {
  const actionHit = (patterns: string[]) => patterns.some((p) => globRegex(p, "i").test(action));
  const resourceHit = (patterns: string[]) => patterns.some((p) => resourceRegex(p).test(resource));
  const actionOk = s.Action !== undefined ? actionHit(listOf(s.Action)) : !actionHit(listOf(s.NotAction));
  const resourceOk =
    s.Resource !== undefined ? resourceHit(listOf(s.Resource)) : !resourceHit(listOf(s.NotResource));
  return actionOk && resourceOk;
}

function reference(policies: PolicyStatement[][], action: string, resource: string) {
  const deny: string[] = [];
  const allow: string[] = [];
  policies.forEach((statements, p) => {
    statements.forEach((s, i) => {
      if (!referenceApplies(s, action, resource)) return;
      const id = `p${p}#${s.Sid ?? i}`;
      if (s.Effect === "Deny") deny.push(id);
      else allow.push(id);
    });
  });
  if (deny.length > 0) return { decision: "explicit-deny", decidedBy: deny };
  if (allow.length > 0) return { decision: "allow", decidedBy: allow };
  return { decision: "implicit-deny", decidedBy: [] };
}

/** Randomly upper-cases letters, so case-insensitivity of actions is exercised. */
const recased = (base: fc.Arbitrary<string>) =>
  fc
    .tuple(base, fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }))
    .map(([s, flips]) => [...s].map((c, i) => (flips[i % 16] ? c.toUpperCase() : c.toLowerCase())).join(""));

const actionName = fc.constantFrom(
  "s3:GetObject",
  "s3:PutObject",
  "s3:GetBucket",
  "ec2:RunInstances",
  "ec2:Run",
);

/** Turns a concrete string into a pattern by replacing some characters with `*` or `?`, dropping or swapping some. */
function wildcarded(base: fc.Arbitrary<string>, alphabet: string): fc.Arbitrary<string> {
  const edit = fc.constantFrom("keep", "keep", "keep", "star", "one", "drop", "swap");
  return fc
    .tuple(base, fc.array(edit, { minLength: 24, maxLength: 24 }), fc.constantFrom(...alphabet))
    .map(([s, edits, other]) =>
      [...s]
        .map((c, i) => {
          const e = edits[i % 24]!;
          return e === "star" ? "*" : e === "one" ? "?" : e === "drop" ? "" : e === "swap" ? other : c;
        })
        .join(""),
    );
}

/** What the parser accepts as an action (the property is about matching, not about rejecting). */
const validAction = (a: string) => /^(\*|[A-Za-z0-9*?-]+:[A-Za-z0-9*?-]+)$/.test(a);

const actionPattern = fc.oneof(
  fc.constant("*"),
  actionName,
  wildcarded(actionName, "s3:*?GetObjc").filter(validAction),
  actionName.map((a) => `${a.split(":")[0]}:*`),
);

// Resources over a tiny alphabet with colons and slashes in the resource part; patterns keep a valid ARN prefix
// (the service segment may not hold wildcards) and put wildcards before and after colons.
const tail = (alphabet: string[]) =>
  fc.array(fc.constantFrom(...alphabet), { maxLength: 6 }).map((cs) => cs.join(""));
const resource = fc.oneof(
  fc.constant("*"),
  fc
    .tuple(fc.constantFrom("arn:aws:s3:::", "arn:aws:ec2:us-east-1:1:"), tail(["a", "b", ":", "/"]))
    .map(([p, t]) => p + t),
);
const resourcePattern = fc.oneof(
  fc.constant("*"),
  resource,
  fc
    .tuple(
      fc.constantFrom(
        "arn:aws:s3:::",
        "arn:aws:s3:*",
        "arn:aws:ec2:us-east-1:1:",
        "arn:aws:ec2:*:1:",
        "arn:aws:ec2:us-east-?:*:",
        "arn:aws:ec2:us-east-1:*",
      ),
      tail(["a", "b", ":", "/", "*", "?"]),
    )
    .map(([p, t]) => p + t),
);

const statement: fc.Arbitrary<PolicyStatement> = fc
  .record({
    sid: fc.option(fc.constantFrom("A", "B", "C"), { nil: undefined }),
    effect: fc.constantFrom("Allow" as const, "Deny" as const),
    not: fc.record({ action: fc.boolean(), resource: fc.boolean() }),
    actions: fc.array(actionPattern, { minLength: 1, maxLength: 3 }),
    resources: fc.array(resourcePattern, { minLength: 1, maxLength: 3 }),
    single: fc.boolean(),
  })
  .map(({ sid, effect, not, actions, resources, single }) => {
    const a = single ? actions[0]! : actions;
    const r = single ? resources[0]! : resources;
    return {
      ...(sid !== undefined ? { Sid: sid } : {}),
      Effect: effect,
      ...(not.action ? { NotAction: a } : { Action: a }),
      ...(not.resource ? { NotResource: r } : { Resource: r }),
    };
  });

// Sids must be unique within a policy: a repeated one is dropped.
const policy = fc
  .array(statement, { minLength: 1, maxLength: 4 })
  .map((ss) => ss.map((s, i) => (ss.findIndex((t) => t.Sid === s.Sid) !== i ? { ...s, Sid: undefined } : s)));

describe("evaluate agrees with a naive reference", () => {
  it("on random policies of wildcards, Deny, NotAction and NotResource", () => {
    fc.assert(
      fc.property(
        fc.array(policy, { minLength: 1, maxLength: 2 }),
        recased(actionName),
        resource,
        (policies, action, target) => {
          const documents = policies.map((Statement, p) => ({
            label: `p${p}`,
            document: { Version: "2012-10-17", Statement },
          }));
          return isDeepStrictEqual(
            evaluate(documents, { action, resource: target }),
            reference(policies, action, target),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("on random patterns matched directly against random resources", () => {
    fc.assert(
      fc.property(resourcePattern, resource, (pattern, target) => {
        const document = {
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow" as const, Action: "s3:GetObject", Resource: pattern }],
        };
        const allowed =
          evaluate([{ label: "p", document }], { action: "s3:GetObject", resource: target }).decision ===
          "allow";
        return allowed === resourceRegex(pattern).test(target);
      }),
      { numRuns: 500 },
    );
  });
});

// The condition rules for a string key, written as a truth table from "Condition operators" and "Conditions
// with multiple context keys or values" rather than the evaluator's structure.
function referenceCondition(
  operator: string,
  values: string[],
  request: string | string[] | undefined,
): boolean {
  const qualifier = operator.startsWith("ForAllValues:")
    ? "all"
    : operator.startsWith("ForAnyValue:")
      ? "any"
      : "single";
  const base = operator.replace(/^For(AllValues|AnyValue):/, "");
  const ifExists = base.endsWith("IfExists");
  const name = base.replace(/IfExists$/, "");
  const negated = name.includes("Not");
  const like = name.endsWith("Like");
  const hit = (r: string) => values.some((v) => (like ? globRegex(v, "").test(r) : v === r));
  const test = (r: string) => (negated ? !hit(r) : hit(r));
  const set =
    request === undefined
      ? []
      : typeof request === "string"
        ? request === "" && qualifier !== "single"
          ? []
          : [request]
        : request;
  if (qualifier === "all") return set.length === 0 ? true : set.every(test);
  if (qualifier === "any") return set.length === 0 ? ifExists : set.some(test);
  if (set.length === 0) return ifExists || negated;
  return test(set[0]!);
}

describe("conditions agree with a truth-table reference", () => {
  const operator = fc
    .tuple(
      fc.constantFrom("", "ForAllValues:", "ForAnyValue:"),
      fc.constantFrom("StringEquals", "StringNotEquals", "StringLike", "StringNotLike"),
      fc.constantFrom("", "IfExists"),
    )
    .map(([q, op, ifExists]) => `${q}${op}${ifExists}`);
  const word = fc.array(fc.constantFrom("a", "b", "A"), { maxLength: 3 }).map((cs) => cs.join(""));
  const value = fc.oneof(word, wildcarded(word, "ab*?"));

  it("for the string operators with and without set qualifiers, IfExists, absent and empty keys", () => {
    fc.assert(
      fc.property(
        operator,
        fc.array(value, { minLength: 1, maxLength: 3 }),
        fc.option(fc.oneof(word, fc.array(word, { maxLength: 3 })), { nil: undefined }),
        (op, values, request) => {
          const single = !op.startsWith("For");
          fc.pre(!(single && Array.isArray(request) && request.length > 1));
          const document = {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow" as const,
                Action: "s3:GetObject",
                Resource: "*",
                Condition: { [op]: { "aws:RequestTag/k": values } },
              },
            ],
          };
          const context = request === undefined ? undefined : { "aws:requesttag/K": request };
          const allowed =
            evaluate([{ label: "p", document }], { action: "s3:GetObject", resource: "*", context })
              .decision === "allow";
          const normalised = Array.isArray(request) && single ? request[0] : request;
          return allowed === referenceCondition(op, values, normalised);
        },
      ),
      { numRuns: 500 },
    );
  });
});
