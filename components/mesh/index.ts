/** The service mesh: Istio in sidecar mode with istio-cni (circuit breakers, timeouts, retries, mTLS, authorization). */
export {
  DEFAULT_MESH,
  ISTIO_VERSION,
  MESH_TIERS,
  meshEnabled,
  meshSchema,
  trafficOverrideSchema,
} from "./config";
export type { MeshConfig, MeshConfigInput, MeshTier, TrafficOverride } from "./config";
export {
  CNI_POD_LABELS,
  GATEWAY_OBJECT,
  GATEWAY_POD_LABELS,
  GATEWAY_PRINCIPAL,
  GATEWAY_READINESS_PATH,
  INGRESS_GATEWAY,
  INJECTION_LABEL,
  INJECTION_OPT_OUT,
  ISTIOD_POD_LABELS,
  ISTIO_INGRESS,
  ISTIO_SYSTEM,
  MESH_PORTS,
  principal,
} from "./names";
export {
  READ_RETRY_ON,
  SAFE_RETRY_ON,
  SUPPORTED_RETRY_ON,
  TIER_TRAFFIC,
  duration,
  maxEjections,
  resolveTraffic,
  trafficProblems,
  worstCaseTriesMs,
} from "./traffic";
export type { TrafficPolicy, TrafficSubject } from "./traffic";
export { allowedPrincipals, meshObjects, meshProblems } from "./objects";
export type { MeshObjectsArgs, MeshService } from "./objects";
export { GATEWAY_PEER, ISTIOD_PEER, meshNetworkPolicies } from "./network-policies";
export { MESH_CHARTS, MESH_RELEASE_NAMES, meshValues, sidecarResources } from "./values";
export type { MeshChart } from "./values";
export { MeshReleases } from "./releases";
export type { MeshReleasesArgs } from "./releases";
export { PROXY_UID, SIDECAR_RESOURCES, injectSidecar, proxyImage } from "./sidecar";
