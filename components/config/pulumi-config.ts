import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "./load";
import type { SemesterConfig } from "./schema";

/** The stack file Pulumi reads config from (Pulumi.yaml sets `stackConfigDir: stacks`). */
export function stackFile(stack: string): string {
  return `stacks/Pulumi.${stack}.yaml`;
}

/** Reads and validates the current stack's `semester:` config; throws a ConfigError listing every problem. */
export function loadStackConfig(): SemesterConfig {
  return parseStackConfig(pulumi.runtime.allConfig(), stackFile(pulumi.getStack()));
}
