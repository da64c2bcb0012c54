/**
 * PromQL read with Prometheus's own grammar (`@prometheus-io/lezer-promql`, the parser of the Prometheus web UI and
 * of codemirror-promql): an expression parses when its syntax tree has no error node, and the metrics it reads are
 * the identifiers of its vector selectors (a range selector wraps one) and their `__name__="..."` matchers. The
 * grammar is syntactic: function arity and argument types are Prometheus's to check at evaluation, not here.
 */
import { parser } from "@prometheus-io/lezer-promql";

type Tree = ReturnType<typeof parser.parse>;
type SyntaxNode = Tree["topNode"];

/** Whether an expression parses; where and what the first error is when it does not. */
export type PromqlParse =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** `at <offset>: <snippet>`, the offset 0-based, the snippet marking the place with `⟨here⟩`. */
      readonly error: string;
      /** 0-based character offset of the first error. */
      readonly at: number;
    };

const SNIPPET_RADIUS = 24;

function tree(expr: string): Tree {
  return parser.parse(expr);
}

/** The text around `at`, with the place marked: `sum(rate(x[2m])⟨here⟩`. */
function snippet(expr: string, at: number): string {
  const from = Math.max(0, at - SNIPPET_RADIUS);
  const to = Math.min(expr.length, at + SNIPPET_RADIUS);
  return `${from > 0 ? "…" : ""}${expr.slice(from, at)}⟨here⟩${expr.slice(at, to)}${to < expr.length ? "…" : ""}`;
}

/** Parses `expr` with the PromQL grammar; reports the first error node (its position and the text around it). */
export function parsePromql(expr: string): PromqlParse {
  if (expr.trim() === "") return { ok: false, error: "at 0: empty expression", at: 0 };
  let at: number | undefined;
  tree(expr).iterate({
    enter(node) {
      if (at !== undefined) return false;
      if (node.type.isError) {
        at = node.from;
        return false;
      }
      return undefined;
    },
  });
  return at === undefined ? { ok: true } : { ok: false, error: `at ${at}: ${snippet(expr, at)}`, at };
}

/** A string literal's value (PromQL strings: "...", '...' with backslash escapes, or `...` raw). */
function stringValue(literal: string): string {
  const quote = literal[0];
  const body = literal.slice(1, -1);
  if (quote === "`") return body;
  return body.replace(/\\(.)/g, (_, c: string) => c);
}

function childrenOf(node: SyntaxNode, name: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c !== null; c = c.nextSibling) if (c.name === name) out.push(c);
  return out;
}

/**
 * The metric names an expression reads, sorted and unique: each vector selector's identifier (`foo{...}`) and
 * each `__name__="..."` equality matcher (`{__name__="foo"}`). Regex matchers on `__name__` name no one metric and
 * are not returned. An expression that does not parse yields the names of the selectors the parser recovered.
 */
export function metricNames(expr: string): string[] {
  const names = new Set<string>();
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);
  tree(expr).iterate({
    enter(ref) {
      if (ref.name !== "VectorSelector") return undefined;
      const node = ref.node;
      for (const id of childrenOf(node, "Identifier")) names.add(text(id));
      for (const matchers of childrenOf(node, "LabelMatchers")) {
        for (const m of [
          ...childrenOf(matchers, "UnquotedLabelMatcher"),
          ...childrenOf(matchers, "QuotedLabelMatcher"),
        ]) {
          const label = m.firstChild;
          const op = m.getChild("MatchOp")?.firstChild;
          const value = m.getChild("StringLiteral");
          if (!label || !op || !value || op.name !== "EqlSingle") continue;
          const labelName = label.name === "QuotedLabelName" ? stringValue(text(label)) : text(label);
          if (labelName === "__name__") names.add(stringValue(text(value)));
        }
        // `{"foo"}`: a quoted name alone in the braces is the metric name (Prometheus 3 UTF-8 names).
        for (const q of childrenOf(matchers, "QuotedLabelName")) names.add(stringValue(text(q)));
      }
      return false;
    },
  });
  return [...names].sort();
}
