/**
 * The cheapest schedule within a trigger budget over the skyline forest, by dynamic programming (a knapsack over
 * trigger counts at every node).
 *
 * Space searched: laminar families of triggers, each the hull of a run of at most `MAX_RUN` consecutive siblings
 * of the skyline forest (`decompose`; a run of one is a node alone), at the run's highest level or at the level of
 * one of its members' children ("lift"). Inside a trigger at level L every node at or below L is raised to L
 * ("absorbed"); the nodes above L are covered again by runs of their own siblings, and so on. Over that space the
 * result is optimal (the tests compare it with an exhaustive search). Not searched: one trigger over cousins (nodes
 * of different parents) and triggers that cover only part of a node; `mergeToBudget` also runs the greedy, which
 * can find those, and keeps the cheaper.
 *
 * Cost is added replica-ms above the required steps. For a run i..j of children of a node covered at level b,
 * taken at level L: (L - b) x the gaps between the members + each member absorbed at L; a member absorbed at L
 * costs (L - level) x its exposed length + its own children solved at base L. Vectors are indexed by triggers used
 * and capped at the budget, so a node costs O(children x MAX_RUN x levels x budget^2) at worst; the caller bounds
 * the forest's size (`OPTIMAL_MAX_NODES`).
 */
import type { LevelInterval } from "./skyline";

/** @internal The longest run of siblings one trigger may span. */
export const MAX_RUN = 16;

interface TreeNode {
  readonly start: number;
  readonly end: number;
  readonly level: number;
  readonly exposed: number;
  readonly children: readonly TreeNode[];
}

/** Cost by number of triggers; Infinity where that count is impossible. */
type Vec = Float64Array<ArrayBuffer>;

function forest(intervals: readonly LevelInterval[]): TreeNode[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start || b.end - a.end || a.level - b.level);
  const roots: { node: LevelInterval; kids: unknown[] }[] = [];
  type Draft = { node: LevelInterval; kids: Draft[] };
  const stack: Draft[] = [];
  const top: Draft[] = roots as Draft[];
  for (const iv of sorted) {
    while (stack.length > 0 && stack[stack.length - 1]!.node.end <= iv.start) stack.pop();
    const draft: Draft = { node: iv, kids: [] };
    (stack.length > 0 ? stack[stack.length - 1]!.kids : top).push(draft);
    stack.push(draft);
  }
  const freeze = (d: Draft): TreeNode => {
    const children = d.kids.map(freeze);
    const covered = children.reduce((sum, c) => sum + (c.end - c.start), 0);
    return { ...d.node, exposed: d.node.end - d.node.start - covered, children };
  };
  return top.map(freeze);
}

/** Min-plus convolution, capped at `cap` triggers. */
function combine(a: Vec, b: Vec, cap: number): Vec {
  const out = new Float64Array(Math.min(cap + 1, a.length + b.length - 1)).fill(Infinity);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    if (x === Infinity) continue;
    for (let j = 0; j < b.length && i + j < out.length; j++) {
      const y = x + b[j]!;
      if (y < out[i + j]!) out[i + j] = y;
    }
  }
  return out;
}

/** Drops the impossible counts at the end, so later convolutions stay short. */
function trim(v: Vec): Vec {
  let n = v.length;
  while (n > 1 && v[n - 1] === Infinity) n--;
  return n === v.length ? v : v.slice(0, n);
}

function minInto(target: Vec, source: Vec, shift: number, add: number): void {
  for (let t = 0; t + shift < target.length && t < source.length; t++) {
    const y = source[t]! + add;
    if (y < target[t + shift]!) target[t + shift] = y;
  }
}

/** The levels a run of `nodes[i..j]` may take above base `b`: its highest member's, or a member's child's above it. */
function runLevels(nodes: readonly TreeNode[], i: number, j: number, b: number): number[] {
  let top = -Infinity;
  for (let k = i; k <= j; k++) top = Math.max(top, nodes[k]!.level);
  const levels = new Set<number>([top]);
  for (let k = i; k <= j; k++) for (const c of nodes[k]!.children) if (c.level > top) levels.add(c.level);
  return [...levels].filter((l) => l > b).sort((x, y) => x - y);
}

class Optimiser {
  private readonly memo = new Map<TreeNode, Map<number, Vec>>();
  constructor(private readonly cap: number) {}

  /** Cost vector of `v`'s subtree when a trigger at `level` >= v.level covers all of it. */
  absorbed(v: TreeNode, level: number): Vec {
    let byLevel = this.memo.get(v);
    if (byLevel === undefined) this.memo.set(v, (byLevel = new Map()));
    const hit = byLevel.get(level);
    if (hit !== undefined) return hit;
    const inner = this.sequence(v.children, level).best;
    const own = (level - v.level) * v.exposed;
    const out = inner.map((x) => x + own);
    byLevel.set(level, out);
    return out;
  }

  /** Cost vector of the members `nodes[i..j]` each absorbed at `level`. */
  members(nodes: readonly TreeNode[], i: number, j: number, level: number): Vec {
    let acc = new Float64Array([0]);
    for (let k = i; k <= j; k++) acc = combine(acc, this.absorbed(nodes[k]!, level), this.cap);
    return acc;
  }

  /** Best cost of covering the sibling sequence `nodes` over base `b`, as a vector and per prefix. */
  sequence(nodes: readonly TreeNode[], b: number): { best: Vec; prefix: Vec[] } {
    const prefix: Vec[] = [new Float64Array([0])];
    for (let j = 0; j < nodes.length; j++) {
      const dp = new Float64Array(this.cap + 1).fill(Infinity);
      if (nodes[j]!.level <= b) minInto(dp, combine(prefix[j]!, this.absorbed(nodes[j]!, b), this.cap), 0, 0);
      // Runs ending at j, grown leftwards; `runs` holds each level's members vector for the current run.
      const runs = new Map<number, Vec>();
      for (let i = j; i >= 0 && i > j - MAX_RUN; i--) {
        const gaps = gapsOf(nodes, i, j);
        for (const [level, vec] of runs)
          runs.set(level, combine(this.absorbed(nodes[i]!, level), vec, this.cap));
        for (const level of runLevels(nodes, i, j, b)) {
          let run = runs.get(level);
          if (run === undefined) runs.set(level, (run = this.members(nodes, i, j, level)));
          minInto(dp, combine(prefix[i]!, run, this.cap - 1), 1, (level - b) * gaps);
        }
        for (const level of runs.keys()) if (level < nodes[i]!.level) runs.delete(level);
      }
      prefix.push(trim(dp));
    }
    return { best: prefix[nodes.length]!, prefix };
  }

  /** The triggers of the cheapest cover of `nodes` over base `b` with exactly `t` triggers. */
  rebuildSequence(nodes: readonly TreeNode[], b: number, t: number, out: LevelInterval[]): void {
    const { prefix } = this.sequence(nodes, b);
    let j = nodes.length - 1;
    while (j >= 0) {
      const goal = prefix[j + 1]![t]!;
      const found = this.lastStep(nodes, b, prefix, j, t, goal, out);
      j = found.i - 1;
      t = found.t;
    }
  }

  private lastStep(
    nodes: readonly TreeNode[],
    b: number,
    prefix: readonly Vec[],
    j: number,
    t: number,
    goal: number,
    out: LevelInterval[],
  ): { i: number; t: number } {
    if (nodes[j]!.level <= b) {
      const own = this.absorbed(nodes[j]!, b);
      for (let u = 0; u <= t && u < own.length; u++) {
        if ((prefix[j]![t - u] ?? Infinity) + own[u]! === goal) {
          this.rebuildAbsorbed(nodes[j]!, b, u, out);
          return { i: j, t: t - u };
        }
      }
    }
    for (let i = j; i >= 0 && i > j - MAX_RUN; i--) {
      const gaps = gapsOf(nodes, i, j);
      for (const level of runLevels(nodes, i, j, b)) {
        const run = this.members(nodes, i, j, level);
        const add = (level - b) * gaps;
        for (let u = 0; u + 1 <= t && u < run.length; u++) {
          if ((prefix[i]![t - 1 - u] ?? Infinity) + run[u]! + add === goal) {
            out.push({ start: nodes[i]!.start, end: nodes[j]!.end, level });
            this.rebuildMembers(nodes, i, j, level, u, out);
            return { i, t: t - 1 - u };
          }
        }
      }
    }
    throw new Error("optimalCover: no step reproduces the optimum (internal error)");
  }

  private rebuildAbsorbed(v: TreeNode, level: number, t: number, out: LevelInterval[]): void {
    this.rebuildSequence(v.children, level, t, out);
  }

  private rebuildMembers(
    nodes: readonly TreeNode[],
    i: number,
    j: number,
    level: number,
    t: number,
    out: LevelInterval[],
  ): void {
    for (let k = j; k > i; k--) {
      const before = this.members(nodes, i, k - 1, level);
      const own = this.absorbed(nodes[k]!, level);
      const goal = this.members(nodes, i, k, level)[t]!;
      let u = 0;
      while (u > t || (before[t - u] ?? Infinity) + (own[u] ?? Infinity) !== goal) u++;
      this.rebuildAbsorbed(nodes[k]!, level, u, out);
      t -= u;
    }
    this.rebuildAbsorbed(nodes[i]!, level, t, out);
  }
}

function gapsOf(nodes: readonly TreeNode[], i: number, j: number): number {
  let sum = 0;
  for (let k = i; k < j; k++) sum += nodes[k + 1]!.start - nodes[k]!.end;
  return sum;
}

/**
 * The cheapest schedule in the space above with at most `budget` triggers, given the exact decomposition
 * `exact` of the required steps over `floor`; undefined when `budget` triggers cannot cover it in that space.
 * @internal
 */
export function optimalCover(
  exact: readonly LevelInterval[],
  floor: number,
  budget: number,
): LevelInterval[] | undefined {
  const optimiser = new Optimiser(budget);
  const roots = forest(exact);
  const best = optimiser.sequence(roots, floor).best;
  let t = -1;
  for (let u = 0; u < best.length; u++) if (best[u]! < (t < 0 ? Infinity : best[t]!)) t = u;
  if (t < 0) return undefined;
  const out: LevelInterval[] = [];
  optimiser.rebuildSequence(roots, floor, t, out);
  return out.sort((a, b) => a.start - b.start || a.level - b.level);
}
