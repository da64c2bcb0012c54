import {
  alertTopicPolicy,
  ampQueryPolicy,
  ampRemoteWritePolicy,
  metricsKeyPolicyStatements,
  scraperSourceTrustPolicy,
  scraperTargetTrustPolicy,
} from "../../components/observability/metrics/policies";
import { alertSubscription } from "../../components/observability/metrics/alert-topics";

const WS = "arn:aws:aps:eu-west-2:123456789012:workspace/ws-1";
const KEY = "arn:aws:kms:eu-west-2:123456789012:key/k-1";
const scope = { partition: "aws", accountId: "123456789012", region: "eu-west-2" };

describe("AMP access policies", () => {
  it("query: exactly the four read actions, on the workspace only", () => {
    expect(JSON.parse(ampQueryPolicy({ workspaceArn: WS }))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "QueryWorkspace",
          Effect: "Allow",
          Action: ["aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata"],
          Resource: WS,
        },
      ],
    });
  });

  it("remote write: aps:RemoteWrite only, on the workspace only", () => {
    expect(JSON.parse(ampRemoteWritePolicy({ workspaceArn: WS }))).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "RemoteWriteWorkspace", Effect: "Allow", Action: "aps:RemoteWrite", Resource: WS }],
    });
  });

  it("with the workspace's key: its use only through AMP in the workspace's region", () => {
    const write = JSON.parse(ampRemoteWritePolicy({ workspaceArn: WS, kmsKeyArn: KEY }));
    expect(write.Statement[1]).toEqual({
      Sid: "UseWorkspaceKeyThroughAmp",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: KEY,
      Condition: { StringEquals: { "kms:ViaService": "aps.eu-west-2.amazonaws.com" } },
    });
    const query = JSON.parse(ampQueryPolicy({ workspaceArn: WS, kmsKeyArn: KEY }));
    expect(query.Statement[1].Action).toEqual(["kms:Decrypt"]);
    expect(query.Statement).toHaveLength(2);
  });
});

describe("scraper roles", () => {
  it("the source role trusts AMP's scraper service for this account's scrapers in the region", () => {
    expect(JSON.parse(scraperSourceTrustPolicy(scope)).Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "scraper.aps.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          ArnLike: { "aws:SourceArn": "arn:aws:aps:eu-west-2:123456789012:scraper/*" },
          StringEquals: { "aws:SourceAccount": "123456789012" },
        },
      },
    ]);
  });

  it("the target role trusts only the source role, with a scraper ARN as external id", () => {
    const src = "arn:aws:iam::123456789012:role/src";
    expect(JSON.parse(scraperTargetTrustPolicy({ ...scope, sourceRoleArn: src })).Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { AWS: src },
        Action: "sts:AssumeRole",
        Condition: { StringLike: { "sts:ExternalId": "arn:aws:aps:eu-west-2:123456789012:scraper/*" } },
      },
    ]);
  });
});

describe("alert topics", () => {
  const TOPIC = "arn:aws:sns:eu-west-2:123456789012:page";

  it("lets AMP publish for this account and workspace only, and denies publishing without TLS", () => {
    expect(
      JSON.parse(alertTopicPolicy({ topicArn: TOPIC, accountId: "123456789012", workspaceArns: [WS] })),
    ).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AllowAmpAlertManagerPublish",
          Effect: "Allow",
          Principal: { Service: "aps.amazonaws.com" },
          Action: ["sns:Publish", "sns:GetTopicAttributes"],
          Resource: TOPIC,
          Condition: {
            ArnEquals: { "aws:SourceArn": WS },
            StringEquals: { "aws:SourceAccount": "123456789012" },
          },
        },
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "sns:Publish",
          Resource: TOPIC,
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    });
  });

  it("admits no service without workspaces (the in-cluster profile)", () => {
    const statements = JSON.parse(alertTopicPolicy({ topicArn: TOPIC, accountId: "123456789012" })).Statement;
    expect(statements.map((s: { Sid: string }) => s.Sid)).toEqual(["DenyInsecureTransport"]);
  });

  it("reads https and email subscriptions, and nothing else", () => {
    expect(alertSubscription("https://events.pagerduty.com/x")).toEqual({
      protocol: "https",
      endpoint: "https://events.pagerduty.com/x",
    });
    expect(alertSubscription("email:oncall@example.org")).toEqual({
      protocol: "email",
      endpoint: "oncall@example.org",
    });
    expect(alertSubscription("http://insecure.example.org")).toBeUndefined();
    expect(alertSubscription("email:nobody")).toBeUndefined();
    expect(alertSubscription("oncall@example.org")).toBeUndefined();
  });
});

describe("key policy statements for the lead's observability key", () => {
  it("admit CloudWatch Logs for the vended-logs groups, AMP through its endpoint, AMP for the topics", () => {
    const statements = metricsKeyPolicyStatements(scope);
    expect(statements).toHaveLength(2);
    const [amp, sns] = statements;
    expect(amp).toMatchObject({
      Principal: { AWS: "arn:aws:iam::123456789012:root" },
      Action: ["kms:CreateGrant", "kms:DescribeKey", "kms:Decrypt", "kms:GenerateDataKey"],
      Condition: {
        StringEquals: {
          "kms:ViaService": "aps.eu-west-2.amazonaws.com",
          "kms:CallerAccount": "123456789012",
        },
      },
    });
    expect(sns).toMatchObject({
      Principal: { Service: "aps.amazonaws.com" },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
    });
  });
});
