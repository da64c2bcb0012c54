import type { SemesterConfig } from "./config";
import { Platform } from "./platform";

/** @internal Options that are not stack config: they come from the command line or the clock. */
export interface ProgramOptions {
  /** The name of the root component and the prefix of cluster names. */
  readonly name: string;
  /** Start of the calendar horizon, epoch ms. @default see PlatformArgs.now */
  readonly now?: number;
}

/** The Pulumi program: everything `pulumi up` creates for one stack. The offline plan runs the same function. */
export function definePlatform(config: SemesterConfig, options: ProgramOptions): Platform {
  return new Platform(options.name, { config, ...(options.now !== undefined ? { now: options.now } : {}) });
}
