/**
 * The pods Kubernetes admits in the mesh: Kyverno's validating webhooks run after istiod's mutating one, so a
 * workload in a namespace labelled `istio-injection: enabled` is judged with its sidecar. The plan's CEL rules run
 * on these renditions instead of the bare templates (injection only adds containers and volumes, so every finding
 * on the bare template is still found).
 */
import type { PlannedObject } from "./record";
import { INJECTION_LABEL, INJECTION_OPT_OUT, injectSidecar, type MeshConfig } from "../../components/mesh";

/** Whether pod labels opt the pod out of injection (`INJECTION_OPT_OUT`). */
export function optedOut(labels: Readonly<Record<string, string>> | undefined): boolean {
  const [key, value] = Object.entries(INJECTION_OPT_OUT)[0]!;
  return labels?.[key] === value;
}

const POD_TEMPLATE_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "Rollout"]);

/** The objects with every meshed pod template injected (the mesh off: unchanged). */
export function withInjectedSidecars(
  objects: readonly PlannedObject[],
  mesh: MeshConfig | undefined,
): PlannedObject[] {
  if (mesh === undefined || !mesh.enabled) return [...objects];
  const [key, value] = Object.entries(INJECTION_LABEL)[0]!;
  const meshed = new Set(
    objects
      .filter(
        (o) =>
          o.object.kind === "Namespace" &&
          (o.object.metadata.labels as Record<string, string> | undefined)?.[key] === value,
      )
      .map((o) => `${o.region}/${o.object.metadata.name}`),
  );
  return objects.map((o) => {
    const obj = o.object;
    if (!POD_TEMPLATE_KINDS.has(obj.kind) || !meshed.has(`${o.region}/${obj.metadata.namespace ?? ""}`))
      return o;
    const spec = obj.spec as
      | { template?: { metadata?: { labels?: Record<string, string> }; spec?: Record<string, unknown> } }
      | undefined;
    if (spec?.template?.spec === undefined) return o;
    // Istio's injector honours a pod's own opt-out over the namespace's label.
    if (optedOut(spec.template.metadata?.labels)) return o;
    return {
      ...o,
      object: {
        ...obj,
        spec: { ...spec, template: { ...spec.template, spec: injectSidecar(spec.template.spec, mesh) } },
      },
    };
  });
}
