import {
  evaluate,
  type ContextValue,
  type Decision,
  type PolicyDocument,
  type PolicyStatement,
} from "../../../cli/plan/wiring/iam";

/** A version 2012-10-17 document of the given statements. */
export const doc = (...Statement: PolicyStatement[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement,
});

/** The decision for one request against one document labelled "p". */
export function decide(
  document: PolicyDocument | string,
  action: string,
  resource: string,
  context?: Record<string, ContextValue>,
): Decision {
  return evaluate([{ label: "p", document }], { action, resource, context }).decision;
}

/** A document allowing `action` on `*` under one condition block. */
export const when = (Condition: PolicyStatement["Condition"], action = "s3:GetObject"): PolicyDocument =>
  doc({ Effect: "Allow", Action: action, Resource: "*", Condition });

/** Whether a one-condition Allow allows s3:GetObject with the given context. */
export const holds = (
  Condition: PolicyStatement["Condition"],
  context?: Record<string, ContextValue>,
): boolean => decide(when(Condition), "s3:GetObject", "*", context) === "allow";
