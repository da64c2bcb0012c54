/**
 * The cluster changes that replace nodes or upgrade the control plane, in words: what the change freeze refuses
 * during a region's critical spans besides Rollouts. AWS offers no maintenance window for either (an EKS version
 * update and a managed node group update run when the API is called: UpdateClusterVersion, UpdateNodegroupVersion),
 * so the platform's one control is when it calls them. Pure.
 */
import { get, stableJson } from "./common";

export const EKS_CLUSTER_TYPE = "aws:eks/cluster:Cluster";
export const NODE_GROUP_TYPE = "aws:eks/nodeGroup:NodeGroup";
export const LAUNCH_TEMPLATE_TYPE = "aws:ec2/launchTemplate:LaunchTemplate";

/** The resource types whose updates `nodeChange` reads. */
export const NODE_CHANGE_TYPES: ReadonlySet<string> = new Set([
  EKS_CLUSTER_TYPE,
  NODE_GROUP_TYPE,
  LAUNCH_TEMPLATE_TYPE,
]);

/** A node group rolls its nodes when any of these changes (a new launch template version included). */
const NODE_GROUP_FIELDS = ["version", "releaseVersion", "amiType", "launchTemplate"] as const;

const shown = (v: unknown): string =>
  typeof v === "string" ? v : v === undefined ? "(unset)" : stableJson(v);

/** What changed that touches nodes or the control plane, or undefined when nothing such did. */
export function nodeChange(type: string, previous: unknown, proposed: unknown): string | undefined {
  switch (type) {
    case EKS_CLUSTER_TYPE: {
      const [a, b] = [get(previous, "version"), get(proposed, "version")];
      return stableJson(a) !== stableJson(b) ? `Kubernetes version ${shown(a)} → ${shown(b)}` : undefined;
    }
    case NODE_GROUP_TYPE: {
      const changed = NODE_GROUP_FIELDS.filter(
        (f) => stableJson(get(previous, f)) !== stableJson(get(proposed, f)),
      );
      return changed.length === 0
        ? undefined
        : `node update: ${changed.map((f) => `${f} ${shown(get(previous, f))} → ${shown(get(proposed, f))}`).join(", ")}`;
    }
    case LAUNCH_TEMPLATE_TYPE: {
      // Tags change no node; anything else is a new template version the node group rolls out.
      const strip = (v: unknown) =>
        stableJson(
          Object.fromEntries(
            Object.entries(typeof v === "object" && v !== null ? v : {}).filter(
              ([k]) => k !== "tags" && k !== "tagsAll",
            ),
          ),
        );
      return strip(previous) !== strip(proposed) ? "launch template changed (a new node version)" : undefined;
    }
    default:
      return undefined;
  }
}
