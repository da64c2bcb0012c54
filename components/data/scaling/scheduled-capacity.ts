/**
 * A store's calendar-scheduled capacity as Application Auto Scaling resources: one scalable target (the Aurora
 * cluster's reader count or the replication group's replicas per shard) and one one-time scheduled action per
 * level change, each setting min and max capacity to the level (no scaling policy: the schedule alone moves it).
 *
 * The target's bounds belong to the actions once it exists: they change them, so the target ignores changes to
 * its own `minCapacity`/`maxCapacity`; otherwise a daily refresh in the middle of a window would register the
 * horizon-start count again and AWS would scale in. Actions are named by their instant, so a refresh changes only
 * the actions that come into or leave the horizon. The target waits for the store's instances (AWS scales only an
 * available cluster with a writer) and names the namespace's service-linked role, which AWS creates on the first
 * registration.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { throwIfProblems, type Problem } from "../../core";
import type { CapacitySchedule } from "./capacity-schedule";
import { MAX_SCHEDULED_ACTIONS, SCALING_TARGETS, serviceLinkedRoleArn, type ScalingStore } from "./targets";

export interface ScheduledCapacityArgs {
  readonly store: ScalingStore;
  /** The region's provider. */
  readonly provider: aws.Provider;
  /** The Aurora cluster id or the replication group id. */
  readonly storeId: pulumi.Input<string>;
  /** The account the service-linked role is in. */
  readonly partition: pulumi.Input<string>;
  readonly accountId: pulumi.Input<string>;
  readonly schedule: CapacitySchedule;
  /** What must exist before the store can scale: its instances. */
  readonly dependsOn: readonly pulumi.Resource[];
}

/** `at(2026-10-19T06:50:00)`: a one-time schedule at an instant, in UTC. */
export function atSchedule(instant: number): string {
  return `at(${new Date(instant).toISOString().slice(0, 19)})`;
}

/** `at-20261019T0650Z`: an action's name from its instant (AWS forbids `:` and `/` in names). */
export function actionName(instant: number): string {
  const iso = new Date(instant).toISOString();
  return `at-${iso.slice(0, 10).replace(/-/g, "")}T${iso.slice(11, 16).replace(":", "")}Z`;
}

/** Problems with a schedule for `store`: counts the engine refuses, more actions than AWS keeps. */
export function scheduleProblems(store: ScalingStore, schedule: CapacitySchedule): Problem[] {
  const max = SCALING_TARGETS[store].maxCapacity;
  const problems: Problem[] = [];
  const counts = [schedule.initial, ...schedule.actions.map((a) => a.capacity)];
  const bad = counts.find((c) => !Number.isInteger(c) || c < 0 || c > max);
  if (bad !== undefined)
    problems.push({
      path: "schedule",
      value: bad,
      rule: `every count must be a whole number from 0 to ${max}`,
    });
  if (schedule.actions.length > MAX_SCHEDULED_ACTIONS)
    problems.push({
      path: "schedule.actions",
      value: schedule.actions.length,
      rule: `must be at most ${MAX_SCHEDULED_ACTIONS} (Application Auto Scaling's scheduled actions per target)`,
    });
  const last = schedule.actions[schedule.actions.length - 1];
  if (last !== undefined && last.capacity !== schedule.staticCount)
    problems.push({
      path: "schedule.actions",
      value: last.capacity,
      rule: `the last action must return to the static count ${schedule.staticCount}`,
    });
  return problems;
}

export class ScheduledCapacity extends pulumi.ComponentResource {
  public readonly target: aws.appautoscaling.Target;
  public readonly actions: readonly aws.appautoscaling.ScheduledAction[];

  constructor(name: string, args: ScheduledCapacityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("semester:data:ScheduledCapacity", name, {}, opts);
    throwIfProblems(`ScheduledCapacity ${name}`, scheduleProblems(args.store, args.schedule));
    const t = SCALING_TARGETS[args.store];
    const child = { parent: this, provider: args.provider };
    this.target = new aws.appautoscaling.Target(
      `${name}-target`,
      {
        serviceNamespace: t.serviceNamespace,
        scalableDimension: t.scalableDimension,
        resourceId: pulumi.output(args.storeId).apply(t.resourceId),
        minCapacity: args.schedule.initial,
        maxCapacity: args.schedule.initial,
        roleArn: pulumi
          .all([args.partition, args.accountId])
          .apply(([partition, account]) => serviceLinkedRoleArn(args.store, partition, account)),
      },
      { ...child, dependsOn: [...args.dependsOn], ignoreChanges: ["minCapacity", "maxCapacity"] },
    );
    this.actions = args.schedule.actions.map(
      (a) =>
        new aws.appautoscaling.ScheduledAction(
          `${name}-${actionName(a.at)}`,
          {
            name: actionName(a.at),
            // The target's own outputs, so every action waits for its registration.
            serviceNamespace: this.target.serviceNamespace,
            scalableDimension: this.target.scalableDimension,
            resourceId: this.target.resourceId,
            schedule: atSchedule(a.at),
            timezone: "Etc/UTC",
            scalableTargetAction: { minCapacity: a.capacity, maxCapacity: a.capacity },
          },
          child,
        ),
    );
    this.registerOutputs({ resourceId: this.target.resourceId });
  }
}
