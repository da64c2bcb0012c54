/**
 * The two forms SLO rules are deployed in: the Prometheus rule file AMP takes (`aws.amp.RuleGroupNamespace.data`)
 * and a prometheus-operator `PrometheusRule` for the in-cluster profile. Both carry the same groups. Pure.
 */
import { stringify } from "yaml";
import type { KubeObject } from "../../core";
import { OBSERVABILITY_RELEASES } from "../names";
import type { AlertingRule, RecordingRule, RuleGroup } from "../types";

/** Plain JSON of a group in the rule file format (`name`, `interval`, `rules[]`), without undefined keys. */
function groupJson(group: RuleGroup): Record<string, unknown> {
  return {
    name: group.name,
    ...(group.interval !== undefined ? { interval: group.interval } : {}),
    rules: group.rules.map((rule) =>
      "record" in rule ? recordingJson(rule) : alertingJson(rule as AlertingRule),
    ),
  };
}

function recordingJson(rule: RecordingRule): Record<string, unknown> {
  return { record: rule.record, expr: rule.expr, ...(rule.labels ? { labels: { ...rule.labels } } : {}) };
}

function alertingJson(rule: AlertingRule): Record<string, unknown> {
  return {
    alert: rule.alert,
    expr: rule.expr,
    ...(rule.for !== undefined ? { for: rule.for } : {}),
    labels: { ...rule.labels },
    annotations: { ...rule.annotations },
  };
}

/**
 * The Prometheus rule file (`groups:`), the format AMP's rule groups namespace takes as `data`
 * (https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-rules-upload.html). Lines are never folded, so
 * an expression stays on one line.
 */
export function ruleFileYaml(groups: readonly RuleGroup[]): string {
  return stringify({ groups: groups.map(groupJson) }, { lineWidth: 0 });
}

/** @internal
 * Labels a PrometheusRule needs for kube-prometheus-stack's Prometheus to load it: with the chart's default
 * `prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues: true` (values.yaml of chart 88.5.3), the Prometheus
 * object selects rules labelled `release: <the Helm release name>`. The release must be named
 * `OBSERVABILITY_RELEASES.kubePrometheusStack`.
 */
export const PROMETHEUS_RULE_LABELS: Readonly<Record<string, string>> = {
  release: OBSERVABILITY_RELEASES.kubePrometheusStack,
};

/** The groups as a `monitoring.coreos.com/v1` PrometheusRule (for the in-cluster profile). */
export function prometheusRuleObject(
  groups: readonly RuleGroup[],
  namespace: string,
  name: string,
): KubeObject {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: { name, namespace, labels: { ...PROMETHEUS_RULE_LABELS } },
    spec: { groups: groups.map(groupJson) },
  };
}
