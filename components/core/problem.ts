/**
 * The one shape of bad input in Semester: every module (stack config, component arguments, calendars,
 * profiles, CLI options) reports each thing wrong as a `Problem` and throws all of them at once as one
 * `InputError`, before anything is created or written, so a user fixes an input in one pass.
 */
import { config as zodConfig, type z } from "zod";

/** One thing wrong with an input: where, what was given, which rule it breaks and how to fix it. */
export interface Problem {
  /**
   * Where: a key path (`semester:regions[1].vpcCidr`, `services.ai-tutor.maxReplicas`), or an event and its
   * property in a calendar (`event exam-1 (line 4) DTEND`).
   */
  readonly path: string;
  /** The value received (undefined when the key is missing). */
  readonly value: unknown;
  /** The rule the value breaks, phrased as what is allowed (`must be an integer in 1..1800`). */
  readonly rule: string;
  /** What to change when the rule alone does not say it (`set it to write or read`). @default none */
  readonly fix?: string;
}

/** Thrown once with every problem of an input, before anything is created. */
export class InputError extends Error {
  constructor(
    /** The file or source the problems are in (`stacks/Pulumi.prod.yaml`, `RegionalCluster prod-us`). */
    readonly source: string,
    readonly problems: readonly Problem[],
  ) {
    super(formatProblems(source, problems));
    this.name = "InputError";
  }
}

/** Throws one `InputError` for `source` when `problems` is not empty. */
export function throwIfProblems(source: string, problems: readonly Problem[]): void {
  if (problems.length > 0) throw new InputError(source, problems);
}

/** Renders a value for a message: short, JSON-like, `missing` when absent. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "missing";
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** One line per problem: `` - `path`: got VALUE; RULE; fix: FIX ``. */
export function formatProblem(p: Problem): string {
  const fix = p.fix !== undefined ? `; fix: ${p.fix}` : "";
  return `\`${p.path}\`: got ${describeValue(p.value)}; ${p.rule}${fix}`;
}

export function formatProblems(source: string, problems: readonly Problem[]): string {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return [`Invalid input in ${source} (${count}):`, ...problems.map((p) => `  - ${formatProblem(p)}`)].join(
    "\n",
  );
}

/** Joins a key prefix (`semester:regions`) and a zod path (`[1, "vpcCidr"]`) into `semester:regions[1].vpcCidr`. */
export function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) =>
      typeof key === "number"
        ? `${acc}[${key}]`
        : acc === "" || acc.endsWith(":")
          ? `${acc}${String(key)}`
          : `${acc}.${String(key)}`,
    prefix,
  );
}

/**
 * Turns zod issues into problems; zod must have been called with `reportInput: true`.
 * `schema` lets a misspelt key be answered with the keys that are allowed at that place.
 */
export function problemsFromZod(
  prefix: string,
  issues: readonly z.core.$ZodIssue[],
  schema?: z.ZodType,
): Problem[] {
  return issues.flatMap((issue): Problem[] => {
    if (issue.code === "unrecognized_keys") {
      const allowed = schema ? keysAt(schema, issue.path) : undefined;
      const hint = allowed ? `allowed keys here: ${allowed.join(", ")}` : "remove it";
      return issue.keys.map((key) => ({
        path: joinPath(prefix, [...issue.path, key]),
        value: (issue.input as Record<string, unknown> | undefined)?.[key],
        rule: `unknown key; ${hint}`,
      }));
    }
    return [{ path: joinPath(prefix, issue.path), value: issue.input, rule: ruleOf(issue) }];
  });
}

interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  valueType?: z.ZodType;
}

/** @internal The keys an object schema allows at `path` (walking through arrays, records, optionals and defaults). */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  let current: z.ZodType | undefined = schema;
  let remaining = [...path];
  while (current) {
    const def: SchemaDef = (current as unknown as { _zod: { def: SchemaDef } })._zod.def;
    if (def.innerType) current = def.innerType;
    else if (def.type === "pipe") current = def.in;
    else if (remaining.length === 0) return def.shape ? Object.keys(def.shape) : undefined;
    else if (def.type === "object") current = def.shape?.[String(remaining.shift())];
    else if (def.type === "array" || def.type === "record") {
      remaining = remaining.slice(1);
      current = def.type === "array" ? def.element : def.valueType;
    } else return undefined;
  }
  return undefined;
}

/** The rule a schema wrote itself (`count(1, 5, " so every shard can fail over")`), else one phrased from the issue. */
function ruleOf(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && issue.input === undefined) return `required (${issue.expected})`;
  if (hasOwnMessage(issue)) return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return `expected ${issue.expected}`;
    case "invalid_value":
      return `expected one of: ${issue.values.map((v) => String(v)).join(", ")}`;
    case "too_small":
      return `must be ${issue.inclusive === false ? ">" : ">="} ${String(issue.minimum)}${issue.origin === "array" ? " items" : ""}`;
    case "too_big":
      return `must be ${issue.inclusive === false ? "<" : "<="} ${String(issue.maximum)}${issue.origin === "array" ? " items" : ""}`;
    default:
      return issue.message;
  }
}

/** Whether the schema gave this issue its own message, rather than zod's default for the code. */
function hasOwnMessage(issue: z.core.$ZodIssue): boolean {
  const fallback = zodConfig().localeError?.(issue as never);
  return issue.message !== (typeof fallback === "string" ? fallback : fallback?.message);
}
