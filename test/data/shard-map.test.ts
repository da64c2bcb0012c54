import fc from "fast-check";
import {
  bucketOf,
  minimumMoves,
  reshardPlan,
  reshardSummary,
  shardMap,
  shardRanges,
  shardSizes,
} from "../../components/data/postgres/shard-map";

const keyspace = fc.oneof(fc.integer({ min: 1, max: 300 }), fc.constantFrom(1024, 4096));
const mapArgs = keyspace.chain((buckets) =>
  fc.tuple(fc.constant(buckets), fc.integer({ min: 1, max: Math.min(buckets, 40) })),
);
const pairArgs = keyspace.chain((buckets) => {
  const n = fc.integer({ min: 1, max: Math.min(buckets, 40) });
  return fc.tuple(fc.constant(buckets), n, n);
});

describe("shard map", () => {
  it("assigns every bucket to exactly one existing shard", () => {
    fc.assert(
      fc.property(mapArgs, ([buckets, shards]) => {
        const map = shardMap(buckets, shards);
        expect(map.owner).toHaveLength(buckets);
        expect(map.owner.every((s) => Number.isInteger(s) && s >= 0 && s < shards)).toBe(true);
        expect(
          new Set(
            shardRanges(map)
              .flat()
              .flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i)),
          ).size,
        ).toBe(buckets);
        expect(
          shardRanges(map)
            .flat()
            .reduce((sum, [a, b]) => sum + b - a + 1, 0),
        ).toBe(buckets);
      }),
      { numRuns: 80 },
    );
  });

  it("balances shards within one bucket, extra buckets on the lowest shards", () => {
    fc.assert(
      fc.property(mapArgs, ([buckets, shards]) => {
        const sizes = shardSizes(shardMap(buckets, shards));
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
      }),
      { numRuns: 80 },
    );
  });

  it("is deterministic", () => {
    fc.assert(
      fc.property(mapArgs, ([buckets, shards]) => {
        expect(shardMap(buckets, shards)).toEqual(shardMap(buckets, shards));
      }),
      { numRuns: 50 },
    );
  });

  it("moves exactly the lower bound when the shard count changes, in either direction", () => {
    fc.assert(
      fc.property(pairArgs, ([buckets, from, to]) => {
        const plan = reshardPlan(buckets, from, to);
        expect(plan.moved).toBe(minimumMoves(shardMap(buckets, from), to));
        expect(plan.moves.reduce((sum, m) => sum + m.count, 0)).toBe(plan.moved);
      }),
      { numRuns: 120 },
    );
  });

  it("moves buckets only onto new shards when growing and only off removed shards when shrinking", () => {
    fc.assert(
      fc.property(pairArgs, ([buckets, a, b]) => {
        const [from, to] = [Math.min(a, b), Math.max(a, b)];
        const grow = reshardPlan(buckets, from, to).moves.every((m) => m.to >= from);
        const shrink = reshardPlan(buckets, to, from).moves.every((m) => m.from >= from);
        return grow && shrink;
      }),
      { numRuns: 80 },
    );
  });

  it("moves a quarter of 4096 buckets from 3 to 4 shards, a third from each old shard", () => {
    const plan = reshardPlan(4096, 3, 4);
    expect(plan.moved).toBe(1024);
    expect(plan.moves.map((m) => [m.from, m.to, m.count])).toEqual([
      [0, 3, 342],
      [1, 3, 341],
      [2, 3, 341],
    ]);
  });

  it("prints the map summary and every move for the plan", () => {
    expect(reshardSummary(3, shardMap(4096, 4))).toBe(
      [
        "Shard map: 4096 buckets over 4 shards (1024-1024 buckets per shard, key -> bucket by FNV-1a 32-bit)",
        "Reshard 3 -> 4: 1024 buckets move (25.0% of the keyspace, the minimum)",
        "  shard 0 -> shard 3: 342 buckets [1024-1365]",
        "  shard 1 -> shard 3: 341 buckets [3072-3412]",
        "  shard 2 -> shard 3: 341 buckets [3755-4095]",
      ].join("\n"),
    );
    expect(reshardSummary(undefined, shardMap(4096, 2))).toBe(
      "Shard map: 4096 buckets over 2 shards (2048-2048 buckets per shard, key -> bucket by FNV-1a 32-bit)\nReshard: none (shard count unchanged)",
    );
  });

  it("hashes keys with FNV-1a 32-bit", () => {
    // FNV-1a("") = 0x811c9dc5, FNV-1a("a") = 0xe40c292c (reference values of the algorithm).
    expect(bucketOf("", 2 ** 31)).toBe(0x811c9dc5 % 2 ** 31);
    expect(bucketOf("a", 2 ** 31)).toBe(0xe40c292c % 2 ** 31);
    expect(bucketOf("learner-42")).toBeLessThan(4096);
  });

  it("rejects more shards than buckets", () => {
    expect(() => shardMap(4, 5)).toThrow(
      "Invalid input in shardMap (1 problem):\n  - `shards`: got 5; must be a whole number from 1 to buckets (4)",
    );
  });
});
