/**
 * Entry of the `semester` policy pack: `pulumi preview --policy-pack policies`.
 * The governance config comes from the stack file named by SEMESTER_STACK (or PULUMI_STACK), section
 * `semester:governance`; without one the documented defaults apply. Per-policy enforcement can also be
 * overridden with `--policy-pack-config`.
 */
import { PolicyPack } from "@pulumi/policy";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { governanceConfig, type GovernanceConfigInput } from "../components/governance/config";
import { semesterPolicies } from "./pack";

function stackGovernance(): GovernanceConfigInput {
  const stack = process.env.SEMESTER_STACK ?? process.env.PULUMI_STACK;
  if (!stack) return {};
  const file = path.join(__dirname, "..", "stacks", `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) return {};
  const doc = parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
  return (doc?.config?.["semester:governance"] ?? {}) as GovernanceConfigInput;
}

new PolicyPack("semester", { policies: semesterPolicies(governanceConfig(stackGovernance())) });
