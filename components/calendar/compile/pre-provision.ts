/**
 * Pre-provisioning: node capacity that runs before the pods that need it. Karpenter keeps no warm pool (it launches
 * nodes for pending pods, kubernetes-sigs/karpenter #749, aws/karpenter-provider-aws #3240), so the standard
 * pattern holds the room with low-priority placeholder pods that every real pod preempts (Kubernetes "Overprovision
 * node capacity for a cluster"). Here the placeholders are scheduled, not permanent: before each scale-out of a
 * service its placeholder ScaledObject raises exactly that scale-out's size in placeholders, early enough for their
 * nodes to launch, and drops them just before the service's trigger fires, so its pods take the emptied nodes
 * (which Karpenter keeps for `consolidateAfter`). The service's own lead then ends with preemption (for a
 * placeholder still there) and pod start-up instead of a node launch (`RAMP_ENDS.preProvisionedNode`).
 *
 * Relied on, besides: Karpenter consolidates an empty node only after `consolidateAfter` without pod events
 * (karpenter.sh "Disruption"), and does not voluntarily disrupt a node running a pod annotated
 * `karpenter.sh/do-not-disrupt: "true"`, which the placeholders carry.
 *
 * Relied on: Karpenter batches pending pods for up to `BATCH_MAX_DURATION` (10 s by default) before it launches
 * nodes (karpenter.sh "Settings"); the scheduler preempts lower-priority pods for a pending pod when that makes it
 * fit, and a victim with `terminationGracePeriodSeconds: 0` frees its room at once (Kubernetes "Pod Priority and
 * Preemption").
 */
import type { CompileOptions, CompiledSchedule, PlaceholderSchedule, Segment } from "../types";
import { PLACEHOLDER_BEHAVIOR, type HpaBehavior } from "../../kubernetes";
import { MINUTE_MS } from "../../core";
import { RAMP_ENDS, createRampModel, toleranceSafeLevel } from "../model/timing";
import { levelSteps } from "../model/need";
import { integrate } from "../model/steps";
import { maxOf } from "./skyline";
import { ceilToMinute, floorToMinute } from "./cron-spec";
import { emitTriggers } from "./emit";
import type { ScheduleForm } from "./forms";

/** @internal One rise of a schedule: at `at` its level goes from `from` to `to`. */
export interface ScaleOut {
  readonly at: number;
  readonly from: number;
  readonly to: number;
}

/** @internal Every instant a contiguous step function rises, with the levels before and after. */
export function scaleOuts(steps: readonly Segment[]): ScaleOut[] {
  const out: ScaleOut[] = [];
  for (let i = 1; i < steps.length; i++) {
    const before = steps[i - 1]!;
    const after = steps[i]!;
    if (after.replicas > before.replicas)
      out.push({ at: after.start, from: before.replicas, to: after.replicas });
  }
  return out;
}

/**
 * The placeholders for a service whose emitted schedule is `scheduled` (floored at its minReplicas, as KEDA holds
 * it). For every scale-out from a to b at t: b - a placeholders over [t - d - nodeLead, t - d), where
 * - nodeLead = the placeholders' own ramp to b - a under `PLACEHOLDER_BEHAVIOR`, a Karpenter batch window and the
 *   node's launch: their nodes run by t;
 * - d = one KEDA poll and one HPA sync: the placeholders are gone before the service's trigger can act, so its
 *   pods find empty room instead of preempting placeholders whose ReplicaSet would recreate them Pending (and
 *   Karpenter would launch nodes nobody uses).
 * The emptied nodes must then survive until the service's last pod exists: at most `emptyNodeSeconds` (d plus the
 * service's ramp until its last pod is created), which the pool's `consolidateAfter` must exceed (checked where
 * the pool is known: `platform/pre-provisioning.ts`). Overlapping spans add up (conservative: two scale-outs close
 * together each get their own room). Levels are raised past the HPA tolerance band and merged to the same trigger
 * budget as the service's, dated when the service is, recurring (weekly or mixed, in the same zone) when it
 * recurs, so both keep recurring alike after the horizon.
 * @internal
 */
export function compilePlaceholders(
  service: CompiledSchedule,
  scheduled: readonly Segment[],
  options: CompileOptions,
  follow: { readonly form: ScheduleForm; readonly weeklyZone: string },
): PlaceholderSchedule {
  const { timing, horizon } = options;
  const max = service.maxReplicaCount;
  const own = createRampModel(timing, PLACEHOLDER_BEHAVIOR, RAMP_ENDS.placeholderNode);
  const created = createRampModel(timing, service.behavior as HpaBehavior, RAMP_ENDS.created);
  const detection = (timing.kedaPollingSeconds + timing.hpaSyncSeconds) * 1000;
  let nodeLead = 0;
  let emptyNode = 0;
  const spans = scaleOuts(scheduled).map((s) => {
    const lead = ceilToMinute(own(0, s.to - s.from) * 1000);
    const end = floorToMinute(s.at - detection);
    nodeLead = Math.max(nodeLead, s.at - (end - lead));
    emptyNode = Math.max(emptyNode, s.at - end + created(s.from, s.to) * 1000);
    return { start: end - lead, end, weight: s.to - s.from };
  });
  const required = levelSteps(spans, { minReplicas: 0, maxReplicas: max }, horizon);
  const tolerance = timing.hpaTolerance;
  const target = required.map((s) =>
    s.replicas > 0 ? { ...s, replicas: toleranceSafeLevel(s.replicas, tolerance, max) } : s,
  );
  const emitted = emitTriggers(target, 0, options, follow.weeklyZone, follow.form);
  const held = maxOf(emitted.intervals, 0, horizon.from, horizon.to);
  return {
    schedule: {
      region: service.region,
      service: service.service,
      minReplicaCount: 0,
      maxReplicaCount: max,
      triggers: emitted.triggers,
      behavior: PLACEHOLDER_BEHAVIOR,
    },
    required,
    scheduled: held,
    nodeLeadMinutes: nodeLead / MINUTE_MS,
    emptyNodeSeconds: emptyNode / 1000,
    exactTriggers: emitted.exactTriggers,
    reservedReplicaMinutes: integrate(held, horizon.from, horizon.to),
  };
}
