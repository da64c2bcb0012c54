/**
 * Nodes for the skeptic's simulator: a service's pods and its placeholders share one Karpenter node pool. Input is
 * what `simulate` says each ScaledObject's workload asks for (its `desired` replicas over time, KEDA and the HPA
 * replayed); output is when the service's pods are Ready. It never reads the compiler.
 *
 * Model (upstream behaviour it follows):
 * - A node holds `podsPerNode` pods (the service's requests against an instance's allocatable, `podsPerNode()`).
 *   Placeholders are sized like the service's pods, so one placeholder holds one pod's room.
 * - A pod binds to a Ready node with room. A service pod that finds none preempts a placeholder (priority below
 *   every tier; kube-scheduler's preemption, grace period 0) and runs `preemptionSeconds` later; a placeholder
 *   never preempts (`preemptionPolicy: Never`).
 * - A preempted placeholder's ReplicaSet replaces it while its desired count still holds: the new one is Pending.
 * - Pending pods (of either kind) open a Karpenter batch window that closes `nodeBatchSeconds` later (its
 *   BATCH_MAX_DURATION, the worst case); Karpenter then launches enough nodes for the pending pods that in-flight
 *   nodes cannot take, Ready `nodeProvisionSeconds` after the batch closed.
 * - A service pod is Ready `podReadySeconds` after it runs. A scale-down deletes Pending pods first, then the
 *   newest (placeholders the same way).
 * - A node that stays empty for `consolidateAfterSeconds` is consolidated (removed). Nodes with pods stay: the
 *   placeholders carry `karpenter.sh/do-not-disrupt`, and under-utilised consolidation is not modelled.
 * Not modelled: zones (the zone-loss simulation places pods over zones, zone-loss.ts), other services sharing the
 * pool, instance types of different sizes.
 */
import type { Segment, TimingModel } from "../../../components/calendar/types";

export interface NodeSimOptions {
  readonly from: number;
  readonly to: number;
  readonly timing: TimingModel;
  /** Pods of the service one node holds. */
  readonly podsPerNode: number;
  /** Karpenter `consolidateAfter` of the pool, seconds. */
  readonly consolidateAfterSeconds: number;
}

export interface NodeSimResult {
  /** Ready pods of the service over [from, to). */
  readonly ready: Segment[];
  readonly nodesLaunched: number;
  /** Placeholders the service's pods preempted. */
  readonly preemptions: number;
  /** Node-minutes of nodes that ran with no pod at all (launched too late, or kept until consolidation). */
  readonly emptyNodeMinutes: number;
  /**
   * Nodes launched that never ran a service pod: Karpenter's answer to placeholders Pending after a preemption,
   * the waste the pre-provisioning pays.
   */
  readonly placeholderOnlyNodes: number;
}

/** How many pods with these requests fit an instance's allocatable (both CPU and memory must fit). */
export function podsPerNode(
  requests: { readonly millicores: number; readonly mebibytes: number },
  allocatable: { readonly millicores: number; readonly mebibytes: number },
): number {
  return Math.max(
    0,
    Math.min(
      Math.floor(allocatable.millicores / requests.millicores),
      Math.floor(allocatable.mebibytes / requests.mebibytes),
    ),
  );
}

interface SimNode {
  readonly readyAt: number;
  pods: number;
  placeholders: number;
  emptySince: number;
  removedAt: number;
  servedService?: boolean;
}

interface ServicePod {
  /** The instant it runs on a node (Infinity while Pending). */
  runsAt: number;
  deletedAt: number;
  node?: SimNode;
}

type Kind = "service" | "placeholder";

export function simulateNodes(
  service: readonly Segment[],
  placeholders: readonly Segment[],
  options: NodeSimOptions,
): NodeSimResult {
  const { from, to, timing, podsPerNode: slots } = options;
  const ms = (s: number) => s * 1000;
  const nodes: SimNode[] = [];
  const pods: ServicePod[] = [];
  let alive: ServicePod[] = [];
  /** Placeholders bound, per node (by index of `nodes`), and the Pending ones. */
  let pendingPlaceholders = 0;
  let wantedPlaceholders = 0;
  let preemptions = 0;
  let batchClosesAt = Infinity;
  const events = new Set<number>();
  const at = (t: number) => {
    if (t < to) events.add(t);
  };

  const live = (t: number) => nodes.filter((n) => n.removedAt > t);
  const running = (t: number) => live(t).filter((n) => n.readyAt <= t);
  const room = (n: SimNode) => slots - n.pods - n.placeholders;
  const markEmpty = (n: SimNode, t: number) => {
    if (n.pods + n.placeholders === 0) {
      n.emptySince = t;
      at(t + ms(options.consolidateAfterSeconds));
    }
  };

  // Initial state: the service's pods Ready, packed onto as few nodes as they need.
  const initial = service[0]?.replicas ?? 0;
  for (let i = 0; i < Math.ceil(initial / slots); i++)
    nodes.push({ readyAt: -Infinity, pods: 0, placeholders: 0, emptySince: Infinity, removedAt: Infinity });
  for (let i = 0; i < initial; i++) {
    const node = nodes.find((n) => room(n) > 0)!;
    node.pods++;
    const pod = { runsAt: from - ms(timing.podReadySeconds), deletedAt: Infinity, node };
    pods.push(pod);
    alive.push(pod);
  }

  const bindPending = (t: number) => {
    // Service pods first (higher priority), oldest first.
    for (const pod of alive) {
      if (pod.node !== undefined) continue;
      const free = running(t).find((n) => room(n) > 0);
      if (free !== undefined) {
        free.pods++;
        free.servedService = true;
        pod.node = free;
        pod.runsAt = t;
        continue;
      }
      const victim = running(t).find((n) => n.placeholders > 0);
      if (victim === undefined) continue;
      victim.placeholders--;
      victim.pods++;
      victim.servedService = true;
      pod.node = victim;
      pod.runsAt = t + ms(timing.preemptionSeconds);
      preemptions++;
      // The placeholder's ReplicaSet replaces it: Pending, which Karpenter will see.
      pendingPlaceholders++;
    }
    for (const n of running(t)) {
      while (pendingPlaceholders > 0 && room(n) > 0) {
        n.placeholders++;
        pendingPlaceholders--;
      }
    }
    const pending = alive.filter((p) => p.node === undefined).length + pendingPlaceholders;
    if (pending > 0 && batchClosesAt === Infinity) {
      batchClosesAt = t + ms(timing.nodeBatchSeconds);
      at(batchClosesAt);
    }
  };

  const launch = (t: number) => {
    batchClosesAt = Infinity;
    const pending = alive.filter((p) => p.node === undefined).length + pendingPlaceholders;
    const inFlight = live(t)
      .filter((n) => n.readyAt > t)
      .reduce((sum, n) => sum + room(n), 0);
    const count = Math.ceil(Math.max(0, pending - inFlight) / slots);
    for (let i = 0; i < count; i++) {
      const readyAt = t + ms(timing.nodeProvisionSeconds);
      nodes.push({ readyAt, pods: 0, placeholders: 0, emptySince: Infinity, removedAt: Infinity });
      at(readyAt);
    }
  };

  const setDesired = (kind: Kind, n: number, t: number) => {
    if (kind === "placeholder") {
      const delta = n - wantedPlaceholders;
      wantedPlaceholders = n;
      if (delta >= 0) pendingPlaceholders += delta;
      else {
        let remove = -delta;
        const fromPending = Math.min(remove, pendingPlaceholders);
        pendingPlaceholders -= fromPending;
        remove -= fromPending;
        for (const node of [...live(t)].reverse()) {
          while (remove > 0 && node.placeholders > 0) {
            node.placeholders--;
            remove--;
            markEmpty(node, t);
          }
        }
      }
      return;
    }
    while (alive.length < n) {
      const pod: ServicePod = { runsAt: Infinity, deletedAt: Infinity };
      pods.push(pod);
      alive.push(pod);
    }
    if (alive.length > n) {
      // Pending first, then the newest.
      const order = [...alive].sort((a, b) => b.runsAt - a.runsAt);
      for (const pod of order.slice(0, alive.length - n)) {
        pod.deletedAt = t;
        if (pod.node !== undefined) {
          pod.node.pods--;
          markEmpty(pod.node, t);
        }
      }
      alive = alive.filter((p) => p.deletedAt === Infinity);
    }
  };

  const changes = [
    ...service.map((s) => ({ t: s.start, kind: "service" as Kind, n: s.replicas })),
    ...placeholders.map((s) => ({ t: s.start, kind: "placeholder" as Kind, n: s.replicas })),
  ].sort((a, b) => a.t - b.t);
  for (const c of changes) at(c.t);
  let next = 0;
  while (events.size > 0) {
    const t = Math.min(...events);
    events.delete(t);
    while (next < changes.length && changes[next]!.t <= t) {
      const c = changes[next++]!;
      setDesired(c.kind, c.n, t);
    }
    for (const n of live(t)) {
      if (n.readyAt === t && n.pods + n.placeholders === 0) markEmpty(n, t);
      if (
        n.pods + n.placeholders === 0 &&
        n.readyAt <= t &&
        t - n.emptySince >= ms(options.consolidateAfterSeconds)
      )
        n.removedAt = t;
    }
    // Bind first: a node Ready now takes its pods before Karpenter counts what is still Pending.
    bindPending(t);
    if (t >= batchClosesAt) {
      launch(t);
      bindPending(t);
    }
    for (const n of live(t))
      if (n.readyAt <= t && n.pods + n.placeholders === 0 && n.emptySince > t) markEmpty(n, t);
  }
  return {
    ready: readySteps(pods, timing, from, to),
    nodesLaunched: nodes.filter((n) => n.readyAt > -Infinity).length,
    preemptions,
    emptyNodeMinutes: emptyMinutes(nodes, to),
    placeholderOnlyNodes: nodes.filter((n) => n.readyAt > -Infinity && n.servedService !== true).length,
  };
}

/** Node-minutes spent empty: from launch (or emptying) until consolidation, or the horizon's end. */
function emptyMinutes(nodes: readonly SimNode[], to: number): number {
  return nodes.reduce((m, n) => {
    if (n.emptySince === Infinity || n.emptySince >= to) return m;
    return m + (Math.min(n.removedAt, to) - n.emptySince) / 60_000;
  }, 0);
}

function readySteps(pods: readonly ServicePod[], timing: TimingModel, from: number, to: number): Segment[] {
  const deltas = new Map<number, number>();
  const add = (t: number, d: number) => {
    const c = Math.min(Math.max(t, from), to);
    deltas.set(c, (deltas.get(c) ?? 0) + d);
  };
  for (const p of pods) {
    const readyAt = p.runsAt + timing.podReadySeconds * 1000;
    if (!(readyAt < p.deletedAt) || readyAt >= to) continue;
    add(readyAt, 1);
    if (p.deletedAt < to) add(p.deletedAt, -1);
  }
  const out: Segment[] = [];
  let level = 0;
  let start = from;
  for (const t of [...deltas.keys()].sort((a, b) => a - b)) {
    const nextLevel = level + deltas.get(t)!;
    if (nextLevel === level) continue;
    if (t > start) out.push({ start, end: t, replicas: level });
    start = t;
    level = nextLevel;
  }
  if (to > start) out.push({ start, end: to, replicas: level });
  return out;
}
