/**
 * The stack configuration: the `semester:` keys decoded, validated (every cross-key rule, `rules.ts`) and
 * defaulted once, before anything renders. This file is its public API: the only surface other modules import.
 */
export { parseStackConfig } from "./load";
export { loadStackConfig } from "./pulumi-config";
export type { RegionConfig, SemesterConfig } from "./schema";
export { readStackConfig, stackFile } from "./stack-file";
