import * as pulumi from "@pulumi/pulumi";
import type { PlannedResource } from "../../cli/plan/record";
import type { ClusterHandle } from "../../components/cluster";
import { InputError } from "../../components/core";
import { DEFAULT_ADDONS, DEFAULT_SERVICES } from "../../components/kubernetes/config";
import { observabilitySchema, type ObservabilityConfig } from "../../components/observability/config";
import {
  RegionMetrics,
  type AlertTopics,
  type RegionMetricsArgs,
} from "../../components/observability/metrics/region-metrics";
import { scrapeConfig, scrapeInputFor } from "../../components/observability/metrics/scrape-config";
import type { PromqlEndpoint } from "../../components/observability/types";
import { fakeCluster } from "../fixtures/data/cluster";
import { ofType, only, recordResources } from "../support/record";

const ACCOUNT = "123456789012";
const KEY = `arn:aws:kms:eu-west-2:${ACCOUNT}:key/obs`;
const config = (input: unknown): ObservabilityConfig => observabilitySchema.parse(input);
const ALERTS = config({ alerts: { page: ["https://events.example.org/page", "email:oncall@example.org"] } });

const alertmanagerYaml = (t: AlertTopics) =>
  `alertmanager_config: |\n  route:\n    receiver: ticket\n  receivers:\n    - name: page\n      sns_configs:\n        - topic_arn: ${t.pageTopicArn}\n    - name: ticket\n      sns_configs:\n        - topic_arn: ${t.ticketTopicArn}\n`;

function args(cluster: ClusterHandle, overrides: Partial<RegionMetricsArgs> = {}): RegionMetricsArgs {
  return {
    cluster,
    region: cluster.region,
    environment: "prod",
    services: DEFAULT_SERVICES,
    addons: DEFAULT_ADDONS,
    config: ALERTS,
    kmsKeyArn: KEY,
    ruleFiles: [
      { name: "slo-course-catalog", yaml: "groups: []\n" },
      { name: "platform", yaml: "groups: []\n" },
    ],
    alertmanagerYaml,
    tags: { team: "platform" },
    ...overrides,
  };
}

const valueOf = (o: pulumi.Input<string>): Promise<string> =>
  new Promise((resolve) => pulumi.output(o).apply((v) => resolve(v)));

describe("RegionMetrics under mocks", () => {
  let resources: PlannedResource[];
  let metrics: RegionMetrics;
  let endpoint: { queryUrl: string; remoteWriteUrl: string };

  beforeAll(async () => {
    resources = await recordResources(() => {
      metrics = new RegionMetrics("prod-euw2-metrics", args(fakeCluster("eu-west-2")));
    });
    const e: PromqlEndpoint = metrics.endpoint;
    endpoint = { queryUrl: await valueOf(e.queryUrl), remoteWriteUrl: await valueOf(e.remoteWriteUrl) };
  });

  const workspace = () => only(resources, "aws:amp/workspace:Workspace");
  const workspaceArn = () => String(workspace().outputs!.arn);

  it("creates the workspace with the key, logging to its KMS-encrypted log group, tagged for the scraper", () => {
    expect(only(resources, "aws:cloudwatch/logGroup:LogGroup").inputs).toEqual({
      name: "/aws/vendedlogs/prometheus/prod-euw2-metrics",
      retentionInDays: 30,
      kmsKeyId: KEY,
      tags: { team: "platform", "semester.dev/environment": "prod" },
    });
    expect(workspace().inputs).toEqual({
      alias: "prod-euw2-metrics",
      kmsKeyArn: KEY,
      loggingConfiguration: {
        logGroupArn: `arn:aws:logs:eu-west-2:${ACCOUNT}:log-group:/aws/vendedlogs/prometheus/prod-euw2-metrics:*`,
      },
      tags: { team: "platform", "semester.dev/environment": "prod", AMPAgentlessScraper: "" },
    });
  });

  it("scrapes the cluster from its private subnets with the node security group, into the workspace", () => {
    const scraper = only(resources, "aws:amp/scraper:Scraper");
    const roles = ofType(resources, "aws:iam/role:Role");
    const roleArn = (suffix: string) => String(roles.find((r) => r.name.endsWith(suffix))!.outputs!.arn);
    expect(scraper.inputs).toEqual({
      alias: "prod-euw2-metrics",
      source: {
        eks: {
          clusterArn: `arn:aws:eks:eu-west-2:${ACCOUNT}:cluster/semester-eu-west-2`,
          subnetIds: ["subnet-eu-west-2a", "subnet-eu-west-2b", "subnet-eu-west-2c"],
          securityGroupIds: ["sg-nodes-eu-west-2"],
        },
      },
      destination: { amp: { workspaceArn: workspaceArn() } },
      roleConfiguration: {
        sourceRoleArn: roleArn("-scraper-source"),
        targetRoleArn: roleArn("-scraper-target"),
      },
      scrapeConfiguration: scrapeConfig(
        scrapeInputFor({ config: ALERTS, services: DEFAULT_SERVICES, addons: DEFAULT_ADDONS }),
      ),
      tags: { team: "platform", "semester.dev/environment": "prod" },
    });
  });

  it("lets the scraper's target role remote-write into this workspace only", () => {
    const policies = ofType(resources, "aws:iam/rolePolicy:RolePolicy");
    const target = JSON.parse(
      String(policies.find((p) => p.name.endsWith("-scraper-target"))!.inputs.policy),
    );
    expect(target.Statement).toEqual([
      { Sid: "RemoteWriteWorkspace", Effect: "Allow", Action: "aps:RemoteWrite", Resource: workspaceArn() },
      {
        Sid: "UseWorkspaceKeyThroughAmp",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: KEY,
        Condition: { StringEquals: { "kms:ViaService": "aps.eu-west-2.amazonaws.com" } },
      },
    ]);
    const source = JSON.parse(
      String(policies.find((p) => p.name.endsWith("-scraper-source"))!.inputs.policy),
    );
    const targetRole = ofType(resources, "aws:iam/role:Role").find((r) =>
      r.name.endsWith("-scraper-target"),
    )!;
    expect(source.Statement).toEqual([
      {
        Sid: "AssumeTargetRole",
        Effect: "Allow",
        Action: "sts:AssumeRole",
        Resource: targetRole.outputs!.arn,
      },
    ]);
  });

  it("creates one rule groups namespace per rule file", () => {
    expect(
      ofType(resources, "aws:amp/ruleGroupNamespace:RuleGroupNamespace").map((r) => [r.name, r.inputs]),
    ).toEqual([
      [
        "prod-euw2-metrics-rules-platform",
        { workspaceId: workspace().id, name: "platform", data: "groups: []\n", tags: expect.any(Object) },
      ],
      [
        "prod-euw2-metrics-rules-slo-course-catalog",
        {
          workspaceId: workspace().id,
          name: "slo-course-catalog",
          data: "groups: []\n",
          tags: expect.any(Object),
        },
      ],
    ]);
  });

  it("creates encrypted page and ticket topics that only this workspace's alert manager may publish to", () => {
    const topics = ofType(resources, "aws:sns/topic:Topic");
    expect(
      topics.map((t) => [t.name, t.inputs.kmsMasterKeyId, (t.inputs.tags as any)["semester.dev/severity"]]),
    ).toEqual([
      ["prod-euw2-metrics-alerts-page", KEY, "page"],
      ["prod-euw2-metrics-alerts-ticket", KEY, "ticket"],
    ]);
    for (const topic of topics) {
      const policy = ofType(resources, "aws:sns/topicPolicy:TopicPolicy").find(
        (p) => p.name === `${topic.name}-policy`,
      )!;
      expect(policy.inputs.arn).toBe(topic.outputs!.arn);
      const [allow] = JSON.parse(String(policy.inputs.policy)).Statement;
      expect(allow).toEqual({
        Sid: "AllowAmpAlertManagerPublish",
        Effect: "Allow",
        Principal: { Service: "aps.amazonaws.com" },
        Action: ["sns:Publish", "sns:GetTopicAttributes"],
        Resource: topic.outputs!.arn,
        Condition: {
          ArnEquals: { "aws:SourceArn": workspaceArn() },
          StringEquals: { "aws:SourceAccount": ACCOUNT },
        },
      });
    }
  });

  it("subscribes https and email endpoints from config.alerts", () => {
    const page = only(resources, "aws:sns/topic:Topic", "-page").outputs!.arn;
    expect(ofType(resources, "aws:sns/topicSubscription:TopicSubscription").map((s) => s.inputs)).toEqual([
      { topic: page, protocol: "https", endpoint: "https://events.example.org/page" },
      { topic: page, protocol: "email", endpoint: "oncall@example.org" },
    ]);
  });

  it("defines the alert manager from alertmanagerYaml with the real topic ARNs", () => {
    const def = only(resources, "aws:amp/alertManagerDefinition:AlertManagerDefinition");
    expect(def.inputs).toEqual({
      workspaceId: workspace().id,
      definition: alertmanagerYaml({
        pageTopicArn: String(only(resources, "aws:sns/topic:Topic", "-page").outputs!.arn),
        ticketTopicArn: String(only(resources, "aws:sns/topic:Topic", "-ticket").outputs!.arn),
      }),
    });
  });

  it("puts every AWS resource on the region's provider", () => {
    const aws = resources.filter(
      (r) => r.custom && r.type.startsWith("aws:") && !r.type.startsWith("pulumi:"),
    );
    expect(aws.length).toBeGreaterThan(10);
    expect(new Set(aws.map((r) => r.region))).toEqual(new Set(["eu-west-2"]));
  });

  it("exposes the PromQL endpoint without the workspace endpoint's trailing slash", () => {
    const id = workspace().id;
    expect(endpoint).toEqual({
      queryUrl: `https://aps-workspaces.eu-west-2.amazonaws.com/workspaces/${id}`,
      remoteWriteUrl: `https://aps-workspaces.eu-west-2.amazonaws.com/workspaces/${id}/api/v1/remote_write`,
    });
    expect(metrics.endpoint.sigv4Region).toBe("eu-west-2");
  });
});

describe("RegionMetrics options and checks", () => {
  it("creates no topics, subscriptions or alert manager when alerts are off", async () => {
    let metrics: RegionMetrics | undefined;
    const resources = await recordResources(() => {
      metrics = new RegionMetrics(
        "m",
        args(fakeCluster("eu-west-2"), {
          config: config({ alerts: { enabled: false } }),
          alertmanagerYaml: undefined,
        }),
      );
    });
    for (const type of [
      "aws:sns/topic:Topic",
      "aws:sns/topicPolicy:TopicPolicy",
      "aws:sns/topicSubscription:TopicSubscription",
      "aws:amp/alertManagerDefinition:AlertManagerDefinition",
    ]) {
      expect(ofType(resources, type)).toEqual([]);
    }
    expect(metrics!.pageTopicArn).toBeUndefined();
    expect(ofType(resources, "aws:amp/scraper:Scraper")).toHaveLength(1);
  });

  it("takes the log retention override", async () => {
    const resources = await recordResources(() => {
      new RegionMetrics("m", args(fakeCluster("eu-west-2"), { logRetentionDays: 365 }));
    });
    expect(only(resources, "aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays).toBe(365);
  });

  it("refuses a cluster with fewer than 2 private subnets, before any resource exists", async () => {
    let error: unknown;
    const resources = await recordResources(() => {
      const cluster = { ...fakeCluster("eu-west-2") };
      const oneSubnet: ClusterHandle = { ...cluster, privateSubnetIds: cluster.privateSubnetIds.slice(0, 1) };
      try {
        new RegionMetrics("m", args(oneSubnet));
      } catch (e) {
        error = e;
      }
    });
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      [
        "Invalid input in RegionMetrics m (1 problem):",
        "  - `cluster.privateSubnetIds`: got 1; the AMP managed collector needs at least 2 subnets in 2 availability zones; fix: give the region at least 2 availability zones",
      ].join("\n"),
    );
    expect(resources.filter((r) => r.type.startsWith("aws:amp") || r.type.startsWith("semester:"))).toEqual(
      [],
    );
  });

  it("refuses alerts without an alert manager definition, a bad subscription, a short interval and duplicate rule files", () => {
    const cluster = fakeCluster("eu-west-2");
    expect(
      () =>
        new RegionMetrics(
          "m",
          args(cluster, {
            config: config({ metrics: { scrapeIntervalSeconds: 15 }, alerts: { ticket: ["sms:+441234"] } }),
            alertmanagerYaml: undefined,
            ruleFiles: [
              { name: "a", yaml: "groups: []" },
              { name: "a", yaml: "groups: []" },
            ],
          }),
        ),
    ).toThrow(
      [
        "Invalid input in RegionMetrics m (4 problems):",
        "  - `config.metrics.scrapeIntervalSeconds`: got 15; the AMP managed collector refuses a scrape interval under 30 s; fix: set semester:observability.metrics.scrapeIntervalSeconds to 30 or more, or use the in-cluster profile",
        '  - `ruleFiles[1].name`: got "a"; must be unique among the rule files',
        "  - `alertmanagerYaml`: got missing; required when config.alerts.enabled: AMP routes alerts by it",
        '  - `config.alerts.ticket[0]`: got "sms:+441234"; must be an `https://` URL or `email:<address>`',
      ].join("\n"),
    );
  });

  it("refuses the in-cluster profile and metrics turned off", () => {
    expect(
      () =>
        new RegionMetrics(
          "m",
          args(fakeCluster("eu-west-2"), {
            config: config({ profile: "in-cluster", metrics: { enabled: false } }),
          }),
        ),
    ).toThrow(
      /`config.profile`: got "in-cluster"; RegionMetrics builds the "amp" profile[\s\S]*`config.metrics.enabled`: got false/,
    );
  });
});
