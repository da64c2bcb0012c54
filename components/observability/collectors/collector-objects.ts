/**
 * The Kubernetes objects of a region's collectors: the service accounts the collectors run as (each bound to its
 * own IAM role through Pod Identity), the two OpenTelemetryCollector objects and the Instrumentations. Pure.
 *
 * A collector that names `spec.serviceAccount` gets no account from the operator
 * (opentelemetry-operator v0.158.0 `internal/manifests/collector/serviceaccount.go`), so Semester creates them.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Environment, ResolvedKubeObject } from "../../core";
import type { InstrumentedLanguage } from "../config";
import { COLLECTOR_NAMES, OBSERVABILITY_NAMESPACE, OBSERVABILITY_SERVICE_ACCOUNTS } from "../names";
import { agentCollectorConfig, samplerCollectorConfig } from "./collector-configs";
import type { CollectorConfig } from "./config-check";
import { COLLECTOR_IMAGE } from "./distribution";
import { instrumentationObject } from "./instrumentation";

const LABELS = { "app.kubernetes.io/part-of": "semester-observability" } as const;

/** @internal */
export interface CollectorObjectsArgs {
  readonly region: string;
  readonly environment: Environment;
  readonly languages: readonly InstrumentedLanguage[];
  /** Metrics remote-write target; absent: no metrics pipeline. */
  readonly remoteWriteUrl?: pulumi.Input<string>;
  readonly sigv4Region?: string;
  /** Traces: the sampler's thresholds; absent: no sampler and no traces pipeline. */
  readonly traces?: { readonly slowTraceMs: number; readonly baselinePercent: number };
  /** The scrape interval, which the SDKs export metrics at. */
  readonly metricIntervalSeconds: number;
  /** Log groups a trace's logs are in (`aws.log.group.names`). @default none */
  readonly logGroupNames?: readonly string[];
  /** Sampler replicas. @default 2 */
  readonly samplerReplicas?: number;
}

/** @internal */
export interface CollectorObjects {
  readonly serviceAccounts: readonly ResolvedKubeObject[];
  readonly collectors: readonly ResolvedKubeObject[];
  readonly instrumentations: readonly ResolvedKubeObject[];
  /** The configurations, by collector name (for the static check). */
  readonly configs: Readonly<Record<string, CollectorConfig>>;
}

const podSecurity = {
  podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
  securityContext: {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
  },
};

function serviceAccount(name: string, automount: boolean): ResolvedKubeObject {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name, namespace: OBSERVABILITY_NAMESPACE, labels: LABELS },
    automountServiceAccountToken: automount,
  };
}

/** @internal The objects, in apply order (accounts, collectors, instrumentations). */
export function collectorObjects(args: CollectorObjectsArgs): CollectorObjects {
  const agentConfig = agentCollectorConfig({
    remoteWriteUrl: args.remoteWriteUrl,
    sigv4Region: args.sigv4Region,
    traces: args.traces !== undefined,
    logGroupNames: args.logGroupNames,
  });
  const configs: Record<string, CollectorConfig> = { [COLLECTOR_NAMES.agent]: agentConfig };
  // The agent reads the API (k8sattributes); the sampler does not (Pod Identity projects its own token).
  const serviceAccounts = [serviceAccount(OBSERVABILITY_SERVICE_ACCOUNTS.otelAgent, true)];
  const collectors: ResolvedKubeObject[] = [
    {
      apiVersion: "opentelemetry.io/v1beta1",
      kind: "OpenTelemetryCollector",
      metadata: { name: COLLECTOR_NAMES.agent, namespace: OBSERVABILITY_NAMESPACE, labels: LABELS },
      spec: {
        mode: "daemonset",
        image: COLLECTOR_IMAGE,
        serviceAccount: OBSERVABILITY_SERVICE_ACCOUNTS.otelAgent,
        config: agentConfig,
        resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
        priorityClassName: "system-node-critical",
        ...podSecurity,
      },
    },
  ];
  if (args.traces !== undefined) {
    const samplerConfig = samplerCollectorConfig({ region: args.region, ...args.traces });
    configs[COLLECTOR_NAMES.sampler] = samplerConfig;
    serviceAccounts.push(serviceAccount(OBSERVABILITY_SERVICE_ACCOUNTS.otelSampler, false));
    collectors.push({
      apiVersion: "opentelemetry.io/v1beta1",
      kind: "OpenTelemetryCollector",
      metadata: { name: COLLECTOR_NAMES.sampler, namespace: OBSERVABILITY_NAMESPACE, labels: LABELS },
      spec: {
        mode: "statefulset",
        replicas: args.samplerReplicas ?? 2,
        image: COLLECTOR_IMAGE,
        serviceAccount: OBSERVABILITY_SERVICE_ACCOUNTS.otelSampler,
        config: samplerConfig,
        resources: { requests: { cpu: "200m", memory: "512Mi" }, limits: { memory: "1Gi" } },
        podDisruptionBudget: { maxUnavailable: 1 },
        // Replicas in different zones: a zone outage loses only the traces buffered there.
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: "topology.kubernetes.io/zone",
            whenUnsatisfiable: "ScheduleAnyway",
            labelSelector: {
              matchLabels: { "app.kubernetes.io/name": `${COLLECTOR_NAMES.sampler}-collector` },
            },
          },
        ],
        ...podSecurity,
      },
    });
  }
  const instrumentations = [...new Set(args.languages)].sort().map((language) =>
    instrumentationObject(language, {
      environment: args.environment,
      metricExportIntervalMs: args.metricIntervalSeconds * 1000,
      metrics: args.remoteWriteUrl !== undefined,
      traces: args.traces !== undefined,
    }),
  );
  return { serviceAccounts, collectors, instrumentations, configs };
}
