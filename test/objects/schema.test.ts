import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdk8s";
import { DEFAULT_SERVICES } from "../../components/kubernetes/config";
import { LearningChart } from "../../components/kubernetes/learning-chart";
import {
  CRD_DIR,
  CrdRegistry,
  toStrictJsonSchema,
  withoutInlineCaseFlag,
} from "../../components/objects/crd-registry";
import { assertValidObjects, formatProblem, validateObjects } from "../../components/objects/validate";
import { testPromqlTarget } from "../support/promql-endpoint";

type Obj = Record<string, any>;
const render = (region: string, literalBrokers = true): Obj[] =>
  Testing.synth(
    new LearningChart(Testing.app(), region, {
      region,
      environment: "prod",
      services: DEFAULT_SERVICES,
      kafkaBootstrapServers: literalBrokers ? "b-1.msk.example:9098" : undefined,
      promql: testPromqlTarget(region),
    }),
  ) as Obj[];
const objs = render("eu-west-2");
const clone = (kind: string, name: string): Obj =>
  structuredClone(objs.find((o) => o.kind === kind && o.metadata.name === name)) as Obj;
const messages = (o: Obj) => validateObjects([o]).map(formatProblem);

describe("schema validation", () => {
  it("validates every object of the prod chart in three regions", () => {
    for (const region of ["eu-west-2", "us-east-1", "ap-southeast-2"])
      expect(validateObjects(render(region))).toEqual([]);
  });

  it("validates the chart whose Kafka triggers read their brokers from env (`bootstrapServersFromEnv`)", () => {
    const envObjs = render("eu-west-2", false);
    const so = envObjs.find((o) => o.kind === "ScaledObject" && o.metadata.name === "enrollment");
    expect(so?.spec.triggers[0].metadata.bootstrapServersFromEnv).toBe("KAFKA_BOOTSTRAP_SERVERS");
    expect(validateObjects(envObjs)).toEqual([]);
  });

  it("rejects an unknown field in a custom resource", () => {
    const so = clone("ScaledObject", "enrollment");
    so.spec.pollingIntervall = 30;
    expect(messages(so)).toEqual([
      "ScaledObject learning/enrollment: `/spec/pollingIntervall`: unknown field",
    ]);
  });

  it("rejects a wrong type in a custom resource, including cron metadata that is not a string", () => {
    const so = clone("ScaledObject", "enrollment");
    so.spec.minReplicaCount = "3";
    so.spec.triggers.push({ type: "cron", name: "c", metadata: { desiredReplicas: 5 } });
    expect(messages(so)).toEqual([
      "ScaledObject learning/enrollment: `/spec/minReplicaCount`: must be integer",
      "ScaledObject learning/enrollment: `/spec/triggers/1/metadata/desiredReplicas`: must be string",
    ]);
  });

  it("rejects a missing required field", () => {
    const so = clone("ScaledObject", "course-catalog");
    delete so.spec.scaleTargetRef.name;
    expect(messages(so)).toEqual([
      "ScaledObject learning/course-catalog: `/spec/scaleTargetRef/name`: required field is missing",
    ]);
  });

  it("rejects an API version the CRD no longer serves, or no longer defines", () => {
    const vpa = {
      apiVersion: "autoscaling.k8s.io/v1beta2",
      kind: "VerticalPodAutoscaler",
      metadata: { name: "catalog", namespace: "learning" },
      spec: { targetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "course-catalog" } },
    };
    expect(messages(vpa)).toEqual([
      "VerticalPodAutoscaler learning/catalog: `/apiVersion`: the VerticalPodAutoscaler CRD (vpa/vpa-v1-crd-gen.yaml) no longer serves autoscaling.k8s.io/v1beta2; served: v1",
    ]);
    const kafka = {
      apiVersion: "kafka.strimzi.io/v1beta2",
      kind: "Kafka",
      metadata: { name: "events", namespace: "data" },
      spec: {},
    };
    expect(messages(kafka)).toEqual([
      "Kafka data/events: `/apiVersion`: the Kafka CRD (strimzi/040-Crd-kafka.yaml) does not define kafka.strimzi.io/v1beta2; served: v1",
    ]);
    const ta = clone("TriggerAuthentication", "enrollment-msk");
    ta.apiVersion = "keda.sh/v1beta1";
    expect(messages(ta)).toEqual([
      "TriggerAuthentication learning/enrollment-msk: `/apiVersion`: the TriggerAuthentication CRD (keda/keda.sh_triggerauthentications.yaml) does not define keda.sh/v1beta1; served: v1alpha1",
    ]);
  });

  it("rejects an enum value outside the CRD's set", () => {
    const ta = clone("TriggerAuthentication", "enrollment-msk");
    ta.spec.podIdentity.provider = "aws-kiam";
    expect(messages(ta)).toEqual([
      'TriggerAuthentication learning/enrollment-msk: `/spec/podIdentity/provider`: must be one of "azure-workload", "gcp", "aws", "aws-eks", "none"',
    ]);
  });

  it("rejects unknown fields, wrong types and missing fields in core objects", () => {
    const d = clone("Deployment", "course-catalog");
    d.spec.template.spec.containers[0].imagePullPolicyy = "Always";
    d.spec.replicas = "3";
    delete d.spec.selector;
    expect(messages(d)).toEqual([
      "Deployment learning/course-catalog: `/spec/selector`: required field is missing",
      "Deployment learning/course-catalog: `/spec/replicas`: must be integer",
      "Deployment learning/course-catalog: `/spec/template/spec/containers/0/imagePullPolicyy`: unknown field",
    ]);
  });

  it("accepts maps of any keys (labels, resources) in core objects", () => {
    const d = clone("Deployment", "course-catalog");
    d.metadata.labels["example.com/anything"] = "x";
    d.spec.template.spec.containers[0].resources.limits["nvidia.com/gpu"] = "1";
    expect(messages(d)).toEqual([]);
  });

  it("requires explicit names and refuses kinds it has no schema for", () => {
    expect(messages({ apiVersion: "v1", kind: "ConfigMap", metadata: { namespace: "learning" } })).toEqual([
      "ConfigMap learning/<object 0>: `/metadata/name`: an explicit name is required",
    ]);
    expect(
      messages({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w", namespace: "n" } })[0],
    ).toMatch(/^Widget n\/w: `\/apiVersion`: no schema for example.com\/v1 Widget: vendor its CRD/);
  });

  it("throws one error listing every problem", () => {
    const a = clone("ScaledObject", "enrollment");
    a.spec.bogus = true;
    const b = clone("Service", "enrollment");
    b.spec.ports[0].port = "80";
    expect(() => assertValidObjects([a, b], "prod eu-west-2")).toThrow(
      "prod eu-west-2: 2 schema problem(s):\n" +
        "- ScaledObject learning/enrollment: `/spec/bogus`: unknown field\n" +
        "- Service learning/enrollment: `/spec/ports/0/port`: must be integer",
    );
  });
});

describe("strict structural schemas", () => {
  it("closes objects with properties, keeps preserve-unknown-fields open and accepts int-or-string", () => {
    expect(
      toStrictJsonSchema({
        type: "object",
        description: "d",
        properties: {
          a: { type: "object", properties: { b: { type: "string" } } },
          open: {
            type: "object",
            "x-kubernetes-preserve-unknown-fields": true,
            properties: { c: { type: "string" } },
          },
          port: { "x-kubernetes-int-or-string": true },
          map: { type: "object", additionalProperties: { type: "string" } },
        },
      }),
    ).toEqual({
      type: "object",
      additionalProperties: false,
      properties: {
        a: { type: "object", additionalProperties: false, properties: { b: { type: "string" } } },
        open: { type: "object", properties: { c: { type: "string" } } },
        port: { anyOf: [{ type: "integer" }, { type: "string" }] },
        map: { type: "object", additionalProperties: { type: "string" } },
      },
    });
  });

  it("rewrites RE2's inline case flag into a pattern JavaScript runs, case-insensitively", () => {
    expect(withoutInlineCaseFlag("^(?i)(abort|warn)?$")).toBe("^([aA][bB][oO][rR][tT]|[wW][aA][rR][nN])?$");
    expect(withoutInlineCaseFlag("^(?i)a\\d[x-z]+$")).toBe("^[aA]\\d[x-z]+$");
    expect(withoutInlineCaseFlag("^[a-z]+$")).toBe("^[a-z]+$");
    expect(toStrictJsonSchema({ type: "string", pattern: "^(?i)(abort|warn)?$" })).toEqual({
      type: "string",
      pattern: "^([aA][bB][oO][rR][tT]|[wW][aA][rR][nN])?$",
    });
  });

  // The small kinds; Prometheus, Alertmanager and ScrapeConfig compile too (shared/crds/SOURCES.md) but take seconds.
  it("compiles the prometheus-operator CRDs Semester can emit", () => {
    const registry = new CrdRegistry();
    for (const kind of ["PrometheusRule", "ServiceMonitor", "PodMonitor", "Probe"]) {
      const check = registry.lookup("monitoring.coreos.com/v1", kind);
      expect([kind, typeof check?.validate]).toEqual([kind, "function"]);
    }
  });

  it("indexes every vendored kind", () => {
    expect(new CrdRegistry().kinds()).toEqual([
      "argoproj.io/AnalysisTemplate",
      "argoproj.io/Rollout",
      "autoscaling.k8s.io/VerticalPodAutoscaler",
      "autoscaling.k8s.io/VerticalPodAutoscalerCheckpoint",
      "chaos-mesh.org/Schedule",
      "kafka.strimzi.io/Kafka",
      "kafka.strimzi.io/KafkaMirrorMaker2",
      "kafka.strimzi.io/KafkaNodePool",
      "kafka.strimzi.io/KafkaTopic",
      "kafka.strimzi.io/KafkaUser",
      "karpenter.k8s.aws/EC2NodeClass",
      "karpenter.sh/NodePool",
      "keda.sh/ClusterTriggerAuthentication",
      "keda.sh/ScaledObject",
      "keda.sh/TriggerAuthentication",
      "kyverno.io/ClusterPolicy",
      "kyverno.io/PolicyException",
      "monitoring.coreos.com/Alertmanager",
      "monitoring.coreos.com/PodMonitor",
      "monitoring.coreos.com/Probe",
      "monitoring.coreos.com/Prometheus",
      "monitoring.coreos.com/PrometheusRule",
      "monitoring.coreos.com/ScrapeConfig",
      "monitoring.coreos.com/ServiceMonitor",
      "networking.istio.io/DestinationRule",
      "networking.istio.io/Gateway",
      "networking.istio.io/VirtualService",
      "opentelemetry.io/Instrumentation",
      "opentelemetry.io/OpenTelemetryCollector",
      "policies.kyverno.io/PolicyException",
      "policies.kyverno.io/ValidatingPolicy",
      "postgresql.cnpg.io/Cluster",
      "postgresql.cnpg.io/Pooler",
      "security.istio.io/AuthorizationPolicy",
      "security.istio.io/PeerAuthentication",
    ]);
  });

  it("keeps the vendored CRDs byte-identical to the checksums in SOURCES.md", () => {
    const sources = fs.readFileSync(path.join(CRD_DIR, "..", "SOURCES.md"), "utf8");
    const sums = [...sources.matchAll(/^([0-9a-f]{64}) {2}(\S+)$/gm)].map((m) => [m[2], m[1]]);
    const onDisk = fs
      .readdirSync(CRD_DIR, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".yaml"))
      .sort();
    expect(sums.map(([f]) => f).sort()).toEqual(onDisk);
    for (const [file, sum] of sums) {
      expect([
        file,
        createHash("sha256")
          .update(fs.readFileSync(path.join(CRD_DIR, file!)))
          .digest("hex"),
      ]).toEqual([file, sum]);
    }
  });
});
