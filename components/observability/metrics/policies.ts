/**
 * IAM and resource policy documents of the metrics pipeline (JSON text). Pure.
 *
 * - `ampQueryPolicy` / `ampRemoteWritePolicy`: what KEDA and Grafana (query) and the OTel agent (remote write)
 *   need on one workspace, and nothing else; the lead binds them with `cluster.bindServiceAccount`.
 * - `scraperSourceTrustPolicy` / `scraperTargetTrustPolicy`: the two roles a managed collector needs to write
 *   into a workspace encrypted with a customer managed key (AMP user guide, "Creating scraper for workspaces
 *   enabled with customer managed keys": `roleConfiguration` with source and target in the same account;
 *   the trust policies follow its cross-account setup).
 * - `alertTopicPolicy`: lets AMP's alert manager publish to a topic, only for this account and workspace (AMP
 *   user guide, "Giving Amazon Managed Service for Prometheus permission to send alert messages to your Amazon
 *   SNS topic", https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-alertmanager-receiver-AMPpermission.html).
 * - `metricsKeyPolicyStatements`: the statements the region's observability KMS key policy needs for them.
 */

interface Statement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Readonly<Record<string, string | readonly string[]>> | "*";
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

function document(statements: readonly Statement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** @internal The PromQL read actions of AMP's Prometheus-compatible query API. */
export const AMP_QUERY_ACTIONS = [
  "aps:QueryMetrics",
  "aps:GetSeries",
  "aps:GetLabels",
  "aps:GetMetricMetadata",
] as const;

/** @internal */
export interface WorkspacePolicyArgs {
  /** The workspace's ARN (`arn:<partition>:aps:<region>:<account>:workspace/<id>`). */
  readonly workspaceArn: string;
  /**
   * The workspace's customer managed key: when given, the policy also allows the key's use, only through AMP
   * in the workspace's region (`kms:ViaService`), which AMP needs from callers of a workspace encrypted with
   * it. @default none (a workspace with an AWS owned key)
   */
  readonly kmsKeyArn?: string;
}

function apsRegion(workspaceArn: string): string {
  const region = workspaceArn.split(":")[3];
  if (!region) throw new Error(`not a workspace ARN: ${workspaceArn}`);
  return region;
}

function keyStatement(args: WorkspacePolicyArgs, actions: readonly string[]): Statement[] {
  if (args.kmsKeyArn === undefined) return [];
  return [
    {
      Sid: "UseWorkspaceKeyThroughAmp",
      Effect: "Allow",
      Action: actions,
      Resource: args.kmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `aps.${apsRegion(args.workspaceArn)}.amazonaws.com` } },
    },
  ];
}

/** Query one workspace (KEDA's `prometheus` triggers, Grafana, the history export). */
export function ampQueryPolicy(args: WorkspacePolicyArgs): string {
  return document([
    { Sid: "QueryWorkspace", Effect: "Allow", Action: [...AMP_QUERY_ACTIONS], Resource: args.workspaceArn },
    ...keyStatement(args, ["kms:Decrypt"]),
  ]);
}

/** Remote-write into one workspace (the OTel agent; the managed collector's target role). */
export function ampRemoteWritePolicy(args: WorkspacePolicyArgs): string {
  return document([
    { Sid: "RemoteWriteWorkspace", Effect: "Allow", Action: "aps:RemoteWrite", Resource: args.workspaceArn },
    ...keyStatement(args, ["kms:GenerateDataKey", "kms:Decrypt"]),
  ]);
}

/** @internal */
export interface ScraperScope {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
}

/** @internal
 * Any scraper of this account and region. A scraper's ARN exists only once it is created, and the scraper needs
 * its roles to be created, so the roles trust the account's scrapers in the region, not one scraper.
 */
export function scraperArnPattern(s: ScraperScope): string {
  return `arn:${s.partition}:aps:${s.region}:${s.accountId}:scraper/*`;
}

/** @internal Trust of the source role: AMP's scraper service, for this account's scrapers in the region. */
export function scraperSourceTrustPolicy(s: ScraperScope): string {
  return document([
    {
      Effect: "Allow",
      Principal: { Service: "scraper.aps.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: {
        ArnLike: { "aws:SourceArn": scraperArnPattern(s) },
        StringEquals: { "aws:SourceAccount": s.accountId },
      },
    },
  ]);
}

/** @internal The source role may assume the target role, nothing else. */
export function assumeRolePolicy(roleArn: string): string {
  return document([
    { Sid: "AssumeTargetRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: roleArn },
  ]);
}

/** @internal Trust of the target role: the source role, with the scraper's ARN as external id (AMP sends it). */
export function scraperTargetTrustPolicy(s: ScraperScope & { readonly sourceRoleArn: string }): string {
  return document([
    {
      Effect: "Allow",
      Principal: { AWS: s.sourceRoleArn },
      Action: "sts:AssumeRole",
      Condition: { StringLike: { "sts:ExternalId": scraperArnPattern(s) } },
    },
  ]);
}

/** @internal AMP's alert manager may publish to the topic for this account's workspace only; TLS only. */
export function alertTopicPolicy(args: {
  readonly topicArn: string;
  readonly accountId: string;
  /** Workspaces whose alert manager publishes here. @default [] (no service publishes) */
  readonly workspaceArns?: readonly string[];
}): string {
  const workspaces = args.workspaceArns ?? [];
  return document([
    ...(workspaces.length > 0
      ? [
          {
            Sid: "AllowAmpAlertManagerPublish",
            Effect: "Allow" as const,
            Principal: { Service: "aps.amazonaws.com" },
            Action: ["sns:Publish", "sns:GetTopicAttributes"],
            Resource: args.topicArn,
            Condition: {
              ArnEquals: { "aws:SourceArn": workspaces.length === 1 ? workspaces[0]! : [...workspaces] },
              StringEquals: { "aws:SourceAccount": args.accountId },
            },
          },
        ]
      : []),
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "sns:Publish",
      Resource: args.topicArn,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ]);
}

/** @internal Publish to the alert topics (an in-cluster Alertmanager's role, for the `in-cluster` profile). */
export function snsPublishPolicy(args: { readonly topicArns: readonly string[] }): string {
  return document([
    { Sid: "PublishAlerts", Effect: "Allow", Action: "sns:Publish", Resource: [...args.topicArns] },
  ]);
}

/** @internal The log group prefix of AMP workspaces' vended logs. */
export const WORKSPACE_LOG_GROUP_PREFIX = "/aws/vendedlogs/prometheus/";

/** @internal
 * The statements the region's observability key policy needs for the metrics pipeline (besides the account's
 * root statement that lets IAM policies grant the key, and CloudWatch Logs' statement for the workspace's log
 * group, `logsKeyPolicyStatement` with `WORKSPACE_LOG_GROUP_PREFIX`):
 * - AMP creates its grants on the key and uses it for the workspace, called by principals of this account
 *   (`kms:ViaService` aps, `kms:CallerAccount`);
 * - AMP publishes to the encrypted SNS topics (`kms:GenerateDataKey*`, `kms:Decrypt`, as the AMP guide's
 *   SSE note gives them).
 */
export function metricsKeyPolicyStatements(s: ScraperScope): Readonly<Record<string, unknown>>[] {
  return [
    {
      Sid: "AmpWorkspaceEncryption",
      Effect: "Allow",
      Principal: { AWS: `arn:${s.partition}:iam::${s.accountId}:root` },
      Action: ["kms:CreateGrant", "kms:DescribeKey", "kms:Decrypt", "kms:GenerateDataKey"],
      Resource: "*",
      Condition: {
        StringEquals: { "kms:ViaService": `aps.${s.region}.amazonaws.com`, "kms:CallerAccount": s.accountId },
      },
    },
    {
      Sid: "AmpPublishToEncryptedTopics",
      Effect: "Allow",
      Principal: { Service: "aps.amazonaws.com" },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: "*",
    },
  ];
}
