/** Everything wrong with a policy document, for the plan's wiring checks. */
import { actionCatalogue, actionProblem } from "./catalogue";
import { parsePolicy } from "./parse";
import type { PolicyDocument } from "./types";

/**
 * Problems with a document: unknown service/action names (per the catalogue; wildcards must match at least one
 * action), unsupported condition operators, malformed statements (both Action and NotAction, neither, bad
 * Effect). Each problem a full sentence naming the statement.
 */
export function policyProblems(label: string, document: PolicyDocument | string): string[] {
  const parsed = parsePolicy({ label, document });
  const cached = PROBLEMS.get(parsed);
  if (cached !== undefined) return [...cached];
  const problems = problemsOf(parsed);
  PROBLEMS.set(parsed, problems);
  return [...problems];
}

/** Keyed by the memoized parse, so one document is checked against the catalogue once. */
const PROBLEMS = new WeakMap<ReturnType<typeof parsePolicy>, string[]>();

function problemsOf(parsed: ReturnType<typeof parsePolicy>): string[] {
  const problems = [...parsed.problems, ...parsed.warnings];
  for (const statement of parsed.raw) {
    for (const action of [...statement.actions, ...statement.notActions]) {
      const problem = actionProblem(action, actionCatalogue());
      if (problem !== undefined) problems.push(`${statement.name} ${problem}.`);
    }
  }
  return problems;
}
