import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/**
 * The one path from rendered objects to a cluster: a v1 `ConfigGroup` with `objs`, which expands every
 * object client-side, so the offline plan and the policies see exactly what a deploy applies.
 * `resourcePrefix` keeps object names unique when several regions' clusters share one program.
 */
export function applyObjects(
  name: string,
  objects: readonly object[],
  opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider },
): k8s.yaml.ConfigGroup {
  return new k8s.yaml.ConfigGroup(name, { objs: [...objects], resourcePrefix: name }, opts);
}
