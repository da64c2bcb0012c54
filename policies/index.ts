/**
 * Entry of the `semester` policy pack: `SEMESTER_STACK=<name> pulumi preview --policy-pack policies`.
 * Per-policy enforcement can also be overridden with `--policy-pack-config`.
 */
import { PolicyPack } from "@pulumi/policy";
import { semesterPolicies } from "./pack";
import { stackGovernance } from "./stack-governance";

new PolicyPack("semester", { policies: semesterPolicies(stackGovernance()) });
