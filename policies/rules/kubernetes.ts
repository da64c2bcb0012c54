import type { KubeObject } from "../../components/core";
/** The Kubernetes CEL rules as a CrossGuard policy, so `pulumi preview --policy-pack policies` applies them too. */
import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import {
  type GovernanceConfig,
  kubernetesDefaultLevel,
  levelOf,
  evaluateRule,
  kubernetesRules,
} from "../../components/governance";
import { cloudLevel, type SemesterPolicy } from "./common";

/** The Kubernetes object a `kubernetes:<group>/<version>:<Kind>` resource applies, from its inputs. */
export function objectOf(resource: { type: string; props: Record<string, unknown> }): KubeObject | undefined {
  const match = /^kubernetes:(?:(.+)\/)?([^/:]+):(.+)$/.exec(resource.type);
  if (!match || resource.type.includes("/v2:ConfigGroup") || resource.type.startsWith("kubernetes:helm"))
    return undefined;
  const [, group, version, kind] = match;
  const metadata = (resource.props.metadata ?? {}) as KubeObject["metadata"];
  if (typeof metadata.name !== "string") return undefined;
  const apiVersion = group === undefined || group === "core" ? version! : `${group}/${version}`;
  return { ...resource.props, apiVersion, kind: kind!, metadata } as KubeObject;
}

/**
 * Evaluates every enabled Kubernetes rule against every `kubernetes:*` resource of the stack with the
 * offline CEL evaluator, grouping objects by their Kubernetes provider (one cluster each) so that
 * `resource.List` sees the cluster's other objects. Violations carry the rule's level in the message.
 */
export function kubernetesPolicy(config: GovernanceConfig): SemesterPolicy {
  return {
    name: "kubernetes-cel-rules",
    description: "Kubernetes objects must pass the Semester CEL rules that Kyverno enforces in the clusters.",
    severity: "high",
    enforcementLevel: cloudLevel(config, "kubernetes-cel-rules"),
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
      const byCluster = new Map<string, { resource: PolicyResource; object: KubeObject }[]>();
      for (const resource of args.resources) {
        const object = objectOf(resource);
        if (!object) continue;
        const key = resource.provider?.urn ?? "";
        byCluster.set(key, [...(byCluster.get(key) ?? []), { resource, object }]);
      }
      const rules = kubernetesRules(config).filter(
        (r) => levelOf(config, r.name, kubernetesDefaultLevel(config)) === "mandatory",
      );
      for (const entries of byCluster.values()) {
        const cluster = entries.map((e) => e.object);
        for (const { resource, object } of entries) {
          for (const rule of rules) {
            for (const message of evaluateRule(rule, object, config, cluster)) {
              report(`[${rule.name}] ${message}`, resource.urn);
            }
          }
        }
      }
    },
  };
}
