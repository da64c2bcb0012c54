import * as pulumi from "@pulumi/pulumi";
import type { PlannedResource } from "../../cli/plan/record";
import { DEFAULT_ADDONS, DEFAULT_SERVICES } from "../../components/kubernetes/config";
import { observabilitySchema } from "../../components/observability/config";
import { RegionObservability } from "../../components/observability/region-observability";
import { bindingCluster } from "../fixtures/data/cluster";
import { only, recordResources } from "../support/record";

const valueOf = <T>(o: pulumi.Input<T>): Promise<T> =>
  new Promise((resolve) => pulumi.output(o).apply((v) => resolve(v as T)));

async function build(config: unknown) {
  let obs!: RegionObservability;
  const resources = await recordResources(() => {
    obs = new RegionObservability("prod-euw2-obs", {
      cluster: bindingCluster("eu-west-2"),
      environment: "prod",
      services: DEFAULT_SERVICES,
      addons: DEFAULT_ADDONS,
      config: observabilitySchema.parse(config),
    });
  });
  return { obs, resources };
}

const releases = (rs: readonly PlannedResource[]) =>
  rs
    .filter((r) => r.type === "kubernetes:helm.sh/v3:Release")
    .map((r) => String(r.inputs.name))
    .sort();
const count = (rs: readonly PlannedResource[], type: string) => rs.filter((r) => r.type === type).length;

describe("RegionObservability", () => {
  let all: Awaited<ReturnType<typeof build>>;
  beforeAll(async () => {
    all = await build({});
  });

  it("builds every part by default: key, AMP workspace and collector, SLO rules, alert topics, the stack, collectors, logs", () => {
    const { resources } = all;
    expect(count(resources, "aws:kms/key:Key")).toBe(1);
    expect(count(resources, "aws:amp/workspace:Workspace")).toBe(1);
    expect(count(resources, "aws:amp/scraper:Scraper")).toBe(1);
    expect(count(resources, "aws:amp/ruleGroupNamespace:RuleGroupNamespace")).toBe(1);
    expect(count(resources, "aws:amp/alertManagerDefinition:AlertManagerDefinition")).toBe(1);
    expect(count(resources, "aws:sns/topic:Topic")).toBe(2);
    expect(releases(resources)).toEqual([
      "aws-for-fluent-bit",
      "kube-prometheus-stack",
      "opentelemetry-operator",
    ]);
    expect(count(resources, "aws:xray/traceSegmentDestination:TraceSegmentDestination")).toBe(1);
  });

  it("gives the key a policy with the root, the workspace's and the container logs' statements, each for this account and region", async () => {
    const policy = JSON.parse(String(only(all.resources, "aws:kms/key:Key").inputs.policy));
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
      "AccountAdministration",
      "AllowCloudWatchLogsToUseTheKey",
      "AmpWorkspaceEncryption",
      "AmpPublishToEncryptedTopics",
    ]);
    expect(policy.Statement[1].Condition).toEqual({
      ArnLike: {
        "kms:EncryptionContext:aws:logs:arn": [
          "arn:aws:logs:eu-west-2:123456789012:log-group:/aws/vendedlogs/prometheus/*",
          "arn:aws:logs:eu-west-2:123456789012:log-group:/semester/prod/eu-west-2/application",
        ],
      },
    });
  });

  it("hands the services the signed endpoint with KEDA's query policy, their instrumentation, the agent egress and readiness", async () => {
    const t = all.obs.services;
    expect(t.promql?.sigv4Region).toBe("eu-west-2");
    expect(await valueOf(t.promql!.queryUrl)).toMatch(
      /^https:\/\/aps-workspaces\.eu-west-2\.amazonaws\.com\/workspaces\/ws-[0-9a-f-]+$/,
    );
    const policy = JSON.parse(await valueOf(t.promql!.queryPolicy!));
    expect(policy.Statement[0].Action).toEqual([
      "aps:QueryMetrics",
      "aps:GetSeries",
      "aps:GetLabels",
      "aps:GetMetricMetadata",
    ]);
    expect(t.podAnnotations["course-catalog"]).toEqual({
      "instrumentation.opentelemetry.io/inject-java": "observability/semester-java",
    });
    expect(t.podAnnotations["learner-profile"]).toEqual({
      "instrumentation.opentelemetry.io/inject-nodejs": "observability/semester-nodejs",
    });
    expect(t.telemetryEgress).toEqual({
      namespace: "observability",
      podLabels: { "app.kubernetes.io/name": "otel-agent-collector" },
      ports: [4317, 4318],
    });
    expect(t.readiness.length).toBeGreaterThan(0);
    expect(Object.keys(all.obs.contributions).sort()).toEqual([
      "assessment-engine",
      "course-catalog",
      "learner-profile",
    ]);
  });

  it("with the in-cluster profile: no AMP, Prometheus and Alertmanager in the stack, rules as a PrometheusRule, alerts still to SNS", async () => {
    const { obs, resources } = await build({ profile: "in-cluster" });
    expect(count(resources, "aws:amp/workspace:Workspace")).toBe(0);
    expect(count(resources, "aws:amp/scraper:Scraper")).toBe(0);
    expect(count(resources, "aws:sns/topic:Topic")).toBe(2);
    expect(count(resources, "kubernetes:monitoring.coreos.com/v1:PrometheusRule")).toBe(1);
    const stack = only(resources, "kubernetes:helm.sh/v3:Release", "-stack-kube-prometheus-stack");
    expect((stack.inputs.values as any).prometheus.prometheusSpec.enableRemoteWriteReceiver).toBe(true);
    expect(obs.services.promql).toEqual({
      queryUrl: "http://kube-prometheus-stack-prometheus.observability.svc:9090",
    });
  });

  it("turns each part off on its own", async () => {
    const noTraces = await build({ traces: { enabled: false } });
    expect(count(noTraces.resources, "aws:xray/traceSegmentDestination:TraceSegmentDestination")).toBe(0);
    expect(releases(noTraces.resources)).toContain("opentelemetry-operator"); // metrics still need the agent
    const noLogs = await build({ logs: { enabled: false } });
    expect(releases(noLogs.resources)).not.toContain("aws-for-fluent-bit");
    const noAlerts = await build({ alerts: { enabled: false } });
    expect(count(noAlerts.resources, "aws:sns/topic:Topic")).toBe(0);
    expect(count(noAlerts.resources, "aws:amp/alertManagerDefinition:AlertManagerDefinition")).toBe(0);
    const noSlo = await build({ slo: { enabled: false } });
    expect(count(noSlo.resources, "aws:amp/ruleGroupNamespace:RuleGroupNamespace")).toBe(0);
    const nothing = await build({
      metrics: { enabled: false },
      traces: { enabled: false },
      logs: { enabled: false },
      slo: { enabled: false },
      dashboards: { enabled: false },
    });
    expect(nothing.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))).toEqual([]);
    expect(nothing.obs.services).toEqual({ podAnnotations: {}, readiness: [] });
    expect(nothing.obs.contributions).toEqual({});
  });
});
