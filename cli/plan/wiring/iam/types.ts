/** The IAM policy shapes the evaluator reads, and what it answers. */

/** One statement of an identity-based policy, as written in JSON. */
export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
  /** Only here so that a document carrying one can be reported: identity-based policies must not have it. */
  Principal?: unknown;
}

/** An IAM policy document; `Statement` may be one statement or an array of them. */
export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

/** A value in the request context: single-valued keys hold a scalar, multivalued keys an array. */
export type ContextValue = string | boolean | number | readonly string[];

/**
 * One API call as IAM sees it. Context keys are case-insensitive (aws:RequestTag/..., aws:ResourceTag/...,
 * ec2:CreateAction, iam:PassedToService, aws:RequestedRegion, aws:TagKeys ...). Multi-valued keys are arrays.
 */
export interface IamRequest {
  /** `service:Action`, e.g. `ec2:TerminateInstances` (matched case-insensitively). */
  readonly action: string;
  /** The resource ARN the call acts on, or `*` for actions that take none (matched case-sensitively). */
  readonly resource: string;
  readonly context?: Readonly<Record<string, ContextValue>>;
}

export type Decision = "allow" | "explicit-deny" | "implicit-deny";

export interface Evaluation {
  readonly decision: Decision;
  /** "<policy label>#<Sid or index>" of the statements that decided it */
  readonly decidedBy: readonly string[];
}

/** A policy as `evaluate` takes it: the document and a label for messages and `decidedBy`. */
export interface LabelledPolicy {
  readonly label: string;
  readonly document: PolicyDocument | string;
}

/**
 * A statement after parsing: every element in array form, the condition operators resolved.
 * @internal
 */
export interface ParsedStatement {
  /** "<policy label>#<Sid or index>". */
  readonly id: string;
  readonly effect: "Allow" | "Deny";
  /** Exactly one of `actions` and `notActions` is set. */
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  /** Exactly one of `resources` and `notResources` is set. */
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  readonly conditions: readonly ParsedCondition[];
  /** Whether `${...}` is a policy variable here (only in documents of version 2012-10-17). */
  readonly variables: boolean;
}

/**
 * One `operator: { key: values }` pair of a Condition block.
 * @internal
 */
export interface ParsedCondition {
  readonly operator: ConditionOperator;
  /** The context key as written (looked up case-insensitively). */
  readonly key: string;
  /** The policy's values, each as a string (JSON numbers and booleans as written). */
  readonly values: readonly string[];
}

/** How `ForAllValues:` / `ForAnyValue:` qualify an operator; `single` when neither is written. */
export type SetQualifier = "single" | "ForAllValues" | "ForAnyValue";

/**
 * A condition operator name split into its parts, e.g. `ForAnyValue:StringLikeIfExists`.
 * @internal
 */
export interface ConditionOperator {
  /** The name as written in the policy. */
  readonly name: string;
  readonly qualifier: SetQualifier;
  /** The operator without qualifier and `IfExists`, e.g. `StringLike`. */
  readonly base: string;
  readonly ifExists: boolean;
}
