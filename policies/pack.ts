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

export type { SemesterPolicy } from "./rules/common";
export { objectOf } from "./rules/kubernetes";

/** Every Semester policy, in a stable order: compute, data, stack, chaos, Kubernetes. */
export function semesterPolicies(config: GovernanceConfig): SemesterPolicy[] {
  return [
    ...computePolicies(config),
    ...dataPolicies(config),
    ...stackPolicies(config),
    ...chaosPolicies(config),
    kubernetesPolicy(config),
  ];
}
