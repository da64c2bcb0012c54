export { Platform, type PlatformArgs, type RegionOutputs } from "./platform";
export { RegionalCluster, type RegionalClusterArgs } from "./cluster";
export type { ClusterHandle, ServiceAccountBindingArgs, ServiceAccountBinding } from "./cluster";
export { Vpc, type VpcArgs } from "./network";
export { parseStackConfig } from "./config";
export { loadStackConfig } from "./config";
export { InputError, type Problem } from "./core";
export type { SemesterConfig, RegionConfig } from "./config";
export { definePlatform } from "./program";
