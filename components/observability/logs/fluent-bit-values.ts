/**
 * Semester's values for the aws-for-fluent-bit chart (aws/eks-charts `stable/aws-for-fluent-bit` 0.2.0, image
 * 3.2.1; every path exists in its values.yaml, vendored in the shared chart store). Pure.
 *
 * How the chart renders them (`templates/configmap.yaml` at eks-charts commit 2942cdce0d98): `input.*` become the
 * `tail` input, `filter.*` the `kubernetes` filter (an empty `mergeLogKey` is left out, so a JSON line's fields
 * are merged at the top level), `additionalFilters` is appended verbatim, and `cloudWatchLogs.*` become the
 * `cloudwatch_logs` output, where a false `autoCreateGroup` is left out and the plugin's default (off) applies.
 * Pod Identity credentials (`AWS_CONTAINER_CREDENTIALS_FULL_URI` with the token file) are read by aws-for-fluent-bit
 * since 2.32.5 (aws/aws-for-fluent-bit#888, fluent/fluent-bit#10115).
 */

/** @internal The chart, pinned. */
export const FLUENT_BIT_CHART = {
  chart: "aws-for-fluent-bit",
  version: "0.2.0",
  repository: "https://aws.github.io/eks-charts",
} as const;

/** @internal
 * The top-level field a log line's trace ID is lifted to, and the spellings lifted from. The OpenTelemetry log
 * bridges and MDC integrations write `trace_id`/`span_id` (Java's logback/log4j MDC, Node's pino and winston
 * instrumentations); `traceId`/`spanId` are common in hand-written JSON loggers, `otelTraceID`/`otelSpanID` are
 * Python's logging instrumentation. One top-level name makes a trace's lines one Logs Insights filter
 * (`filter trace_id = "<32 hex>"`) in the groups the trace's spans name in `aws.log.group.names` (set by the agent
 * collector), which is where CloudWatch's trace view looks for a trace's logs.
 */
export const TRACE_ID_FIELD = "trace_id";
/** @internal */
export const SPAN_ID_FIELD = "span_id";
const TRACE_ID_ALIASES = ["traceId", "traceid", "otelTraceID"] as const;
const SPAN_ID_ALIASES = ["spanId", "spanid", "otelSpanID"] as const;

/** @internal The container log file pattern of a namespace (kubelet names files `<pod>_<namespace>_<container>-<id>.log`). */
export function namespaceLogPath(namespace: string): string {
  return `/var/log/containers/*_${namespace}_*.log`;
}

/** @internal The `modify` filter that lifts trace and span IDs (a rename applies only when the target key is absent). */
export function traceIdFilter(): string {
  const renames = [
    ...TRACE_ID_ALIASES.map((a) => `    Rename ${a} ${TRACE_ID_FIELD}`),
    ...SPAN_ID_ALIASES.map((a) => `    Rename ${a} ${SPAN_ID_FIELD}`),
  ];
  return ["[FILTER]", "    Name  modify", "    Match kube.*", ...renames].join("\n") + "\n";
}

/** @internal */
export interface FluentBitValuesArgs {
  readonly region: string;
  /** The services' namespaces: only their containers' logs are shipped. */
  readonly namespaces: readonly string[];
  /** The group every line goes to. */
  readonly logGroupName: string;
  readonly serviceAccount: string;
}

/** @internal */
export function fluentBitValues(args: FluentBitValuesArgs): Record<string, unknown> {
  return {
    serviceAccount: { create: true, name: args.serviceAccount },
    // Only the services' namespaces: the platform's own pods (observability included) are not shipped.
    input: { path: [...args.namespaces].sort().map(namespaceLogPath).join(",") },
    filter: {
      mergeLog: "On",
      mergeLogKey: "",
      // The parsed fields replace the raw line (ingestion is billed per byte); a line that is not JSON stays as `log`.
      keepLog: "Off",
    },
    // Rendered after the kubernetes filter (so it sees the merged fields). This and priorityClassName are the two
    // values not among values.yaml's keys: the chart documents them as comments (`# additionalFilters: |`,
    // `# priorityClassName: system-node-critical`); templates/configmap.yaml and daemonset.yaml read them.
    additionalFilters: traceIdFilter(),
    cloudWatchLogs: {
      enabled: true,
      region: args.region,
      logGroupName: args.logGroupName,
      // One stream per pod and container; lines without Kubernetes metadata fall back to the prefix and tag.
      logStreamTemplate: "$kubernetes['pod_name'].$kubernetes['container_name']",
      logStreamPrefix: "unmatched-",
      // Pulumi creates the group (encrypted, with retention); Fluent Bit must never create one.
      autoCreateGroup: false,
    },
    // Every node, the AI pool's tainted ones included, runs service pods whose logs must be read.
    tolerations: [{ operator: "Exists" }],
    priorityClassName: "system-node-critical",
  };
}
