/**
 * A region's GameDays: one FIS experiment template per FIS experiment (stopped by the region's SLO burn-rate alarm,
 * logging to a KMS-encrypted log group, run by a least-privilege role mapped into the cluster for pod faults),
 * the Kubernetes objects FIS and Chaos Mesh need, Chaos Mesh itself where enabled, and, where scheduling is on,
 * one EventBridge Scheduler one-time schedule per slot (`scheduling.ts`) starting exactly its template.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BusyInterval } from "../calendar";
import type { ClusterHandle } from "../cluster";
import {
  MINUTE_MS,
  pinnedRelease,
  throwIfProblems,
  type Environment,
  type KubeObject,
  type Problem,
} from "../core";
import type { ServicesConfig } from "../kubernetes";
import { applyObjects, checkObjects } from "../objects";
import { engineOf, type ExperimentConfig, type GameDaysConfig } from "./config";
import {
  CHAOS_MESH_CHART,
  CHAOS_MESH_NAMESPACE,
  chaosMeshExceptions,
  chaosMeshSchedules,
  chaosMeshValues,
} from "./chaos-mesh";
import { fisRolePolicy, schedulerRolePolicy, serviceTrustPolicy } from "./fis-policy";
import { fisTemplateSpec, usesEksPods } from "./fis-template";
import {
  FIS_USERNAME,
  FIS_SERVICE_ACCOUNT,
  fisNamespaceObjects,
  fisPolicyExceptions,
} from "./kubernetes-objects";
import { gameDayProblems, practiceRunWindows, resolveSchedule, type ResolvedSchedule } from "./rules";
import { iso, planSlots, slotProblems, type PlannedSlot, type SlotConstraints } from "./scheduling";

export interface RegionGameDaysArgs {
  readonly cluster: ClusterHandle;
  readonly environment: Environment;
  /** The resolved `semester:gameDays` section (the catalogue merged in). */
  readonly config: GameDaysConfig;
  readonly services: ServicesConfig;
  /** The region's SLO burn-rate alarm (H5's `RegionSloAlarms.stopConditionAlarmArn`): every experiment stops on it. */
  readonly stopConditionAlarmArn: pulumi.Input<string> | undefined;
  /** The calendar's horizon; without it nothing is scheduled. @default none */
  readonly horizon?: { readonly from: number; readonly to: number };
  /** Busy spans of the calendar (every kind of window). @default [] */
  readonly busy?: readonly BusyInterval[];
  /** The region's zonal-autoshift practice-run windows, `Day:HH:MM-Day:HH:MM` UTC. @default [] */
  readonly practiceRunWindows?: readonly string[];
  /** Names of the ValidatingPolicies governance emits (the FIS exceptions name them). @default [] */
  readonly governancePolicies?: readonly string[];
  /** Aurora clusters whose writer is in this region. @default [] */
  readonly auroraClusterArns?: readonly pulumi.Input<string>[];
  /** The region's ElastiCache replication group. @default none */
  readonly redisReplicationGroupArn?: pulumi.Input<string>;
  /** Days of experiment logs kept. @default 90 */
  readonly logRetentionDays?: number;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * What the GameDays' Kubernetes objects wait for besides the Chaos Mesh release: the region's workload objects
   * (the namespaces the FIS RoleBindings live in, Kyverno's CRDs for the exceptions). @default []
   */
  readonly objectsDependOn?: readonly pulumi.Input<pulumi.Resource>[];
}

/** @internal Every enabled experiment, by engine, in name order. */
export function enabledExperiments(config: GameDaysConfig): [string, ExperimentConfig][] {
  return Object.entries(config.experiments)
    .filter(([, e]) => e.enabled)
    .sort(([a], [b]) => a.localeCompare(b));
}

export class RegionGameDays extends pulumi.ComponentResource {
  public readonly templates: Readonly<Record<string, aws.fis.ExperimentTemplate>>;
  /** The Kubernetes objects it applies (FIS RBAC, PolicyExceptions, Chaos Mesh Schedules), schema-checked first. */
  public readonly objects: readonly KubeObject[];
  /** Every scheduled run, in time order. */
  public readonly slots: readonly (PlannedSlot & { readonly engine: "fis" | "chaos-mesh" })[];
  /** GameDays that could not be placed, with why. */
  public readonly skipped: readonly string[];
  public readonly schedule: ResolvedSchedule;
  /** What every slot was checked against (busy spans, practice runs, margin, horizon); absent when nothing is scheduled. */
  public readonly constraints: SlotConstraints | undefined;

  constructor(name: string, args: RegionGameDaysArgs, opts?: pulumi.ComponentResourceOptions) {
    super("semester:chaos:RegionGameDays", name, {}, opts);
    const { cluster, config, services } = args;
    const region = cluster.region;
    const schedule = resolveSchedule(config, args.environment);
    const experiments = enabledExperiments(config).filter(
      ([, e]) => engineOf(e.fault) === "fis" || schedule.chaosMesh,
    );
    const fis = experiments.filter(([, e]) => engineOf(e.fault) === "fis");
    const mesh = experiments.filter(([, e]) => engineOf(e.fault) === "chaos-mesh");

    // Validation first: nothing exists until every rule holds.
    const problems: Problem[] = [...gameDayProblems(config, services, args.environment, "gameDays")];
    if (fis.length > 0 && (args.stopConditionAlarmArn === undefined || args.stopConditionAlarmArn === "")) {
      problems.push({
        path: "stopConditionAlarmArn",
        value: args.stopConditionAlarmArn,
        rule: `every FIS experiment needs a stop condition; give the region's SLO burn-rate alarm (${fis.map(([n]) => n).join(", ")} would run without one)`,
      });
    }
    const practice = practiceRunWindows(args.practiceRunWindows ?? [], "practiceRunWindows");
    problems.push(...practice.problems);
    const constraints: SlotConstraints | undefined =
      schedule.enabled && args.horizon !== undefined
        ? {
            region,
            horizon: args.horizon,
            busy: args.busy ?? [],
            practiceRuns: practice.windows,
            marginMs: config.schedule.safetyMarginMinutes * MINUTE_MS,
            ...(schedule.workingHours !== undefined ? { workingHours: schedule.workingHours } : {}),
          }
        : undefined;
    const plan =
      constraints !== undefined
        ? planSlots(
            experiments.map(([n, e]) => ({ name: n, durationMs: e.durationMinutes * MINUTE_MS })),
            config.schedule.day,
            constraints,
          )
        : {
            slots: [],
            skipped: schedule.enabled ? ["every GameDay: the calendar is off, so nothing is scheduled"] : [],
          };
    if (constraints !== undefined)
      problems.push(...slotProblems("gameDays.experiments", plan.slots, constraints));
    throwIfProblems(`RegionGameDays ${name}`, problems);

    const provider = cluster.awsProvider;
    const child = { parent: this, provider };
    const tags = { ...args.tags, "semester:game-days": region };
    const clusterArn = pulumi.interpolate`arn:${cluster.partition}:eks:${region}:${cluster.accountId}:cluster/${cluster.clusterName}`;

    const key = new aws.kms.Key(
      `${name}-logs`,
      {
        description: `FIS experiment logs of ${region}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: pulumi
          .all([cluster.partition, cluster.accountId])
          .apply(([partition, accountId]) => logsKeyPolicy(partition, region, accountId)),
        tags,
      },
      child,
    );
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        name: `/semester/${args.environment}/${region}/game-days`,
        retentionInDays: args.logRetentionDays ?? 90,
        kmsKeyId: key.arn,
        tags,
      },
      child,
    );

    const role = new aws.iam.Role(
      `${name}-fis`,
      {
        assumeRolePolicy: cluster.accountId.apply((a) => serviceTrustPolicy("fis.amazonaws.com", a)),
        tags,
      },
      child,
    );
    const zones = aws.getAvailabilityZonesOutput(
      { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
      { parent: this, provider },
    ).names;
    new aws.iam.RolePolicy(
      `${name}-fis`,
      {
        role: role.name,
        policy: pulumi
          .all([
            cluster.partition,
            cluster.accountId,
            cluster.clusterName,
            clusterArn,
            cluster.vpcId,
            logGroup.arn,
            pulumi.all([...(args.auroraClusterArns ?? [])]),
            pulumi.output(args.redisReplicationGroupArn),
          ])
          .apply(([partition, accountId, clusterName, arn, vpcId, logGroupArn, aurora, redis]) =>
            fisRolePolicy(
              fis.map(([, e]) => e),
              {
                partition,
                region,
                accountId,
                clusterName,
                clusterArn: arn,
                vpcId,
                logGroupArn,
                auroraClusterArns: aurora,
                ...(redis !== undefined ? { redisReplicationGroupArn: redis } : {}),
              },
            ),
          ),
      },
      child,
    );

    const podFaults = fis.filter(([, e]) => usesEksPods(e));
    const namespaces = [...new Set(podFaults.map(([, e]) => services[e.target.service].namespace))].sort();
    if (podFaults.length > 0) {
      new aws.eks.AccessEntry(
        `${name}-fis`,
        {
          clusterName: cluster.clusterName,
          principalArn: role.arn,
          type: "STANDARD",
          userName: FIS_USERNAME,
        },
        child,
      );
    }

    const templates: Record<string, aws.fis.ExperimentTemplate> = {};
    for (const [experiment, e] of fis) {
      const spec = fisTemplateSpec(e, {
        clusterName: cluster.clusterName,
        clusterArn,
        zones,
        services,
        kubernetesServiceAccount: FIS_SERVICE_ACCOUNT,
        auroraClusterArns: args.auroraClusterArns ?? [],
        ...(args.redisReplicationGroupArn !== undefined
          ? { redisReplicationGroupArn: args.redisReplicationGroupArn }
          : {}),
      });
      templates[experiment] = new aws.fis.ExperimentTemplate(
        `${name}-${experiment}`,
        {
          description: e.hypothesis.slice(0, 512),
          roleArn: role.arn,
          actions: spec.actions,
          targets: spec.targets,
          stopConditions: [{ source: "aws:cloudwatch:alarm", value: args.stopConditionAlarmArn! }],
          logConfiguration: {
            logSchemaVersion: 2,
            cloudwatchLogsConfiguration: { logGroupArn: pulumi.interpolate`${logGroup.arn}:*` },
          },
          experimentOptions: { accountTargeting: "single-account", emptyTargetResolutionMode: "fail" },
          tags: {
            ...tags,
            Name: experiment,
            "semester:slo": `${e.slo.service}/${e.slo.objective}`,
          },
        },
        child,
      );
    }

    const fisSlots = plan.slots.filter((s) => templates[s.name] !== undefined);
    if (fisSlots.length > 0) {
      const schedulerRole = new aws.iam.Role(
        `${name}-scheduler`,
        {
          assumeRolePolicy: cluster.accountId.apply((a) => serviceTrustPolicy("scheduler.amazonaws.com", a)),
          tags,
        },
        child,
      );
      const scheduled = [...new Set(fisSlots.map((s) => s.name))];
      new aws.iam.RolePolicy(
        `${name}-scheduler`,
        {
          role: schedulerRole.name,
          policy: pulumi
            .all([cluster.partition, cluster.accountId, pulumi.all(scheduled.map((n) => templates[n]!.id))])
            .apply(([partition, accountId, ids]) =>
              schedulerRolePolicy(
                ids.map((id) => `arn:${partition}:fis:${region}:${accountId}:experiment-template/${id}`),
                { partition, region, accountId },
              ),
            ),
        },
        child,
      );
      for (const slot of fisSlots) {
        const id = `${slot.name}-${iso(slot.start).slice(0, 10)}`;
        new aws.scheduler.Schedule(
          `${name}-${id}`,
          {
            name: `${cluster.region}-${id}`.slice(0, 64),
            description: `GameDay ${slot.name} (${iso(slot.start)}..${iso(slot.end)})`,
            scheduleExpression: `at(${iso(slot.start).slice(0, 19)})`,
            scheduleExpressionTimezone: "UTC",
            flexibleTimeWindow: { mode: "OFF" },
            state: "ENABLED",
            target: {
              arn: pulumi.interpolate`arn:${cluster.partition}:scheduler:::aws-sdk:fis:startExperiment`,
              roleArn: schedulerRole.arn,
              input: templates[slot.name]!.id.apply((templateId) =>
                JSON.stringify({ ExperimentTemplateId: templateId, ClientToken: id }),
              ),
              // A run that cannot start on time is dropped, never started late.
              retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 300 },
            },
          },
          child,
        );
      }
    }

    const meshSlots = plan.slots.filter((s) => mesh.some(([n]) => n === s.name));
    const objects: KubeObject[] = [
      ...namespaces.flatMap(fisNamespaceObjects),
      ...(podFaults.length > 0 ? fisPolicyExceptions(args.governancePolicies ?? [], namespaces) : []),
      ...(schedule.chaosMesh ? chaosMeshExceptions(args.governancePolicies ?? []) : []),
      ...mesh.flatMap(([n, e]) =>
        chaosMeshSchedules(
          n,
          e,
          meshSlots.filter((s) => s.name === n),
          services,
        ),
      ),
    ];
    const dependsOn: pulumi.Resource[] = [];
    if (schedule.chaosMesh) {
      dependsOn.push(
        pinnedRelease(
          name,
          {
            release: CHAOS_MESH_CHART.name,
            chart: CHAOS_MESH_CHART.name,
            version: CHAOS_MESH_CHART.version,
            repository: CHAOS_MESH_CHART.repository,
            namespace: CHAOS_MESH_NAMESPACE,
            createNamespace: true,
            values: chaosMeshValues(config.chaosMesh.targetNamespace),
          },
          { parent: this, provider: cluster.kubernetesProvider, dependsOn: cluster.readiness },
        ),
      );
    }

    // Applied here, after the region's workloads: the stop condition comes from alarms on the public ALB, which
    // exists only once the workloads' Ingress does, so the GameDays cannot be part of the workloads' group.
    if (objects.length > 0) {
      applyObjects(
        `${name}-objects`,
        { objects: checkObjects(objects, `RegionGameDays ${name}`), resourcePrefix: `${region}-game-days` },
        {
          parent: this,
          provider: cluster.kubernetesProvider,
          dependsOn: [...cluster.readiness, ...dependsOn, ...(args.objectsDependOn ?? [])],
        },
      );
    }
    this.templates = templates;
    this.objects = objects;
    this.slots = plan.slots
      .map((s) => ({
        ...s,
        engine: templates[s.name] !== undefined ? ("fis" as const) : ("chaos-mesh" as const),
      }))
      .sort((a, b) => a.start - b.start);
    this.skipped = plan.skipped;
    this.schedule = schedule;
    this.constraints = constraints;
    this.registerOutputs({ logGroup: logGroup.name, fisRoleArn: role.arn });
  }
}

/** The logs key's policy: the account administers it, CloudWatch Logs encrypts this region's game-day group with it. */
export function logsKeyPolicy(partition: string, region: string, accountId: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountAdministration",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "AllowCloudWatchLogsToUseTheKey",
        Effect: "Allow",
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        Resource: "*",
        Condition: {
          ArnLike: {
            "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${region}:${accountId}:log-group:/semester/*/${region}/game-days`,
          },
        },
      },
    ],
  });
}
