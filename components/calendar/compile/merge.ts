/**
 * Fitting a schedule into the trigger budget: raise the schedule (never lower it) until its exact decomposition
 * needs at most `budget` triggers, adding as few replica-milliseconds as the optimiser (optimal.ts) or the greedy
 * below can find, whichever is cheaper.
 *
 * The greedy:
 * Representation: the exact decomposition is laminar, so it is a forest under a virtual root at `floor`; every node
 * is one trigger (its level on its span, above its parent, below its children). Two operations remove triggers and
 * only ever raise the schedule:
 * - merge(A, B) of adjacent siblings: one node on [A.start, B.end) at max(A, B); the gap between them and every
 *   part of either subtree below that level is raised. Removes the nodes at or below the new level, minus one.
 * - lift(N): raise N's exposed parts to its lowest child's level; children at that level fuse into N.
 * Greedy: a binary heap orders candidate operations by added area per trigger removed; an entry is re-costed
 * when popped (lazy evaluation), dropped if its nodes died, and re-queued if its cost changed. After each operation
 * only the neighbourhood is re-queued (the new node, its siblings, its parent). Each operation removes >= 1 node,
 * so at most n operations run; each costs O(size of the touched subtrees + log heap), O(n log n) in typical
 * calendars and O(n^2) worst case. Not optimal in general (the problem is a knapsack over nested choices), but
 * every step keeps the cover and never increases the trigger count.
 */
import type { Segment } from "../types";
import { decompose, maxOf, type LevelInterval } from "./skyline";
import { optimalCover } from "./optimal";
import { InputError } from "../../core";

/**
 * @internal Above this many exact triggers only the greedy runs: the optimiser's time grows with the forest
 * (about 1 s at this size and budget 96, measured by `npm run bench`).
 */
export const OPTIMAL_MAX_NODES = 1200;

interface Node {
  readonly id: number;
  start: number;
  end: number;
  level: number;
  parent: Node | undefined;
  children: Node[];
  alive: boolean;
}

interface Candidate {
  readonly ratio: number;
  readonly kind: "merge" | "lift";
  readonly a: Node;
  readonly b: Node | undefined;
  readonly seq: number;
}

function buildForest(intervals: readonly LevelInterval[], floor: number): { root: Node; count: number } {
  const root: Node = {
    id: 0,
    start: -Infinity,
    end: Infinity,
    level: floor,
    parent: undefined,
    children: [],
    alive: true,
  };
  const sorted = [...intervals].sort((a, b) => a.start - b.start || b.end - a.end || a.level - b.level);
  const stack: Node[] = [root];
  let id = 0;
  for (const iv of sorted) {
    while (stack.length > 1 && stack[stack.length - 1]!.end <= iv.start) stack.pop();
    const parent = stack[stack.length - 1]!;
    const node: Node = {
      id: ++id,
      start: iv.start,
      end: iv.end,
      level: iv.level,
      parent,
      children: [],
      alive: true,
    };
    parent.children.push(node);
    stack.push(node);
  }
  return { root, count: id };
}

function exposed(n: Node): number {
  return n.children.reduce((len, c) => len - (c.end - c.start), n.end - n.start);
}

/** Area needed to raise every part of `n`'s subtree that lies below `y` up to `y`. */
function areaBelow(n: Node, y: number): number {
  if (n.level >= y) return 0;
  return n.children.reduce((sum, c) => sum + areaBelow(c, y), (y - n.level) * exposed(n));
}

/** Nodes of `n`'s subtree at or below `y` (they disappear when the subtree is raised to `y`). */
function countAtOrBelow(n: Node, y: number): number {
  if (n.level > y) return 0;
  return n.children.reduce((sum, c) => sum + countAtOrBelow(c, y), 1);
}

/** The highest nodes of `n`'s subtree above `y`, marking the rest dead. */
function frontier(n: Node, y: number, out: Node[]): void {
  if (n.level > y) {
    out.push(n);
    return;
  }
  n.alive = false;
  for (const c of n.children) frontier(c, y, out);
}

function adjacent(a: Node, b: Node): boolean {
  const p = a.parent;
  if (!a.alive || !b.alive || p === undefined || p !== b.parent) return false;
  const i = p.children.indexOf(a);
  return i >= 0 && p.children[i + 1] === b;
}

/** Cost (area) and gain (triggers removed) of an operation, or undefined if it no longer applies. */
function evaluate(
  kind: "merge" | "lift",
  a: Node,
  b: Node | undefined,
): { cost: number; gain: number } | undefined {
  if (kind === "lift") {
    if (!a.alive || a.parent === undefined || a.children.length === 0) return undefined;
    const m = Math.min(...a.children.map((c) => c.level));
    return { cost: (m - a.level) * exposed(a), gain: a.children.filter((c) => c.level === m).length };
  }
  if (b === undefined || !adjacent(a, b)) return undefined;
  const top = Math.max(a.level, b.level);
  const cost = (top - a.parent!.level) * (b.start - a.end) + areaBelow(a, top) + areaBelow(b, top);
  return { cost, gain: countAtOrBelow(a, top) + countAtOrBelow(b, top) - 1 };
}

class Heap {
  private readonly items: Candidate[] = [];
  get size(): number {
    return this.items.length;
  }
  private less(x: Candidate, y: Candidate): boolean {
    return x.ratio < y.ratio || (x.ratio === y.ratio && x.seq < y.seq);
  }
  push(c: Candidate): void {
    const h = this.items;
    h.push(c);
    for (let i = h.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  pop(): Candidate | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

function collect(root: Node): LevelInterval[] {
  const out: LevelInterval[] = [];
  const walk = (n: Node): void => {
    for (const c of n.children) {
      out.push({ start: c.start, end: c.end, level: c.level });
      walk(c);
    }
  };
  walk(root);
  return out.sort((a, b) => a.start - b.start || a.level - b.level);
}

/** @internal The greedy's schedule with at most `budget` triggers (exported for the tests). */
export function greedyMerge(exact: readonly LevelInterval[], floor: number, budget: number): LevelInterval[] {
  const { root } = buildForest(exact, floor);
  let count = exact.length;
  const heap = new Heap();
  let seq = 0;
  const offer = (kind: "merge" | "lift", a: Node | undefined, b?: Node): void => {
    if (a === undefined) return;
    const e = evaluate(kind, a, b);
    if (e !== undefined && e.gain > 0) heap.push({ ratio: e.cost / e.gain, kind, a, b, seq: seq++ });
  };
  const offerAround = (n: Node): void => {
    const p = n.parent!;
    const i = p.children.indexOf(n);
    offer("merge", p.children[i - 1], n);
    offer("merge", n, p.children[i + 1]);
    offer("lift", n);
    offer("lift", p);
    for (let k = 0; k + 1 < n.children.length; k++) offer("merge", n.children[k], n.children[k + 1]);
  };
  const visit = (n: Node): void => {
    for (let k = 0; k < n.children.length; k++) {
      const c = n.children[k]!;
      offer("merge", c, n.children[k + 1]);
      offer("lift", c);
      visit(c);
    }
  };
  visit(root);

  while (count > budget) {
    const cand = heap.pop();
    if (cand === undefined) throw new Error("mergeToBudget: no operation left (internal error)");
    const e = evaluate(cand.kind, cand.a, cand.b);
    if (e === undefined || e.gain <= 0) continue;
    if (e.cost / e.gain !== cand.ratio) {
      heap.push({ ...cand, ratio: e.cost / e.gain, seq: seq++ });
      continue;
    }
    if (cand.kind === "lift") {
      const n = cand.a;
      n.level = Math.min(...n.children.map((c) => c.level));
      const kids: Node[] = [];
      for (const c of n.children) frontier(c, n.level, kids);
      n.children = kids;
      for (const c of kids) c.parent = n;
      count -= e.gain;
      offerAround(n);
    } else {
      const a = cand.a;
      const b = cand.b!;
      const p = a.parent!;
      const top = Math.max(a.level, b.level);
      const kids: Node[] = [];
      frontier(a, top, kids);
      frontier(b, top, kids);
      const merged: Node = {
        id: a.id,
        start: a.start,
        end: b.end,
        level: top,
        parent: p,
        children: kids,
        alive: true,
      };
      for (const c of kids) c.parent = merged;
      const i = p.children.indexOf(a);
      p.children.splice(i, 2, merged);
      count -= e.gain;
      offerAround(merged);
    }
  }
  return collect(root);
}

/** Replica-ms of the intervals' MAX above `floor`. */
function areaOf(intervals: readonly LevelInterval[], floor: number): number {
  const from = Math.min(...intervals.map((iv) => iv.start));
  const to = Math.max(...intervals.map((iv) => iv.end));
  return maxOf(intervals, floor, from, to).reduce(
    (sum, s) => sum + (s.replicas - floor) * (s.end - s.start),
    0,
  );
}

/**
 * The cheapest schedule found whose exact decomposition has at most `budget` intervals, as that decomposition:
 * the optimiser's (optimal over its space, see optimal.ts) or the greedy's, whichever adds fewer replica-ms (the
 * greedy alone above `OPTIMAL_MAX_NODES` exact intervals). `steps` is the required step function; the result's
 * MAX (floored at `floor`) is >= it everywhere and equals it when the exact decomposition already fits. No interval
 * is at or below `floor` (minReplicaCount already holds it).
 * @throws an `InputError` when `budget` < 1 and the steps rise above `floor`.
 * @internal
 */
export function mergeToBudget(steps: readonly Segment[], floor: number, budget: number): LevelInterval[] {
  const exact = decompose(steps, floor);
  if (exact.length <= budget) return exact;
  if (budget < 1)
    throw new InputError("mergeToBudget", [
      { path: "budget", value: budget, rule: `must be >= 1: the schedule rises above its floor ${floor}` },
    ]);
  const greedy = greedyMerge(exact, floor, budget);
  const optimal = exact.length <= OPTIMAL_MAX_NODES ? optimalCover(exact, floor, budget) : undefined;
  const chosen = optimal !== undefined && areaOf(optimal, floor) <= areaOf(greedy, floor) ? optimal : greedy;
  return chosen.filter((iv) => iv.level > floor);
}
