/**
 * Alert routing, the same for both profiles: `severity` picks the SNS topic (`page` or `ticket`), alerts are
 * grouped per service and SLO, and a firing page silences the ticket of the same service and SLO (the fast burn
 * already says it). SNS is signed with SigV4 for the topics' region; the credentials are AMP's own (amp) or the
 * Alertmanager pod's (in-cluster, through Pod Identity: Alertmanager's SNS notifier uses the AWS SDK's default
 * chain, aws-sdk-go v1.50+ since Alertmanager v0.27.0, which reads the Pod Identity agent's credentials — EKS's
 * minimum is v1.47.11, https://docs.aws.amazon.com/eks/latest/userguide/pod-id-minimum-sdk.html). Pure.
 */
import { stringify } from "yaml";
import type { Severity } from "../types";

export interface AlertRoutingInput<Arn = string> {
  readonly pageTopicArn: Arn;
  readonly ticketTopicArn: Arn;
  /** The topics' region (SigV4 signing region; AMP requires it). */
  readonly region: string;
}

/** How often a still-firing group is notified again: a page hourly, a ticket twice a day. */
const REPEAT: Readonly<Record<Severity, string>> = { page: "1h", ticket: "12h" };

/**
 * SNS subject: short and ASCII (SNS caps subjects at 100 characters; AMP truncates the default subject, which
 * lists every label — https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-alertmanager-receiver.html).
 */
const SUBJECT =
  "[{{ .Status | toUpper }}] {{ .CommonLabels.severity }}: {{ .CommonLabels.service }} " +
  "{{ .CommonLabels.slo }} SLO ({{ .CommonLabels.region }})";

function receiver<Arn>(severity: Severity, topicArn: Arn, region: string): Record<string, unknown> {
  return {
    name: severity,
    sns_configs: [
      {
        topic_arn: topicArn,
        sigv4: { region },
        subject: SUBJECT,
        // A message attribute, so a subscription can filter on it.
        attributes: { severity },
      },
    ],
  };
}

/**
 * The Alertmanager configuration (plain JSON): for kube-prometheus-stack's `alertmanager.config`, and inside
 * `alertmanagerYaml` for AMP. Every route key is set, because Helm merges this map into the chart's default
 * `alertmanager.config` (only lists are replaced).
 */
export function alertmanagerConfig<Arn = string>(input: AlertRoutingInput<Arn>): Record<string, unknown> {
  const { pageTopicArn, ticketTopicArn, region } = input;
  return {
    route: {
      // Anything without a severity (an alert added by hand) is a ticket, never silently dropped.
      receiver: "ticket",
      group_by: ["service", "slo"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: REPEAT.ticket,
      routes: [
        { receiver: "page", matchers: ['severity="page"'], repeat_interval: REPEAT.page },
        { receiver: "ticket", matchers: ['severity="ticket"'], repeat_interval: REPEAT.ticket },
      ],
    },
    receivers: [receiver("page", pageTopicArn, region), receiver("ticket", ticketTopicArn, region)],
    inhibit_rules: [
      {
        source_matchers: ['severity="page"'],
        target_matchers: ['severity="ticket"'],
        equal: ["service", "slo"],
      },
    ],
  };
}

/**
 * AMP's alert manager definition: the Alertmanager configuration as a string under `alertmanager_config`
 * (https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-alertmanager-config.html). AMP refuses
 * `api_url` and `http_config` in SNS receivers and requires `sigv4.region`
 * (https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-alertmanager-receiver-config.html).
 */
export function alertmanagerYaml(input: AlertRoutingInput): string {
  return stringify(
    { alertmanager_config: stringify(alertmanagerConfig(input), { lineWidth: 0 }) },
    { lineWidth: 0, blockQuote: "literal" },
  );
}

/** @internal
 * The identity policy of the in-cluster Alertmanager's service account: publish to exactly the two topics (and,
 * when they are encrypted with a customer-managed key, use that key for it, as SNS requires of publishers:
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html). JSON text.
 */
export function alertmanagerPublishPolicy(input: {
  readonly topicArns: readonly string[];
  readonly kmsKeyArn?: string;
}): string {
  const statements: Record<string, unknown>[] = [
    { Sid: "PublishAlerts", Effect: "Allow", Action: "sns:Publish", Resource: [...input.topicArns] },
  ];
  if (input.kmsKeyArn !== undefined)
    statements.push({
      Sid: "EncryptAlerts",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: input.kmsKeyArn,
    });
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}
