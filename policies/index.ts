/**
 * Entry of the `semester` policy pack: `SEMESTER_STACK=<name> pulumi preview --policy-pack policies`.
 * Per-policy enforcement can also be overridden with `--policy-pack-config`. The change freeze reads
 * `SEMESTER_PREVIOUS_STATE`, `SEMESTER_NOW` and `SEMESTER_FREEZE_OVERRIDE` (see rules/change-freeze.ts).
 */
import { PolicyPack } from "@pulumi/policy";
import { semesterPolicies } from "./pack";
import { stackGovernance } from "./stack-governance";
import { changeFreezeOptionsFromEnv } from "./rules/change-freeze";

new PolicyPack("semester", { policies: semesterPolicies(stackGovernance(), changeFreezeOptionsFromEnv()) });
