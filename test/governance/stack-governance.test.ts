import * as path from "node:path";
import { stackGovernance } from "../../policies/stack-governance";
import { InputError } from "../../components/core/problem";

const ROOT = path.resolve(__dirname, "../..");

describe("the policy pack's stack", () => {
  it("refuses to run without a stack instead of falling back to defaults", () => {
    expect(() => stackGovernance({}, ROOT)).toThrow(
      "Invalid input in the environment (1 problem):\n" +
        "  - `SEMESTER_STACK`: got missing; required: the policy pack enforces one stack's governance settings " +
        "(stacks/Pulumi.<name>.yaml); fix: e.g. SEMESTER_STACK=prod pulumi preview --policy-pack policies",
    );
  });

  it("enforces the named stack's validated governance settings", () => {
    expect(stackGovernance({ SEMESTER_STACK: "prod" }, ROOT).mode).toBe("Deny");
    expect(stackGovernance({ PULUMI_STACK: "dev" }, ROOT).mode).toBe("Audit");
  });

  it("fails on a stack file the program would refuse", () => {
    const fixtures = path.join(ROOT, "test/fixtures/policy-stack");
    expect(() => stackGovernance({ SEMESTER_STACK: "bad" }, fixtures)).toThrow(InputError);
    expect(() => stackGovernance({ SEMESTER_STACK: "missing" }, ROOT)).toThrow(
      "Invalid input in the environment (1 problem):\n" +
        '  - `SEMESTER_STACK`: got "missing"; must name a stack file: stacks/Pulumi.missing.yaml does not exist; fix: use one of dev, prod, staging',
    );
  });
});
