import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlannedResource } from "../../cli/plan/record";
import { PlanRecorder } from "../../cli/plan/recorder";
import {
  appliedResources,
  applyObjects,
  checkObjects,
  type CheckedObjects,
} from "../../components/objects/apply";
import type { ResolvedKubeObject } from "../../components/core/kube-object";
import { keepScaledReplicas } from "../../components/kubernetes/region-workloads";

const deployment = (replicas: pulumi.Input<number>, image: pulumi.Input<string>): ResolvedKubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "api", namespace: "learning" },
  spec: {
    replicas,
    selector: { matchLabels: { app: "api" } },
    template: {
      metadata: { labels: { app: "api" } },
      spec: { containers: [{ name: "api", image }] },
    },
  },
});
const configMap = (
  data: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): ResolvedKubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "binding", namespace: "learning" },
  data,
  ...extra,
});

describe("checkObjects", () => {
  it("validates objects holding Outputs, checking each Output's place only for being an allowed field", () => {
    const objects = [
      deployment(pulumi.output(3), pulumi.output("registry.example/api:1.0.0")),
      configMap({ KAFKA_BOOTSTRAP_SERVERS: pulumi.output("b-1:9098"), REGION: "eu-west-2" }),
    ];
    expect(checkObjects(objects, "objects").objects).toBe(objects);
  });

  it("still names every plain problem next to an Output, and an unknown field even when it holds one", () => {
    const bad = configMap(
      { KAFKA_BOOTSTRAP_SERVERS: pulumi.output("b-1:9098"), PORT: 5432 },
      { spec: pulumi.output({ x: 1 }) },
    );
    expect(() =>
      checkObjects([deployment(pulumi.output(3), "api:1.0.0"), bad], "the data ConfigMaps"),
    ).toThrow(
      "the data ConfigMaps: 2 schema problem(s):\n" +
        "- ConfigMap learning/binding: `/data/PORT`: must be string\n" +
        "- ConfigMap learning/binding: `/spec`: unknown field",
    );
  });

  it("does not excuse a plain value of the wrong type in an object that also holds an Output", () => {
    expect(() => checkObjects([deployment("3" as never, pulumi.output("api:1.0.0"))], "objects")).toThrow(
      "objects: 1 schema problem(s):\n- Deployment learning/api: `/spec/replicas`: must be integer",
    );
  });
});

interface IgnoreChangesRequest {
  getName(): string;
  getIgnorechangesList(): string[];
}

describe("applyObjects", () => {
  const plain = configMap({ REGION: "eu-west-2" });
  const withOutputs = deployment(2, pulumi.output("registry.example/api:1.0.0"));
  let resources: PlannedResource[];
  const ignoreChanges = new Map<string, string[]>();
  let group: k8s.yaml.ConfigGroup;
  let resolvedUrns: string[];
  beforeAll(async () => {
    const recorder = new PlanRecorder();
    await recorder.install("semester", "test");
    const monitor = pulumi.runtime.getMonitor() as unknown as {
      registerResource(req: IgnoreChangesRequest, cb: unknown): unknown;
    };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
      ignoreChanges.set(req.getName(), req.getIgnorechangesList());
      return register(req, cb);
    };
    const provider = new k8s.Provider("k8s", { kubeconfig: "{}" });
    const objects: CheckedObjects = checkObjects([plain, withOutputs], "objects");
    // A transformation that changes the object it is handed: the caller's objects must not change with it.
    const relabel = (obj: Record<string, unknown>) => {
      (obj.metadata as { labels?: Record<string, string> }).labels = { moved: "yes" };
    };
    group = applyObjects(
      "grp",
      { objects, resourcePrefix: "eu-west-2", transformations: [keepScaledReplicas, relabel] },
      { provider },
    );
    applyObjects("plain", { objects: checkObjects([plain], "objects") }, { provider });
    const members = appliedResources(group, objects.objects, "eu-west-2");
    resolvedUrns = await Promise.all(
      members.map((m) => new Promise<string>((resolve) => m.apply((r) => r.urn.apply(resolve)))),
    );
    await PlanRecorder.settle();
    resources = recorder.resources();
  });

  it("registers every object through one ConfigGroup on the provider, named by the resource prefix (the group's name by default)", () => {
    const children = resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
    expect(children.map((r) => [r.type, r.name, r.provider])).toEqual([
      [
        "kubernetes:apps/v1:Deployment",
        "eu-west-2-learning/api",
        "urn:pulumi:test::semester::pulumi:providers:kubernetes::k8s",
      ],
      [
        "kubernetes:core/v1:ConfigMap",
        "eu-west-2-learning/binding",
        "urn:pulumi:test::semester::pulumi:providers:kubernetes::k8s",
      ],
      [
        "kubernetes:core/v1:ConfigMap",
        "plain-learning/binding",
        "urn:pulumi:test::semester::pulumi:providers:kubernetes::k8s",
      ],
    ]);
    expect(resolvedUrns).toEqual([children[1]!.urn, children[0]!.urn]);
  });

  it("resolves Outputs into the recorded inputs and leaves the caller's objects as they were", () => {
    const api = resources.find((r) => r.name === "eu-west-2-learning/api")!;
    expect(api.inputs).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "api", namespace: "learning", labels: { moved: "yes" } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: "api" } },
        template: {
          metadata: { labels: { app: "api" } },
          spec: { containers: [{ name: "api", image: "registry.example/api:1.0.0" }] },
        },
      },
    });
    expect([plain.metadata, withOutputs.metadata]).toEqual([
      { name: "binding", namespace: "learning" },
      { name: "api", namespace: "learning" },
    ]);
    expect(resources.find((r) => r.name === "plain-learning/binding")!.inputs.metadata).toEqual({
      name: "binding",
      namespace: "learning",
    });
  });

  it("runs the transformations on each object: KEDA's Deployments keep their replicas across deploys", () => {
    expect([
      ignoreChanges.get("eu-west-2-learning/api"),
      ignoreChanges.get("eu-west-2-learning/binding"),
      ignoreChanges.get("plain-learning/binding"),
    ]).toEqual([["spec.replicas"], [], []]);
  });
});
