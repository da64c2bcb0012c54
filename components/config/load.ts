import { ConfigError, problemsFromZod } from "./problems";
import { semesterConfigSchema, type SemesterConfig } from "./schema";

/** The config namespace of the project: keys look like `semester:regions`. */
export const NAMESPACE = "semester";

/**
 * Pulumi hands config values over as strings (structured values JSON-encoded).
 * Decodes the `semester:` keys into one object, validates it and applies defaults.
 * Throws a ConfigError listing every problem; nothing is created before this returns.
 */
export function parseStackConfig(raw: Readonly<Record<string, string>>, source: string): SemesterConfig {
  const input: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(raw)) {
    const [namespace, name] = key.split(":", 2);
    if (namespace === NAMESPACE && name) input[name] = decodeValue(text);
  }
  const result = semesterConfigSchema.safeParse(input, { reportInput: true });
  if (!result.success) {
    throw new ConfigError(
      source,
      problemsFromZod(`${NAMESPACE}:`, result.error.issues, semesterConfigSchema),
    );
  }
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
