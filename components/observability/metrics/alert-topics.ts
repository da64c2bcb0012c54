/**
 * The alert topics of a region: one SNS topic per severity (`page`, `ticket`), encrypted with the region's
 * observability key, with their subscriptions from `semester:observability.alerts` and a topic policy that lets
 * only the given AMP workspaces' alert manager publish (none for the `in-cluster` profile, whose Alertmanager
 * publishes with its own role, see `snsPublishPolicy`). Used by `RegionMetrics` and on its own.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { InputError, type Problem } from "../../core";
import type { Severity } from "../types";
import { alertTopicPolicy } from "./policies";

/** @internal The severities, in the order their topics are created. */
export const SEVERITIES: readonly Severity[] = ["page", "ticket"];

/** @internal An SNS subscription: protocol and endpoint. */
export interface AlertSubscription {
  readonly protocol: "https" | "email";
  readonly endpoint: string;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** @internal `https://...` -> https, `email:x@y` -> email; anything else is `undefined`. */
export function alertSubscription(text: string): AlertSubscription | undefined {
  if (/^https:\/\/[^\s/]+/.test(text)) return { protocol: "https", endpoint: text };
  if (text.startsWith("email:") && EMAIL.test(text.slice("email:".length))) {
    return { protocol: "email", endpoint: text.slice("email:".length) };
  }
  return undefined;
}

/** @internal Problems of the subscriptions, with paths under `alerts`. */
export function subscriptionProblems(alerts: {
  readonly page: readonly string[];
  readonly ticket: readonly string[];
}): Problem[] {
  const problems: Problem[] = [];
  for (const severity of SEVERITIES) {
    alerts[severity].forEach((text, i) => {
      if (alertSubscription(text) === undefined) {
        problems.push({
          path: `alerts.${severity}[${i}]`,
          value: text,
          rule: "must be an `https://` URL or `email:<address>`",
        });
      }
    });
  }
  return problems;
}

export interface SnsAlertTopicsArgs {
  /** The region's AWS provider (`cluster.awsProvider`). */
  readonly provider: aws.Provider;
  /** The account the topics live in (`cluster.accountId`): the publisher condition names it. */
  readonly accountId: pulumi.Input<string>;
  /** The region's observability key (its policy must admit AMP, see `metricsKeyPolicyStatements`). */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Subscriptions of the `page` topic (`https://...` or `email:...`). @default [] */
  readonly page?: readonly string[];
  /** Subscriptions of the `ticket` topic. @default [] */
  readonly ticket?: readonly string[];
  /** AMP workspaces whose alert manager publishes to the topics. @default [] (none) */
  readonly workspaceArns?: readonly pulumi.Input<string>[];
  /** Tags of the topics. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The `page` and `ticket` topics of a region. */
export class SnsAlertTopics extends pulumi.ComponentResource {
  public readonly pageTopic: aws.sns.Topic;
  public readonly ticketTopic: aws.sns.Topic;
  public readonly pageTopicArn: pulumi.Output<string>;
  public readonly ticketTopicArn: pulumi.Output<string>;

  constructor(name: string, args: SnsAlertTopicsArgs, opts?: pulumi.ComponentResourceOptions) {
    const subscriptions = { page: args.page ?? [], ticket: args.ticket ?? [] };
    const problems = subscriptionProblems(subscriptions);
    if (problems.length > 0) throw new InputError(`SnsAlertTopics ${name}`, problems);
    super("semester:observability:SnsAlertTopics", name, {}, opts);

    const child = { parent: this, provider: args.provider };
    const topics = {} as Record<Severity, aws.sns.Topic>;
    for (const severity of SEVERITIES) {
      const topic = new aws.sns.Topic(
        `${name}-${severity}`,
        { kmsMasterKeyId: args.kmsKeyArn, tags: { ...args.tags, "semester.dev/severity": severity } },
        child,
      );
      topics[severity] = topic;
      new aws.sns.TopicPolicy(
        `${name}-${severity}-policy`,
        {
          arn: topic.arn,
          policy: pulumi
            .all([topic.arn, args.accountId, pulumi.all([...(args.workspaceArns ?? [])])])
            .apply(([topicArn, accountId, workspaceArns]) =>
              alertTopicPolicy({ topicArn, accountId, workspaceArns }),
            ),
        },
        child,
      );
      subscriptions[severity].forEach((text, i) => {
        const sub = alertSubscription(text)!;
        new aws.sns.TopicSubscription(
          `${name}-${severity}-${i}`,
          { topic: topic.arn, protocol: sub.protocol, endpoint: sub.endpoint },
          child,
        );
      });
    }
    this.pageTopic = topics.page;
    this.ticketTopic = topics.ticket;
    this.pageTopicArn = topics.page.arn;
    this.ticketTopicArn = topics.ticket.arn;
    this.registerOutputs({ pageTopicArn: this.pageTopicArn, ticketTopicArn: this.ticketTopicArn });
  }
}
