/**
 * One region's container logs: the KMS-encrypted log group (created by Pulumi with the configured retention, so
 * none is ever auto-created unencrypted), Fluent Bit as a DaemonSet writing the services' logs into it with
 * structured JSON merged and trace IDs lifted, and Fluent Bit's Pod Identity role.
 *
 * Order: the group and the role's association before the release (Fluent Bit writes from its first second and
 * reads its credentials when the pod starts). The KMS key's policy must already let CloudWatch Logs use the key
 * (`logsKeyPolicyStatement`), or creating the group fails.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterHandle, ServiceAccountBinding } from "../../cluster";
import { InputError, isDnsLabel, type Environment, type Problem } from "../../core";
import type { ObservabilityConfig } from "../config";
import { OBSERVABILITY_NAMESPACE, OBSERVABILITY_RELEASES, OBSERVABILITY_SERVICE_ACCOUNTS } from "../names";
import { FLUENT_BIT_CHART, fluentBitValues } from "./fluent-bit-values";
import { fluentBitPolicy, logGroupNames, type LogGroupNames } from "./log-groups";
import { observabilityRelease } from "../release";

export interface RegionLogsArgs {
  readonly cluster: ClusterHandle;
  readonly region: string;
  readonly environment: Environment;
  readonly config: ObservabilityConfig;
  /** The region's KMS key the log group is encrypted with. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** The services' namespaces, whose containers' logs are shipped. */
  readonly namespaces: readonly string[];
  /** What the release waits for. @default the cluster's readiness */
  readonly dependsOn?: readonly pulumi.Input<pulumi.Resource>[];
}

/** @internal Every problem of the arguments. Pure; exported for tests. */
export function regionLogsProblems(args: Pick<RegionLogsArgs, "config" | "namespaces">): Problem[] {
  const problems: Problem[] = [];
  if (!args.config.logs.enabled) {
    problems.push({
      path: "config.logs.enabled",
      value: false,
      rule: "RegionLogs ships logs; with logs off it must not be created",
    });
  }
  if (args.namespaces.length === 0) {
    problems.push({ path: "namespaces", value: [], rule: "at least one namespace whose logs are shipped" });
  }
  args.namespaces.forEach((ns, i) => {
    if (!isDnsLabel(ns)) {
      problems.push({
        path: `namespaces[${i}]`,
        value: ns,
        rule: "must be a Kubernetes namespace name (DNS label)",
      });
    } else if (ns === OBSERVABILITY_NAMESPACE) {
      problems.push({
        path: `namespaces[${i}]`,
        value: ns,
        rule: "the observability namespace's own logs are not shipped (Fluent Bit would read its own output's noise)",
      });
    }
    if (args.namespaces.indexOf(ns) !== i) {
      problems.push({ path: `namespaces[${i}]`, value: ns, rule: "each namespace once" });
    }
  });
  return problems;
}

export class RegionLogs extends pulumi.ComponentResource {
  public readonly logGroupNames: LogGroupNames;
  public readonly logGroups: { readonly application: aws.cloudwatch.LogGroup };
  public readonly binding: ServiceAccountBinding;
  public readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: RegionLogsArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validated before the component registers: a bad argument leaves nothing behind.
    const problems = regionLogsProblems(args);
    if (problems.length > 0) throw new InputError(`RegionLogs ${name}`, problems);
    super("semester:observability:RegionLogs", name, {}, opts);
    const { cluster } = args;

    this.logGroupNames = logGroupNames(args.environment, args.region);
    const application = new aws.cloudwatch.LogGroup(
      `${name}-application`,
      {
        name: this.logGroupNames.application,
        retentionInDays: args.config.logs.retentionDays,
        kmsKeyId: args.kmsKeyArn,
      },
      { parent: this, provider: cluster.awsProvider },
    );
    this.logGroups = { application };
    const groups = [this.logGroupNames.application];

    this.binding = cluster.bindServiceAccount(`${name}-fluent-bit`, {
      namespace: OBSERVABILITY_NAMESPACE,
      serviceAccount: OBSERVABILITY_SERVICE_ACCOUNTS.fluentBit,
      inlinePolicy: pulumi
        .all([cluster.partition, cluster.accountId])
        .apply(([partition, accountId]) =>
          JSON.stringify(fluentBitPolicy({ partition, accountId, region: args.region }, groups)),
        ),
    });

    this.release = observabilityRelease(
      name,
      OBSERVABILITY_RELEASES.fluentBit,
      FLUENT_BIT_CHART,
      fluentBitValues({
        region: args.region,
        namespaces: args.namespaces,
        logGroupName: this.logGroupNames.application,
        serviceAccount: OBSERVABILITY_SERVICE_ACCOUNTS.fluentBit,
      }),
      {
        parent: this,
        provider: cluster.kubernetesProvider,
        dependsOn: [...(args.dependsOn ?? cluster.readiness), application, this.binding.association],
      },
    );
    this.registerOutputs({ applicationLogGroup: this.logGroupNames.application });
  }
}
