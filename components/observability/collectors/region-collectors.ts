/**
 * One region's OpenTelemetry pipeline: the operator (Helm), the agent and sampler collectors, one Instrumentation
 * per language, the Pod Identity roles of the collectors, and X-Ray Transaction Search (when traces are on).
 *
 * Order a deploy needs: the operator release (its CRDs and webhook) -> the collectors' Pod Identity associations
 * (a pod reads its credentials when it starts) and Transaction Search (X-Ray's OTLP endpoint refuses spans
 * before it) -> the objects. The services' objects wait for `readiness`: a pod created before its Instrumentation
 * exists starts uninstrumented (the webhook injects only at creation).
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterHandle, ServiceAccountBinding } from "../../cluster";
import { InputError, hideFromOutputWalks, type Environment, type Problem } from "../../core";
import { appliedResources, applyObjects, checkObjects } from "../../objects";
import type { InstrumentedLanguage, ObservabilityConfig } from "../config";
import { OBSERVABILITY_NAMESPACE, OBSERVABILITY_RELEASES, OBSERVABILITY_SERVICE_ACCOUNTS } from "../names";
import type { PromqlEndpoint } from "../types";
import { collectorObjects } from "./collector-objects";
import { collectorConfigProblems } from "./config-check";
import { OTEL_OPERATOR_CHART, operatorValues } from "./operator-values";
import { transactionSearchLogsPolicy, xraySamplerPolicy } from "./xray";
import { observabilityRelease } from "../release";

export interface RegionCollectorsArgs {
  readonly cluster: ClusterHandle;
  readonly region: string;
  readonly environment: Environment;
  readonly config: ObservabilityConfig;
  /** The languages the region's services use: one Instrumentation each. */
  readonly languages: readonly InstrumentedLanguage[];
  /** The PromQL store the agent remote-writes to; required when metrics are on, refused when they are off. */
  readonly endpoint?: PromqlEndpoint;
  /** The agent's IAM policy (JSON) for the workspace; required when the endpoint is signed (`sigv4Region`). */
  readonly remoteWritePolicy?: pulumi.Input<string>;
  /**
   * Log groups the services' logs go to, put on every span as `aws.log.group.names` so X-Ray finds a trace's
   * logs. @default none
   */
  readonly logGroupNames?: readonly string[];
  /** What the operator release waits for. @default the cluster's readiness */
  readonly dependsOn?: readonly pulumi.Input<pulumi.Resource>[];
}

/** @internal Every problem of the arguments (empty when they are sound). Pure; exported for tests. */
export function regionCollectorsProblems(
  args: Omit<RegionCollectorsArgs, "cluster" | "dependsOn">,
): Problem[] {
  const problems: Problem[] = [];
  const { metrics, traces } = args.config;
  if (!metrics.enabled && !traces.enabled) {
    problems.push({
      path: "config",
      value: { metrics: false, traces: false },
      rule: "the collectors carry metrics or traces; with both off there is nothing to collect",
      fix: "do not create RegionCollectors when semester:observability.metrics and .traces are both off",
    });
  }
  if (metrics.enabled && args.endpoint === undefined) {
    problems.push({
      path: "endpoint",
      value: undefined,
      rule: "required while metrics are on: the agent remote-writes application metrics to it",
    });
  }
  if (!metrics.enabled && args.endpoint !== undefined) {
    problems.push({
      path: "endpoint",
      value: "(given)",
      rule: "must be absent while metrics are off (semester:observability.metrics.enabled: false)",
    });
  }
  if (args.endpoint?.sigv4Region !== undefined && args.remoteWritePolicy === undefined) {
    problems.push({
      path: "remoteWritePolicy",
      value: undefined,
      rule: "required when the endpoint is signed with SigV4: the agent's role needs aps:RemoteWrite on the workspace",
    });
  }
  if (args.endpoint?.sigv4Region !== undefined && args.endpoint.sigv4Region !== args.region) {
    problems.push({
      path: "endpoint.sigv4Region",
      value: args.endpoint.sigv4Region,
      rule: `must be the collectors' region ${args.region}: each region writes to its own workspace`,
    });
  }
  if (args.languages.length === 0 && (metrics.enabled || traces.enabled)) {
    problems.push({
      path: "languages",
      value: [],
      rule: "at least one language: without an Instrumentation no service produces application telemetry",
    });
  }
  return problems;
}

/** The operator, collectors and instrumentation of one region. */
export class RegionCollectors extends pulumi.ComponentResource {
  public readonly release: k8s.helm.v3.Release;
  /** The Pod Identity bindings by service account (`otel-agent` only with a signed endpoint, `otel-sampler` with traces). */
  public readonly bindings: Readonly<Record<string, ServiceAccountBinding>>;
  /** Transaction Search (traces on): the log resource policy and the trace segment destination. */
  public readonly transactionSearch?: {
    readonly logsPolicy: aws.cloudwatch.LogResourcePolicy;
    readonly destination: aws.xray.TraceSegmentDestination;
  };
  public readonly objects: readonly k8s.yaml.ConfigGroup[];
  /** What the services' objects wait for: the Instrumentations (and collectors) exist. */
  public readonly readiness: pulumi.Input<pulumi.Resource>[];

  constructor(name: string, args: RegionCollectorsArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validated before the component registers: a bad argument leaves nothing behind.
    const source = `RegionCollectors ${name}`;
    const problems = regionCollectorsProblems(args);
    if (problems.length > 0) throw new InputError(source, problems);
    const { cluster, config } = args;
    const built = collectorObjects({
      region: args.region,
      environment: args.environment,
      languages: args.languages,
      remoteWriteUrl: args.endpoint?.remoteWriteUrl,
      sigv4Region: args.endpoint?.sigv4Region,
      traces: config.traces.enabled
        ? { slowTraceMs: config.traces.slowTraceMs, baselinePercent: config.traces.baselinePercent }
        : undefined,
      metricIntervalSeconds: config.metrics.scrapeIntervalSeconds,
      logGroupNames: args.logGroupNames,
    });
    const configProblems = Object.entries(built.configs).flatMap(([collector, cfg]) =>
      collectorConfigProblems(cfg).map((p) => ({ ...p, path: `${collector}.${p.path}` })),
    );
    if (configProblems.length > 0) throw new InputError(`${source} collector configuration`, configProblems);
    const accounts = checkObjects(built.serviceAccounts, `${source} service accounts`);
    const collectors = checkObjects([...built.collectors, ...built.instrumentations], `${source} collectors`);

    super("semester:observability:RegionCollectors", name, {}, opts);

    const k8sOpts = { parent: this, provider: cluster.kubernetesProvider };
    const awsOpts = { parent: this, provider: cluster.awsProvider };

    this.release = observabilityRelease(
      name,
      OBSERVABILITY_RELEASES.otelOperator,
      OTEL_OPERATOR_CHART,
      operatorValues({ go: args.languages.includes("go") }),
      { ...k8sOpts, dependsOn: [...(args.dependsOn ?? cluster.readiness)] },
    );

    const bindings: Record<string, ServiceAccountBinding> = {};
    const on = { namespace: OBSERVABILITY_NAMESPACE };
    if (args.endpoint?.sigv4Region !== undefined && args.remoteWritePolicy !== undefined) {
      bindings[OBSERVABILITY_SERVICE_ACCOUNTS.otelAgent] = cluster.bindServiceAccount(`${name}-otel-agent`, {
        ...on,
        serviceAccount: OBSERVABILITY_SERVICE_ACCOUNTS.otelAgent,
        inlinePolicy: args.remoteWritePolicy,
      });
    }
    const afterIdentity: pulumi.Input<pulumi.Resource>[] = [];
    if (config.traces.enabled) {
      bindings[OBSERVABILITY_SERVICE_ACCOUNTS.otelSampler] = cluster.bindServiceAccount(
        `${name}-otel-sampler`,
        {
          ...on,
          serviceAccount: OBSERVABILITY_SERVICE_ACCOUNTS.otelSampler,
          inlinePolicy: JSON.stringify(xraySamplerPolicy(args.region)),
        },
      );
      const logsPolicy = new aws.cloudwatch.LogResourcePolicy(
        `${name}-transaction-search`,
        {
          policyName: `semester-${args.environment}-transaction-search`,
          policyDocument: pulumi
            .all([cluster.partition, cluster.accountId])
            .apply(([partition, accountId]) =>
              JSON.stringify(transactionSearchLogsPolicy({ partition, accountId, region: args.region })),
            ),
        },
        awsOpts,
      );
      const destination = new aws.xray.TraceSegmentDestination(
        `${name}-trace-destination`,
        { destination: "CloudWatchLogs" },
        { ...awsOpts, dependsOn: [logsPolicy] },
      );
      this.transactionSearch = { logsPolicy, destination };
      afterIdentity.push(destination);
    }
    this.bindings = bindings;
    afterIdentity.push(...Object.values(bindings).map((b) => b.association));

    const accountGroup = applyObjects(
      `${name}-accounts`,
      { objects: accounts },
      { ...k8sOpts, dependsOn: [this.release] },
    );
    const collectorGroup = applyObjects(
      `${name}-collectors`,
      { objects: collectors },
      {
        ...k8sOpts,
        dependsOn: [
          this.release,
          ...appliedResources(accountGroup, accounts.objects, `${name}-accounts`),
          ...afterIdentity,
        ],
      },
    );
    this.objects = [accountGroup, collectorGroup];
    this.readiness = [
      this.release,
      ...appliedResources(collectorGroup, collectors.objects, `${name}-collectors`),
    ];
    hideFromOutputWalks(this, ["objects", "bindings", "readiness"]);
    this.registerOutputs({
      release: this.release.name,
      instrumentations: built.instrumentations.map((o) => o.metadata.name),
    });
  }
}
