import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** @internal The EC2 and Health events Karpenter drains nodes ahead of (its documented interruption sources). */
export const INTERRUPTION_EVENTS = {
  "health-scheduled-change": { source: ["aws.health"], "detail-type": ["AWS Health Event"] },
  "spot-interruption": { source: ["aws.ec2"], "detail-type": ["EC2 Spot Instance Interruption Warning"] },
  "rebalance-recommendation": {
    source: ["aws.ec2"],
    "detail-type": ["EC2 Instance Rebalance Recommendation"],
  },
  "instance-state-change": { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] },
} as const;

/**
 * The SQS queue Karpenter reads interruption notices from: encrypted at rest (SQS-managed SSE),
 * messages kept 5 minutes (a notice older than that is useless), TLS-only access, fed by EventBridge rules.
 * @internal
 */
export function createInterruptionQueue(
  name: string,
  queueName: string,
  tags: Record<string, string>,
  opts: pulumi.CustomResourceOptions,
): aws.sqs.Queue {
  const queue = new aws.sqs.Queue(
    `${name}-interruption`,
    { name: queueName, messageRetentionSeconds: 300, sqsManagedSseEnabled: true, tags },
    opts,
  );
  new aws.sqs.QueuePolicy(
    `${name}-interruption`,
    {
      queueUrl: queue.url,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "EventBridgeWrite",
            Effect: "Allow",
            Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] },
            Action: "sqs:SendMessage",
            Resource: queue.arn,
          },
          {
            Sid: "DenyHTTP",
            Effect: "Deny",
            Principal: "*",
            Action: "sqs:*",
            Resource: queue.arn,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
    },
    opts,
  );
  for (const [event, pattern] of Object.entries(INTERRUPTION_EVENTS)) {
    const rule = new aws.cloudwatch.EventRule(
      `${name}-${event}`,
      { eventPattern: JSON.stringify(pattern), tags },
      opts,
    );
    new aws.cloudwatch.EventTarget(`${name}-${event}`, { rule: rule.name, arn: queue.arn }, opts);
  }
  return queue;
}
