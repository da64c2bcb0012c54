import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "./load";
import type { SemesterConfig } from "./schema";

import { stackFile } from "./stack-file";

export { stackFile };

/** Reads and validates the current stack's `semester:` config; throws a InputError listing every problem. */
export function loadStackConfig(): SemesterConfig {
  return parseStackConfig(pulumi.runtime.allConfig(), stackFile(pulumi.getStack()));
}
