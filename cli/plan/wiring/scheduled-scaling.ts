/**
 * Calendar-scheduled data capacity, as a deploy needs it: every Application Auto Scaling target names a store of
 * the plan in its own region that AWS can scale (not an Aurora global secondary, not a Global Datastore member),
 * waits for the store's instances, and acts through its namespace's service-linked role in the store's account;
 * every scheduled action names a target of the plan, waits for it, runs once at a UTC `at(...)` instant, and sets
 * min and max capacity within the engine's range; no target holds more actions than AWS keeps.
 */
import {
  MAX_SCHEDULED_ACTIONS,
  SCALING_TARGETS,
  serviceLinkedRoleArn,
  type ScalingStore,
} from "../../../components/data";
import type { PlannedResource } from "../record";
import { PlanIndex } from "./model";
import type { ProvenPath, WiringFinding } from "./types";

const TARGET = "aws:appautoscaling/target:Target";
const ACTION = "aws:appautoscaling/scheduledAction:ScheduledAction";
const AT = /^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/;

/** The store a target scales, and why AWS cannot scale it (undefined when it can). */
interface Store {
  readonly resource: PlannedResource;
  readonly instances: readonly PlannedResource[];
  readonly unsupported?: string;
}

function storeOf(idx: PlanIndex, kind: ScalingStore, id: string): Store | undefined {
  if (kind === "aurora") {
    const cluster = idx.find("aws:rds/cluster:Cluster", id);
    if (cluster === undefined) return undefined;
    const instances = idx
      .ofType("aws:rds/clusterInstance:ClusterInstance", cluster.region ?? undefined)
      .filter((i) => i.inputs.clusterIdentifier === id);
    const global = idx.find("aws:rds/globalCluster:GlobalCluster", cluster.inputs.globalClusterIdentifier);
    const secondary = global !== undefined && global.region !== cluster.region;
    return secondary
      ? { resource: cluster, instances, unsupported: "an Aurora global secondary cannot auto scale" }
      : { resource: cluster, instances };
  }
  const group = idx.find("aws:elasticache/replicationGroup:ReplicationGroup", id);
  if (group === undefined) return undefined;
  const member =
    typeof group.inputs.globalReplicationGroupId === "string" ||
    idx
      .ofType("aws:elasticache/globalReplicationGroup:GlobalReplicationGroup")
      .some((g) => g.inputs.primaryReplicationGroupId === id);
  return member
    ? { resource: group, instances: [group], unsupported: "a Global Datastore member cannot auto scale" }
    : { resource: group, instances: [group] };
}

function kindOf(target: PlannedResource): ScalingStore | undefined {
  return (Object.keys(SCALING_TARGETS) as ScalingStore[]).find(
    (k) =>
      SCALING_TARGETS[k].serviceNamespace === target.inputs.serviceNamespace &&
      SCALING_TARGETS[k].scalableDimension === target.inputs.scalableDimension,
  );
}

export function scheduledScalingChecks(idx: PlanIndex): { proven: ProvenPath[]; findings: WiringFinding[] } {
  const proven: ProvenPath[] = [];
  const findings: WiringFinding[] = [];
  for (const target of idx.ofType(TARGET)) {
    const region = target.region ?? "";
    const resourceId = String(target.inputs.resourceId ?? "");
    const path = `${String(target.inputs.scalableDimension)} of ${resourceId}`;
    const subject = `${region}/${target.name}`;
    const missing = (why: string) =>
      findings.push({ kind: "dependency", region, subject, path, missing: why });
    const kind = kindOf(target);
    if (kind === undefined) {
      missing("no scalable dimension the data tier schedules");
      continue;
    }
    const prefix = SCALING_TARGETS[kind].resourceId("");
    const store = resourceId.startsWith(prefix)
      ? storeOf(idx, kind, resourceId.slice(prefix.length))
      : undefined;
    if (store === undefined || store.resource.region !== target.region) {
      missing(`no ${kind === "aurora" ? "Aurora cluster" : "replication group"} of this region has that id`);
      continue;
    }
    if (store.unsupported !== undefined) {
      missing(store.unsupported);
      continue;
    }
    const waits = idx.waitsFor(target);
    const early = store.instances.filter((i) => !waits.has(i.urn));
    if (store.instances.length === 0 || early.length > 0) {
      missing(`does not wait for the store's instances (${early.map((i) => i.name).join(", ") || "none"})`);
      continue;
    }
    const [, partition = "aws", , , accountId = ""] = String(store.resource.outputs?.arn ?? "").split(":");
    const role = serviceLinkedRoleArn(kind, partition, accountId);
    if (target.inputs.roleArn !== role) {
      missing(`role ${String(target.inputs.roleArn)} is not the service-linked role ${role}`);
      continue;
    }
    const actions = idx
      .ofType(ACTION, region)
      .filter(
        (a) =>
          a.inputs.resourceId === resourceId &&
          a.inputs.scalableDimension === target.inputs.scalableDimension &&
          a.inputs.serviceNamespace === target.inputs.serviceNamespace,
      );
    const bad = actions.flatMap((a) => actionProblems(idx, a, target, SCALING_TARGETS[kind].maxCapacity));
    if (actions.length > MAX_SCHEDULED_ACTIONS)
      bad.push(`${actions.length} scheduled actions, AWS keeps at most ${MAX_SCHEDULED_ACTIONS} per target`);
    if (bad.length > 0) {
      bad.forEach(missing);
      continue;
    }
    proven.push({
      kind: "dependency",
      region,
      subject,
      path: `${path}: ${actions.length} scheduled action(s)`,
      via: [store.resource.name, ...store.instances.map((i) => `after ${i.name}`), role],
    });
  }
  // An action whose target is not in the plan would fail at deploy with ObjectNotFoundException.
  for (const action of idx.ofType(ACTION)) {
    const known = idx
      .ofType(TARGET, action.region ?? undefined)
      .some((t) => t.inputs.resourceId === action.inputs.resourceId);
    if (!known) {
      findings.push({
        kind: "dependency",
        region: action.region ?? "",
        subject: `${action.region ?? ""}/${action.name}`,
        path: `scheduled action on ${String(action.inputs.resourceId)}`,
        missing: "no scalable target of the plan has that resource id",
      });
    }
  }
  return { proven, findings };
}

function actionProblems(
  idx: PlanIndex,
  action: PlannedResource,
  target: PlannedResource,
  max: number,
): string[] {
  const out: string[] = [];
  const schedule = String(action.inputs.schedule ?? "");
  if (!AT.test(schedule))
    out.push(`${action.name}: schedule ${schedule} is not a one-time at(yyyy-mm-ddThh:mm:ss)`);
  if (action.inputs.timezone !== undefined && action.inputs.timezone !== "Etc/UTC")
    out.push(`${action.name}: time zone ${String(action.inputs.timezone)} is not Etc/UTC`);
  const t = (action.inputs.scalableTargetAction ?? {}) as { minCapacity?: unknown; maxCapacity?: unknown };
  const ok = (c: unknown) => typeof c === "number" && Number.isInteger(c) && c >= 0 && c <= max;
  if (!ok(t.minCapacity) || !ok(t.maxCapacity) || Number(t.minCapacity) > Number(t.maxCapacity))
    out.push(
      `${action.name}: capacity ${String(t.minCapacity)}..${String(t.maxCapacity)} is not within 0..${max}`,
    );
  if (!idx.waitsFor(action).has(target.urn)) out.push(`${action.name}: does not wait for its target`);
  return out;
}
