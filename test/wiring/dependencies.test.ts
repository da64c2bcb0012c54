import { checkPlan } from "../../cli/plan/check";
import type { PlannedResource } from "../../cli/plan/record";
import { runPlan, type Plan } from "../../cli/plan/run";
import { dependencyFindings } from "../../cli/plan/wiring/dependencies";
import { findingMessage, type ProvenPath } from "../../cli/plan/wiring/types";
import { strimziPlan } from "./strimzi-plan";

const NOW = Date.parse("2026-10-19T00:00:00Z");

let dev: Plan;
let strimzi: Plan;
let strimziWithoutVolumes: Plan;
beforeAll(async () => {
  dev = await runPlan({ stack: "dev", now: NOW });
  strimzi = await strimziPlan();
  strimziWithoutVolumes = await strimziPlan((c) => ({
    ...c,
    cluster: { ...c.cluster, ebsCsiDriver: false },
  }));
}, 120_000);

/** A copy of the plan's resources without those matching `drop`. */
const without = (plan: Plan, drop: (r: PlannedResource) => boolean) => ({
  resources: plan.resources.filter((r) => !drop(r)),
});
/** A copy of the plan's resources with those matching `pick` changed. */
const changed = (
  plan: Plan,
  pick: (r: PlannedResource) => boolean,
  change: (r: PlannedResource) => PlannedResource,
) => ({
  resources: plan.resources.map((r) => (pick(r) ? change(r) : r)),
});
const messages = (input: { resources: readonly PlannedResource[] }) =>
  dependencyFindings(input as Plan).findings.map(findingMessage);
const paths = (proven: readonly ProvenPath[], path: string) =>
  proven.filter((p) => p.path === path).map((p) => p.subject);

const isAlbRelease = (r: PlannedResource) =>
  r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "aws-load-balancer-controller";
const isAlbBinding = (r: PlannedResource) =>
  r.type === "aws:eks/podIdentityAssociation:PodIdentityAssociation" &&
  r.inputs.serviceAccount === "aws-load-balancer-controller";

describe("dependency wiring of the dev stack", () => {
  it("proves every path and finds nothing missing", () => {
    expect(dependencyFindings(dev).findings).toEqual([]);
  });

  it("proves each public Ingress is served by the load balancer controller, bound to its role", () => {
    const { proven } = dependencyFindings(dev);
    // With the mesh (on by default) the region has one public Ingress, to the ingress gateway.
    expect(paths(proven, "IngressClass alb").sort()).toEqual(["eu-west-2/istio-ingress/semester"]);
    expect(proven.find((p) => p.path === "IngressClass alb")!.via).toEqual([
      "Helm release aws-load-balancer-controller (aws-load-balancer-controller)",
      "Pod Identity association kube-system/aws-load-balancer-controller",
    ]);
  });

  it("proves Karpenter's, KEDA's and Kyverno's objects come after their CRDs and operators", () => {
    const { proven } = dependencyFindings(dev);
    expect(proven.find((p) => p.subject === "eu-west-2/general")).toEqual({
      kind: "dependency",
      region: "eu-west-2",
      subject: "eu-west-2/general",
      path: "CRD and operator of karpenter.sh/NodePool",
      via: ["Helm release karpenter-crd", "operator Helm release karpenter (karpenter)"],
    });
    const kinds = new Set(proven.map((p) => p.path));
    for (const k of [
      "keda.sh/ScaledObject",
      "keda.sh/TriggerAuthentication",
      "policies.kyverno.io/ValidatingPolicy",
    ]) {
      expect(kinds).toContain(`CRD and operator of ${k}`);
    }
  });

  it("has no StorageClass and no claims, so nothing about volumes to prove (the driver is off)", () => {
    const { proven } = dependencyFindings(dev);
    expect(
      proven.filter((p) => p.path.startsWith("StorageClass") || p.path.startsWith("CSI driver")),
    ).toEqual([]);
    expect(
      dev.resources.filter((r) => r.type === "aws:eks/addon:Addon").map((r) => r.inputs.addonName),
    ).not.toContain("aws-ebs-csi-driver");
  });

  it("names the Ingress, the class and the binding when the controller's Pod Identity association is removed", () => {
    expect(messages(without(dev, isAlbBinding))).toEqual([
      "eu-west-2/istio-ingress/semester → IngressClass alb: controller aws-load-balancer-controller has no Pod Identity association for kube-system/aws-load-balancer-controller",
    ]);
  });

  it("finds a controller release that does not wait for its association", () => {
    const binding = dev.resources.find(isAlbBinding)!;
    const input = changed(dev, isAlbRelease, (r) => ({
      ...r,
      dependencies: r.dependencies!.filter((d) => d !== binding.urn),
    }));
    expect(messages(input)[0]).toBe(
      "eu-west-2/istio-ingress/semester → IngressClass alb: controller aws-load-balancer-controller does not wait for its Pod Identity association kube-system/aws-load-balancer-controller",
    );
  });

  it("finds Ingresses no controller serves when the chart creates no IngressClass", () => {
    const input = changed(dev, isAlbRelease, (r) => ({
      ...r,
      inputs: { ...r.inputs, values: { ...(r.inputs.values as object), createIngressClassResource: false } },
    }));
    expect(messages(input)).toContain(
      "eu-west-2/istio-ingress/semester → IngressClass alb: no controller serves IngressClass alb",
    );
  });

  it("finds every NodePool and the EC2NodeClass without their CRD when the CRD release is removed", () => {
    const input = without(
      dev,
      (r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.name === "karpenter-crd",
    );
    expect(messages(input)).toEqual([
      "eu-west-2/default → CRD and operator of karpenter.k8s.aws/EC2NodeClass: no CRD for karpenter.k8s.aws/EC2NodeClass (v1) in the cluster",
      "eu-west-2/ai → CRD and operator of karpenter.sh/NodePool: no CRD for karpenter.sh/NodePool (v1) in the cluster",
      "eu-west-2/general → CRD and operator of karpenter.sh/NodePool: no CRD for karpenter.sh/NodePool (v1) in the cluster",
    ]);
  });
});

describe("dependency wiring of the dev stack on the Strimzi backend", () => {
  const isStrimziRelease = (r: PlannedResource) =>
    r.type === "kubernetes:helm.sh/v3:Release" && String(r.inputs.chart).endsWith("/strimzi-kafka-operator");

  it("proves every path and finds nothing missing", () => {
    expect(dependencyFindings(strimzi).findings).toEqual([]);
  });

  it("plans objects that all validate, with no mandatory policy violation", async () => {
    const checks = await checkPlan(strimzi);
    expect(checks.schemaProblems).toEqual([]);
    expect(checks.policy.findings.filter((f) => f.level === "mandatory")).toEqual([]);
  });

  it("proves the gp3 StorageClass has its CSI driver, bound through the add-on's association", () => {
    const { proven } = dependencyFindings(strimzi);
    expect(proven.filter((p) => p.path === "CSI driver ebs.csi.aws.com")).toEqual([
      {
        kind: "dependency",
        region: "eu-west-2",
        subject: "eu-west-2/gp3",
        path: "CSI driver ebs.csi.aws.com",
        via: ["EKS add-on aws-ebs-csi-driver", "Pod Identity association kube-system/ebs-csi-controller-sa"],
      },
    ]);
  });

  it("proves every Kafka node pool's volumes name the gp3 StorageClass of the cluster", () => {
    const { proven } = dependencyFindings(strimzi);
    expect(paths(proven, "StorageClass gp3").sort()).toEqual(
      ["broker-a", "broker-b", "broker-c", "controller-a", "controller-b", "controller-c"].map(
        (p) => `eu-west-2/kafka/${p}`,
      ),
    );
  });

  it("proves the Strimzi objects come after the operator that installs their CRDs", () => {
    const { proven } = dependencyFindings(strimzi);
    expect(proven.find((p) => p.subject === "eu-west-2/kafka/events")!.via).toEqual([
      "Helm release strimzi",
      "operator Helm release strimzi (strimzi-kafka-operator)",
    ]);
  });

  it("runs the operator as the data tier's child after the cluster is ready, and the Kafka objects after it", () => {
    const named = (name: string, type?: string) =>
      strimzi.resources.find((r) => r.name === name && (type === undefined || r.type === type))!;
    const tier = strimzi.resources.find((r) => r.type === "semester:data:DataTier")!;
    const release = strimzi.resources.find(isStrimziRelease)!;
    const group = named("semester-strimzi-data-eu-west-2-kafka");
    // The cluster's readiness: its node group and add-ons, Karpenter with its node objects, the gp3 StorageClass.
    const ready = [
      "semester-strimzi-eu-west-2-karpenter-nodes-default",
      "semester-strimzi-eu-west-2-karpenter-nodes-ai",
      "semester-strimzi-eu-west-2-karpenter-nodes-general",
      "semester-strimzi-eu-west-2-storage-gp3",
      "semester-strimzi-eu-west-2-coredns",
      "semester-strimzi-eu-west-2-ebs-csi",
      "semester-strimzi-eu-west-2-pod-identity-agent",
      "semester-strimzi-eu-west-2-karpenter",
    ].map((n) => named(n).urn);
    ready.push(named("semester-strimzi-eu-west-2-system", "aws:eks/nodeGroup:NodeGroup").urn);
    expect([release.name, release.parent, release.provider, release.dependencies]).toEqual([
      "semester-strimzi-data-eu-west-2-strimzi",
      tier.urn,
      named("semester-strimzi-eu-west-2-k8s").urn,
      ready.sort(),
    ]);
    expect([group.type, group.parent, group.dependencies]).toEqual([
      "kubernetes:yaml:ConfigGroup",
      tier.urn,
      [release.urn],
    ]);
    const kafka = strimzi.resources.filter((r) => r.type.startsWith("kubernetes:kafka.strimzi.io/"));
    expect(kafka).toHaveLength(14);
    expect(kafka.every((r) => r.parent === group.urn && r.provider === release.provider)).toBe(true);
    // Nothing of Strimzi is left under the Platform.
    const platform = strimzi.resources.find((r) => r.type === "semester:platform:Platform")!;
    expect(
      strimzi.resources.filter((r) => r.parent === platform.urn && /-(strimzi|kafka)$/.test(r.name)),
    ).toEqual([]);
  });

  it("names the StorageClass and the missing driver when the CSI add-on is removed", () => {
    const input = without(
      strimzi,
      (r) => r.type === "aws:eks/addon:Addon" && r.inputs.addonName === "aws-ebs-csi-driver",
    );
    expect(messages(input)).toEqual([
      "eu-west-2/gp3 → CSI driver ebs.csi.aws.com: no CSI driver ebs.csi.aws.com",
    ]);
  });

  it("names every node pool when the StorageClass is removed", () => {
    const input = without(strimzi, (r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass");
    expect(messages(input)).toEqual(
      ["controller-a", "broker-a", "controller-b", "broker-b", "controller-c", "broker-c"]
        .map((p) => `eu-west-2/kafka/${p} → StorageClass gp3: no StorageClass gp3 in the cluster`)
        .sort(),
    );
  });

  it("names the Kafka objects when the operator release that installs their CRDs is removed", () => {
    const found = messages(without(strimzi, isStrimziRelease));
    expect(found).toContain(
      "eu-west-2/kafka/events → CRD and operator of kafka.strimzi.io/Kafka: no CRD for kafka.strimzi.io/Kafka (v1) in the cluster",
    );
    expect(
      found.every((m) => m.startsWith("eu-west-2/kafka/") && m.includes("no CRD for kafka.strimzi.io/")),
    ).toBe(true);
  });

  it("finds Kafka objects applied without waiting for the operator", () => {
    const input = changed(
      strimzi,
      (r) => r.type === "kubernetes:yaml:ConfigGroup" && r.name === "semester-strimzi-data-eu-west-2-kafka",
      (r) => ({ ...r, dependencies: [] }),
    );
    expect(messages(input)).toContain(
      "eu-west-2/kafka/broker-a → CRD and operator of kafka.strimzi.io/KafkaNodePool: not ordered after Helm release strimzi, which installs its CRD",
    );
  });

  it("turns the driver off on request even for Strimzi, creating nothing, and then finds every claim unserved", () => {
    const types = new Set(strimziWithoutVolumes.resources.map((r) => r.type));
    expect(types).not.toContain("kubernetes:storage.k8s.io/v1:StorageClass");
    expect(strimziWithoutVolumes.resources.filter((r) => r.name.includes("ebs"))).toEqual([]);
    expect(messages(strimziWithoutVolumes)).toContain(
      "eu-west-2/kafka/broker-a → StorageClass gp3: no StorageClass gp3 in the cluster",
    );
  });
});
