/**
 * PromQL syntax checks with Prometheus's own grammar (`@prometheus-io/lezer-promql`, the parser of Prometheus's
 * web UI). The grammar is error-tolerant: a bad expression still parses, with error nodes where it is wrong, so
 * "parses" means "a tree without error nodes".
 */
interface SyntaxNodeRef {
  readonly from: number;
  readonly to: number;
  readonly type: { readonly isError: boolean };
}
interface LezerParser {
  parse(input: string): { iterate(spec: { enter(node: SyntaxNodeRef): void }): void };
}

// Required rather than imported so the type check does not depend on the package's declarations.
const { parser } = require("@prometheus-io/lezer-promql") as { parser: LezerParser };

/** The places where `expr` does not follow the PromQL grammar (`at 12: "foo"`), or [] when it parses. */
export function promqlSyntaxErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError)
        errors.push(`at ${node.from}: ${JSON.stringify(expr.slice(node.from, node.to + 5))}`);
    },
  });
  return errors;
}

/** Throws with every error place when `expr` does not parse. */
export function parsePromql(expr: string): void {
  const errors = promqlSyntaxErrors(expr);
  if (errors.length > 0) throw new Error(`PromQL does not parse: ${expr}\n  ${errors.join("\n  ")}`);
}
