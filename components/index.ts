export { Platform, type PlatformArgs, type RegionOutputs } from "./platform/platform";
export { RegionalCluster, type RegionalClusterArgs } from "./cluster/regional-cluster";
export type { ClusterHandle, ServiceAccountBindingArgs, ServiceAccountBinding } from "./cluster/handle";
export { Vpc, type VpcArgs } from "./network/vpc";
export { parseStackConfig } from "./config/load";
export { loadStackConfig } from "./config/pulumi-config";
export { InputError, type Problem } from "./core/problem";
export type { SemesterConfig, RegionConfig } from "./config/schema";
export { definePlatform } from "./program";
