/**
 * The configurations of the two collector tiers. Pure: every value comes from the arguments.
 *
 * - The agent (DaemonSet) receives OTLP from the services, adds the pod's Kubernetes attributes, drops
 *   `service.namespace` (so the Prometheus translation's `job` is exactly `service.name`, see
 *   `components/telemetry/metrics.ts`), remote-writes metrics to the PromQL store, and sends each trace's spans
 *   to one sampler replica chosen by trace ID, so a sampler sees whole traces.
 * - The sampler (StatefulSet) buffers each trace for `decision_wait`, keeps it if any policy says so (an error,
 *   slower than the threshold, or the probabilistic baseline), and exports what it keeps to X-Ray's OTLP endpoint.
 *
 * Upstream behaviour relied on (opentelemetry-collector-contrib v0.158.0 READMEs): the loadbalancing exporter's
 * `routing_key: traceID` and its `dns` resolver re-resolving a headless Service (`exporter/loadbalancingexporter`);
 * the tail_sampling processor's OR over policies (`processor/tailsamplingprocessor`); sigv4auth signing for a
 * service and region (`extension/sigv4authextension`). X-Ray's OTLP endpoint takes OTLP/HTTP only, at most 10,000
 * spans and 5 MB uncompressed per request, gzip allowed (CloudWatch "OTLP Endpoints" limits table).
 */
import type * as pulumi from "@pulumi/pulumi";
import { COLLECTOR_NAMES, OBSERVABILITY_NAMESPACE } from "../names";
import type { CollectorConfig } from "./config-check";
import { TELEMETRY_LABELS } from "../../telemetry";

/** @internal The pod label Argo Rollouts puts on every pod of a ReplicaSet (and the resource attribute it becomes). */
export const ROLLOUT_HASH_ATTRIBUTE = "rollouts-pod-template-hash";

/** @internal OTLP ports (the collector's defaults, which the Instrumentations and the load balancer address). */
export const OTLP_GRPC_PORT = 4317;
/** @internal */
export const OTLP_HTTP_PORT = 4318;
/** @internal The health_check extension's port (the operator probes it for liveness and readiness). */
export const HEALTH_CHECK_PORT = 13133;

/** @internal
 * The sampler's headless Service, which the operator creates for every collector as `<name>-collector-headless`
 * (opentelemetry-operator v0.158.0 `internal/naming/main.go` HeadlessService, `internal/manifests/collector/service.go`).
 */
export const SAMPLER_HEADLESS_HOST = `${COLLECTOR_NAMES.sampler}-collector-headless.${OBSERVABILITY_NAMESPACE}.svc.cluster.local`;

/** @internal X-Ray's OTLP traces endpoint in a region. */
export function xrayTracesEndpoint(region: string): string {
  return `https://xray.${region}.amazonaws.com/v1/traces`;
}

/** @internal
 * How long the sampler waits after a trace's first span before deciding. A span reaches the sampler after the
 * SDK's batch span processor (5 s schedule delay by default) and the agent's batch (1 s), so a trace is complete
 * about `duration + 6 s` after it starts; the wait covers twice the slow-trace threshold plus that delay, so a
 * trace just over the threshold is judged whole, and at least 10 s. Longer waits hold more traces in memory
 * (`num_traces`). Pure.
 */
export function decisionWaitSeconds(slowTraceMs: number): number {
  return Math.max(10, Math.ceil((2 * slowTraceMs) / 1000) + 6);
}

const otlpReceiver = (http: boolean) => ({
  otlp: {
    protocols: {
      grpc: { endpoint: `0.0.0.0:${OTLP_GRPC_PORT}` },
      ...(http ? { http: { endpoint: `0.0.0.0:${OTLP_HTTP_PORT}` } } : {}),
    },
  },
});

/** memory_limiter first in every pipeline: refuse data before the pod is OOM-killed (limits from the container's). */
const memoryLimiter = { check_interval: "1s", limit_percentage: 80, spike_limit_percentage: 25 };

/** @internal */
export interface AgentConfigArgs {
  /** Where metrics are remote-written; absent: no metrics pipeline. */
  readonly remoteWriteUrl?: pulumi.Input<string>;
  /** Sign remote writes with SigV4 for this region (AMP); absent: unsigned (in-cluster Prometheus). */
  readonly sigv4Region?: string;
  /** Whether the traces pipeline exists (to the sampler). */
  readonly traces: boolean;
  /**
   * Log groups the services' logs go to, set on every span's resource as `aws.log.group.names`: the attribute
   * X-Ray and CloudWatch read to find a trace's logs. @default none
   */
  readonly logGroupNames?: readonly string[];
}

/** @internal The agent's collector configuration. */
export function agentCollectorConfig(args: AgentConfigArgs): CollectorConfig {
  const metrics = args.remoteWriteUrl !== undefined;
  const signed = metrics && args.sigv4Region !== undefined;
  const logGroups = args.traces && args.logGroupNames !== undefined && args.logGroupNames.length > 0;
  const common = ["memory_limiter", "k8sattributes", "resource"];
  return {
    receivers: otlpReceiver(true),
    processors: {
      memory_limiter: memoryLimiter,
      k8sattributes: {
        auth_type: "serviceAccount",
        passthrough: false,
        extract: {
          metadata: ["k8s.namespace.name", "k8s.deployment.name", "k8s.pod.name", "k8s.node.name"],
          // The ReplicaSet an Argo Rollouts pod belongs to: canary analyses read only the new one's series.
          labels: [{ tag_name: ROLLOUT_HASH_ATTRIBUTE, key: ROLLOUT_HASH_ATTRIBUTE, from: "pod" }],
        },
        // Services reach the agent through its Service (any node), so the pod is found by the connection's
        // source address (kube-proxy keeps it) when the SDK did not send k8s.pod.ip.
        pod_association: [
          { sources: [{ from: "resource_attribute", name: "k8s.pod.ip" }] },
          { sources: [{ from: "connection" }] },
        ],
      },
      resource: { attributes: [{ key: "service.namespace", action: "delete" }] },
      // Resource attributes do not become Prometheus labels (remote write keeps only `job`/`instance`), so the
      // hash is copied onto each data point, where it becomes the label `rollouts_pod_template_hash`.
      ...(metrics
        ? {
            "transform/rollout-hash": {
              error_mode: "ignore",
              metric_statements: [
                {
                  context: "datapoint",
                  statements: [
                    `set(attributes["${TELEMETRY_LABELS.podTemplateHash}"], resource.attributes["${ROLLOUT_HASH_ATTRIBUTE}"]) where resource.attributes["${ROLLOUT_HASH_ATTRIBUTE}"] != nil`,
                  ],
                },
              ],
            },
          }
        : {}),
      ...(logGroups
        ? {
            "resource/log-groups": {
              attributes: [
                { key: "aws.log.group.names", value: args.logGroupNames!.join("&"), action: "upsert" },
              ],
            },
          }
        : {}),
      batch: { timeout: "1s", send_batch_size: 8192 },
    },
    exporters: {
      ...(metrics
        ? {
            prometheusremotewrite: {
              endpoint: args.remoteWriteUrl,
              ...(signed ? { auth: { authenticator: "sigv4auth" } } : {}),
            },
          }
        : {}),
      ...(args.traces
        ? {
            loadbalancing: {
              routing_key: "traceID",
              protocol: { otlp: { tls: { insecure: true }, timeout: "5s" } },
              resolver: { dns: { hostname: SAMPLER_HEADLESS_HOST, port: String(OTLP_GRPC_PORT) } },
            },
          }
        : {}),
    },
    extensions: {
      health_check: { endpoint: `0.0.0.0:${HEALTH_CHECK_PORT}` },
      ...(signed ? { sigv4auth: { region: args.sigv4Region, service: "aps" } } : {}),
    },
    service: {
      extensions: ["health_check", ...(signed ? ["sigv4auth"] : [])],
      pipelines: {
        ...(metrics
          ? {
              metrics: {
                receivers: ["otlp"],
                processors: [...common, "transform/rollout-hash", "batch"],
                exporters: ["prometheusremotewrite"],
              },
            }
          : {}),
        ...(args.traces
          ? {
              traces: {
                receivers: ["otlp"],
                processors: [...common, ...(logGroups ? ["resource/log-groups"] : []), "batch"],
                exporters: ["loadbalancing"],
              },
            }
          : {}),
      },
    },
  };
}

/** @internal */
export interface SamplerConfigArgs {
  /** The region whose X-Ray OTLP endpoint receives the kept traces. */
  readonly region: string;
  /** Keep every trace slower than this. */
  readonly slowTraceMs: number;
  /** Share of the other traces kept, percent. */
  readonly baselinePercent: number;
}

/** @internal The sampler's collector configuration. */
export function samplerCollectorConfig(args: SamplerConfigArgs): CollectorConfig {
  return {
    receivers: otlpReceiver(false),
    processors: {
      memory_limiter: memoryLimiter,
      tail_sampling: {
        decision_wait: `${decisionWaitSeconds(args.slowTraceMs)}s`,
        num_traces: 50000,
        policies: [
          { name: "keep-errors", type: "status_code", status_code: { status_codes: ["ERROR"] } },
          { name: "keep-slow", type: "latency", latency: { threshold_ms: args.slowTraceMs } },
          {
            name: "baseline",
            type: "probabilistic",
            probabilistic: { sampling_percentage: args.baselinePercent },
          },
        ],
      },
      // 1,000 spans a request stays far under X-Ray's 10,000-span and 5 MB limits for spans of up to 5 KB.
      batch: { timeout: "2s", send_batch_size: 500, send_batch_max_size: 1000 },
    },
    exporters: {
      "otlphttp/xray": {
        traces_endpoint: xrayTracesEndpoint(args.region),
        compression: "gzip",
        auth: { authenticator: "sigv4auth/xray" },
      },
    },
    extensions: {
      health_check: { endpoint: `0.0.0.0:${HEALTH_CHECK_PORT}` },
      "sigv4auth/xray": { region: args.region, service: "xray" },
    },
    service: {
      extensions: ["health_check", "sigv4auth/xray"],
      pipelines: {
        traces: {
          receivers: ["otlp"],
          processors: ["memory_limiter", "tail_sampling", "batch"],
          exporters: ["otlphttp/xray"],
        },
      },
    },
  };
}
