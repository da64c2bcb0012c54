/**
 * Parsing a policy document into statements the evaluator can decide, collecting every problem on the way.
 * These are the problems that make a document unevaluable (`evaluate` throws on them); the catalogue's checks
 * of action names are added by `policyProblems`.
 */
import { conditionValueProblems, parseOperator } from "./conditions";
import { findVariables, parseVariable, resourcePortionStart } from "./match";
import type { LabelledPolicy, ParsedCondition, ParsedStatement, PolicyDocument } from "./types";
import { isRecord } from "../../json";

/** A statement as written, for messages and for the catalogue check. */
export interface RawStatement {
  readonly index: number;
  readonly sid?: string;
  /** `Statement[2] (Sid "X") of policy "label"`: how messages name the statement. */
  readonly name: string;
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
}

export interface ParsedDocument {
  readonly statements: readonly ParsedStatement[];
  readonly raw: readonly RawStatement[];
  readonly problems: readonly string[];
  /** Problems that do not stop evaluation (IAM accepts the document, but probably not as meant). */
  readonly warnings: readonly string[];
}

const DOCUMENT_KEYS = ["Version", "Id", "Statement"];
const STATEMENT_KEYS = [
  "Sid",
  "Effect",
  "Principal",
  "NotPrincipal",
  "Action",
  "NotAction",
  "Resource",
  "NotResource",
  "Condition",
];
const VERSIONS = ["2012-10-17", "2008-10-17"];
/** `*`, or `service:action` where both parts may hold wildcards (the catalogue checks the names). */
const ACTION = /^(\*|[A-Za-z0-9*?-]+:[A-Za-z0-9*?-]+)$/;

/** An element that may be a string or an array of strings; undefined when absent, a problem when malformed. */
function stringList(value: unknown, element: string, name: string, problems: string[]): string[] | undefined {
  if (value === undefined) return undefined;
  const list = typeof value === "string" ? [value] : Array.isArray(value) ? value : undefined;
  if (list === undefined || list.length === 0 || list.some((v) => typeof v !== "string" || v === "")) {
    problems.push(
      `${name} has ${element} ${JSON.stringify(value)}; it must be a non-empty string or array of strings.`,
    );
    return undefined;
  }
  return list as string[];
}

function conditionValues(value: unknown): string[] | undefined {
  const scalar = (v: unknown) => typeof v === "string" || typeof v === "number" || typeof v === "boolean";
  if (scalar(value)) return [String(value)];
  if (Array.isArray(value) && value.length > 0 && value.every(scalar)) return value.map(String);
  return undefined;
}

function parseConditions(
  value: unknown,
  name: string,
  variables: boolean,
  problems: string[],
): ParsedCondition[] {
  if (value === undefined) return [];
  if (!isRecord(value)) {
    problems.push(`${name} has a Condition that is not an object of operators.`);
    return [];
  }
  const conditions: ParsedCondition[] = [];
  for (const [operatorName, block] of Object.entries(value)) {
    const operator = parseOperator(operatorName);
    if (typeof operator === "string") {
      problems.push(`${name}: ${operator}.`);
      continue;
    }
    if (!isRecord(block) || Object.keys(block).length === 0) {
      problems.push(`${name} has \`${operatorName}\` with no object of condition keys.`);
      continue;
    }
    for (const [key, raw] of Object.entries(block)) {
      const values = conditionValues(raw);
      if (values === undefined) {
        problems.push(
          `${name} has \`${operatorName}\` on \`${key}\` with ${JSON.stringify(raw)}; values must be strings, numbers or booleans, or a non-empty array of them.`,
        );
        continue;
      }
      const condition = { operator, key, values };
      problems.push(...conditionValueProblems(condition, variables).map((p) => `${name}: ${p}.`));
      conditions.push(condition);
    }
  }
  return conditions;
}

/**
 * Problems with Resource/NotResource entries: not an ARN, a wildcard in the service segment, and (where `${...}`
 * is a variable) malformed variables or ones before the resource portion.
 */
function resourceProblems(
  resources: readonly string[],
  element: string,
  name: string,
  variables: boolean,
): string[] {
  const problems: string[] = [];
  for (const resource of resources) {
    const quoted = JSON.stringify(resource);
    if (resource !== "*" && !resource.startsWith("arn:")) {
      problems.push(`${name} has ${element} ${quoted}, which is neither "*" nor an ARN.`);
    } else if (/[*?]/.test(resource.split(":")[2] ?? "")) {
      problems.push(
        `${name} has a wildcard in the service segment of ${element} ${quoted}, which IAM does not allow.`,
      );
    }
    if (!variables) continue;
    const start = resourcePortionStart(resource);
    for (const use of findVariables(resource)) {
      if ("malformed" in parseVariable(use.body)) {
        problems.push(
          `${name} has the malformed policy variable \`\${${use.body}}\` in ${element} ${quoted}.`,
        );
      } else if (use.start < start) {
        problems.push(
          `${name} uses a policy variable before the fifth colon of ${element} ${quoted}; variables may only appear in the resource portion of an ARN.`,
        );
      }
    }
  }
  return problems;
}

function statementName(label: string, index: number, sid: string | undefined): string {
  return `Statement[${index}]${sid !== undefined ? ` (Sid ${JSON.stringify(sid)})` : ""} of policy ${JSON.stringify(label)}`;
}

function parseStatement(
  label: string,
  index: number,
  value: unknown,
  variables: boolean,
  problems: string[],
): { parsed?: ParsedStatement; raw?: RawStatement } {
  if (!isRecord(value)) {
    problems.push(`${statementName(label, index, undefined)} is not an object.`);
    return {};
  }
  const sid = typeof value.Sid === "string" ? value.Sid : undefined;
  const name = statementName(label, index, sid);
  const before = problems.length;
  if (value.Sid !== undefined && (typeof value.Sid !== "string" || !/^[A-Za-z0-9]*$/.test(value.Sid))) {
    problems.push(`${name} has Sid ${JSON.stringify(value.Sid)}; a Sid is a string of letters and digits.`);
  }
  for (const key of Object.keys(value).filter((k) => !STATEMENT_KEYS.includes(k))) {
    problems.push(`${name} has the unknown element \`${key}\`.`);
  }
  for (const key of ["Principal", "NotPrincipal"].filter((k) => value[k] !== undefined)) {
    problems.push(`${name} has a ${key}, which identity-based policies must not have.`);
  }
  const effect = value.Effect;
  if (effect !== "Allow" && effect !== "Deny") {
    problems.push(`${name} has Effect ${JSON.stringify(effect)}; it must be "Allow" or "Deny".`);
  }
  const actions = stringList(value.Action, "Action", name, problems);
  const notActions = stringList(value.NotAction, "NotAction", name, problems);
  if ((value.Action === undefined) === (value.NotAction === undefined)) {
    const which = value.Action === undefined ? "neither Action nor" : "both Action and";
    problems.push(`${name} has ${which} NotAction; it needs exactly one.`);
  }
  for (const action of [...(actions ?? []), ...(notActions ?? [])].filter((a) => !ACTION.test(a))) {
    problems.push(
      `${name} has the action ${JSON.stringify(action)}, which is neither "*" nor "<service>:<action>".`,
    );
  }
  const resources = stringList(value.Resource, "Resource", name, problems);
  const notResources = stringList(value.NotResource, "NotResource", name, problems);
  if ((value.Resource === undefined) === (value.NotResource === undefined)) {
    const which = value.Resource === undefined ? "neither Resource nor" : "both Resource and";
    problems.push(`${name} has ${which} NotResource; it needs exactly one.`);
  }
  problems.push(...resourceProblems(resources ?? [], "Resource", name, variables));
  problems.push(...resourceProblems(notResources ?? [], "NotResource", name, variables));
  const conditions = parseConditions(value.Condition, name, variables, problems);
  const raw: RawStatement = { index, sid, name, actions: actions ?? [], notActions: notActions ?? [] };
  if (problems.length > before) return { raw };
  const parsed: ParsedStatement = {
    id: `${label}#${sid !== undefined && sid !== "" ? sid : index}`,
    effect: effect as "Allow" | "Deny",
    actions,
    notActions,
    resources,
    notResources,
    conditions,
    variables,
  };
  return { parsed, raw };
}

/**
 * Parses one labelled document; `problems` lists everything that keeps it from being evaluated. Memoized by
 * label and text: the wiring analysis evaluates the same role policies for hundreds of calls.
 */
export function parsePolicy(policy: LabelledPolicy): ParsedDocument {
  const key = `${policy.label}\u0000${typeof policy.document === "string" ? policy.document : JSON.stringify(policy.document)}`;
  let parsed = PARSED.get(key);
  if (parsed === undefined) {
    parsed = parseUncached(policy);
    PARSED.set(key, parsed);
  }
  return parsed;
}

const PARSED = new Map<string, ParsedDocument>();

function parseUncached({ label, document }: LabelledPolicy): ParsedDocument {
  const problems: string[] = [];
  let value: unknown = document;
  if (typeof document === "string") {
    try {
      value = JSON.parse(document);
    } catch (e) {
      const problem = `Policy ${JSON.stringify(label)} is not valid JSON: ${(e as Error).message}.`;
      return { statements: [], raw: [], problems: [problem], warnings: [] };
    }
  }
  if (!isRecord(value)) {
    return {
      statements: [],
      raw: [],
      problems: [`Policy ${JSON.stringify(label)} is not a JSON object.`],
      warnings: [],
    };
  }
  const doc = value as unknown as PolicyDocument & Record<string, unknown>;
  for (const key of Object.keys(doc).filter((k) => !DOCUMENT_KEYS.includes(k))) {
    problems.push(`Policy ${JSON.stringify(label)} has the unknown element \`${key}\`.`);
  }
  if (doc.Version !== undefined && !VERSIONS.includes(doc.Version)) {
    problems.push(
      `Policy ${JSON.stringify(label)} has Version ${JSON.stringify(doc.Version)}; it must be "2012-10-17" (or the old "2008-10-17").`,
    );
  }
  // Policy variables exist only in version 2012-10-17; elsewhere `${...}` is literal text.
  const variables = doc.Version === "2012-10-17";
  const list: unknown[] = Array.isArray(doc.Statement)
    ? doc.Statement
    : doc.Statement === undefined
      ? []
      : [doc.Statement];
  if (list.length === 0) problems.push(`Policy ${JSON.stringify(label)} has no Statement.`);
  const warnings: string[] = [];
  if (!variables && JSON.stringify(list).includes("${")) {
    warnings.push(
      `Policy ${JSON.stringify(label)} uses \`\${...}\` but its Version is not "2012-10-17", so IAM reads it as literal text, not as a policy variable.`,
    );
  }
  const statements: ParsedStatement[] = [];
  const raw: RawStatement[] = [];
  const sids = new Map<string, number>();
  list.forEach((entry, index) => {
    const result = parseStatement(label, index, entry, variables, problems);
    if (result.parsed) statements.push(result.parsed);
    if (result.raw) raw.push(result.raw);
    const sid = result.raw?.sid;
    if (sid !== undefined && sid !== "") {
      const first = sids.get(sid);
      if (first !== undefined) {
        problems.push(
          `${result.raw!.name} repeats the Sid of Statement[${first}]; Sids must be unique within a policy.`,
        );
      } else sids.set(sid, index);
    }
  });
  return { statements, raw, problems, warnings };
}
