/**
 * The contract between the program and the change-freeze policy (policies/rules/change-freeze.ts): the program
 * publishes each critical service's calendar spans in one ConfigMap, the policy reads them from the planned stack.
 */

/** Where the program publishes the windows. */
export const CHANGE_FREEZE_CONFIG_MAP = {
  namespace: "kube-system",
  name: "semester-change-freeze",
  key: "windows.json",
} as const;

/** One frozen span of one critical service in one region (ISO instants, end exclusive). */
export interface FreezeWindow {
  readonly region: string;
  readonly service: string;
  readonly namespace: string;
  readonly start: string;
  readonly end: string;
  /** The calendar occurrences (`event@ISO start`) the span serves. */
  readonly occurrences: readonly string[];
}
