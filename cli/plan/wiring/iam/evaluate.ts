/**
 * Deciding one request against a role's identity-based policies.
 *
 * Documented rules implemented here and in conditions.ts/match.ts (AWS IAM User Guide, page titles):
 *
 * "Policy evaluation logic"
 * - Every request starts implicitly denied; an applicable Deny in any policy is final (explicit deny); otherwise
 *   an applicable Allow allows; otherwise the implicit deny stands. Only identity-based policies are modelled
 *   (no SCPs, boundaries, session or resource policies).
 *
 * "IAM JSON policy elements: Action" / "NotAction"
 * - Service prefix and action name are case-insensitive; `*` and `?` are wildcards. NotAction applies a
 *   statement to every action except those listed.
 *
 * "IAM JSON policy elements: Resource" / "NotResource"
 * - A statement has exactly one of Resource and NotResource; matching is case-sensitive; `*` and `?` are
 *   wildcards within the colon-separated segments of an ARN, `*` may span `/`, and a `*` that is the last
 *   character of a segment may expand past the colon boundaries. `?` never matches `:`. NotResource applies a
 *   statement to every resource except those listed.
 *
 * "IAM JSON policy elements: Principal"
 * - Identity-based policies cannot have a Principal (reported as a problem).
 *
 * "IAM JSON policy elements: Condition" / "Condition operators"
 * - Condition key names are case-insensitive (also the tag-key part of aws:ResourceTag/...); value case depends
 *   on the operator. A key absent from the request makes the condition false, except that a negated operator
 *   (StringNotEquals, ArnNotLike, ...) is then true, `...IfExists` is then true, and `Null` tests presence
 *   (`true`: absent). IfExists cannot be added to Null. StringLike/StringNotLike and the Arn operators take `*`
 *   and `?`; ArnEquals and ArnLike behave identically and check each of the six ARN components separately.
 *   Bool compares with "true"/"false". An IP address without a prefix is a /32. Numeric, IP, Date, Binary and
 *   Null operators take no policy variables.
 *
 * "Conditions with multiple context keys or values" / "Single-valued vs. multivalued context keys"
 * - Operators in a block AND, keys under one operator AND, several values of one key OR; for a negated operator
 *   the values NOR (the request value must match none). ForAllValues: every request value must satisfy the
 *   operator, and it is true when the key is absent or its values are an empty set or empty string.
 *   ForAnyValue: at least one must, and it is false for an absent key or an empty set.
 *
 * "IAM policy elements: Variables and tags"
 * - `${key}` is replaced by the request's value of a single-valued key (names case-insensitive); only in
 *   documents of Version 2012-10-17 (elsewhere it is literal text); in Resource only after the fifth colon; in
 *   conditions only for string, ARN and Bool operators. `${key, 'default'}` supplies a default. `${*}`, `${?}`,
 *   `${$}` stand for a literal `*`, `?`, `$`. A variable with no value makes its element match nothing: a
 *   Resource entry matches no resource, a positive operator's value matches no request value, and a negated
 *   operator therefore matches.
 *
 * Choices where the pages are silent (each tested): a substituted value is literal text (its `*` is not a
 * wildcard); a request that gives a multivalued key several values to an operator without a set qualifier, or
 * an IPv6 address, is refused with an error rather than guessed at; a policy with any problem `parsePolicy`
 * reports (unknown or unsupported operator, malformed statement) is refused with an error, never half-evaluated.
 */
import { conditionHolds } from "./conditions";
import { compile, matchTokens, resourcePortionStart, type ContextLookup } from "./match";
import { parsePolicy } from "./parse";
import type { ContextValue, Evaluation, IamRequest, LabelledPolicy, ParsedStatement } from "./types";
import { InputError, throwIfProblems } from "../../../../components/core";

/** A case-insensitive view of the request context; throws when two keys differ only by case. */
function contextLookup(context: Readonly<Record<string, ContextValue>> | undefined): ContextLookup {
  const byKey = new Map<string, ContextValue>();
  const written = new Map<string, string>();
  for (const [key, value] of Object.entries(context ?? {})) {
    const lower = key.toLowerCase();
    const earlier = written.get(lower);
    if (earlier !== undefined) {
      throw new InputError("the IAM request", [
        {
          path: `context.${key}`,
          value: value,
          rule: `repeats \`${earlier}\`: context keys are case-insensitive`,
          fix: "give each key once",
        },
      ]);
    }
    written.set(lower, key);
    byKey.set(lower, value);
  }
  return (key) => byKey.get(key.toLowerCase());
}

function matchesAction(pattern: string, action: string): boolean {
  const tokens = compile(pattern.toLowerCase(), {
    wildcards: true,
    variablesFrom: Infinity,
    lookup: () => undefined,
  })!;
  return matchTokens(tokens, action.toLowerCase(), false);
}

function matchesResource(
  pattern: string,
  resource: string,
  lookup: ContextLookup,
  variables: boolean,
): boolean {
  const variablesFrom = variables ? resourcePortionStart(pattern) : Infinity;
  const tokens = compile(pattern, { wildcards: true, variablesFrom, lookup });
  return tokens !== undefined && matchTokens(tokens, resource, true);
}

/** Whether a statement applies to the request: its action, its resource and every condition match. */
function applies(statement: ParsedStatement, request: IamRequest, lookup: ContextLookup): boolean {
  const action = statement.actions
    ? statement.actions.some((a) => matchesAction(a, request.action))
    : !statement.notActions!.some((a) => matchesAction(a, request.action));
  if (!action) return false;
  const { variables } = statement;
  const resource = statement.resources
    ? statement.resources.some((r) => matchesResource(r, request.resource, lookup, variables))
    : !statement.notResources!.some((r) => matchesResource(r, request.resource, lookup, variables));
  return resource && statement.conditions.every((c) => conditionHolds(c, lookup, variables));
}

/** Identity-based policies only (the role's inline and attached documents, each with a label for messages). */
export function evaluate(policies: readonly LabelledPolicy[], request: IamRequest): Evaluation {
  throwIfProblems("the IAM request", [
    ...(/^[A-Za-z0-9-]+:[A-Za-z0-9-]+$/.test(request.action)
      ? []
      : [{ path: "action", value: request.action, rule: 'must be "<service>:<action>"' }]),
    ...(request.resource === ""
      ? [{ path: "resource", value: "", rule: "must not be empty", fix: "use an ARN, or * for none" }]
      : []),
  ]);
  const parsed = policies.map(parsePolicy);
  const problems = parsed.flatMap((p) => p.problems);
  if (problems.length > 0) {
    throw new Error(
      `Cannot evaluate ${request.action}: the policies have ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
  const lookup = contextLookup(request.context);
  const denied: string[] = [];
  const allowed: string[] = [];
  for (const statement of parsed.flatMap((p) => p.statements)) {
    if (applies(statement, request, lookup))
      (statement.effect === "Deny" ? denied : allowed).push(statement.id);
  }
  if (denied.length > 0) return { decision: "explicit-deny", decidedBy: denied };
  if (allowed.length > 0) return { decision: "allow", decidedBy: allowed };
  return { decision: "implicit-deny", decidedBy: [] };
}
