/**
 * The OpenTelemetry Collector distribution the collectors run, and the component types it contains.
 *
 * The operator chart 0.122.0 defaults `manager.collectorImage` to the `opentelemetry-collector-k8s` distribution
 * 0.158.0. Its manifest (open-telemetry/opentelemetry-collector-releases, tag v0.158.0,
 * `distributions/otelcol-k8s/manifest.yaml`) has `tail_sampling`, `loadbalancing` and `k8sattributes` but neither
 * the `sigv4auth` extension nor the `prometheusremotewrite` exporter, which AMP and X-Ray's OTLP endpoint need.
 * So every OpenTelemetryCollector sets `spec.image` to the contrib distribution at the same version, pinned.
 */

/** @internal The collector version: the operator chart's appVersion and its default collector image tag. */
export const COLLECTOR_VERSION = "0.158.0";

/** @internal The contrib distribution's image (opentelemetry-collector-releases' goreleaser `image_templates`). */
export const COLLECTOR_IMAGE = `ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:${COLLECTOR_VERSION}`;

/** @internal The kinds of collector component a config declares, as the config's top-level keys name them. */
export const COMPONENT_KINDS = ["receivers", "processors", "exporters", "extensions", "connectors"] as const;
/** @internal */
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

/** @internal
 * The component types Semester may configure, by kind, each with the Go module the contrib manifest
 * (`distributions/otelcol-contrib/manifest.yaml` at tag v0.158.0, commit 1400269f8ace) builds it from. A subset of
 * the manifest's 251 components: every type here was checked present there; add a row (checked the same way)
 * before configuring a new component. The type is the component's `metadata.yaml` `type`, which is how a config
 * names it (`tail_sampling` for tailsamplingprocessor).
 */
export const CONTRIB_COMPONENTS: Readonly<Record<ComponentKind, Readonly<Record<string, string>>>> = {
  receivers: {
    otlp: "go.opentelemetry.io/collector/receiver/otlpreceiver",
    prometheus: "github.com/open-telemetry/opentelemetry-collector-contrib/receiver/prometheusreceiver",
  },
  processors: {
    batch: "go.opentelemetry.io/collector/processor/batchprocessor",
    memory_limiter: "go.opentelemetry.io/collector/processor/memorylimiterprocessor",
    k8sattributes:
      "github.com/open-telemetry/opentelemetry-collector-contrib/processor/k8sattributesprocessor",
    resource: "github.com/open-telemetry/opentelemetry-collector-contrib/processor/resourceprocessor",
    tail_sampling:
      "github.com/open-telemetry/opentelemetry-collector-contrib/processor/tailsamplingprocessor",
    filter: "github.com/open-telemetry/opentelemetry-collector-contrib/processor/filterprocessor",
    transform: "github.com/open-telemetry/opentelemetry-collector-contrib/processor/transformprocessor",
  },
  exporters: {
    otlp: "go.opentelemetry.io/collector/exporter/otlpexporter",
    otlphttp: "go.opentelemetry.io/collector/exporter/otlphttpexporter",
    debug: "go.opentelemetry.io/collector/exporter/debugexporter",
    loadbalancing: "github.com/open-telemetry/opentelemetry-collector-contrib/exporter/loadbalancingexporter",
    prometheusremotewrite:
      "github.com/open-telemetry/opentelemetry-collector-contrib/exporter/prometheusremotewriteexporter",
  },
  extensions: {
    health_check: "github.com/open-telemetry/opentelemetry-collector-contrib/extension/healthcheckextension",
    sigv4auth: "github.com/open-telemetry/opentelemetry-collector-contrib/extension/sigv4authextension",
  },
  connectors: {
    forward: "go.opentelemetry.io/collector/connector/forwardconnector",
  },
};
