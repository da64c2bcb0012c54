/** Workload standards beyond pod security: resources, probes, images, labels, availability, namespaces. */
import type { GovernanceConfig } from "../config";
import {
  CONTAINERS_VARIABLE,
  celList,
  celString,
  everyContainer,
  type KubernetesRule,
  NON_EPHEMERAL_CONTAINERS_VARIABLE,
  podCheck,
  podMetadataMap,
  WHO,
  WHO_CLUSTER,
} from "./types";
import { PLACEHOLDER_POD } from "../../core";

/** @internal Label whose value `critical` marks a critical-tier workload. */
export const TIER_LABEL = "tier";
/** @internal */
export const CRITICAL_TIER = "critical";
/** @internal */
export const ZONE_TOPOLOGY_KEY = "topology.kubernetes.io/zone";

/** @internal CEL: the image reference `c.image` is pinned by digest, or by a tag other than `latest`. */
export const PINNED_IMAGE =
  'c.image.matches("@sha256:[a-f0-9]{64}$") || ' +
  '(c.image.matches("^([^/]+/)*[^/:@]+:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$") && !c.image.endsWith(":latest"))';

/**
 * The regular expression an image must match to come from one of `registries`: each entry is a host
 * (with `*` matching within one DNS label) and an optional path prefix, followed by `/`.
 * @internal
 */
export function registryPattern(registries: readonly string[]): string {
  const alternatives = registries.map((r) =>
    r
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join("[a-z0-9-]*"),
  );
  return `^(${alternatives.join("|")})/`;
}

/** @internal The workload rules, built from the stack's governance config. */
export function workloadRules(config: GovernanceConfig): KubernetesRule[] {
  const labels = celList(config.requiredLabels);
  const podLabels = podMetadataMap("labels");
  const isCritical =
    `object.metadata.?labels[?${celString(TIER_LABEL)}].orValue("") == ${celString(CRITICAL_TIER)} || ` +
    `object.spec.template.?metadata.?labels[?${celString(TIER_LABEL)}].orValue("") == ${celString(CRITICAL_TIER)}`;
  return [
    {
      name: "require-requests-limits",
      description: "Containers must declare CPU and memory requests and limits.",
      severity: "medium",
      match: ["Pod"],
      // Kubernetes forbids resources on ephemeral containers: they use what the pod already has.
      variables: [NON_EPHEMERAL_CONTAINERS_VARIABLE],
      validations: [
        everyContainer(
          ["requests", "limits"]
            .flatMap((k) => ["cpu", "memory"].map((r) => `c.?resources.?${k}[?"${r}"].hasValue()`))
            .join(" && "),
          {
            requirement: "Containers must declare CPU and memory requests and limits",
            violation: "lack CPU or memory requests or limits",
            fix: "set resources.requests.cpu, resources.requests.memory, resources.limits.cpu and resources.limits.memory",
          },
        ),
      ],
    },
    {
      name: "require-probes",
      description: "Long-running containers must declare readiness and liveness probes.",
      severity: "medium",
      match: ["Pod"],
      // Jobs run to completion; readiness and liveness do not apply to them or to their pods.
      autogen: ["deployments", "statefulsets", "daemonsets"],
      matchConditions: [
        {
          name: "not-a-job-pod",
          expression: `!("batch.kubernetes.io/job-name" in ${podLabels})`,
        },
        // Node placeholders (calendar pre-provisioning) are pause containers: nothing to probe. Exempt only when the
        // pod is labelled one and every container runs the pinned pause image, so the label alone opens nothing.
        {
          name: "not-a-node-placeholder",
          expression:
            `!(${podLabels}[?${celString(PLACEHOLDER_POD.roleLabel)}].orValue("") == ${celString(PLACEHOLDER_POD.roleValue)} && ` +
            `object.spec.containers.all(c, c.image == ${celString(PLACEHOLDER_POD.image)}) && ` +
            `object.spec.?initContainers.orValue([]).size() == 0)`,
        },
      ],
      variables: [{ name: "containers", expression: "object.spec.containers" }],
      validations: [
        everyContainer("has(c.readinessProbe) && has(c.livenessProbe)", {
          requirement: "Containers must declare readiness and liveness probes",
          violation: "lack a readiness or liveness probe",
          fix: "set readinessProbe and livenessProbe",
        }),
      ],
    },
    {
      name: "require-pinned-images",
      description: "Images must be pinned by a tag other than latest, or by digest.",
      severity: "high",
      match: ["Pod"],
      variables: [CONTAINERS_VARIABLE],
      validations: [
        everyContainer(PINNED_IMAGE, {
          requirement: "Images must be pinned by an immutable tag or a digest",
          violation: "use an untagged or :latest image",
          fix: "reference the image by a version tag (repo:1.4.2) or a digest (repo@sha256:...)",
        }),
      ],
    },
    {
      name: "restrict-image-registries",
      description: `Images must come from the allowed registries (${config.allowedRegistries.join(", ")}).`,
      severity: "high",
      match: ["Pod"],
      variables: [CONTAINERS_VARIABLE],
      validations: [
        everyContainer(`c.image.matches(${celString(registryPattern(config.allowedRegistries))})`, {
          requirement: "Images must come from an allowed registry",
          violation: "pull from a registry that is not allowed",
          fix: `push the image to one of ${config.allowedRegistries.join(", ")} and reference it there`,
        }),
      ],
    },
    {
      name: "require-labels",
      description: `Pods must carry the labels ${config.requiredLabels.join(", ")}.`,
      severity: "medium",
      match: ["Pod"],
      validations: [
        {
          expression: `${labels}.all(l, l in ${podLabels})`,
          message: `Pods must carry the labels ${config.requiredLabels.join(", ")}; add them to the pod template's metadata.labels.`,
          messageExpression:
            `${WHO} + ": pods lack the label(s) " + ` +
            `${labels}.filter(l, !(l in ${podLabels})).join(", ") + ` +
            `"; add them to the pod template's metadata.labels."`,
        },
      ],
    },
    {
      name: "require-critical-availability",
      description: `Critical-tier workloads must run at least ${config.criticalMinReplicas} replicas spread across zones.`,
      severity: "high",
      match: ["Deployment", "StatefulSet", "Rollout"],
      matchConditions: [{ name: "critical-tier", expression: isCritical }],
      validations: [
        {
          expression: `object.spec.?replicas.orValue(1) >= ${config.criticalMinReplicas}`,
          message: `Critical workloads must run at least ${config.criticalMinReplicas} replicas; raise spec.replicas.`,
          messageExpression:
            `${WHO} + ": tier critical runs " + string(object.spec.?replicas.orValue(1)) + ` +
            `" replica(s); set spec.replicas to at least ${config.criticalMinReplicas}."`,
        },
        {
          expression:
            "object.spec.template.spec.?topologySpreadConstraints.orValue([])" +
            `.exists(t, t.topologyKey == ${celString(ZONE_TOPOLOGY_KEY)})`,
          message: `Critical workloads must spread across zones; add a topologySpreadConstraint on ${ZONE_TOPOLOGY_KEY}.`,
          messageExpression:
            `${WHO} + ": tier critical has no zone spread; add a topologySpreadConstraint ` +
            `with topologyKey ${ZONE_TOPOLOGY_KEY} to the pod template."`,
        },
      ],
    },
    {
      name: "require-rollout-analysis",
      description:
        "Every Argo Rollout must be gated by an analysis: a canary analysis step, or a blue-green prePromotionAnalysis.",
      severity: "high",
      match: ["Rollout"],
      validations: [
        {
          expression:
            "has(object.spec.strategy.blueGreen) ? " +
            "size(object.spec.strategy.blueGreen.?prePromotionAnalysis.?templates.orValue([])) > 0 : " +
            "(has(object.spec.strategy.canary) && " +
            "(size(object.spec.strategy.canary.?analysis.?templates.orValue([])) > 0 || " +
            "object.spec.strategy.canary.?steps.orValue([]).exists(s, size(s.?analysis.?templates.orValue([])) > 0)))",
          message:
            "A Rollout must be gated by an analysis (a canary analysis step or a blue-green prePromotionAnalysis); without one a bad version is promoted on a timer and never rolled back.",
          messageExpression:
            `${WHO} + (has(object.spec.strategy.blueGreen) ? ` +
            `": blue-green without prePromotionAnalysis promotes an unchecked version; add the service's AnalysisTemplate." : ` +
            `": canary steps without an analysis step promote on a timer and never roll back; add an analysis step.")`,
        },
      ],
    },
    {
      name: "disallow-default-namespace",
      description: "Workloads must not run in the default namespace.",
      severity: "medium",
      match: ["Pod"],
      validations: [
        podCheck('object.metadata.namespace != "default"', {
          violation: "runs in the default namespace",
          fix: "set metadata.namespace to the service's own namespace",
        }),
      ],
    },
    {
      name: "require-default-deny-network-policy",
      description:
        "Workloads may run only in namespaces that have a default-deny NetworkPolicy for ingress and egress.",
      severity: "high",
      match: ["Pod"],
      validations: [
        podCheck(
          'resource.List("networking.k8s.io/v1", "networkpolicies", object.metadata.namespace).items.exists(p, ' +
            "size(p.spec.?podSelector.?matchLabels.orValue({})) == 0 && " +
            "size(p.spec.?podSelector.?matchExpressions.orValue([])) == 0 && " +
            '"Ingress" in p.spec.?policyTypes.orValue([]) && "Egress" in p.spec.?policyTypes.orValue([]) && ' +
            "size(p.spec.?ingress.orValue([])) == 0 && size(p.spec.?egress.orValue([])) == 0)",
          {
            violation: "runs in a namespace without a default-deny NetworkPolicy",
            fix:
              "add a NetworkPolicy with an empty podSelector, policyTypes [Ingress, Egress] and no rules " +
              "to the namespace before the workload",
          },
        ),
      ],
    },
    {
      name: "require-node-imdsv2",
      description:
        "Karpenter node classes must require IMDSv2 with a hop limit of 1 and encrypt their volumes.",
      severity: "high",
      match: ["EC2NodeClass"],
      validations: [
        {
          expression:
            'object.spec.?metadataOptions.?httpTokens.orValue("required") == "required" && ' +
            "object.spec.?metadataOptions.?httpPutResponseHopLimit.orValue(1) == 1",
          message:
            "Nodes must require IMDSv2 with hop limit 1; set spec.metadataOptions.httpTokens to required and httpPutResponseHopLimit to 1.",
          messageExpression:
            `${WHO_CLUSTER} + ": nodes must require IMDSv2 with hop limit 1; set spec.metadataOptions.httpTokens ` +
            `to required and httpPutResponseHopLimit to 1."`,
        },
        {
          expression:
            "object.spec.?blockDeviceMappings.orValue([]).all(b, b.?ebs.?encrypted.orValue(false) == true)",
          message: "Node volumes must be encrypted; set spec.blockDeviceMappings[].ebs.encrypted to true.",
          messageExpression: `${WHO_CLUSTER} + ": node volumes must be encrypted; set spec.blockDeviceMappings[].ebs.encrypted to true."`,
        },
      ],
    },
  ];
}
