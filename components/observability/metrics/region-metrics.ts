/**
 * The metrics pipeline of one region for the `amp` profile: an Amazon Managed Service for Prometheus workspace
 * (customer managed key, logging to a KMS-encrypted log group), the AMP managed collector scraping the cluster
 * (`scrape-config.ts`), the SLO rule groups, and alerting through AMP's alert manager to the `page` and
 * `ticket` SNS topics. Everything on the region's AWS provider; nothing is created in the cluster.
 *
 * What a real deploy relies on (AMP user guide, "Using an AWS managed collector",
 * https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-collector-how-to.html):
 * - Cluster access: the clusters use `authenticationMode: API` (`components/cluster/control-plane.ts`), and with
 *   API authentication AMP creates the scraper's EKS access entry and its access policy itself ("Configure
 *   Amazon EKS for scraper access with access entries"), so no access entry, `aps-collector-role` or binding is
 *   created here (a second access entry for the same role would fail the deploy).
 * - Network: the scraper gets an ENI in each given subnet (at least two, in two zones) with the given security
 *   groups; the cluster security group (`cluster.nodeSecurityGroupId`) admits all traffic from itself, so the
 *   ENIs reach pods, nodes and the private API endpoint (the endpoint must be private, the VPC's DNS on).
 * - Customer managed key: a scraper writing into a workspace with a customer managed key needs
 *   `roleConfiguration` with a source and a target role of the same account ("Creating scraper for workspaces
 *   enabled with customer managed keys"); the target role may only remote-write into this workspace.
 * - A scraper tags its destination workspace `AMPAgentlessScraper`; the workspace carries that tag itself so
 *   the next `pulumi up` does not remove it (`aws.amp.Scraper` docs).
 * - `prometheusEndpoint` is `https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>/` (trailing slash):
 *   the query URL is it without the slash.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterHandle } from "../../cluster";
import { InputError, type Problem } from "../../core";
import type { AddonsConfig, ServicesConfig } from "../../kubernetes";
import type { ObservabilityConfig } from "../config";
import type { PromqlEndpoint } from "../types";
import { SnsAlertTopics, subscriptionProblems } from "./alert-topics";
import {
  WORKSPACE_LOG_GROUP_PREFIX,
  ampRemoteWritePolicy,
  assumeRolePolicy,
  scraperSourceTrustPolicy,
  scraperTargetTrustPolicy,
} from "./policies";
import { scrapeConfig, scrapeInputFor, scrapeInputProblems } from "./scrape-config";

/** A Prometheus rule file for one AMP rule groups namespace. */
export interface RuleFile {
  /** The namespace's name: 1-64 of `[0-9A-Za-z._-]`, starting with a letter or digit. */
  readonly name: string;
  /** The rule file (`groups:` YAML). */
  readonly yaml: string;
}

/** The alert topics an alert manager definition routes to. */
export interface AlertTopics {
  readonly pageTopicArn: string;
  readonly ticketTopicArn: string;
}

export interface RegionMetricsArgs {
  /** The region's cluster: providers, account, subnets, security group. */
  readonly cluster: ClusterHandle;
  /** The AWS region (the cluster's). */
  readonly region: string;
  /** The stack's environment (`dev`, `staging`, `prod`), for tags. */
  readonly environment: string;
  readonly services: ServicesConfig;
  readonly addons: AddonsConfig;
  /** `semester:observability` (profile `amp`, metrics on). */
  readonly config: ObservabilityConfig;
  /** The region's observability key (policy: `metricsKeyPolicyStatements`). */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** One rule groups namespace per file. */
  readonly ruleFiles: readonly RuleFile[];
  /**
   * The alert manager definition (`alertmanager_config: ...` YAML, SNS receivers) for the region's topics.
   * Required when `config.alerts.enabled`. @default none
   */
  readonly alertmanagerYaml?: (topics: AlertTopics) => string;
  /**
   * Retention of the workspace's log group, days. @default `config.logs.retentionDays`
   */
  readonly logRetentionDays?: number;
  /** Tags of every resource. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

const RULE_NAMESPACE = /^[0-9A-Za-z][-.0-9A-Z_a-z]{0,63}$/;
const ALIAS_MAX = 100;

/** @internal What is wrong with RegionMetrics' arguments (empty when they are fine). Pure. */
export function regionMetricsProblems(name: string, args: RegionMetricsArgs): Problem[] {
  const problems: Problem[] = [];
  if (args.config.profile !== "amp") {
    problems.push({
      path: "config.profile",
      value: args.config.profile,
      rule: 'RegionMetrics builds the "amp" profile',
      fix: "build the in-cluster profile's Prometheus instead",
    });
  }
  if (!args.config.metrics.enabled) {
    problems.push({
      path: "config.metrics.enabled",
      value: false,
      rule: "must be true: RegionMetrics is the metrics pipeline",
      fix: "do not create RegionMetrics when metrics are off",
    });
  }
  if (args.region !== args.cluster.region) {
    problems.push({
      path: "region",
      value: args.region,
      rule: `must be the cluster's region ${args.cluster.region}: the cluster, scraper and workspace share a region`,
    });
  }
  const subnets = args.cluster.privateSubnetIds.length;
  if (subnets < 2) {
    problems.push({
      path: "cluster.privateSubnetIds",
      value: subnets,
      rule: "the AMP managed collector needs at least 2 subnets in 2 availability zones",
      fix: "give the region at least 2 availability zones",
    });
  }
  if (name.length > ALIAS_MAX || !/^[0-9A-Za-z][-.0-9A-Z_a-z]*$/.test(name)) {
    problems.push({
      path: "name",
      value: name,
      rule: `must be a workspace alias: up to ${ALIAS_MAX} of [0-9A-Za-z._-], starting with a letter or digit`,
    });
  }
  const input = scrapeInputFor({ config: args.config, services: args.services, addons: args.addons });
  for (const p of scrapeInputProblems(input)) {
    problems.push(
      p.path === "scrapeIntervalSeconds" ? { ...p, path: "config.metrics.scrapeIntervalSeconds" } : p,
    );
  }
  const seen = new Set<string>();
  args.ruleFiles.forEach((file, i) => {
    if (!RULE_NAMESPACE.test(file.name)) {
      problems.push({
        path: `ruleFiles[${i}].name`,
        value: file.name,
        rule: "must be 1-64 of [0-9A-Za-z._-], starting with a letter or digit",
      });
    } else if (seen.has(file.name)) {
      problems.push({
        path: `ruleFiles[${i}].name`,
        value: file.name,
        rule: "must be unique among the rule files",
      });
    }
    seen.add(file.name);
    if (file.yaml.trim() === "") {
      problems.push({ path: `ruleFiles[${i}].yaml`, value: file.yaml, rule: "must not be empty" });
    }
  });
  if (args.config.alerts.enabled) {
    if (args.alertmanagerYaml === undefined) {
      problems.push({
        path: "alertmanagerYaml",
        value: undefined,
        rule: "required when config.alerts.enabled: AMP routes alerts by it",
      });
    }
    for (const p of subscriptionProblems(args.config.alerts))
      problems.push({ ...p, path: `config.${p.path}` });
  }
  return problems;
}

/** The metrics pipeline of one region (profile `amp`). */
export class RegionMetrics extends pulumi.ComponentResource {
  public readonly logGroup: aws.cloudwatch.LogGroup;
  public readonly workspace: aws.amp.Workspace;
  public readonly scraper: aws.amp.Scraper;
  public readonly endpoint: PromqlEndpoint;
  /** The scrape configuration the collector runs (YAML). */
  public readonly scrapeConfiguration: string;
  public readonly ruleGroupNamespaces: aws.amp.RuleGroupNamespace[];
  /** The alert topics; absent when `config.alerts.enabled` is false. */
  public readonly alertTopics?: SnsAlertTopics;
  public readonly pageTopicArn?: pulumi.Output<string>;
  public readonly ticketTopicArn?: pulumi.Output<string>;
  public readonly alertManagerDefinition?: aws.amp.AlertManagerDefinition;

  constructor(name: string, args: RegionMetricsArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = regionMetricsProblems(name, args);
    if (problems.length > 0) throw new InputError(`RegionMetrics ${name}`, problems);
    super("semester:observability:RegionMetrics", name, {}, opts);

    const { cluster } = args;
    const child = { parent: this, provider: cluster.awsProvider };
    const tags = { ...args.tags, "semester.dev/environment": args.environment };

    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-workspace-logs`,
      {
        name: `${WORKSPACE_LOG_GROUP_PREFIX}${name}`,
        retentionInDays: args.logRetentionDays ?? args.config.logs.retentionDays,
        kmsKeyId: args.kmsKeyArn,
        tags,
      },
      child,
    );

    this.workspace = new aws.amp.Workspace(
      `${name}-workspace`,
      {
        alias: name,
        kmsKeyArn: args.kmsKeyArn,
        loggingConfiguration: { logGroupArn: pulumi.interpolate`${this.logGroup.arn}:*` },
        tags: { ...tags, AMPAgentlessScraper: "" },
      },
      child,
    );

    // The roles a scraper needs to write into a workspace encrypted with a customer managed key.
    const sourceRole = new aws.iam.Role(
      `${name}-scraper-source`,
      {
        assumeRolePolicy: pulumi
          .all([cluster.partition, cluster.accountId])
          .apply(([partition, accountId]) =>
            scraperSourceTrustPolicy({ partition, accountId, region: args.region }),
          ),
        tags,
      },
      child,
    );
    const targetRole = new aws.iam.Role(
      `${name}-scraper-target`,
      {
        assumeRolePolicy: pulumi
          .all([cluster.partition, cluster.accountId, sourceRole.arn])
          .apply(([partition, accountId, sourceRoleArn]) =>
            scraperTargetTrustPolicy({ partition, accountId, region: args.region, sourceRoleArn }),
          ),
        tags,
      },
      child,
    );
    const targetPolicy = new aws.iam.RolePolicy(
      `${name}-scraper-target`,
      {
        role: targetRole.id,
        policy: pulumi
          .all([this.workspace.arn, args.kmsKeyArn])
          .apply(([workspaceArn, kmsKeyArn]) => ampRemoteWritePolicy({ workspaceArn, kmsKeyArn })),
      },
      child,
    );
    const sourcePolicy = new aws.iam.RolePolicy(
      `${name}-scraper-source`,
      { role: sourceRole.id, policy: targetRole.arn.apply(assumeRolePolicy) },
      child,
    );

    this.scrapeConfiguration = scrapeConfig(
      scrapeInputFor({ config: args.config, services: args.services, addons: args.addons }),
    );
    this.scraper = new aws.amp.Scraper(
      `${name}-scraper`,
      {
        alias: name,
        source: {
          eks: {
            clusterArn: pulumi.interpolate`arn:${cluster.partition}:eks:${args.region}:${cluster.accountId}:cluster/${cluster.clusterName}`,
            subnetIds: cluster.privateSubnetIds,
            securityGroupIds: [cluster.nodeSecurityGroupId],
          },
        },
        destination: { amp: { workspaceArn: this.workspace.arn } },
        roleConfiguration: { sourceRoleArn: sourceRole.arn, targetRoleArn: targetRole.arn },
        scrapeConfiguration: this.scrapeConfiguration,
        tags,
      },
      { ...child, dependsOn: [sourcePolicy, targetPolicy] },
    );

    this.ruleGroupNamespaces = args.ruleFiles.map(
      (file) =>
        new aws.amp.RuleGroupNamespace(
          `${name}-rules-${file.name}`,
          { workspaceId: this.workspace.id, name: file.name, data: file.yaml, tags },
          child,
        ),
    );

    if (args.config.alerts.enabled) {
      this.alertTopics = new SnsAlertTopics(
        `${name}-alerts`,
        {
          provider: cluster.awsProvider,
          accountId: cluster.accountId,
          kmsKeyArn: args.kmsKeyArn,
          page: args.config.alerts.page,
          ticket: args.config.alerts.ticket,
          workspaceArns: [this.workspace.arn],
          tags,
        },
        { parent: this },
      );
      this.pageTopicArn = this.alertTopics.pageTopicArn;
      this.ticketTopicArn = this.alertTopics.ticketTopicArn;
      const render = args.alertmanagerYaml!;
      this.alertManagerDefinition = new aws.amp.AlertManagerDefinition(
        `${name}-alertmanager`,
        {
          workspaceId: this.workspace.id,
          definition: pulumi
            .all([this.pageTopicArn, this.ticketTopicArn])
            .apply(([pageTopicArn, ticketTopicArn]) => render({ pageTopicArn, ticketTopicArn })),
        },
        { ...child, dependsOn: [this.alertTopics] },
      );
    }

    const queryUrl = this.workspace.prometheusEndpoint.apply((url) => url.replace(/\/+$/, ""));
    this.endpoint = {
      queryUrl,
      remoteWriteUrl: pulumi.interpolate`${queryUrl}/api/v1/remote_write`,
      sigv4Region: args.region,
      workspaceArn: this.workspace.arn,
    };

    this.registerOutputs({
      workspaceArn: this.workspace.arn,
      queryUrl,
      scraperArn: this.scraper.arn,
      pageTopicArn: this.pageTopicArn,
      ticketTopicArn: this.ticketTopicArn,
    });
  }
}
