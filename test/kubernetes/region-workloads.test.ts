import * as pulumi from "@pulumi/pulumi";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
  provider?: string;
}
const registered: Registered[] = [];

void pulumi.runtime.setMocks(
  {
    newResource(args: pulumi.runtime.MockResourceArgs) {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call(args: pulumi.runtime.MockCallArgs) {
      return args.inputs;
    },
  },
  "semester",
  "prod",
  false,
);

import type * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import type { ClusterHandle, ServiceAccountBindingArgs } from "../../components/cluster/handle";
import { DEFAULT_ADDONS, DEFAULT_SERVICES } from "../../components/kubernetes/config";
import { RegionWorkloads, renderRegionObjects } from "../../components/kubernetes/region-workloads";
import { dnsSchema, externalDnsIamPolicy } from "../../components/kubernetes/dns";
import {
  loadUpstreamAlbControllerPolicy,
  scopeAlbControllerPolicy,
} from "../../components/kubernetes/alb-controller-policy";
import type { KubeObject } from "../../components/core/kube-object";
import { testPromql } from "../support/promql-endpoint";

const bindCalls: [string, ServiceAccountBindingArgs][] = [];

function fakeCluster(region: string): ClusterHandle {
  // Loading @pulumi/aws costs seconds; nothing in the Kubernetes layer uses the AWS provider.
  const awsProvider = {} as aws.Provider;
  const kubernetesProvider = new k8s.Provider(`k8s-${region}`, { kubeconfig: "{}" });
  const readiness = new k8s.core.v1.Namespace(
    `ready-${region}`,
    { metadata: { name: "karpenter" } },
    { provider: kubernetesProvider },
  );
  return {
    region,
    awsProvider,
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
    bindServiceAccount(name, args) {
      bindCalls.push([name, args]);
      // Releases wait for the association: any resource stands in for it.
      return { association: readiness } as unknown as ReturnType<ClusterHandle["bindServiceAccount"]>;
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 10));
/** Waits until no registration has arrived for 100 ms (at most 5 s). */
async function quiesce(): Promise<void> {
  let seen = -1;
  for (let calm = 0, i = 0; calm < 10 && i < 500; i++) {
    calm = registered.length === seen ? calm + 1 : 0;
    seen = registered.length;
    await tick();
  }
}

// The data tier's ConfigMaps, whose values are Outputs known only at deploy time.
const brokers = pulumi.output("b-1.msk.example:9098,b-2.msk.example:9098");
const dataConfigMap = (name: string, data: Record<string, pulumi.Input<string>>) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "learning" },
  data,
});
const extraObjects = [
  dataConfigMap("semester-data-write", {
    KAFKA_BOOTSTRAP_SERVERS: brokers,
    POSTGRES_HOST: pulumi.output("writer.eu-west-2"),
  }),
  dataConfigMap("semester-data-read", {
    KAFKA_BOOTSTRAP_SERVERS: brokers,
    REDIS_HOST: pulumi.output("redis.eu-west-2"),
  }),
];

/** KEDA's operator policy as the platform would pass it (its content is tested with the data-access policies). */
const kedaPolicy = '{"keda":"lag"}';

describe("RegionWorkloads", () => {
  let workloads: RegionWorkloads;
  // Let Pulumi finish its asynchronous registrations before Jest tears the module registry down.
  afterAll(quiesce);
  beforeAll(async () => {
    workloads = new RegionWorkloads("eu", {
      cluster: fakeCluster("eu-west-2"),
      environment: "prod",
      services: DEFAULT_SERVICES,
      promql: testPromql("eu-west-2"),
      addons: DEFAULT_ADDONS,
      extraObjects,
      kedaPolicy,
    });
    // The v1 ConfigGroup expands its objects asynchronously; wait until every child is registered.
    const children = () => registered.filter((r) => r.name.startsWith("eu-west-2-")).length;
    for (let i = 0; i < 500 && children() < workloads.objects.length + extraObjects.length; i++) await tick();
    await quiesce();
  });

  it("installs the four add-ons at their pinned chart versions, in order, on the cluster's provider", () => {
    const releases = registered.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
    expect(
      releases.map((r) => [
        r.name,
        r.inputs.chart,
        r.inputs.version,
        r.inputs.namespace,
        r.inputs.repositoryOpts.repo,
      ]),
    ).toEqual([
      [
        "eu-addons-aws-load-balancer-controller",
        "aws-load-balancer-controller",
        "3.5.0",
        "kube-system",
        "https://aws.github.io/eks-charts",
      ],
      [
        "eu-addons-metrics-server",
        "metrics-server",
        "3.13.1",
        "kube-system",
        "https://kubernetes-sigs.github.io/metrics-server",
      ],
      ["eu-addons-keda", "keda", "2.20.2", "keda", "https://kedacore.github.io/charts"],
      ["eu-addons-kyverno", "kyverno", "3.9.0", "kyverno", "https://kyverno.github.io/kyverno"],
    ]);
    for (const r of releases) expect(r.provider).toMatch(/::k8s-eu-west-2::k8s-eu-west-2-id$/);
    expect(releases[0]!.inputs.values).toMatchObject({
      clusterName: "semester-eu-west-2",
      region: "eu-west-2",
      vpcId: "vpc-123",
      replicaCount: 2,
    });
    expect(releases[3]!.inputs.values).toEqual({
      admissionController: { replicas: 3 },
      backgroundController: { replicas: 2 },
      cleanupController: { replicas: 2 },
      reportsController: { replicas: 2 },
      features: { policyExceptions: { enabled: true, namespace: "kyverno" } },
    });
  });

  it("registers exactly the rendered objects through the ConfigGroup, prefixed by region, on the cluster's provider", () => {
    const kinds = registered.filter(
      (r) => r.type.startsWith("kubernetes:") && r.name.startsWith("eu-west-2-"),
    );
    expect(kinds).toHaveLength(workloads.objects.length + extraObjects.length);
    const so = kinds.find(
      (r) =>
        r.type === "kubernetes:keda.sh/v1alpha1:ScaledObject" && r.name === "eu-west-2-learning/enrollment",
    );
    expect(so?.inputs.spec.triggers[0].type).toBe("apache-kafka");
    expect(so?.inputs.spec.triggers[0].metadata.bootstrapServersFromEnv).toBe("KAFKA_BOOTSTRAP_SERVERS");
    expect(so?.provider).toMatch(/::k8s-eu-west-2::k8s-eu-west-2-id$/);
    expect(kinds.filter((r) => r.type === "kubernetes:keda.sh/v1alpha1:ScaledObject")).toHaveLength(6);
    expect(kinds.filter((r) => r.type === "kubernetes:policy/v1:PodDisruptionBudget")).toHaveLength(6);
  });

  it("registers the extra objects through the same ConfigGroup with their Output values resolved, outside `objects`", () => {
    const configMaps = registered.filter(
      (r) => r.type === "kubernetes:core/v1:ConfigMap" && r.name.startsWith("eu-west-2-"),
    );
    expect(configMaps.map((r) => [r.name, r.inputs.data]).sort()).toEqual([
      [
        "eu-west-2-learning/semester-data-read",
        {
          KAFKA_BOOTSTRAP_SERVERS: "b-1.msk.example:9098,b-2.msk.example:9098",
          REDIS_HOST: "redis.eu-west-2",
        },
      ],
      [
        "eu-west-2-learning/semester-data-write",
        {
          KAFKA_BOOTSTRAP_SERVERS: "b-1.msk.example:9098,b-2.msk.example:9098",
          POSTGRES_HOST: "writer.eu-west-2",
        },
      ],
    ]);
    for (const r of configMaps) expect(r.provider).toMatch(/::k8s-eu-west-2::k8s-eu-west-2-id$/);
    expect(workloads.objects.filter((o) => o.kind === "ConfigMap")).toEqual([]);
  });

  it("binds Pod Identity roles for services with AWS access and for KEDA's operator", () => {
    expect(bindCalls.map(([name, a]) => [name, a.namespace, a.serviceAccount])).toEqual([
      ["eu-ai-tutor", "ai-tutor", "ai-tutor"],
      ["eu-keda-operator", "keda", "keda-operator"],
      ["eu-aws-load-balancer-controller", "kube-system", "aws-load-balancer-controller"],
    ]);
    expect(bindCalls[0]![1].managedPolicyArns).toEqual([
      "arn:aws:iam::aws:policy/AmazonBedrockLimitedAccess",
    ]);
  });

  it("binds the load balancer controller to upstream's policy narrowed to this cluster, VPC and region", async () => {
    const [, args] = bindCalls.find(([name]) => name === "eu-aws-load-balancer-controller")!;
    expect(args.managedPolicyArns).toEqual([]);
    const policy = await new Promise<string>((resolve) =>
      pulumi.output(args.inlinePolicy!).apply((p) => resolve(p)),
    );
    expect(JSON.parse(policy)).toEqual(
      scopeAlbControllerPolicy(loadUpstreamAlbControllerPolicy(), {
        partition: "aws",
        region: "eu-west-2",
        accountId: "123456789012",
        clusterName: "semester-eu-west-2",
        vpcId: "vpc-123",
      }),
    );
  });

  it("refuses to register anything when an object does not validate", () => {
    const before = registered.length;
    expect(
      () =>
        new RegionWorkloads("bad", {
          cluster: fakeCluster("us-east-1"),
          environment: "prod",
          services: DEFAULT_SERVICES,
          promql: testPromql("eu-west-2"),
          addons: DEFAULT_ADDONS,
          kafkaBootstrapServers: "b-1:9098",
          kedaPolicy,
          scaling: {
            "course-catalog": [
              {
                source: "calendar",
                triggers: [
                  {
                    type: "cron",
                    name: "x",
                    metadata: { timezone: "UTC", start: "0 8 * * 1", end: "0 9 * * 1", desiredReplicas: "4" },
                    activationThreshold: "1",
                  } as never,
                ],
              },
            ],
          },
        }),
    ).toThrow(
      "Kubernetes objects for us-east-1: 1 schema problem(s):\n" +
        "- ScaledObject learning/course-catalog: `/spec/triggers/1/activationThreshold`: unknown field",
    );
    // Only the fake cluster's own provider/namespace resources were added.
    expect(registered.slice(before).every((r) => r.name.endsWith("us-east-1"))).toBe(true);
  });

  it("validates the extra objects with the rendered ones, their Outputs only as allowed fields, before registering anything", async () => {
    const before = registered.length;
    const extra = dataConfigMap("semester-data-write", {
      KAFKA_BOOTSTRAP_SERVERS: brokers,
      POSTGRES_PORT: 5432 as never,
    });
    expect(
      () =>
        new RegionWorkloads("bad-extra", {
          cluster: fakeCluster("ap-northeast-1"),
          environment: "prod",
          services: DEFAULT_SERVICES,
          promql: testPromql("eu-west-2"),
          addons: DEFAULT_ADDONS,
          kedaPolicy,
          extraObjects: [...extraObjects, { ...extra, immutable: pulumi.output(true), spec: {} }],
        }),
    ).toThrow(
      "Kubernetes objects for ap-northeast-1: 2 schema problem(s):\n" +
        "- ConfigMap learning/semester-data-write: `/data/POSTGRES_PORT`: must be string\n" +
        "- ConfigMap learning/semester-data-write: `/spec`: unknown field",
    );
    await quiesce();
    // The component itself, none of its children.
    expect(
      registered
        .slice(before)
        .filter((r) => r.name.startsWith("bad-extra"))
        .map((r) => r.type),
    ).toEqual(["semester:kubernetes:RegionWorkloads"]);
  });
});

describe("RegionWorkloads with global traffic (semester:dns)", () => {
  const dns = dnsSchema.parse({ zoneName: "semester.dev", hostedZoneId: "Z0123456789ABCDEFGHIJ" });
  let workloads: RegionWorkloads;
  let from = 0;
  let bindFrom = 0;
  afterAll(quiesce);
  beforeAll(async () => {
    from = registered.length;
    bindFrom = bindCalls.length;
    workloads = new RegionWorkloads("gt", {
      cluster: fakeCluster("ap-northeast-1"),
      environment: "prod",
      services: DEFAULT_SERVICES,
      promql: testPromql("eu-west-2"),
      addons: DEFAULT_ADDONS,
      dns,
      kedaPolicy,
    });
    await quiesce();
  });

  it("installs ExternalDNS 1.19.0 right after the load balancer controller, with values from the config", () => {
    const releases = registered
      .slice(from)
      .filter((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.name.startsWith("gt-"));
    expect(releases.map((r) => [r.name, r.inputs.chart, r.inputs.version, r.inputs.namespace])).toEqual([
      ["gt-addons-aws-load-balancer-controller", "aws-load-balancer-controller", "3.5.0", "kube-system"],
      ["gt-addons-external-dns", "external-dns", "1.19.0", "external-dns"],
      ["gt-addons-metrics-server", "metrics-server", "3.13.1", "kube-system"],
      ["gt-addons-keda", "keda", "2.20.2", "keda"],
      ["gt-addons-kyverno", "kyverno", "3.9.0", "kyverno"],
    ]);
    const externalDns = releases[1]!;
    expect(externalDns.inputs.repositoryOpts.repo).toBe("https://kubernetes-sigs.github.io/external-dns/");
    expect(externalDns.inputs.createNamespace).toBe(true);
    expect(externalDns.provider).toMatch(/::k8s-ap-northeast-1::k8s-ap-northeast-1-id$/);
    expect(externalDns.inputs.values).toMatchObject({
      provider: { name: "aws" },
      policy: "upsert-only",
      txtOwnerId: "semester-ap-northeast-1",
      domainFilters: ["semester.dev"],
      extraArgs: ["--zone-id-filter=Z0123456789ABCDEFGHIJ", "--aws-zone-type=public"],
      serviceAccount: { create: true, name: "external-dns" },
      nodeSelector: { "semester.dev/pool": "system" },
    });
  });

  it("binds ExternalDNS's service account to a role that may change only the configured zone", () => {
    const externalDns = bindCalls.slice(bindFrom).filter(([name]) => name === "gt-external-dns");
    expect(externalDns).toEqual([
      [
        "gt-external-dns",
        {
          namespace: "external-dns",
          serviceAccount: "external-dns",
          inlinePolicy: externalDnsIamPolicy("Z0123456789ABCDEFGHIJ"),
        },
      ],
    ]);
    expect(Object.keys(workloads.bindings)).toContain("external-dns/external-dns");
  });

  it("annotates exactly the public Ingresses as this region's latency records, and none without dns", () => {
    const annotated = (objs: readonly KubeObject[]) =>
      objs
        .filter((o) => o.kind === "Ingress")
        .map((o) => {
          const meta = o.metadata as { name: string; annotations: Record<string, string> };
          return [
            meta.name,
            meta.annotations["external-dns.alpha.kubernetes.io/set-identifier"],
            meta.annotations["external-dns.alpha.kubernetes.io/aws-region"],
          ];
        });
    expect(annotated(workloads.objects)).toEqual([
      ["course-catalog", "ap-northeast-1", "ap-northeast-1"],
      ["assessment-engine", "ap-northeast-1", "ap-northeast-1"],
      ["ai-tutor", "ap-northeast-1", "ap-northeast-1"],
    ]);
    const without = renderRegionObjects(
      { environment: "prod", services: DEFAULT_SERVICES, promql: testPromql("ap-northeast-1") },
      "ap-northeast-1",
    );
    expect(annotated(without)).toEqual([
      ["course-catalog", undefined, undefined],
      ["assessment-engine", undefined, undefined],
      ["ai-tutor", undefined, undefined],
    ]);
  });
});

describe("RegionWorkloads with data policies", () => {
  // course-catalog uses no data store and no AWS API; ai-tutor uses no data store but calls Bedrock.
  const services = {
    ...DEFAULT_SERVICES,
    "course-catalog": { ...DEFAULT_SERVICES["course-catalog"], dataAccess: "none" as const },
    "ai-tutor": { ...DEFAULT_SERVICES["ai-tutor"], dataAccess: "none" as const },
  };
  const write = pulumi.output('{"data":"write"}');
  const dataPolicies = {
    "assessment-engine": write,
    enrollment: write,
    "learner-profile": write,
    analytics: '{"data":"read"}',
  };
  let workloads: RegionWorkloads;
  let bindFrom = 0;
  afterAll(quiesce);
  beforeAll(async () => {
    bindFrom = bindCalls.length;
    workloads = new RegionWorkloads("dp", {
      cluster: fakeCluster("eu-central-1"),
      environment: "prod",
      services,
      addons: DEFAULT_ADDONS,
      dataPolicies,
      kedaPolicy,
      promql: testPromql("eu-central-1"),
    });
    await quiesce();
  });

  it("binds one role per service account, carrying the service's own policy and its binding's data policy", () => {
    const calls = bindCalls.slice(bindFrom);
    expect(calls.map(([name, a]) => [name, `${a.namespace}/${a.serviceAccount}`])).toEqual([
      ["dp-assessment-engine", "learning/assessment-engine"],
      ["dp-enrollment", "learning/enrollment"],
      ["dp-learner-profile", "learning/learner-profile"],
      ["dp-analytics", "learning/analytics"],
      ["dp-ai-tutor", "ai-tutor/ai-tutor"],
      ["dp-keda-operator", "keda/keda-operator"],
      ["dp-aws-load-balancer-controller", "kube-system/aws-load-balancer-controller"],
    ]);
    const accounts = calls.map(([, a]) => `${a.namespace}/${a.serviceAccount}`);
    expect(new Set(accounts).size).toBe(accounts.length);
    const args = Object.fromEntries(calls.map(([name, a]) => [name, a]));
    // enrollment and analytics have no policy of their own: their data policies cover their consumer groups.
    expect(args["dp-enrollment"]).toEqual({
      namespace: "learning",
      serviceAccount: "enrollment",
      managedPolicyArns: undefined,
      inlinePolicy: undefined,
      inlinePolicies: [write],
    });
    expect(args["dp-analytics"]!.inlinePolicy).toBeUndefined();
    expect(args["dp-analytics"]!.inlinePolicies).toEqual(['{"data":"read"}']);
    for (const svc of ["dp-assessment-engine", "dp-learner-profile"]) {
      expect(args[svc]).toEqual({
        namespace: "learning",
        serviceAccount: svc.slice(3),
        managedPolicyArns: undefined,
        inlinePolicy: undefined,
        inlinePolicies: [write],
      });
    }
    expect(Object.keys(workloads.bindings)).toContain("learning/learner-profile");
  });

  it("refuses Kafka-scaled services without a KEDA operator policy, before registering anything", () => {
    const before = registered.length;
    expect(
      () =>
        new RegionWorkloads("nokeda", {
          cluster: fakeCluster("eu-central-1"),
          environment: "prod",
          services,
          addons: DEFAULT_ADDONS,
          promql: testPromql("eu-central-1"),
        }),
    ).toThrow(
      "Invalid input in RegionWorkloads nokeda (1 problem):\n" +
        "  - `kedaPolicy`: got missing; required: enrollment, analytics scale on Kafka lag, which KEDA's operator reads with MSK IAM",
    );
    expect(registered.length).toBe(before);
  });

  it("gives services with dataAccess none no data policy, and no role at all without their own AWS access", () => {
    const calls = bindCalls.slice(bindFrom);
    expect(calls.filter(([name]) => name === "dp-course-catalog")).toEqual([]);
    expect(calls.filter(([name]) => name === "dp-ai-tutor")).toEqual([
      [
        "dp-ai-tutor",
        {
          namespace: "ai-tutor",
          serviceAccount: "ai-tutor",
          managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonBedrockLimitedAccess"],
          inlinePolicy: undefined,
        },
      ],
    ]);
  });
});
