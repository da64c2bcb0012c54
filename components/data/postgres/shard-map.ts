/**
 * The shard map: a fixed keyspace of buckets (`bucketOf(key)`) assigned to N Aurora shards. Pure, no Pulumi.
 *
 * Rule. Shard `s` of `n` owns `floor(B/n) + (s < B mod n ? 1 : 0)` buckets (balanced within one bucket, the extra
 * buckets on the lowest shards). The map for `n` is built from the map for `n - 1`: shard `n - 1` is created and
 * steals from every existing shard exactly the buckets that shard no longer owns at the new size (the highest
 * bucket numbers it holds). Target sizes never grow when `n` grows, so the maps are nested: for `a < b`, every
 * shard `s < a` owns a subset of its buckets at `a` when there are `b` shards. Hence growing `a -> b` moves only
 * buckets onto the new shards, shrinking `b -> a` moves only the removed shards' buckets (each back to the shard
 * that owns it at `a`, always a least-loaded one), and both move exactly the lower bound: no balanced assignment
 * that keeps shards `0..min(a,b)-1` can move fewer buckets.
 */
import { InputError } from "../../core";

/** Default keyspace size. Never change it once data exists: it is the unit that moves between shards. */
export const DEFAULT_BUCKETS = 4096;

/** Which shard owns each bucket: `owner[bucket] = shard`. */
export interface ShardMap {
  readonly buckets: number;
  readonly shards: number;
  readonly owner: readonly number[];
}

/** @internal Contiguous bucket ranges, inclusive: `[first, last]`. */
export type BucketRange = readonly [number, number];

/** Buckets moving from one shard to another during a reshard. */
export interface BucketMove {
  readonly from: number;
  readonly to: number;
  readonly ranges: readonly BucketRange[];
  readonly count: number;
}

export interface ReshardPlan {
  readonly from: number;
  readonly to: number;
  readonly buckets: number;
  /** Buckets that change shard. */
  readonly moved: number;
  /** Grouped by (from, to), sorted. */
  readonly moves: readonly BucketMove[];
}

/** @internal Buckets shard `shard` owns among `shards` (balanced within one; extras on the lowest shards). */
export function targetSize(buckets: number, shards: number, shard: number): number {
  return Math.floor(buckets / shards) + (shard < buckets % shards ? 1 : 0);
}

function check(buckets: number, shards: number): void {
  if (!Number.isInteger(buckets) || buckets < 1) {
    throw new InputError("shardMap", [
      { path: "buckets", value: buckets, rule: "must be a whole number >= 1" },
    ]);
  }
  if (!Number.isInteger(shards) || shards < 1 || shards > buckets) {
    throw new InputError("shardMap", [
      { path: "shards", value: shards, rule: `must be a whole number from 1 to buckets (${buckets})` },
    ]);
  }
}

/** The deterministic map of `buckets` buckets over `shards` shards (see the module comment for the rule). */
export function shardMap(buckets: number, shards: number): ShardMap {
  check(buckets, shards);
  // Each shard's buckets, ascending; shards give up their highest buckets.
  const held: number[][] = [Array.from({ length: buckets }, (_, b) => b)];
  for (let n = 2; n <= shards; n++) {
    const stolen: number[] = [];
    for (let s = 0; s < n - 1; s++) {
      const surplus = held[s].length - targetSize(buckets, n, s);
      if (surplus > 0) stolen.push(...held[s].splice(held[s].length - surplus, surplus));
    }
    held.push(stolen.sort((a, b) => a - b));
  }
  const owner = new Array<number>(buckets);
  held.forEach((list, s) => list.forEach((b) => (owner[b] = s)));
  return { buckets, shards, owner };
}

/** @internal Buckets per shard. */
export function shardSizes(map: ShardMap): number[] {
  const sizes = new Array<number>(map.shards).fill(0);
  for (const s of map.owner) sizes[s]++;
  return sizes;
}

/** @internal Collapses sorted bucket numbers into inclusive ranges. */
export function toRanges(sorted: readonly number[]): BucketRange[] {
  const ranges: [number, number][] = [];
  for (const b of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && last[1] === b - 1) last[1] = b;
    else ranges.push([b, b]);
  }
  return ranges;
}

/** Each shard's buckets as ranges (the compact form published to workloads). */
export function shardRanges(map: ShardMap): BucketRange[][] {
  const lists: number[][] = Array.from({ length: map.shards }, () => []);
  map.owner.forEach((s, b) => lists[s].push(b));
  return lists.map(toRanges);
}

/** The moves from the map for `from` shards to the map for `to` shards (same keyspace). */
export function reshardPlan(buckets: number, from: number, to: number): ReshardPlan {
  const before = shardMap(buckets, from);
  const after = shardMap(buckets, to);
  const groups = new Map<string, { from: number; to: number; list: number[] }>();
  for (let b = 0; b < buckets; b++) {
    const f = before.owner[b];
    const t = after.owner[b];
    if (f === t) continue;
    const key = `${f}>${t}`;
    const group = groups.get(key) ?? { from: f, to: t, list: [] };
    group.list.push(b);
    groups.set(key, group);
  }
  const moves = [...groups.values()]
    .sort((x, y) => x.from - y.from || x.to - y.to)
    .map((g) => ({ from: g.from, to: g.to, ranges: toRanges(g.list), count: g.list.length }));
  return { from, to, buckets, moved: moves.reduce((sum, m) => sum + m.count, 0), moves };
}

/**
 * The fewest buckets any balanced map over `to` shards can move from `before`, keeping shard ids
 * `0..min(from,to)-1` (new shards get the next ids; removed shards are the highest ids).
 */
export function minimumMoves(before: ShardMap, to: number): number {
  const kept = Math.min(before.shards, to);
  const q = Math.floor(before.buckets / to);
  const extra = before.buckets % to;
  const sizes = shardSizes(before).slice(0, kept);
  // Each kept shard keeps at most its target; the `extra` targets of q + 1 go to shards that can fill them.
  const keep =
    sizes.reduce((sum, size) => sum + Math.min(size, q), 0) +
    Math.min(extra, sizes.filter((s) => s > q).length);
  return before.buckets - keep;
}

/** The bucket of a key: FNV-1a (32-bit) of its UTF-8 bytes, modulo the keyspace. Workloads use the same rule. */
export function bucketOf(key: string, buckets: number = DEFAULT_BUCKETS): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(key, "utf8")) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % buckets;
}

/** The shard owning a key. */
export function shardOf(map: ShardMap, key: string): number {
  return map.owner[bucketOf(key, map.buckets)];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const rangeText = (ranges: readonly BucketRange[]) =>
  ranges.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(", ");

/** The text the plan prints: the map's balance and, when the shard count changes, every move. */
export function reshardSummary(previousShards: number | undefined, current: ShardMap): string {
  const sizes = shardSizes(current);
  const lines = [
    `Shard map: ${plural(current.buckets, "bucket")} over ${plural(current.shards, "shard")} ` +
      `(${Math.min(...sizes)}-${Math.max(...sizes)} buckets per shard, key -> bucket by FNV-1a 32-bit)`,
  ];
  if (previousShards === undefined || previousShards === current.shards) {
    lines.push("Reshard: none (shard count unchanged)");
    return lines.join("\n");
  }
  const plan = reshardPlan(current.buckets, previousShards, current.shards);
  const pct = ((100 * plan.moved) / plan.buckets).toFixed(1);
  lines.push(
    `Reshard ${previousShards} -> ${current.shards}: ${plural(plan.moved, "bucket")} move (${pct}% of the keyspace, the minimum)`,
  );
  for (const m of plan.moves) {
    lines.push(`  shard ${m.from} -> shard ${m.to}: ${plural(m.count, "bucket")} [${rangeText(m.ranges)}]`);
  }
  return lines.join("\n");
}
