/**
 * The resources a calendar refresh updates (`pulumi up --target`), picked from the recorded plan: everything the
 * program derives from the compiled calendar, and nothing else, so a registrar's change reaches the clusters
 * without deploying anything that is not the calendar's. Pulumi state stays the one owner of every field.
 *
 * Relied on (Pulumi docs, "Targeted updates"; pulumi/pulumi #8883, #14238): `--target <urn>` restricts an update to
 * the resources with those URNs (repeatable, `*` wildcards); the program still runs whole and every resource not
 * targeted keeps its state; providers are always targeted. Kubernetes objects applied through a v1 ConfigGroup are
 * resources of their own, children of the group, so one ScaledObject is targeted alone; the group is a component
 * with nothing to update. URNs are the engine's (`urn:pulumi:<stack>::<project>::<Parent$…$Type>::<name>`, the root
 * stack's type left out), rebuilt from the recorded parent chain: the SDK's mock monitor keeps only the last
 * parent type in the URNs it answers.
 */
import { PLACEHOLDER_POD } from "../../components/core";
import { CHANGE_FREEZE_CONFIG_MAP } from "../../components/governance";
import { CALENDAR_HORIZON_RULES } from "../../components/observability";
import type { PlannedResource } from "./record";

/** One kind of calendar-owned resource: how the plan recognises it, and why it follows the calendar. */
interface CalendarOwned {
  readonly type: string;
  /** Narrows `type` to the calendar's own instances. @default every instance */
  readonly matches?: (r: PlannedResource) => boolean;
  readonly why: string;
}

const metadataName = (r: PlannedResource) => (r.inputs.metadata as { name?: string } | undefined)?.name;

/** @internal Every kind of resource whose inputs the compiled calendar decides. */
export const CALENDAR_OWNED: readonly CalendarOwned[] = [
  { type: "kubernetes:keda.sh/v1alpha1:ScaledObject", why: "carries the calendar's cron triggers" },
  {
    type: "kubernetes:apps/v1:Deployment",
    matches: (r) =>
      (r.inputs.metadata as { labels?: Record<string, string> } | undefined)?.labels?.[
        PLACEHOLDER_POD.roleLabel
      ] === PLACEHOLDER_POD.roleValue,
    why: "a calendar-scheduled service's node placeholders (pre-provisioning)",
  },
  {
    type: "kubernetes:core/v1:ConfigMap",
    matches: (r) =>
      metadataName(r) === CHANGE_FREEZE_CONFIG_MAP.name &&
      (r.inputs.metadata as { namespace?: string }).namespace === CHANGE_FREEZE_CONFIG_MAP.namespace,
    why: "the change freeze's windows",
  },
  {
    type: "aws:amp/ruleGroupNamespace:RuleGroupNamespace",
    matches: (r) => String(r.inputs.name).endsWith(`-${CALENDAR_HORIZON_RULES.fileSuffix}`),
    why: "the horizon alert embeds the horizon end",
  },
  {
    type: "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
    matches: (r) => metadataName(r) === CALENDAR_HORIZON_RULES.objectName,
    why: "the horizon alert embeds the horizon end",
  },
  {
    type: "aws:arczonalshift/zonalAutoshiftConfiguration:ZonalAutoshiftConfiguration",
    why: "practice runs allowed only clear of windows, exam dates blocked",
  },
  { type: "aws:scheduler/schedule:Schedule", why: "a GameDay's run, at a slot clear of windows" },
  {
    type: "kubernetes:karpenter.sh/v1:NodePool",
    why: "carries the calendar's zero disruption budgets over critical spans",
  },
  {
    type: "aws:appautoscaling/scheduledAction:ScheduledAction",
    why: "raises a store's readers or replicas ahead of read-heavy windows",
  },
  {
    // Exists only while a store has a schedule: a refresh that schedules the first action needs it.
    type: "aws:appautoscaling/target:Target",
    why: "the scalable target the scheduled actions act on",
  },
  {
    type: "aws:rds/cluster:Cluster",
    why: "its maintenance and backup windows are chosen clear of critical spans",
  },
  {
    type: "aws:elasticache/replicationGroup:ReplicationGroup",
    why: "its maintenance and snapshot windows are chosen clear of critical spans",
  },
  {
    type: "kubernetes:kafka.strimzi.io/v1:Kafka",
    why: "its maintenance time windows follow the chosen Redis maintenance window",
  },
  {
    type: "kubernetes:chaos-mesh.org/v1alpha1:Schedule",
    why: "a Chaos Mesh GameDay's run, clear of windows",
  },
  {
    // The scheduler's role exists only while a run is scheduled: a refresh that schedules the first needs it.
    type: "aws:iam/role:Role",
    matches: (r) => r.name.endsWith("-game-days-scheduler"),
    why: "the role the GameDay schedules run as",
  },
  {
    type: "aws:iam/rolePolicy:RolePolicy",
    matches: (r) => r.name.endsWith("-game-days-scheduler"),
    why: "what the GameDay schedules may start",
  },
];

/** Whether the calendar decides a recorded resource's inputs. */
export function isCalendarOwned(r: PlannedResource): boolean {
  return r.custom && CALENDAR_OWNED.some((k) => k.type === r.type && (k.matches?.(r) ?? true));
}

/** The URN the engine gives a recorded resource: its parents' types joined with `$` (the root stack's left out). */
export function engineUrn(
  r: PlannedResource,
  byUrn: ReadonlyMap<string, PlannedResource>,
  stack: string,
  project: string,
): string {
  const types = [r.type];
  for (let p = r.parent === null ? undefined : byUrn.get(r.parent); p !== undefined;) {
    if (p.type !== "pulumi:pulumi:Stack") types.unshift(p.type);
    p = p.parent === null ? undefined : byUrn.get(p.parent);
  }
  return `urn:pulumi:${stack}::${project}::${types.join("$")}::${r.name}`;
}

/** `calendar-targets.txt`: one engine URN per line, sorted; empty when the calendar is off. */
export function calendarTargets(
  resources: readonly PlannedResource[],
  stack: string,
  project = "semester",
): string[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  return resources
    .filter(isCalendarOwned)
    .map((r) => engineUrn(r, byUrn, stack, project))
    .sort();
}
