/**
 * A store's calendar-scheduled capacity: from the replicas its read services need over the horizon, the count
 * (readers or replicas per shard) to hold, requested `leadMinutes` ahead, never below the static count, within the
 * action budget; then the one-time Application Auto Scaling actions that hold it. Pure: no Pulumi.
 *
 * The budget reuses the calendar compiler: the exact levels decompose into laminar intervals (`decompose`) and
 * `mergeToBudget` raises them (never lowers) until few enough remain. A level change is one action; k laminar
 * intervals change the level at most 2k times, and the final return to the static count is the last one's end,
 * so the search starts at `actionBudget` intervals and takes the most that fit.
 */
import { decompose, maxOf, mergeToBudget, type Segment } from "../../calendar";
import { MINUTE_MS } from "../../core";

export interface CapacityScheduleInput {
  /** Replicas of the read services over the horizon (sorted segments; time outside them counts 0). */
  readonly load: readonly Segment[];
  /** Service replicas one unit (reader, replica) serves. */
  readonly servicesPerUnit: number;
  /** The count that always exists (the provisioned readers or replicas): the floor. */
  readonly staticCount: number;
  /** The most the schedule raises to. */
  readonly maxCount: number;
  readonly leadMinutes: number;
  /** At most this many actions, the final return to `staticCount` included (>= 2). */
  readonly actionBudget: number;
  /** [from, to) in epoch ms. */
  readonly horizon: { readonly from: number; readonly to: number };
}

/** One scheduled action: from `at` on, min and max capacity are `capacity`. */
export interface CapacityAction {
  readonly at: number;
  readonly capacity: number;
}

export interface CapacitySchedule {
  readonly staticCount: number;
  /** The count at the horizon's start (what a new scalable target registers with). */
  readonly initial: number;
  /** What the load needs, lead applied, before the budget: contiguous over the horizon. */
  readonly required: readonly Segment[];
  /** What the actions hold: contiguous over the horizon, >= `required` everywhere. */
  readonly scheduled: readonly Segment[];
  /** Strictly after the horizon's start, increasing; the last returns to `staticCount`. */
  readonly actions: readonly CapacityAction[];
  /** Instants where the load needs more than `maxCount` (the schedule caps there), as [start, end) spans. */
  readonly capped: readonly { readonly start: number; readonly end: number; readonly need: number }[];
}

/** The count one load level needs, within [staticCount, maxCount]. */
function unitsFor(replicas: number, input: CapacityScheduleInput): number {
  return Math.min(input.maxCount, Math.max(input.staticCount, Math.ceil(replicas / input.servicesPerUnit)));
}

/** The actions that hold `scheduled` (contiguous over the horizon): each change, then the return to static. */
export function actionsOf(scheduled: readonly Segment[], staticCount: number, to: number): CapacityAction[] {
  const actions = scheduled.slice(1).map((s) => ({ at: s.start, capacity: s.replicas }));
  const last = scheduled[scheduled.length - 1];
  if (last !== undefined && last.replicas !== staticCount) actions.push({ at: to, capacity: staticCount });
  return actions;
}

export function capacitySchedule(input: CapacityScheduleInput): CapacitySchedule {
  const { from, to } = input.horizon;
  const floor = input.staticCount;
  const lead = input.leadMinutes * MINUTE_MS;
  const need: Segment[] = input.load.map((s) => ({ ...s, replicas: unitsFor(s.replicas, input) }));
  const capped = input.load
    .filter((s) => Math.ceil(s.replicas / input.servicesPerUnit) > input.maxCount)
    .map((s) => ({ start: s.start, end: s.end, need: Math.ceil(s.replicas / input.servicesPerUnit) }));
  // Each rise is requested `lead` earlier and held to its end: the count is there when the services need it.
  const ahead = decompose(need, floor).map((iv) => ({ ...iv, start: iv.start - lead }));
  const required = maxOf(ahead, floor, from, to);
  const exact = decompose(required, floor).length;
  let scheduled = required;
  for (let k = Math.min(exact, input.actionBudget); k >= 1; k--) {
    scheduled = maxOf(mergeToBudget(required, floor, k), floor, from, to);
    if (actionsOf(scheduled, floor, to).length <= input.actionBudget) break;
  }
  return {
    staticCount: floor,
    initial: scheduled[0]?.replicas ?? floor,
    required,
    scheduled,
    actions: actionsOf(scheduled, floor, to),
    capped,
  };
}
