/**
 * The one path Kubernetes objects take into a cluster: validated against their upstream schemas (the core API
 * and the vendored CRDs in `crds/`), then applied as one ConfigGroup on the cluster's provider.
 */
export { appliedResources, applyObjects, checkObjects } from "./apply";
export { CrdRegistry, indexCrds, toStrictJsonSchema } from "./crd-registry";
export { assertValidObjects, formatProblem, validateObjects } from "./validate";
export type { SchemaProblem } from "./validate";
export { bindLateValues, hasLateBoundTokens, lateBoundToken } from "./late-bound";
