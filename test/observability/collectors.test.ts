import type { ServiceAccountBindingArgs } from "../../components/cluster/handle";
import { InputError } from "../../components/core/problem";
import { validateObjects } from "../../components/objects/validate";
import { DEFAULT_OBSERVABILITY, type ObservabilityConfig } from "../../components/observability/config";
import {
  agentCollectorConfig,
  decisionWaitSeconds,
  samplerCollectorConfig,
} from "../../components/observability/collectors/collector-configs";
import { collectorObjects } from "../../components/observability/collectors/collector-objects";
import { collectorConfigProblems } from "../../components/observability/collectors/config-check";
import { COLLECTOR_IMAGE } from "../../components/observability/collectors/distribution";
import {
  instrumentationAnnotations,
  instrumentationObject,
} from "../../components/observability/collectors/instrumentation";
import {
  OTEL_OPERATOR_CHART,
  operatorValues,
} from "../../components/observability/collectors/operator-values";
import {
  RegionCollectors,
  regionCollectorsProblems,
} from "../../components/observability/collectors/region-collectors";
import {
  transactionSearchLogsPolicy,
  xraySamplerPolicy,
} from "../../components/observability/collectors/xray";
import { only, recordResources } from "../support/record";
import { chartDefaults, schemaErrors, unknownValuePaths } from "./chart-values";
import { bindingCluster } from "../fixtures/data/cluster";

const RW = "https://aps-workspaces.eu-west-2.amazonaws.com/workspaces/ws-1/api/v1/remote_write";
const SAMPLER_HOST = "otel-sampler-collector-headless.observability.svc.cluster.local";
const traces = { slowTraceMs: 1000, baselinePercent: 10 };
const build = (over: Partial<Parameters<typeof collectorObjects>[0]> = {}) =>
  collectorObjects({
    region: "eu-west-2",
    environment: "prod",
    languages: ["java", "python", "nodejs", "java"],
    remoteWriteUrl: RW,
    sigv4Region: "eu-west-2",
    traces,
    metricIntervalSeconds: 30,
    logGroupNames: ["/semester/prod/eu-west-2/application"],
    ...over,
  });

describe("agent collector configuration", () => {
  it("remote-writes metrics with SigV4 and load-balances traces by trace ID to the sampler's headless Service", () => {
    expect(
      agentCollectorConfig({
        remoteWriteUrl: RW,
        sigv4Region: "eu-west-2",
        traces: true,
        logGroupNames: ["/semester/prod/eu-west-2/application"],
      }),
    ).toEqual({
      receivers: {
        otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } } },
      },
      processors: {
        memory_limiter: { check_interval: "1s", limit_percentage: 80, spike_limit_percentage: 25 },
        k8sattributes: {
          auth_type: "serviceAccount",
          passthrough: false,
          extract: {
            metadata: ["k8s.namespace.name", "k8s.deployment.name", "k8s.pod.name", "k8s.node.name"],
            labels: [
              { tag_name: "rollouts-pod-template-hash", key: "rollouts-pod-template-hash", from: "pod" },
            ],
          },
          pod_association: [
            { sources: [{ from: "resource_attribute", name: "k8s.pod.ip" }] },
            { sources: [{ from: "connection" }] },
          ],
        },
        resource: { attributes: [{ key: "service.namespace", action: "delete" }] },
        "transform/rollout-hash": {
          error_mode: "ignore",
          metric_statements: [
            {
              context: "datapoint",
              statements: [
                'set(attributes["rollouts_pod_template_hash"], resource.attributes["rollouts-pod-template-hash"]) where resource.attributes["rollouts-pod-template-hash"] != nil',
              ],
            },
          ],
        },
        "resource/log-groups": {
          attributes: [
            { key: "aws.log.group.names", value: "/semester/prod/eu-west-2/application", action: "upsert" },
          ],
        },
        batch: { timeout: "1s", send_batch_size: 8192 },
      },
      exporters: {
        prometheusremotewrite: { endpoint: RW, auth: { authenticator: "sigv4auth" } },
        loadbalancing: {
          routing_key: "traceID",
          protocol: { otlp: { tls: { insecure: true }, timeout: "5s" } },
          resolver: { dns: { hostname: SAMPLER_HOST, port: "4317" } },
        },
      },
      extensions: {
        health_check: { endpoint: "0.0.0.0:13133" },
        sigv4auth: { region: "eu-west-2", service: "aps" },
      },
      service: {
        extensions: ["health_check", "sigv4auth"],
        pipelines: {
          metrics: {
            receivers: ["otlp"],
            processors: ["memory_limiter", "k8sattributes", "resource", "transform/rollout-hash", "batch"],
            exporters: ["prometheusremotewrite"],
          },
          traces: {
            receivers: ["otlp"],
            processors: ["memory_limiter", "k8sattributes", "resource", "resource/log-groups", "batch"],
            exporters: ["loadbalancing"],
          },
        },
      },
    });
  });

  it("has no remote-write exporter, SigV4 extension or metrics pipeline when metrics are off", () => {
    const cfg = agentCollectorConfig({ traces: true });
    expect(Object.keys(cfg.exporters ?? {})).toEqual(["loadbalancing"]);
    expect(Object.keys(cfg.extensions ?? {})).toEqual(["health_check"]);
    expect(Object.keys(cfg.service.pipelines)).toEqual(["traces"]);
    expect(collectorConfigProblems(cfg)).toEqual([]);
  });

  it("writes unsigned to an in-cluster Prometheus (no sigv4Region)", () => {
    const cfg = agentCollectorConfig({
      remoteWriteUrl: "http://prometheus:9090/api/v1/write",
      traces: false,
    });
    expect(cfg.exporters).toEqual({
      prometheusremotewrite: { endpoint: "http://prometheus:9090/api/v1/write" },
    });
    expect(cfg.service.extensions).toEqual(["health_check"]);
    expect(Object.keys(cfg.service.pipelines)).toEqual(["metrics"]);
  });
});

describe("sampler collector configuration", () => {
  it("keeps errors, slow traces and a probabilistic baseline, and exports to X-Ray's OTLP endpoint with SigV4", () => {
    const cfg = samplerCollectorConfig({ region: "ap-northeast-1", slowTraceMs: 1500, baselinePercent: 5 });
    expect(cfg.processors?.tail_sampling).toEqual({
      decision_wait: "9s".replace("9", String(decisionWaitSeconds(1500))),
      num_traces: 50000,
      policies: [
        { name: "keep-errors", type: "status_code", status_code: { status_codes: ["ERROR"] } },
        { name: "keep-slow", type: "latency", latency: { threshold_ms: 1500 } },
        { name: "baseline", type: "probabilistic", probabilistic: { sampling_percentage: 5 } },
      ],
    });
    expect(cfg.exporters).toEqual({
      "otlphttp/xray": {
        traces_endpoint: "https://xray.ap-northeast-1.amazonaws.com/v1/traces",
        compression: "gzip",
        auth: { authenticator: "sigv4auth/xray" },
      },
    });
    expect(cfg.extensions?.["sigv4auth/xray"]).toEqual({ region: "ap-northeast-1", service: "xray" });
    expect(cfg.service.pipelines).toEqual({
      traces: {
        receivers: ["otlp"],
        processors: ["memory_limiter", "tail_sampling", "batch"],
        exporters: ["otlphttp/xray"],
      },
    });
  });

  it("waits at least 10 s, and twice the slow threshold plus the export delay beyond that", () => {
    expect([decisionWaitSeconds(1000), decisionWaitSeconds(2000), decisionWaitSeconds(5000)]).toEqual([
      10, 10, 16,
    ]);
  });
});

describe("collectorConfigProblems", () => {
  it("finds nothing wrong in what the collectors run", () => {
    for (const cfg of Object.values(build().configs)) expect(collectorConfigProblems(cfg)).toEqual([]);
  });

  const sound = samplerCollectorConfig({ region: "eu-west-2", ...traces });

  it("names a pipeline component that is not declared", () => {
    const cfg = {
      ...sound,
      service: {
        ...sound.service,
        pipelines: {
          traces: { ...sound.service.pipelines.traces!, exporters: ["otlphttp/xray", "otlp/tempo"] },
        },
      },
    };
    expect(collectorConfigProblems(cfg)).toEqual([
      {
        path: "service.pipelines.traces.exporters[1]",
        value: "otlp/tempo",
        rule: "names a exporter that is not declared under exporters or connectors",
      },
    ]);
  });

  it("names an extension that is declared but never started, and an authenticator that is not started", () => {
    const cfg = { ...sound, service: { ...sound.service, extensions: ["health_check"] } };
    expect(collectorConfigProblems(cfg).map((p) => `${p.path}: ${p.rule}`)).toEqual([
      "extensions.sigv4auth/xray: is declared but not in service.extensions, so it never starts",
      "exporters.otlphttp/xray.auth.authenticator: authenticates with an extension that service.extensions does not start",
    ]);
  });

  it("refuses a component type the distribution does not build (the retired awsxray exporter here)", () => {
    const cfg = {
      ...sound,
      exporters: { ...sound.exporters, awsxray: { region: "eu-west-2" } },
      service: {
        ...sound.service,
        pipelines: {
          traces: { ...sound.service.pipelines.traces!, exporters: ["otlphttp/xray", "awsxray"] },
        },
      },
    };
    const [problem, ...rest] = collectorConfigProblems(cfg);
    expect(rest).toEqual([]);
    expect(problem?.path).toBe("exporters.awsxray");
    expect(problem?.rule).toBe(
      'the collector distribution has no exporter of type "awsxray"; it has: debug, loadbalancing, otlp, otlphttp, prometheusremotewrite',
    );
  });

  it("refuses a declared processor that no pipeline uses", () => {
    const cfg = { ...sound, processors: { ...sound.processors, filter: {} } };
    expect(collectorConfigProblems(cfg)).toEqual([
      {
        path: "processors.filter",
        value: "filter",
        rule: "is declared but no pipeline uses it (the collector ignores it)",
      },
    ]);
  });
});

describe("collector objects", () => {
  it("validate against the vendored OpenTelemetry CRDs and the core schema", () => {
    const o = build();
    expect(validateObjects([...o.serviceAccounts, ...o.collectors, ...o.instrumentations])).toEqual([]);
  });

  it("refuse a field the CRD does not define (the validator is live)", () => {
    const [agent] = build().collectors;
    const bad = { ...agent!, spec: { ...(agent!.spec as object), sidecarMode: true } };
    expect(validateObjects([bad]).map((p) => `${p.path}: ${p.reason}`)).toEqual([
      "/spec/sidecarMode: unknown field",
    ]);
  });

  it("run the agent as a DaemonSet and the sampler as a 2-replica StatefulSet with a PDB, on the contrib image", () => {
    const [agent, sampler] = build().collectors.map((c) => c.spec as Record<string, unknown>);
    expect([agent!.mode, agent!.serviceAccount, agent!.image]).toEqual([
      "daemonset",
      "otel-agent",
      COLLECTOR_IMAGE,
    ]);
    expect([sampler!.mode, sampler!.replicas, sampler!.serviceAccount, sampler!.podDisruptionBudget]).toEqual(
      ["statefulset", 2, "otel-sampler", { maxUnavailable: 1 }],
    );
    expect(COLLECTOR_IMAGE).toBe(
      "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:0.158.0",
    );
  });

  it("have no sampler, sampler account or traces pipeline when traces are off", () => {
    const o = build({ traces: undefined });
    expect(o.collectors.map((c) => c.metadata.name)).toEqual(["otel-agent"]);
    expect(o.serviceAccounts.map((c) => c.metadata.name)).toEqual(["otel-agent"]);
    expect(Object.keys(o.configs["otel-agent"]!.service.pipelines)).toEqual(["metrics"]);
    expect(Object.keys(o.configs["otel-agent"]!.exporters ?? {})).toEqual(["prometheusremotewrite"]);
  });

  it("make one Instrumentation per language, sorted", () => {
    expect(build().instrumentations.map((i) => i.metadata.name)).toEqual([
      "semester-java",
      "semester-nodejs",
      "semester-python",
    ]);
  });
});

describe("instrumentation", () => {
  it("exports http/protobuf to the agent with W3C propagation, always-on sampling and the environment", () => {
    expect(
      instrumentationObject("python", {
        environment: "staging",
        metricExportIntervalMs: 30000,
        metrics: true,
        traces: true,
      }),
    ).toEqual({
      apiVersion: "opentelemetry.io/v1alpha1",
      kind: "Instrumentation",
      metadata: {
        name: "semester-python",
        namespace: "observability",
        labels: { "app.kubernetes.io/part-of": "semester-observability" },
      },
      spec: {
        exporter: { endpoint: "http://otel-agent-collector.observability.svc:4318" },
        propagators: ["tracecontext", "baggage"],
        sampler: { type: "parentbased_always_on" },
        resource: { resourceAttributes: { "deployment.environment.name": "staging" } },
        env: [
          { name: "OTEL_EXPORTER_OTLP_PROTOCOL", value: "http/protobuf" },
          { name: "OTEL_TRACES_EXPORTER", value: "otlp" },
          { name: "OTEL_METRICS_EXPORTER", value: "otlp" },
          { name: "OTEL_METRIC_EXPORT_INTERVAL", value: "30000" },
          { name: "OTEL_LOGS_EXPORTER", value: "none" },
        ],
      },
    });
  });

  it("exports no metrics when the agent has no metrics pipeline", () => {
    const o = instrumentationObject("java", {
      environment: "dev",
      metricExportIntervalMs: 30000,
      metrics: false,
      traces: true,
    });
    expect(o.spec.env.filter((e) => e.name.startsWith("OTEL_METRIC"))).toEqual([
      { name: "OTEL_METRICS_EXPORTER", value: "none" },
    ]);
  });

  it("annotates a pod template with the language's Instrumentation in the observability namespace", () => {
    expect(instrumentationAnnotations("java")).toEqual({
      "instrumentation.opentelemetry.io/inject-java": "observability/semester-java",
    });
    expect(instrumentationAnnotations("go", { goTargetExe: "/app/server" })).toEqual({
      "instrumentation.opentelemetry.io/inject-go": "observability/semester-go",
      "instrumentation.opentelemetry.io/otel-go-auto-target-exe": "/app/server",
    });
  });

  it("refuses Go without the binary to instrument", () => {
    expect(() => instrumentationAnnotations("go")).toThrow(
      "Invalid input in instrumentationAnnotations go (1 problem):\n  - `goTargetExe`: got missing; Go auto-instrumentation needs the absolute path of the binary to instrument; fix: pass the container's entrypoint path, e.g. /app/server",
    );
  });
});

describe("X-Ray policies", () => {
  it("lets the sampler put spans, in its region only (the actions have no resource type)", () => {
    expect(xraySamplerPolicy("eu-west-2")).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "PutSpansToXRayOtlpEndpoint",
          Effect: "Allow",
          Action: ["xray:PutSpans", "xray:PutSpansForIndexing"],
          Resource: "*",
          Condition: { StringEquals: { "aws:RequestedRegion": "eu-west-2" } },
        },
      ],
    });
  });

  it("lets X-Ray of this account and region write spans into aws/spans (Transaction Search)", () => {
    expect(
      transactionSearchLogsPolicy({ partition: "aws", region: "us-east-1", accountId: "123456789012" }),
    ).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "TransactionSearchXRayAccess",
          Effect: "Allow",
          Principal: { Service: "xray.amazonaws.com" },
          Action: "logs:PutLogEvents",
          Resource: [
            "arn:aws:logs:us-east-1:123456789012:log-group:aws/spans:*",
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/application-signals/data:*",
          ],
          Condition: {
            ArnLike: { "aws:SourceArn": "arn:aws:xray:us-east-1:123456789012:*" },
            StringEquals: { "aws:SourceAccount": "123456789012" },
          },
        },
      ],
    });
  });
});

describe("operator values", () => {
  const values = operatorValues({ go: false });
  it("are HA, generate webhook certificates without cert-manager and default to the contrib collector", () => {
    expect(values).toEqual({
      replicaCount: 2,
      pdb: { create: true, minAvailable: 1 },
      priorityClassName: "system-cluster-critical",
      manager: {
        collectorImage: {
          repository:
            "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib",
          tag: "0.158.0",
        },
        createRbacPermissions: true,
        autoInstrumentation: { go: { enabled: false } },
      },
      admissionWebhooks: {
        certManager: { enabled: false },
        autoGenerateCert: { enabled: true, recreate: true, certPeriodDays: 3650 },
      },
    });
  });

  it("set only paths the chart has, and pass its values.schema.json", () => {
    const { chart, version } = OTEL_OPERATOR_CHART;
    expect(unknownValuePaths(values, chartDefaults(chart, version))).toEqual([]);
    expect(schemaErrors(chart, version, values)).toEqual([]);
    // The check is live: a misspelt path is reported.
    expect(unknownValuePaths({ manager: { collectorImages: {} } }, chartDefaults(chart, version))).toEqual([
      "manager.collectorImages",
    ]);
  });
});

describe("regionCollectorsProblems", () => {
  const base = {
    region: "eu-west-2",
    environment: "prod" as const,
    config: DEFAULT_OBSERVABILITY,
    languages: ["java" as const],
    endpoint: { queryUrl: "q", remoteWriteUrl: RW, sigv4Region: "eu-west-2" },
    remoteWritePolicy: "{}",
  };
  it("accepts the platform's arguments", () => expect(regionCollectorsProblems(base)).toEqual([]));
  it("refuses metrics on without an endpoint", () =>
    expect(regionCollectorsProblems({ ...base, endpoint: undefined }).map((p) => p.path)).toEqual([
      "endpoint",
    ]));
  it("refuses a signed endpoint without the agent's remote-write policy", () =>
    expect(regionCollectorsProblems({ ...base, remoteWritePolicy: undefined }).map((p) => p.path)).toEqual([
      "remoteWritePolicy",
    ]));
  it("refuses another region's workspace", () =>
    expect(
      regionCollectorsProblems({ ...base, endpoint: { ...base.endpoint, sigv4Region: "us-east-1" } }).map(
        (p) => p.rule,
      ),
    ).toEqual(["must be the collectors' region eu-west-2: each region writes to its own workspace"]));
  it("refuses both metrics and traces off", () => {
    const config: ObservabilityConfig = {
      ...DEFAULT_OBSERVABILITY,
      metrics: { ...DEFAULT_OBSERVABILITY.metrics, enabled: false },
      traces: { ...DEFAULT_OBSERVABILITY.traces, enabled: false },
    };
    expect(regionCollectorsProblems({ ...base, config, endpoint: undefined }).map((p) => p.path)).toEqual([
      "config",
    ]);
  });
});

describe("RegionCollectors under mocks", () => {
  const binds: [string, ServiceAccountBindingArgs][] = [];
  const fakeCluster = (region: string) => bindingCluster(region, binds);

  async function run(config: ObservabilityConfig, withEndpoint: boolean) {
    binds.length = 0;
    let component: RegionCollectors | undefined;
    const resources = await recordResources(() => {
      component = new RegionCollectors("eu-otel", {
        cluster: fakeCluster("eu-west-2"),
        region: "eu-west-2",
        environment: "prod",
        config,
        languages: ["java", "python"],
        ...(withEndpoint
          ? {
              endpoint: { queryUrl: "q", remoteWriteUrl: RW, sigv4Region: "eu-west-2" },
              remoteWritePolicy: '{"aps":"remote-write"}',
            }
          : {}),
        logGroupNames: ["/semester/prod/eu-west-2/application"],
      });
    });
    return { resources, component: component! };
  }

  it("installs the pinned operator release and binds both collectors, then Transaction Search", async () => {
    const { resources, component } = await run(DEFAULT_OBSERVABILITY, true);
    const release = only(resources, "kubernetes:helm.sh/v3:Release");
    expect(release.inputs).toMatchObject({
      name: "opentelemetry-operator",
      chart: "opentelemetry-operator",
      version: "0.122.0",
      repositoryOpts: { repo: "https://open-telemetry.github.io/opentelemetry-helm-charts" },
      namespace: "observability",
      createNamespace: true,
      atomic: true,
      cleanupOnFail: true,
      timeout: 600,
      values: operatorValues({ go: false }),
    });
    expect(binds.map(([n, a]) => [n, a.namespace, a.serviceAccount, a.inlinePolicy])).toEqual([
      ["eu-otel-otel-agent", "observability", "otel-agent", '{"aps":"remote-write"}'],
      [
        "eu-otel-otel-sampler",
        "observability",
        "otel-sampler",
        JSON.stringify(xraySamplerPolicy("eu-west-2")),
      ],
    ]);
    const policy = only(resources, "aws:cloudwatch/logResourcePolicy:LogResourcePolicy");
    expect(policy.inputs.policyName).toBe("semester-prod-transaction-search");
    expect(JSON.parse(policy.inputs.policyDocument as string)).toEqual(
      transactionSearchLogsPolicy({ partition: "aws", region: "eu-west-2", accountId: "123456789012" }),
    );
    const destination = only(resources, "aws:xray/traceSegmentDestination:TraceSegmentDestination");
    expect(destination.inputs.destination).toBe("CloudWatchLogs");
    expect(destination.dependencies).toContain(policy.urn);
    // The collectors' group waits for the release, the associations and the destination.
    const group = only(resources, "kubernetes:yaml:ConfigGroup", "eu-otel-collectors");
    for (const r of [
      release,
      destination,
      ...resources.filter((x) => x.type === "aws:eks/podIdentityAssociation:PodIdentityAssociation"),
    ]) {
      expect(group.dependencies).toContain(r.urn);
    }
    expect(component.readiness.length).toBe(1 + 2 + 2);
  });

  it("creates no sampler binding and no Transaction Search with traces off", async () => {
    const config = { ...DEFAULT_OBSERVABILITY, traces: { ...DEFAULT_OBSERVABILITY.traces, enabled: false } };
    const { resources } = await run(config, true);
    expect(binds.map(([n]) => n)).toEqual(["eu-otel-otel-agent"]);
    expect(
      resources.filter((r) => r.type.startsWith("aws:xray") || r.type.startsWith("aws:cloudwatch")),
    ).toEqual([]);
  });

  it("refuses bad arguments before registering anything", async () => {
    const config = { ...DEFAULT_OBSERVABILITY };
    let error: unknown;
    const resources = await recordResources(() => {
      try {
        new RegionCollectors("bad", {
          cluster: fakeCluster("us-east-1"),
          region: "us-east-1",
          environment: "dev",
          config,
          languages: ["java"],
        });
      } catch (e) {
        error = e;
      }
    });
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      "Invalid input in RegionCollectors bad (1 problem):\n  - `endpoint`: got missing; required while metrics are on: the agent remote-writes application metrics to it",
    );
    expect(
      resources.filter(
        (r) => r.type.startsWith("semester:observability") || r.type.startsWith("kubernetes:helm"),
      ),
    ).toEqual([]);
  });
});
