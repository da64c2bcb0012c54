/**
 * One regional EKS cluster and what every later layer needs from it (`ClusterHandle`): providers, network,
 * Pod Identity, Karpenter, EBS CSI. This file is its public API: the only surface other modules import.
 */
export { clusterSchema } from "./config";
export { resolveClusterSettings } from "./defaults";
export { GP3_STORAGE_CLASS } from "./ebs-csi-policy";
export type { ClusterHandle, ServiceAccountBinding, ServiceAccountBindingArgs } from "./handle";
export { RegionalCluster } from "./regional-cluster";
export type { RegionalClusterArgs } from "./regional-cluster";
export { clusterSettingsProblems, nodePoolBudgetProblems, regionLayoutProblems } from "./rules";
export { KARPENTER_MAX_BUDGETS } from "./karpenter/window-budgets";
export type { ZeroBudgetWindow } from "./karpenter/window-budgets";
