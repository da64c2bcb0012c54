/**
 * Wildcards and policy variables: policy text is compiled into tokens (a literal character, `*` or `?`), with
 * `${...}` variables replaced by the request's values, then matched against a request string.
 *
 * The matcher is a dynamic-programming table over (token, character) rather than a regular expression, so that
 * the ARN rule for `*` (it crosses a `:` only at the end of a segment) is a local decision per token; the tests
 * compare it against a regular-expression construction.
 */
import type { ContextValue } from "./types";

export type Token =
  { readonly kind: "char"; readonly char: string } | { readonly kind: "star" } | { readonly kind: "one" };

/** A `${...}` in policy text: where it is and what is between the braces. */
export interface VariableUse {
  readonly start: number;
  /** Index just past the closing brace. */
  readonly end: number;
  readonly body: string;
}

/** Every `${...}` in the text, in order; a `${` with no closing brace is not a variable. */
export function findVariables(text: string): VariableUse[] {
  const uses: VariableUse[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf("${", from);
    if (start < 0) return uses;
    const close = text.indexOf("}", start + 2);
    if (close < 0) return uses;
    uses.push({ start, end: close + 1, body: text.slice(start + 2, close) });
    from = close + 1;
  }
}

/** The three predefined variables that stand for a character which is otherwise special. */
const SPECIAL: Readonly<Record<string, string>> = { "*": "*", "?": "?", $: "$" };

/** `key` or `key, 'default'` (a `''` inside the quotes is one quote). */
const WITH_DEFAULT = /^\s*([^,\s]+)\s*,\s*'((?:[^']|'')*)'\s*$/;

/** What a variable's braces name: a special character, or a context key with an optional default. */
export function parseVariable(
  body: string,
): { special: string } | { key: string; fallback?: string } | { malformed: string } {
  const special = SPECIAL[body];
  if (special !== undefined) return { special };
  const withDefault = WITH_DEFAULT.exec(body);
  if (withDefault) return { key: withDefault[1]!, fallback: withDefault[2]!.replace(/''/g, "'") };
  const key = body.trim();
  if (key === "" || /[\s,']/.test(key)) return { malformed: body };
  return { key };
}

/** Looks a context key up case-insensitively; undefined when absent. */
export type ContextLookup = (key: string) => ContextValue | undefined;

/** The value a variable takes: single-valued keys only (a multivalued key cannot be a variable). */
function variableValue(lookup: ContextLookup, key: string): string | undefined {
  const value = lookup(key);
  if (value === undefined || typeof value === "object") return undefined;
  return String(value);
}

export interface CompileOptions {
  /** Whether `*` and `?` are wildcards (StringLike, ArnLike, Action, Resource) or literal (StringEquals). */
  readonly wildcards: boolean;
  /** Index in the text from which `${...}` is a variable; before it (or when Infinity) it is literal text. */
  readonly variablesFrom: number;
  readonly lookup: ContextLookup;
}

/**
 * Compiles policy text into tokens. Returns undefined when a variable has no value and no default: per "IAM
 * policy elements: Variables and tags" the element then matches nothing. Substituted values are literal text
 * (a `*` in a tag value is not a wildcard).
 */
export function compile(text: string, options: CompileOptions): Token[] | undefined {
  const tokens: Token[] = [];
  const literal = (s: string) => {
    for (const char of s) tokens.push({ kind: "char", char });
  };
  const pattern = (s: string) => {
    for (const char of s) {
      if (options.wildcards && char === "*") tokens.push({ kind: "star" });
      else if (options.wildcards && char === "?") tokens.push({ kind: "one" });
      else tokens.push({ kind: "char", char });
    }
  };
  let at = 0;
  for (const use of findVariables(text)) {
    if (use.start < options.variablesFrom) continue;
    pattern(text.slice(at, use.start));
    at = use.end;
    const variable = parseVariable(use.body);
    if ("special" in variable) literal(variable.special);
    else if ("malformed" in variable) return undefined;
    else {
      const value = variableValue(options.lookup, variable.key) ?? variable.fallback;
      if (value === undefined) return undefined;
      literal(value);
    }
  }
  pattern(text.slice(at));
  return tokens;
}

/** The text of tokens compiled without wildcards. */
export function literalText(tokens: readonly Token[]): string {
  return tokens.map((t) => (t.kind === "char" ? t.char : t.kind === "star" ? "*" : "?")).join("");
}

/**
 * Index just past the fifth `:` outside `${...}`: where the resource portion of an ARN starts, the only place a
 * Resource element may use variables. Infinity when there are fewer than five.
 */
export function resourcePortionStart(text: string): number {
  const variables = findVariables(text);
  let colons = 0;
  for (let i = 0; i < text.length; i++) {
    const inside = variables.find((v) => i >= v.start && i < v.end);
    if (inside) {
      i = inside.end - 1;
      continue;
    }
    if (text[i] === ":" && ++colons === 5) return i + 1;
  }
  return Infinity;
}

/**
 * Whether tokens match the whole subject. With `arnSegments`, `?` never matches `:` and `*` matches `:` only when
 * it ends a segment (the next token is `:` or there is none) — the Resource rule of "IAM JSON policy elements:
 * Resource"; without it both match any character.
 */
export function matchTokens(tokens: readonly Token[], subject: string, arnSegments: boolean): boolean {
  const n = subject.length;
  // row[j] = 1: the tokens so far match subject[0, j). Two rows, swapped per token.
  let row = new Uint8Array(n + 1);
  let next = new Uint8Array(n + 1);
  row[0] = 1;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === "star") {
      const following = tokens[i + 1];
      const crossesColon =
        !arnSegments || following === undefined || (following.kind === "char" && following.char === ":");
      next[0] = row[0]!;
      for (let j = 1; j <= n; j++) {
        next[j] = row[j]! || (next[j - 1]! && (crossesColon || subject[j - 1] !== ":")) ? 1 : 0;
      }
    } else {
      next[0] = 0;
      for (let j = 1; j <= n; j++) {
        const c = subject[j - 1]!;
        const fits = token.kind === "one" ? !arnSegments || c !== ":" : c === token.char;
        next[j] = row[j - 1]! && fits ? 1 : 0;
      }
    }
    [row, next] = [next, row];
  }
  return row[n] === 1;
}

/** Splits an ARN into its six colon-delimited components (the sixth keeps any further colons). */
export function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(":")];
}

/** The same split over compiled tokens: at the first five literal `:`. */
function splitArnTokens(tokens: readonly Token[]): Token[][] | undefined {
  const parts: Token[][] = [[]];
  for (const token of tokens) {
    if (parts.length < 6 && token.kind === "char" && token.char === ":") parts.push([]);
    else parts[parts.length - 1]!.push(token);
  }
  return parts.length === 6 ? parts : undefined;
}

/**
 * ArnEquals/ArnLike: "each of the six colon-delimited components of the ARN is checked separately", each with
 * `*` and `?` wildcards ("IAM JSON policy elements: Condition operators"). Values that are not six-part ARNs never
 * match.
 */
export function matchArn(tokens: readonly Token[], arn: string): boolean {
  const want = splitArnTokens(tokens);
  const got = splitArn(arn);
  if (want === undefined || got === undefined) return false;
  return want.every((segment, i) => matchTokens(segment, got[i]!, false));
}
