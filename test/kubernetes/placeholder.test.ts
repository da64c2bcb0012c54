import { Testing } from "cdk8s";
import { DEFAULT_SERVICES } from "../../components/kubernetes/config";
import { LearningChart, type LearningChartProps } from "../../components/kubernetes/learning-chart";
import { PLACEHOLDER_BEHAVIOR, type KedaCronTrigger } from "../../components/kubernetes/keda";
import { DEFAULT_MESH } from "../../components/mesh/config";
import { sidecarResources } from "../../components/mesh";
import { DEFAULT_DELIVERY } from "../../components/kubernetes/delivery/config";
import { evaluateObjects } from "../../components/governance/cel/evaluate";
import { governanceConfig } from "../../components/governance/config";
import { withInjectedSidecars } from "../../cli/plan/mesh-injection";
import { PLACEHOLDER_POD } from "../../components/core";
import { testPromqlTarget } from "../support/promql-endpoint";

type Obj = { kind: string; metadata: { name: string; namespace?: string }; spec: any } & Record<string, any>;

const trigger: KedaCronTrigger = {
  type: "cron",
  name: "cal-001",
  metadata: { timezone: "Etc/UTC", start: "36 8 7 12 *", end: "39 8 7 12 *", desiredReplicas: "5" },
};
const placeholders = { "assessment-engine": { source: "calendar placeholders", triggers: [trigger] } };

function synth(over: Partial<LearningChartProps> = {}): Obj[] {
  const chart = new LearningChart(Testing.app(), "eu", {
    region: "eu-west-2",
    environment: "prod",
    services: DEFAULT_SERVICES,
    kafkaBootstrapServers: "b-1.msk.example:9098",
    promql: testPromqlTarget("eu-west-2"),
    placeholders,
    ...over,
  });
  return Testing.synth(chart) as Obj[];
}
const find = (objs: Obj[], kind: string, name: string): Obj => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (o === undefined) throw new Error(`no ${kind} ${name}`);
  return o;
};

describe("NodePlaceholder", () => {
  const objs = synth();
  const deployment = find(objs, "Deployment", "assessment-engine-placeholder");
  const service = find(objs, "Deployment", "assessment-engine");

  it("emits placeholders only for the services the calendar gives triggers", () => {
    expect(
      objs
        .filter((o) => o.kind !== "PriorityClass" && o.metadata.name.endsWith("-placeholder"))
        .map((o) => o.kind),
    ).toEqual(["Deployment", "ScaledObject"]);
  });

  it("holds the service's pods' room with its scheduling, below every priority, freed at once", () => {
    const pod = deployment.spec.template.spec;
    const own = service.spec.template.spec;
    expect(deployment.spec.replicas).toBe(0);
    expect(pod.priorityClassName).toBe("semester-placeholder");
    expect(pod.terminationGracePeriodSeconds).toBe(0);
    expect(pod.containers.map((c: any) => [c.name, c.image, c.resources])).toEqual([
      ["reserve-assessment-engine", "registry.k8s.io/pause:3.10", own.containers[0].resources],
    ]);
    expect(pod.containers[0].readinessProbe).toBeUndefined();
    expect(pod.securityContext).toEqual(own.securityContext);
    expect(pod.nodeSelector).toEqual(own.nodeSelector);
    expect(pod.tolerations).toEqual(own.tolerations);
    const selector = {
      "app.kubernetes.io/name": "assessment-engine-placeholder",
      "semester.dev/role": "placeholder",
    };
    expect(pod.topologySpreadConstraints).toEqual(
      own.topologySpreadConstraints.map(({ matchLabelKeys: _k, ...t }: any) => ({
        ...t,
        labelSelector: { matchLabels: selector },
      })),
    );
    expect(deployment.spec.template.metadata.annotations).toEqual({ "karpenter.sh/do-not-disrupt": "true" });
    expect(deployment.spec.template.metadata.labels).toMatchObject({
      ...selector,
      tier: "placeholder",
      "sidecar.istio.io/inject": "false",
      "semester.dev/placeholder-for": "assessment-engine",
    });
    // Not selected by the service's Service, PDB or NetworkPolicy.
    expect(deployment.spec.template.metadata.labels["semester.dev/service"]).toBeUndefined();
  });

  it("copies the AI tutor's node pool selector and toleration", () => {
    const tutor = synth({ placeholders: { "ai-tutor": placeholders["assessment-engine"] } });
    const pod = find(tutor, "Deployment", "ai-tutor-placeholder").spec.template.spec;
    expect(pod.nodeSelector).toEqual({ "semester.dev/pool": "ai" });
    expect(pod.tolerations).toEqual(find(tutor, "Deployment", "ai-tutor").spec.template.spec.tolerations);
  });

  it("scales on the calendar's triggers alone, from 0, straight up and down", () => {
    const so = find(objs, "ScaledObject", "assessment-engine-placeholder");
    expect(so.spec).toEqual({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "assessment-engine-placeholder" },
      minReplicaCount: 0,
      maxReplicaCount: find(objs, "ScaledObject", "assessment-engine").spec.maxReplicaCount,
      pollingInterval: 30,
      cooldownPeriod: 30,
      advanced: {
        restoreToOriginalReplicaCount: false,
        horizontalPodAutoscalerConfig: {
          name: "keda-hpa-assessment-engine-placeholder",
          behavior: PLACEHOLDER_BEHAVIOR,
        },
      },
      triggers: [trigger],
    });
  });

  it("holds a sidecar's room in the mesh, and matches the Rollout's pod template with delivery", () => {
    const meshed = synth({
      mesh: { config: { ...DEFAULT_MESH, enabled: true } },
      delivery: {
        config: { ...DEFAULT_DELIVERY, enabled: true },
        mesh: true,
        objectives: Object.fromEntries(
          Object.keys(DEFAULT_SERVICES).map((s) => [
            s,
            { availability: 0.999, latencyMs: 300, latencyTarget: 0.99 },
          ]),
        ) as any,
      },
    });
    const rollout = find(meshed, "Rollout", "assessment-engine");
    const pod = find(meshed, "Deployment", "assessment-engine-placeholder").spec.template.spec;
    expect(pod.containers.map((c: any) => [c.name, c.resources])).toEqual([
      ["reserve-assessment-engine", rollout.spec.template.spec.containers[0].resources],
      ["reserve-sidecar", sidecarResources(DEFAULT_MESH)],
    ]);
    expect(pod.topologySpreadConstraints.map((t: any) => t.whenUnsatisfiable)).toEqual(
      rollout.spec.template.spec.topologySpreadConstraints.map((t: any) => t.whenUnsatisfiable),
    );
  });
});

describe("placeholders under governance and the mesh", () => {
  const config = governanceConfig();
  const objs = synth({ mesh: { config: { ...DEFAULT_MESH, enabled: true } } });
  const deployment = find(objs, "Deployment", "assessment-engine-placeholder");
  const findings = (objects: readonly Obj[]) =>
    evaluateObjects(
      objects.map((object) => ({ region: "eu-west-2", object: object as any })),
      config,
    ).filter((f) => f.resource.includes("placeholder"));

  it("passes every rule, probes exempted", () => {
    expect(findings(objs)).toEqual([]);
  });

  it("still needs probes when a labelled placeholder runs any other image", () => {
    const other = JSON.parse(JSON.stringify(deployment)) as Obj;
    other.spec.template.spec.containers[0].image = "123456789012.dkr.ecr.eu-west-2.amazonaws.com/app:1.0.0";
    const got = findings([...objs.filter((o) => o !== deployment), other]);
    expect(got.map((f) => f.rule)).toEqual(["require-probes"]);
    expect(PLACEHOLDER_POD.image).toBe("registry.k8s.io/pause:3.10");
  });

  it("gets no sidecar from the plan's injection, while the service does", () => {
    const planned = objs.map((object) => ({ region: "eu-west-2", object: object as any }));
    const injected = withInjectedSidecars(planned as any, { ...DEFAULT_MESH, enabled: true });
    const names = (name: string) =>
      (
        injected.find((o) => o.object.kind === "Deployment" && o.object.metadata.name === name)!.object as any
      ).spec.template.spec.initContainers?.map((c: any) => c.name) ?? [];
    expect(names("assessment-engine-placeholder")).toEqual([]);
    expect(names("assessment-engine")).toContain("istio-proxy");
  });
});
