/**
 * Names kube-prometheus-stack 88.5.3 gives what it installs, for a release named `kube-prometheus-stack`: the
 * chart's fullname is the release name when that contains the chart name (its `_helpers.tpl`), and each subchart's
 * is `<release>-<subchart>`. Scrape configs, the OTel agent and KEDA address these Services. Pure.
 */
import { OBSERVABILITY_NAMESPACE, OBSERVABILITY_RELEASES } from "../names";
import type { PromqlEndpoint } from "../types";

const RELEASE = OBSERVABILITY_RELEASES.kubePrometheusStack;

/** @internal The chart's Services (name and port), in the release's namespace. */
export const KUBE_PROMETHEUS_STACK_SERVICES = {
  /** Prometheus (in-cluster profile): `prometheus.service.port` 9090. */
  prometheus: { name: `${RELEASE}-prometheus`, port: 9090 },
  /** Alertmanager (in-cluster profile): `alertmanager.service.port` 9093. */
  alertmanager: { name: `${RELEASE}-alertmanager`, port: 9093 },
  /** kube-state-metrics 8.x: port `http` 8080 serves `/metrics`. */
  kubeStateMetrics: { name: `${RELEASE}-kube-state-metrics`, port: 8080 },
  /** prometheus-node-exporter 4.x: port `http-metrics` 9100 on every node. */
  nodeExporter: { name: `${RELEASE}-prometheus-node-exporter`, port: 9100 },
  /** Grafana: `grafana.service.port` 80. */
  grafana: { name: `${RELEASE}-grafana`, port: 80 },
} as const;

/**
 * The in-cluster Prometheus as a PromQL endpoint: queries at its Service, remote writes at `/api/v1/write` (the
 * remote-write receiver `KubePrometheusStack` turns on); no SigV4.
 */
export function inClusterEndpoint(namespace: string = OBSERVABILITY_NAMESPACE): PromqlEndpoint {
  const { name, port } = KUBE_PROMETHEUS_STACK_SERVICES.prometheus;
  const queryUrl = `http://${name}.${namespace}.svc:${port}`;
  return { queryUrl, remoteWriteUrl: `${queryUrl}/api/v1/write` };
}
