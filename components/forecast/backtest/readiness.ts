/**
 * When what a method requests is Ready, the same rule for every method. A request at t is Ready a readiness lead
 * later: the calendar's ramp model (`createRampModel`: one KEDA poll, one HPA sync, the scale-up policies' steps,
 * a Karpenter batch window and node launch, pod readiness), from 1 replica to the highest level any method
 * requests, rounded up to whole minutes. So the replicas Ready in a slot are the least requested at any time in
 * [slot start - lead, slot end): a level requested later than that is not there yet, one dropped inside it is
 * already gone.
 *
 * Methods that do not schedule ahead (seasonal naive, ETS) forecast a level per slot; they get the same chance
 * as a schedule with a lead: each slot requests the most they forecast for it and the slots the lead reaches
 * into (with a lead of at most one slot: max(this slot, the next slot)), so their forecast is Ready in its slot.
 */
import { DEFAULT_TIMING, createRampModel, type Segment, type TimingModel } from "../../calendar";
import { DEFAULT_BEHAVIOR, type HpaBehavior } from "../../kubernetes";
import { MINUTE_MS } from "../../core";

import { SLOT_MS } from "./slots";
import type { Week } from "./weeks";

/** @internal The readiness lead, ms: the ramp from 1 to `peak` replicas, in whole minutes. */
export function readinessLeadMs(
  peak: number,
  timing: TimingModel = DEFAULT_TIMING,
  behavior: HpaBehavior = DEFAULT_BEHAVIOR,
): number {
  const seconds = createRampModel(timing, behavior)(1, Math.max(2, Math.ceil(peak)));
  return Math.ceil((seconds * 1000) / MINUTE_MS) * MINUTE_MS;
}

/** @internal A per-slot forecast as the requests of a method that looks `leadMs` ahead (see the file comment). */
export function lookAheadRequests(forecast: readonly number[], week: Week, leadMs: number): Segment[] {
  const ahead = Math.ceil(leadMs / SLOT_MS);
  return forecast.map((_, s) => {
    let level = 0;
    for (let j = s; j <= Math.min(forecast.length - 1, s + ahead); j++) level = Math.max(level, forecast[j]!);
    return { start: week.start + s * SLOT_MS, end: week.start + (s + 1) * SLOT_MS, replicas: level };
  });
}

/** The least level of `segments` over [from, to), starting the scan at segment `hint`; time not covered counts 0. */
function minOver(segments: readonly Segment[], from: number, to: number, hint: number): number {
  let least = Infinity;
  let covered = from;
  for (let i = hint; i < segments.length && segments[i]!.start < to; i++) {
    const s = segments[i]!;
    if (s.end <= from) continue;
    if (s.start > covered) return 0;
    least = Math.min(least, s.replicas);
    covered = s.end;
  }
  return covered >= to ? least : 0;
}

/**
 * @internal Replicas Ready in each slot of `week` for `requested` (sorted segments): the least requested over
 * [slot start - lead, slot end), the lead clipped at the week's start (the forecast is issued for the week; what
 * it requests for the first slots counts as requested a lead earlier, for every method alike).
 */
export function readyPerSlot(requested: readonly Segment[], week: Week, leadMs: number): number[] {
  const slots = Math.round((week.end - week.start) / SLOT_MS);
  const ready: number[] = [];
  let hint = 0;
  for (let s = 0; s < slots; s++) {
    const end = week.start + (s + 1) * SLOT_MS;
    const from = Math.max(week.start, end - SLOT_MS - leadMs);
    while (hint < requested.length && requested[hint]!.end <= from) hint++;
    ready.push(minOver(requested, from, end, hint));
  }
  return ready;
}

/** @internal The highest level of `segments` in each slot of `week` (what a schedule provides at most there). */
export function peakPerSlot(segments: readonly Segment[], week: Week): number[] {
  const slots = Math.round((week.end - week.start) / SLOT_MS);
  const out = new Array<number>(slots).fill(0);
  for (const seg of segments) {
    const first = Math.max(0, Math.floor((seg.start - week.start) / SLOT_MS));
    const last = Math.min(slots - 1, Math.ceil((seg.end - week.start) / SLOT_MS) - 1);
    for (let s = first; s <= last; s++) out[s] = Math.max(out[s]!, seg.replicas);
  }
  return out;
}
