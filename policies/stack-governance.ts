/**
 * The governance config the policy pack enforces: the stack's `semester:governance`, read and validated by the
 * same loader the program uses, so a bad stack file fails here as it does in `pulumi up`. The stack is named by
 * SEMESTER_STACK (or PULUMI_STACK); without one the pack refuses to run rather than fall back to defaults the
 * stack may have tightened.
 */
import * as path from "node:path";
import { parseStackConfig, readStackConfig, stackFile } from "../components/config";
import type { GovernanceConfig } from "../components/governance";
import { InputError } from "../components/core";

export function stackGovernance(
  env: NodeJS.ProcessEnv = process.env,
  root: string = path.join(__dirname, ".."),
): GovernanceConfig {
  const key = env.SEMESTER_STACK !== undefined ? "SEMESTER_STACK" : "PULUMI_STACK";
  const stack = env[key];
  if (!stack) {
    throw new InputError("the environment", [
      {
        path: "SEMESTER_STACK",
        value: undefined,
        rule: "required: the policy pack enforces one stack's governance settings (stacks/Pulumi.<name>.yaml)",
        fix: "e.g. SEMESTER_STACK=prod pulumi preview --policy-pack policies",
      },
    ]);
  }
  const raw = readStackConfig(root, stack, { source: "the environment", path: key });
  return parseStackConfig(raw, stackFile(stack)).governance;
}
