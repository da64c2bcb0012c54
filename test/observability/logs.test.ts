import * as pulumi from "@pulumi/pulumi";
import type { ServiceAccountBindingArgs } from "../../components/cluster/handle";
import { InputError } from "../../components/core/problem";
import { DEFAULT_OBSERVABILITY } from "../../components/observability/config";
import {
  FLUENT_BIT_CHART,
  fluentBitValues,
  traceIdFilter,
} from "../../components/observability/logs/fluent-bit-values";
import {
  fluentBitPolicy,
  logGroupNames,
  logsKeyPolicyStatement,
} from "../../components/observability/logs/log-groups";
import { RegionLogs, regionLogsProblems } from "../../components/observability/logs/region-logs";
import { only, recordResources } from "../support/record";
import { chartDefaults, unknownValuePaths } from "./chart-values";
import { bindingCluster } from "../fixtures/data/cluster";

const at = { partition: "aws", region: "eu-west-2", accountId: "123456789012" };

describe("log groups and policies", () => {
  it("names the application group by environment and region", () => {
    expect(logGroupNames("prod", "eu-west-2")).toEqual({
      application: "/semester/prod/eu-west-2/application",
    });
  });

  it("lets Fluent Bit create streams in and write to exactly its groups", () => {
    expect(fluentBitPolicy(at, ["/semester/prod/eu-west-2/application"])).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "WriteContainerLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: ["arn:aws:logs:eu-west-2:123456789012:log-group:/semester/prod/eu-west-2/application:*"],
        },
      ],
    });
  });

  it("gives the key's owner the statement CloudWatch Logs needs, bound to this region's log groups", () => {
    expect(logsKeyPolicyStatement(at)).toEqual({
      Sid: "AllowCloudWatchLogsToUseTheKey",
      Effect: "Allow",
      Principal: { Service: "logs.eu-west-2.amazonaws.com" },
      Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      Resource: "*",
      Condition: {
        ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-2:123456789012:log-group:*" },
      },
    });
    expect(
      (
        logsKeyPolicyStatement({ ...at, logGroupPatterns: ["/semester/prod/*"] }).Condition as Record<
          string,
          unknown
        >
      ).ArnLike,
    ).toEqual({
      "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-2:123456789012:log-group:/semester/prod/*",
    });
  });
});

describe("Fluent Bit values", () => {
  const values = fluentBitValues({
    region: "eu-west-2",
    namespaces: ["learning", "analytics"],
    logGroupName: "/semester/prod/eu-west-2/application",
    serviceAccount: "fluent-bit",
  });

  it("ship only the services' namespaces, JSON merged at the top level, into the Pulumi-made group, a stream per pod", () => {
    expect(values).toEqual({
      serviceAccount: { create: true, name: "fluent-bit" },
      input: { path: "/var/log/containers/*_analytics_*.log,/var/log/containers/*_learning_*.log" },
      filter: { mergeLog: "On", mergeLogKey: "", keepLog: "Off" },
      additionalFilters: traceIdFilter(),
      cloudWatchLogs: {
        enabled: true,
        region: "eu-west-2",
        logGroupName: "/semester/prod/eu-west-2/application",
        logStreamTemplate: "$kubernetes['pod_name'].$kubernetes['container_name']",
        logStreamPrefix: "unmatched-",
        autoCreateGroup: false,
      },
      tolerations: [{ operator: "Exists" }],
      priorityClassName: "system-node-critical",
    });
  });

  it("lift the trace and span IDs of the common JSON loggers to trace_id and span_id", () => {
    expect(traceIdFilter()).toBe(
      [
        "[FILTER]",
        "    Name  modify",
        "    Match kube.*",
        "    Rename traceId trace_id",
        "    Rename traceid trace_id",
        "    Rename otelTraceID trace_id",
        "    Rename spanId span_id",
        "    Rename spanid span_id",
        "    Rename otelSpanID span_id",
        "",
      ].join("\n"),
    );
  });

  it("set only paths the chart has, but the two values.yaml documents as comments (the templates read them)", () => {
    const { chart, version } = FLUENT_BIT_CHART;
    const defaults = chartDefaults(chart, version);
    expect(unknownValuePaths(values, defaults)).toEqual(["additionalFilters", "priorityClassName"]);
  });
});

describe("regionLogsProblems", () => {
  const base = { config: DEFAULT_OBSERVABILITY, namespaces: ["learning"] };
  it("accepts the services' namespaces", () => expect(regionLogsProblems(base)).toEqual([]));
  it("refuses the observability namespace, a bad name, a repeat and none", () => {
    expect(regionLogsProblems({ ...base, namespaces: ["observability", "Learning", "a", "a"] })).toEqual([
      {
        path: "namespaces[0]",
        value: "observability",
        rule: "the observability namespace's own logs are not shipped (Fluent Bit would read its own output's noise)",
      },
      { path: "namespaces[1]", value: "Learning", rule: "must be a Kubernetes namespace name (DNS label)" },
      { path: "namespaces[3]", value: "a", rule: "each namespace once" },
    ]);
    expect(regionLogsProblems({ ...base, namespaces: [] }).map((p) => p.path)).toEqual(["namespaces"]);
  });
  it("refuses logs off", () =>
    expect(
      regionLogsProblems({
        ...base,
        config: { ...DEFAULT_OBSERVABILITY, logs: { enabled: false, retentionDays: 30 } },
      }).map((p) => p.path),
    ).toEqual(["config.logs.enabled"]));
});

describe("RegionLogs under mocks", () => {
  const binds: [string, ServiceAccountBindingArgs][] = [];
  const fakeCluster = (region: string) => bindingCluster(region, binds);

  it("creates the encrypted group with the configured retention, binds Fluent Bit, then installs it", async () => {
    const config = { ...DEFAULT_OBSERVABILITY, logs: { enabled: true, retentionDays: 90 as const } };
    let policy: unknown;
    const resources = await recordResources(() => {
      const logs = new RegionLogs("eu-logs", {
        cluster: fakeCluster("eu-west-2"),
        region: "eu-west-2",
        environment: "prod",
        config,
        kmsKeyArn: "arn:aws:kms:eu-west-2:123456789012:key/k",
        namespaces: ["learning"],
      });
      pulumi.output(binds[0]![1].inlinePolicy).apply((p) => (policy = p));
      return logs;
    });
    const group = only(resources, "aws:cloudwatch/logGroup:LogGroup");
    expect(group.inputs).toMatchObject({
      name: "/semester/prod/eu-west-2/application",
      retentionInDays: 90,
      kmsKeyId: "arn:aws:kms:eu-west-2:123456789012:key/k",
    });
    expect(binds.map(([n, a]) => [n, a.namespace, a.serviceAccount])).toEqual([
      ["eu-logs-fluent-bit", "observability", "fluent-bit"],
    ]);
    expect(JSON.parse(policy as string)).toEqual(
      fluentBitPolicy(at, ["/semester/prod/eu-west-2/application"]),
    );
    const release = only(resources, "kubernetes:helm.sh/v3:Release");
    expect(release.inputs).toMatchObject({
      name: "aws-for-fluent-bit",
      chart: "aws-for-fluent-bit",
      version: "0.2.0",
      repositoryOpts: { repo: "https://aws.github.io/eks-charts" },
      namespace: "observability",
      atomic: true,
      cleanupOnFail: true,
      timeout: 600,
      values: fluentBitValues({
        region: "eu-west-2",
        namespaces: ["learning"],
        logGroupName: "/semester/prod/eu-west-2/application",
        serviceAccount: "fluent-bit",
      }),
    });
    const association = only(resources, "aws:eks/podIdentityAssociation:PodIdentityAssociation");
    expect(release.dependencies).toEqual(expect.arrayContaining([group.urn, association.urn]));
  });

  it("refuses bad arguments before registering anything", async () => {
    let error: unknown;
    const resources = await recordResources(() => {
      try {
        new RegionLogs("bad", {
          cluster: fakeCluster("us-east-1"),
          region: "us-east-1",
          environment: "dev",
          config: DEFAULT_OBSERVABILITY,
          kmsKeyArn: "k",
          namespaces: [],
        });
      } catch (e) {
        error = e;
      }
    });
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      "Invalid input in RegionLogs bad (1 problem):\n  - `namespaces`: got []; at least one namespace whose logs are shipped",
    );
    expect(
      resources.filter((r) => r.type.startsWith("semester:") || r.type.startsWith("aws:cloudwatch")),
    ).toEqual([]);
  });
});
