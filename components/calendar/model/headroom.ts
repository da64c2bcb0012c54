/**
 * Static stability: how many replicas a window must run so that losing any one zone still leaves its need Ready,
 * without waiting for a new pod or node.
 *
 * Why ceil(n x Z / (Z - 1)): the pods of a statically stable service spread over Z zones with `maxSkew: 1`
 * (`whenUnsatisfiable: DoNotSchedule`, `minDomains: Z`), so m pods put at most ceil(m / Z) in one zone. Losing the
 * fullest zone leaves m - ceil(m / Z) = floor(m (Z - 1) / Z). With m = ceil(n Z / (Z - 1)) that is >= n, because
 * m (Z - 1) / Z >= n and n is an integer; and m is the least such count, since any m' < m has m' (Z - 1) / Z < n.
 * It is the same rule as N + 1 for Z = 2 halves and as +50 % for Z = 3 (need 10 -> 15, 5 per zone, 10 survive).
 *
 * Why the peak of the rest of the window, not the need of the moment: while a zone is down, new pods of the
 * service cannot schedule (with `minDomains: Z` the lost zone's domain still counts, with 0 pods, so every other
 * zone is at the skew limit), so a scale-up after the loss would not land. Static stability means nothing has to
 * change during the failure: at every instant of a window (lead and tail included) the schedule already holds the
 * headroom for the highest need still to come in that window. A window with a constant need pays nothing extra
 * for this; a window that overlaps a bigger one holds the bigger peak's headroom from its own start.
 */
import type { Segment } from "../types";
import type { LevelInterval } from "../compile/skyline";

/** @internal The fewest replicas whose survivors after losing the fullest of `zones` zones are >= `need`. */
export function zoneLossHeadroom(need: number, zones: number): number {
  if (need <= 0) return need;
  // Integer arithmetic: ceil(need * zones / (zones - 1)).
  return Math.floor((need * zones + zones - 2) / (zones - 1));
}

/** @internal Ready pods left when the fullest of `zones` zones holding `replicas` pods (spread with maxSkew 1) is lost. */
export function zoneLossSurvivors(replicas: number, zones: number): number {
  return replicas - Math.ceil(replicas / zones);
}

/**
 * @internal The headroom a window needs over [start, end): at each instant, the zone-loss headroom of the highest
 * `base` level from then to the window's end (a suffix maximum), capped at `maxReplicas`, as level intervals (the
 * compiler takes their pointwise maximum with the floor).
 */
export function windowHeadroom(
  base: readonly Segment[],
  window: { readonly start: number; readonly end: number },
  zones: number,
  maxReplicas: number,
): LevelInterval[] {
  const inside = base.filter((s) => s.start < window.end && s.end > window.start);
  const out: LevelInterval[] = [];
  let peak = 0;
  for (let k = inside.length - 1; k >= 0; k--) {
    const s = inside[k]!;
    peak = Math.max(peak, s.replicas);
    const level = Math.min(maxReplicas, zoneLossHeadroom(peak, zones));
    const start = Math.max(s.start, window.start);
    const end = Math.min(s.end, window.end);
    const next = out[out.length - 1];
    if (next !== undefined && next.level === level && next.start === end)
      out[out.length - 1] = { ...next, start };
    else out.push({ start, end, level });
  }
  return out.reverse();
}

/** @internal `replicas - base` per segment (both contiguous over the same span, as `levelSteps` makes them). */
export function headroomSegments(withHeadroom: readonly Segment[], base: readonly Segment[]): Segment[] {
  const out: Segment[] = [];
  let j = 0;
  for (const s of withHeadroom) {
    for (; j < base.length && base[j]!.end <= s.start; j++);
    for (let k = j; k < base.length && base[k]!.start < s.end; k++) {
      const start = Math.max(s.start, base[k]!.start);
      const end = Math.min(s.end, base[k]!.end);
      const replicas = s.replicas - base[k]!.replicas;
      const last = out[out.length - 1];
      if (last !== undefined && last.end === start && last.replicas === replicas)
        out[out.length - 1] = { ...last, end };
      else if (end > start) out.push({ start, end, replicas });
    }
  }
  return out;
}
