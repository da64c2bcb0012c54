/**
 * Condition operators: parsing their names, checking their values, and deciding one `operator: { key: values }`
 * pair against a request context. The rules and the doc pages they come from are listed in evaluate.ts.
 */
import {
  compile,
  findVariables,
  literalText,
  matchArn,
  matchTokens,
  parseVariable,
  splitArn,
  type ContextLookup,
} from "./match";
import type { ConditionOperator, ContextValue, ParsedCondition, SetQualifier } from "./types";
import { InputError } from "../../../../components/core";

type Family = "string" | "arn" | "bool" | "numeric" | "ip" | "null";

interface OperatorSpec {
  readonly family: Family;
  /** Negated operators match when the request value matches none of the policy's values. */
  readonly negated: boolean;
  /** String operators: whether `*`/`?` are wildcards, whether case is ignored. */
  readonly like?: boolean;
  readonly ignoreCase?: boolean;
  /** Numeric operators: the comparison of request value `r` with policy value `p`. */
  readonly compare?: (r: number, p: number) => boolean;
}

/** The operators this evaluator implements, by base name (without set qualifier and `IfExists`). */
export const OPERATORS = {
  StringEquals: { family: "string", negated: false },
  StringNotEquals: { family: "string", negated: true },
  StringEqualsIgnoreCase: { family: "string", negated: false, ignoreCase: true },
  StringNotEqualsIgnoreCase: { family: "string", negated: true, ignoreCase: true },
  StringLike: { family: "string", negated: false, like: true },
  StringNotLike: { family: "string", negated: true, like: true },
  ArnEquals: { family: "arn", negated: false },
  ArnLike: { family: "arn", negated: false },
  ArnNotEquals: { family: "arn", negated: true },
  ArnNotLike: { family: "arn", negated: true },
  Bool: { family: "bool", negated: false },
  NumericEquals: { family: "numeric", negated: false, compare: (r, p) => r === p },
  NumericNotEquals: { family: "numeric", negated: true, compare: (r, p) => r === p },
  NumericLessThan: { family: "numeric", negated: false, compare: (r, p) => r < p },
  NumericLessThanEquals: { family: "numeric", negated: false, compare: (r, p) => r <= p },
  NumericGreaterThan: { family: "numeric", negated: false, compare: (r, p) => r > p },
  NumericGreaterThanEquals: { family: "numeric", negated: false, compare: (r, p) => r >= p },
  IpAddress: { family: "ip", negated: false },
  NotIpAddress: { family: "ip", negated: true },
  Null: { family: "null", negated: false },
} as const satisfies Record<string, OperatorSpec>;

export type OperatorName = keyof typeof OPERATORS;

/** AWS operators this evaluator does not implement: policies using them are refused, never guessed at. */
const UNSUPPORTED = [
  "DateEquals",
  "DateNotEquals",
  "DateLessThan",
  "DateLessThanEquals",
  "DateGreaterThan",
  "DateGreaterThanEquals",
  "BinaryEquals",
];

const QUALIFIERS: readonly SetQualifier[] = ["ForAllValues", "ForAnyValue"];

function spec(operator: ConditionOperator): OperatorSpec {
  return OPERATORS[operator.base as OperatorName];
}

/** Splits an operator name; a string (the problem, as a sentence fragment) when it is not one we implement. */
export function parseOperator(name: string): ConditionOperator | string {
  let qualifier: SetQualifier = "single";
  let rest = name;
  for (const q of QUALIFIERS) {
    if (name.startsWith(`${q}:`)) {
      qualifier = q;
      rest = name.slice(q.length + 1);
    }
  }
  const ifExists = rest.endsWith("IfExists") && rest !== "IfExists";
  const base = ifExists ? rest.slice(0, -"IfExists".length) : rest;
  if (Object.hasOwn(OPERATORS, base)) {
    if (base === "Null" && ifExists)
      return `\`${name}\` is not an operator: IfExists cannot be added to Null`;
    if (base === "Null" && qualifier !== "single") {
      return `\`${name}\` is not supported: Null takes no set qualifier`;
    }
    return { name, qualifier, base, ifExists };
  }
  if (UNSUPPORTED.includes(base)) return `\`${name}\` is an AWS operator this evaluator does not support`;
  const near = Object.keys(OPERATORS).find((known) => known.toLowerCase() === base.toLowerCase());
  return `\`${name}\` is not a condition operator${near ? ` (did you mean \`${near}\`?)` : ""}`;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipv4(text: string): number | undefined {
  const m = IPV4.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return octets.reduce((acc, o) => acc * 256 + o, 0);
}

/** An IPv4 CIDR, or a bare address (which IAM reads as /32). */
function cidr(text: string): { base: number; bits: number } | undefined {
  const [address, prefix, extra] = text.split("/");
  if (extra !== undefined || address === undefined) return undefined;
  const base = ipv4(address);
  const bits = prefix === undefined ? 32 : /^\d{1,2}$/.test(prefix) ? Number(prefix) : NaN;
  if (base === undefined || !(bits >= 0 && bits <= 32)) return undefined;
  return { base, bits };
}

function inCidr(address: number, range: { base: number; bits: number }): boolean {
  const size = 2 ** (32 - range.bits);
  return Math.floor(address / size) === Math.floor(range.base / size);
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function numeric(text: string): number | undefined {
  return NUMBER.test(text.trim()) ? Number(text) : undefined;
}

/** Problems with one condition's values (sentence fragments); empty when it can be evaluated. */
export function conditionValueProblems(condition: ParsedCondition, variables: boolean): string[] {
  const { operator, key, values } = condition;
  const family = spec(operator).family;
  const where = `\`${operator.name}\` on \`${key}\``;
  const problems: string[] = [];
  for (const value of values) {
    const uses = variables ? findVariables(value) : [];
    const hasVariable = uses.length > 0;
    const malformed = uses.find((use) => "malformed" in parseVariable(use.body));
    if (malformed !== undefined) {
      problems.push(
        `${where} has the malformed policy variable \`\${${malformed.body}}\` in ${JSON.stringify(value)}`,
      );
      continue;
    }
    if (hasVariable && (family === "numeric" || family === "ip" || family === "null")) {
      problems.push(
        `${where} uses the policy variable in ${JSON.stringify(value)}, which ${operator.base} does not take`,
      );
      continue;
    }
    if (family === "null" && !/^(true|false)$/i.test(value)) {
      problems.push(`${where} has the value ${JSON.stringify(value)}; Null takes "true" or "false"`);
    } else if (family === "bool" && !hasVariable && !/^(true|false)$/i.test(value)) {
      problems.push(`${where} has the value ${JSON.stringify(value)}; Bool takes "true" or "false"`);
    } else if (family === "numeric" && numeric(value) === undefined) {
      problems.push(`${where} has the value ${JSON.stringify(value)}, which is not a number`);
    } else if (family === "ip" && cidr(value) === undefined) {
      problems.push(
        `${where} has the value ${JSON.stringify(value)}, which is not an IPv4 address or CIDR (IPv6 is not supported)`,
      );
    } else if (family === "arn" && !hasVariable && splitArn(value) === undefined) {
      problems.push(
        `${where} has the value ${JSON.stringify(value)}, which is not an ARN (arn:partition:service:region:account:resource)`,
      );
    }
  }
  return problems;
}

/**
 * A predicate "the request value matches this policy value" for the operator's positive form. A value whose
 * variable has no value matches nothing ("IAM policy elements: Variables and tags").
 */
function positiveMatcher(
  operator: ConditionOperator,
  key: string,
  value: string,
  lookup: ContextLookup,
  variables: boolean,
): (r: string) => boolean {
  const s = spec(operator);
  const variablesFrom =
    variables && (s.family === "string" || s.family === "arn" || s.family === "bool") ? 0 : Infinity;
  switch (s.family) {
    case "string": {
      const tokens = compile(value, { wildcards: s.like === true, variablesFrom, lookup });
      if (tokens === undefined) return () => false;
      if (s.like) return (r) => matchTokens(tokens, r, false);
      const text = literalText(tokens);
      return s.ignoreCase ? (r) => r.toLowerCase() === text.toLowerCase() : (r) => r === text;
    }
    case "arn": {
      const tokens = compile(value, { wildcards: true, variablesFrom, lookup });
      return tokens === undefined ? () => false : (r) => matchArn(tokens, r);
    }
    case "bool": {
      const tokens = compile(value, { wildcards: false, variablesFrom, lookup });
      if (tokens === undefined) return () => false;
      const text = literalText(tokens).toLowerCase();
      return (r) => r.toLowerCase() === text;
    }
    case "numeric": {
      const p = numeric(value);
      const compare = s.compare!;
      return (r) => {
        const n = numeric(r);
        return p !== undefined && n !== undefined && compare(n, p);
      };
    }
    case "ip": {
      const range = cidr(value);
      return (r) => {
        if (r.includes(":")) {
          throw new InputError("the IAM request", [
            {
              path: `context.${key}`,
              value: r,
              rule: `is an IPv6 address, which \`${operator.name}\` here does not support`,
            },
          ]);
        }
        const address = ipv4(r);
        return range !== undefined && address !== undefined && inCidr(address, range);
      };
    }
    case "null":
      throw new Error("Null is decided by presence, not by value");
  }
}

function asStrings(value: ContextValue): string[] {
  return typeof value === "object" ? [...value] : [String(value)];
}

/** Whether the key is null for the Null operator: absent, an empty string, or an empty set. */
function isNull(value: ContextValue | undefined): boolean {
  return value === undefined || value === "" || (typeof value === "object" && value.length === 0);
}

/**
 * Decides one condition. Missing keys: false, except negated operators (true), `...IfExists` (true), `Null`
 * (by its value), `ForAllValues:` (true) and `ForAnyValue:` (false). Multiple policy values are OR-ed; for a
 * negated operator the request value must match none of them.
 */
export function conditionHolds(
  condition: ParsedCondition,
  lookup: ContextLookup,
  variables: boolean,
): boolean {
  const { operator, key, values } = condition;
  const s = spec(operator);
  const present = lookup(key);
  if (s.family === "null") return values.some((v) => (v.toLowerCase() === "true") === isNull(present));

  const matchers = values.map((v) => positiveMatcher(operator, key, v, lookup, variables));
  const one = (r: string) => matchers.some((m) => m(r)) !== s.negated;

  if (operator.qualifier === "single") {
    const requestValues = present === undefined ? [] : asStrings(present);
    if (requestValues.length > 1) {
      throw new InputError("the IAM request", [
        {
          path: `context.${key}`,
          value: requestValues,
          rule: `has ${requestValues.length} values, which \`${operator.name}\` cannot compare: a multivalued key needs ForAllValues: or ForAnyValue:`,
        },
      ]);
    }
    const r = requestValues[0];
    if (r === undefined) return operator.ifExists || s.negated;
    return one(r);
  }
  // A set operator: an empty string or an empty list is the null data set.
  const set = isNull(present) ? [] : asStrings(present!);
  if (set.length === 0) return operator.ifExists || operator.qualifier === "ForAllValues";
  return operator.qualifier === "ForAllValues" ? set.every(one) : set.some(one);
}
