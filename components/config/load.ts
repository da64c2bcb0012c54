import { InputError, problemsFromZod } from "../core";
import { stackRuleProblems } from "./rules";
import { semesterConfigSchema, type SemesterConfig } from "./schema";

/** @internal The config namespace of the project: keys look like `semester:regions`. */
export const NAMESPACE = "semester";

/**
 * Pulumi hands config values over as strings (structured values JSON-encoded).
 * Decodes the `semester:` keys into one object, validates it, applies defaults and checks every rule across keys
 * (`rules.ts`). Throws one InputError listing every problem: nothing renders or is created before this returns,
 * and with a config it returned, no component refuses its arguments for an input reason.
 */
export function parseStackConfig(raw: Readonly<Record<string, string>>, source: string): SemesterConfig {
  const input: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(raw)) {
    const [namespace, name] = key.split(":", 2);
    if (namespace === NAMESPACE && name) input[name] = decodeValue(text);
  }
  const result = semesterConfigSchema.safeParse(input, { reportInput: true });
  const problems = [
    ...(result.success ? [] : problemsFromZod(`${NAMESPACE}:`, result.error.issues, semesterConfigSchema)),
    ...stackRuleProblems(input),
  ];
  if (!result.success || problems.length > 0) throw new InputError(source, problems);
  return result.data;
}

function decodeValue(text: string): unknown {
  const trimmed = text.trim();
  if (/^[[{]/.test(trimmed) || /^(true|false|-?\d+(\.\d+)?)$/.test(trimmed)) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return text;
    }
  }
  return text;
}
