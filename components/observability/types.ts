/** The contracts between the observability parts (metrics, SLO rules, traces, logs, dashboards) and the platform. */
import type * as pulumi from "@pulumi/pulumi";

/** A region's PromQL store, as every reader and writer addresses it. */
export interface PromqlEndpoint {
  /**
   * Root of the Prometheus HTTP API (`<queryUrl>/api/v1/query`): AMP's
   * `https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>`, or the in-cluster Prometheus Service.
   */
  readonly queryUrl: pulumi.Input<string>;
  /** Where collectors remote-write (`<queryUrl>/api/v1/remote_write` for AMP). */
  readonly remoteWriteUrl: pulumi.Input<string>;
  /** Requests are signed with SigV4 for this region (AMP); absent for the in-cluster Prometheus. */
  readonly sigv4Region?: string;
  /** The AMP workspace, for IAM policies (absent in-cluster). */
  readonly workspaceArn?: pulumi.Input<string>;
}

/** One Prometheus recording rule. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** Alert severities and where they go: `page` wakes someone, `ticket` is for working hours. */
export type Severity = "page" | "ticket";

/** One Prometheus alerting rule. */
export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  /** Prometheus duration, e.g. `2m`. */
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>> & { readonly severity: Severity };
  readonly annotations: Readonly<Record<string, string>>;
}

/** One Prometheus rule group (the rule file format AMP and PrometheusRule both take). */
export interface RuleGroup {
  readonly name: string;
  /** Evaluation interval, e.g. `1m`. @default the store's */
  readonly interval?: string;
  readonly rules: readonly (RecordingRule | AlertingRule)[];
}

/** A Grafana dashboard (its JSON model) with the file name it is provisioned as. */
export interface Dashboard {
  /** File name, e.g. `service-course-catalog.json`; also the ConfigMap key. */
  readonly file: string;
  readonly uid: string;
  readonly title: string;
  /** The dashboard JSON model. */
  readonly model: Readonly<Record<string, unknown>>;
}
