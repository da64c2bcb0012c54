/**
 * KEDA owns a Deployment's `spec.replicas` once it runs: a second `pulumi up` must not reset a scaled-out
 * service to its initial count (mid-exam). Mocks keep no state and are not shown resource options, so the
 * test runs the region's workloads twice under the offline plan's mocks, reads each registration's
 * `ignoreChanges` as the SDK sends it to the engine, and applies the engine's documented ignoreChanges rule
 * (see ../support/ignore-changes.ts) to the second run's inputs against the state the first run left, after KEDA
 * scaled a Deployment and a refresh recorded it.
 */
import type * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterHandle } from "../../components/cluster/handle";
import { DEFAULT_ADDONS, DEFAULT_SERVICES, RegionWorkloads } from "../../components/kubernetes";
import { effectiveInputs } from "../support/ignore-changes";
import { recordWithIgnoreChanges, type RegisteredResource } from "../support/registrations";
import { testPromql } from "../support/promql-endpoint";

type Json = Record<string, any>;

function fakeCluster(region: string): ClusterHandle {
  const kubernetesProvider = new k8s.Provider(`k8s-${region}`, { kubeconfig: "{}" });
  const readiness = new k8s.core.v1.Namespace(
    `ready-${region}`,
    { metadata: { name: "karpenter" } },
    { provider: kubernetesProvider },
  );
  return {
    region,
    // Nothing in the Kubernetes layer uses the AWS provider, and loading @pulumi/aws costs seconds.
    awsProvider: {} as aws.Provider,
    kubernetesProvider,
    clusterName: pulumi.output(`semester-${region}`),
    partition: pulumi.output("aws"),
    accountId: pulumi.output("123456789012"),
    vpcId: pulumi.output("vpc-123"),
    vpcCidr: "10.0.0.0/16",
    privateSubnetIds: [],
    privateSubnetCidrs: ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"],
    privateRouteTableIds: [],
    nodeSecurityGroupId: pulumi.output("sg-1"),
    readiness: [readiness],
    bindServiceAccount: () =>
      ({ association: readiness }) as unknown as ReturnType<ClusterHandle["bindServiceAccount"]>,
  };
}

/** One `pulumi up` of the region's workloads (the same program every time). */
const up = () =>
  recordWithIgnoreChanges(() => {
    new RegionWorkloads("eu", {
      cluster: fakeCluster("eu-west-2"),
      environment: "prod",
      services: DEFAULT_SERVICES,
      addons: DEFAULT_ADDONS,
      kedaPolicy: '{"keda":"lag"}',
      promql: testPromql("eu-west-2"),
    });
  });

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const SCALED_OBJECT = "kubernetes:keda.sh/v1alpha1:ScaledObject";
const key = (r: RegisteredResource) =>
  `${(r.inputs as Json).metadata.namespace}/${(r.inputs as Json).metadata.name}`;

describe("a second pulumi up after KEDA scaled a Deployment", () => {
  let first: RegisteredResource[];
  let second: RegisteredResource[];
  beforeAll(async () => {
    first = await up();
    second = await up();
  });

  const deployments = (run: RegisteredResource[]) => run.filter((r) => r.type === DEPLOYMENT);

  it("registers every KEDA-scaled Deployment with ignoreChanges spec.replicas, and nothing else ignored", () => {
    const targets = first
      .filter((r) => r.type === SCALED_OBJECT)
      .map((r) => `${(r.inputs as Json).metadata.namespace}/${(r.inputs as Json).spec.scaleTargetRef.name}`)
      .sort();
    expect(targets.length).toBeGreaterThan(0);
    expect(deployments(first).map(key).sort()).toEqual(targets);
    for (const run of [first, second]) {
      expect(deployments(run).map((d) => [key(d), d.ignoreChanges])).toEqual(
        deployments(run).map((d) => [key(d), ["spec.replicas"]]),
      );
      const others = run.filter((r) => r.type !== DEPLOYMENT && r.ignoreChanges.length > 0);
      expect(others.map((r) => [r.type, r.name, r.ignoreChanges])).toEqual([]);
    }
  });

  it("keeps the 37 replicas KEDA scaled enrollment to, and leaves every Deployment without a change", () => {
    // The first up creates: no previous state, so the program's replicas are used.
    const state = new Map(
      deployments(first).map((d) => [d.urn, effectiveInputs(d.inputs, undefined, d.ignoreChanges)]),
    );
    const enrollment = deployments(first).find((d) => key(d) === "learning/enrollment")!;
    const initial = (enrollment.inputs as Json).spec.replicas as number;
    expect(initial).toBeLessThan(37);
    // KEDA scales enrollment to 37; `pulumi refresh` records the live count in the state.
    (state.get(enrollment.urn) as Json).spec.replicas = 37;

    expect(deployments(second).map((d) => d.urn)).toEqual([...state.keys()]);
    for (const d of deployments(second)) {
      const effective = effectiveInputs(d.inputs, state.get(d.urn), d.ignoreChanges);
      // Equal to the state: the engine finds no diff and sends the Deployment no update at all.
      expect([key(d), effective]).toEqual([key(d), state.get(d.urn)]);
    }
    const again = deployments(second).find((d) => d.urn === enrollment.urn)!;
    expect(effectiveInputs(again.inputs, state.get(again.urn), again.ignoreChanges).spec).toMatchObject({
      replicas: 37,
    });
  });

  it("would reset enrollment to its initial count without the ignoreChanges (negative control)", () => {
    const enrollment = deployments(second).find((d) => key(d) === "learning/enrollment")!;
    const scaled = effectiveInputs(enrollment.inputs, undefined, []);
    (scaled.spec as Json).replicas = 37;
    const reset = effectiveInputs(enrollment.inputs, scaled, []);
    expect((reset.spec as Json).replicas).toBe((enrollment.inputs as Json).spec.replicas);
    expect((reset.spec as Json).replicas).not.toBe(37);
  });
});

describe("the ignoreChanges model", () => {
  it("takes an ignored key from the state, or drops it when the state lacks it", () => {
    const program = { spec: { replicas: 3, paused: false } };
    expect(effectiveInputs(program, { spec: { replicas: 37, paused: false } }, ["spec.replicas"])).toEqual({
      spec: { replicas: 37, paused: false },
    });
    expect(effectiveInputs(program, { spec: { paused: false } }, ["spec.replicas"])).toEqual({
      spec: { paused: false },
    });
    expect(effectiveInputs(program, undefined, ["spec.replicas"])).toEqual(program);
    expect(effectiveInputs(program, { spec: { replicas: 37 } }, [])).toEqual(program);
  });

  it("fails as the engine does when an element of the path is missing, and refuses paths it does not model", () => {
    expect(() => effectiveInputs({ metadata: {} }, { spec: { replicas: 37 } }, ["spec.replicas"])).toThrow(
      'cannot ignore changes to the following properties because one or more elements of the path are missing: "spec.replicas"',
    );
    expect(() => effectiveInputs({}, {}, ["spec.containers[0].image"])).toThrow(
      'the ignoreChanges model takes key paths only (a.b.c), not "spec.containers[0].image"',
    );
  });
});
