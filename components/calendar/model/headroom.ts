/**
 * Static stability: how many replicas a window must run so that losing any one zone still leaves its need Ready,
 * without waiting for a new pod or node.
 *
 * Why ceil(n x Z / (Z - 1)): the pods of a statically stable service spread over Z zones with `maxSkew: 1`
 * (`whenUnsatisfiable: DoNotSchedule`, `minDomains: Z`), so m pods put at most ceil(m / Z) in one zone. Losing the
 * fullest zone leaves m - ceil(m / Z) = floor(m (Z - 1) / Z). With m = ceil(n Z / (Z - 1)) that is >= n, because
 * m (Z - 1) / Z >= n and n is an integer; and m is the least such count, since any m' < m has m' (Z - 1) / Z < n.
 * It is the same rule as N + 1 for Z = 2 halves and as +50 % for Z = 3 (need 10 -> 15, 5 per zone, 10 survive).
 */
import type { Segment } from "../types";

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
