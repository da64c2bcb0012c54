import type { PlannedObject, PlannedResource } from "../../cli/plan/record";
import { PlanIndex } from "../../cli/plan/wiring/model";
import { telemetryPathChecks } from "../../cli/plan/wiring/telemetry-paths";
import type { KubeObject } from "../../components/core";

const REGION = "eu-west-2";
const res = (type: string, name: string, inputs: Record<string, unknown>, dependencies: string[] = []) =>
  ({
    type,
    name,
    urn: `urn:${name}`,
    parent: null,
    region: REGION,
    custom: true,
    inputs,
    dependencies,
  }) as PlannedResource;

const labels = { "semester.dev/service": "course-catalog" };
const deployment: KubeObject = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "course-catalog", namespace: "learning" },
  spec: {
    template: {
      metadata: {
        labels,
        annotations: { "instrumentation.opentelemetry.io/inject-java": "observability/semester-java" },
      },
    },
  },
};
const instrumentation: KubeObject = {
  apiVersion: "opentelemetry.io/v1alpha1",
  kind: "Instrumentation",
  metadata: { name: "semester-java", namespace: "observability" },
  spec: { exporter: { endpoint: "http://otel-agent-collector.observability.svc:4318" } },
};
const collector: KubeObject = {
  apiVersion: "opentelemetry.io/v1beta1",
  kind: "OpenTelemetryCollector",
  metadata: { name: "otel-agent", namespace: "observability" },
  spec: {},
};
const policy = (egress: unknown[]): KubeObject => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name: "course-catalog-allow", namespace: "learning" },
  spec: { podSelector: { matchLabels: labels }, policyTypes: ["Ingress", "Egress"], egress },
});
const toAgent = {
  to: [
    {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "observability" } },
      podSelector: { matchLabels: { "app.kubernetes.io/name": "otel-agent-collector" } },
    },
  ],
  ports: [{ protocol: "TCP", port: 4318 }],
};

function check(opts: { objects?: KubeObject[]; waits?: boolean } = {}) {
  const objects = opts.objects ?? [deployment, instrumentation, collector, policy([toAgent])];
  const instRes = res("kubernetes:opentelemetry.io/v1alpha1:Instrumentation", "inst", instrumentation);
  const resources = [
    res("aws:eks/cluster:Cluster", "cluster", {}),
    instRes,
    res("kubernetes:apps/v1:Deployment", "deploy", deployment, opts.waits === false ? [] : [instRes.urn]),
  ];
  const planned: PlannedObject[] = objects.map((object) => ({ region: REGION, object }));
  return telemetryPathChecks(new PlanIndex({ resources, objects: planned }));
}

describe("the telemetry path of an instrumented service", () => {
  it("proves the Instrumentation, its order and the egress to the agent collector's pods", () => {
    const { proven, findings } = check();
    expect(findings).toEqual([]);
    expect(proven.map((p) => [p.kind, p.path])).toEqual([
      ["dependency", "java auto-instrumentation observability/semester-java"],
      ["network", "otel-agent-collector.observability.svc:4318 (OTLP)"],
    ]);
  });

  it("finds default-deny egress without an allow to the agent", () => {
    expect(check({ objects: [deployment, instrumentation, collector, policy([])] }).findings).toEqual([
      {
        kind: "network",
        region: REGION,
        subject: "eu-west-2/course-catalog",
        path: "otel-agent-collector.observability.svc:4318 (OTLP)",
        missing: expect.stringMatching(/^no NetworkPolicy egress to .*observability.* on TCP 4318$/),
      },
    ]);
  });

  it("finds a missing Instrumentation, a Deployment created before it, and an endpoint no collector serves", () => {
    expect(check({ objects: [deployment, collector, policy([toAgent])] }).findings[0]!.missing).toBe(
      "no Instrumentation observability/semester-java in the cluster",
    );
    expect(check({ waits: false }).findings[0]!.missing).toBe(
      "the Deployment is not created after Instrumentation observability/semester-java: its first pods would start uninstrumented",
    );
    expect(check({ objects: [deployment, instrumentation, policy([toAgent])] }).findings[0]!.missing).toBe(
      "no OpenTelemetryCollector whose Service is otel-agent-collector.observability.svc",
    );
  });
});
