/**
 * Auto-instrumentation: one `Instrumentation` per language the services use, and the pod annotation that opts a
 * Deployment into it. Pure.
 *
 * Upstream behaviour relied on (opentelemetry-operator v0.158.0): the webhook injects a pod annotated
 * `instrumentation.opentelemetry.io/inject-<language>: "<namespace>/<name>"` with that Instrumentation's SDK and
 * environment, `spec.exporter.endpoint` becoming `OTEL_EXPORTER_OTLP_ENDPOINT` (`docs/auto-instrumentation/README.md`);
 * Go also needs `instrumentation.opentelemetry.io/otel-go-auto-target-exe` and the operator's Go flag, and runs as a
 * privileged sidecar. The SDKs' default OTLP protocols differ by language and version (the Python and .NET agents
 * speak only http/protobuf, README lines 25-36; the operator forces it for Python, `internal/instrumentation/python.go`),
 * so every Instrumentation sets `OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf` and the agent's HTTP port 4318, which
 * every SDK honours (OpenTelemetry specification, "OTLP Exporter Configuration").
 */
import { InputError } from "../../core";
import type { InstrumentedLanguage } from "../config";
import { OBSERVABILITY_NAMESPACE, OTLP_AGENT_ENDPOINT, instrumentationName } from "../names";
import type { Environment } from "../../core";

/** The annotation key prefix the operator's webhook reads. */
const ANNOTATION_PREFIX = "instrumentation.opentelemetry.io";

/** The pod template annotations that inject `language`'s Instrumentation (Go: the binary to instrument). */
export function instrumentationAnnotations(
  language: InstrumentedLanguage,
  opts: { readonly goTargetExe?: string } = {},
): Record<string, string> {
  const annotations: Record<string, string> = {
    [`${ANNOTATION_PREFIX}/inject-${language}`]: `${OBSERVABILITY_NAMESPACE}/${instrumentationName(language)}`,
  };
  if (language === "go") {
    if (opts.goTargetExe === undefined || !opts.goTargetExe.startsWith("/")) {
      throw new InputError("instrumentationAnnotations go", [
        {
          path: "goTargetExe",
          value: opts.goTargetExe,
          rule: "Go auto-instrumentation needs the absolute path of the binary to instrument",
          fix: "pass the container's entrypoint path, e.g. /app/server",
        },
      ]);
    }
    annotations[`${ANNOTATION_PREFIX}/otel-go-auto-target-exe`] = opts.goTargetExe;
  }
  return annotations;
}

/** @internal */
export interface InstrumentationArgs {
  readonly environment: Environment;
  /** How often the SDK exports metrics, ms (the scrape interval, so every source has one resolution). */
  readonly metricExportIntervalMs: number;
  /** Whether the agent takes metrics (it has a metrics pipeline); otherwise the SDK exports none. */
  readonly metrics: boolean;
  /** Whether the agent takes traces; otherwise the SDK exports none. */
  readonly traces: boolean;
}

/** @internal The Instrumentation object of one language. */
export function instrumentationObject(language: InstrumentedLanguage, args: InstrumentationArgs) {
  return {
    apiVersion: "opentelemetry.io/v1alpha1",
    kind: "Instrumentation",
    metadata: {
      name: instrumentationName(language),
      namespace: OBSERVABILITY_NAMESPACE,
      labels: { "app.kubernetes.io/part-of": "semester-observability" },
    },
    spec: {
      exporter: { endpoint: OTLP_AGENT_ENDPOINT },
      propagators: ["tracecontext", "baggage"],
      // Every span is recorded; the tail sampler decides which traces are kept, seeing whole traces.
      sampler: { type: "parentbased_always_on" },
      resource: { resourceAttributes: { "deployment.environment.name": args.environment } },
      env: [
        { name: "OTEL_EXPORTER_OTLP_PROTOCOL", value: "http/protobuf" },
        { name: "OTEL_TRACES_EXPORTER", value: args.traces ? "otlp" : "none" },
        { name: "OTEL_METRICS_EXPORTER", value: args.metrics ? "otlp" : "none" },
        ...(args.metrics
          ? [{ name: "OTEL_METRIC_EXPORT_INTERVAL", value: String(args.metricExportIntervalMs) }]
          : []),
        // Logs go to stdout and Fluent Bit; the agent has no logs pipeline.
        { name: "OTEL_LOGS_EXPORTER", value: "none" },
      ],
    },
  };
}
