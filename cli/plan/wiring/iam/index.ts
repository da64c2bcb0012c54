/** An exact evaluator for the subset of IAM identity-based policies Semester emits, and a checker for them. */
export { evaluate } from "./evaluate";
export { policyProblems } from "./problems";
export { actionCatalogue, type ActionCatalogue } from "./catalogue";
export type {
  ContextValue,
  Decision,
  Evaluation,
  IamRequest,
  LabelledPolicy,
  PolicyDocument,
  PolicyStatement,
} from "./types";
