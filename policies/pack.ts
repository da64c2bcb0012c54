/**
 * The Semester CrossGuard policies, built from the governance config. This module does not construct
 * the PolicyPack (that starts the analyzer server), so the plan and the tests can import it.
 */
import type { GovernanceConfig } from "../components/governance";
import type { SemesterPolicy } from "./rules/common";
import { chaosPolicies } from "./rules/chaos";
import { computePolicies } from "./rules/compute";
import { dataPolicies } from "./rules/data";
import { kubernetesPolicy } from "./rules/kubernetes";
import { stackPolicies } from "./rules/stack";
import { changeFreezePolicy, type ChangeFreezeOptions } from "./rules/change-freeze";

export type { SemesterPolicy } from "./rules/common";
export { objectOf } from "./rules/kubernetes";

/**
 * Every Semester policy, in a stable order: compute, data, stack, chaos, Kubernetes, then the change freeze when its
 * options are given (the pack reads them from the environment; the offline plan has no previous state and no
 * clock, so it leaves the freeze out).
 */
export function semesterPolicies(config: GovernanceConfig, freeze?: ChangeFreezeOptions): SemesterPolicy[] {
  return [
    ...computePolicies(config),
    ...dataPolicies(config),
    ...stackPolicies(config),
    ...chaosPolicies(config),
    kubernetesPolicy(config),
    ...(freeze !== undefined ? [changeFreezePolicy(config, freeze)] : []),
  ];
}
