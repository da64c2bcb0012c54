/**
 * The skeptic's simulator: given a CompiledSchedule, replay KEDA (polling, activation, cron metrics), the HPA
 * controller (sync period, tolerance, behavior) and pod start-up (Ready delay, node provisioning) over a horizon,
 * and report the desired and Ready replica counts as step functions. Independent of the compiler: it only reads
 * the schedule the compiler emitted.
 *
 * Model (upstream sources in keda-cron.ts and hpa.ts):
 * - KEDA polls every kedaPollingSeconds. At a poll each trigger's activity is evaluated (cron Next from "now");
 *   the scale executor then scales 0 -> max(minReplicaCount, 1) when a trigger is active, to 0 after
 *   cooldownPeriod without activity when minReplicaCount is 0, and up to minReplicaCount when below it
 *   (pkg/scaling/executor/scale_scaledobjects.go RequestScale).
 * - The HPA syncs every hpaSyncSeconds with one External AverageValue(1) metric per trigger. By default
 *   (`metrics: "polled"`) it sees the values of the last poll, so a change reaches it up to one polling interval
 *   late: a conservative model. Upstream KEDA serves cron metrics fresh on each HPA request (useCachedMetrics is
 *   off by default and not offered for cron); `metrics: "live"` models that.
 * - Phases: polls happen at epoch seconds = kedaPhase mod kedaPolling and syncs at hpaPhase mod hpaSync. The
 *   defaults put a poll one second before each whole minute (cron specs fire on whole minutes, so a start is seen
 *   a full interval late) and a sync one second before each poll (the poll is seen one more sync later): the
 *   worst case for minute-aligned specs.
 * - Pods: a scale-up creates pods at once; each is Ready podReadySeconds later, plus nodeProvisionSeconds when the
 *   pod count exceeds the largest pod count of the last nodeRetentionSeconds (nodes outlive their pods that
 *   long). A scale-down deletes pods at once, not-Ready ones first, then the most recently Ready.
 * - Zones (`zones` set): pods are placed as the scheduler does with a zone constraint of maxSkew 1: a new pod goes
 *   to the zone with the fewest live pods (lowest index on ties), and a scale-down takes each pod from the zone
 *   with the most (then not-Ready first, then the most recently Ready). `pods` carries every pod's zone and life,
 *   for the zone-loss check (zone-loss.ts).
 */
import type { CompiledSchedule, Segment, TimingModel } from "../../../components/calendar/types";
import { HpaController } from "./hpa";
import { KedaValidationError, TriggerTimeline, parseCronMetadata, type KedaCronTrigger } from "./keda-cron";

// Globals are bound once: jest runs tests in a vm context where every global lookup (Math, Date, Infinity) is
// slow enough to dominate the simulator's inner loops.
const { ceil, min, max, round } = Math;
const INF = Number.POSITIVE_INFINITY;

export interface SimulateOptions {
  readonly from: number;
  readonly to: number;
  readonly timing: TimingModel;
  /** Spec replicas at `from`, all Ready. @default schedule.minReplicaCount */
  readonly initialReplicas?: number;
  /** What the HPA reads: the last poll's values, or values computed at the sync. @default "polled" */
  readonly metrics?: "polled" | "live";
  /** Poll phase in seconds. @default kedaPollingSeconds - 1 */
  readonly kedaPhaseSeconds?: number;
  /** Sync phase in seconds. @default one second before each poll, modulo hpaSyncSeconds */
  readonly hpaPhaseSeconds?: number;
  /** ScaledObject cooldownPeriod (only matters with minReplicaCount 0). @default 300 */
  readonly cooldownSeconds?: number;
  /** Controller downscale stabilisation (used when behavior leaves it unset). @default 300 */
  readonly downscaleStabilizationSeconds?: number;
  /** How long a node stays after its pods are gone. @default 3600 */
  readonly nodeRetentionSeconds?: number;
  /**
   * Skip polls and syncs while nothing can change (same inputs for longer than the HPA remembers, until the next
   * cron activation). Gives the same result as stepping every tick; off only to check exactly that. @default true
   */
  readonly fastForward?: boolean;
  /**
   * Place pods over this many zones (see the model above); without it pods have no zone (zone 0).
   * @default - none
   */
  readonly zones?: number;
  /**
   * Whether the cluster honours behavior tolerances (HPAConfigurableTolerance, Kubernetes >= 1.33 with the gate
   * on); when off, the 0.1 band applies to every scale-up and scale-down whatever the schedule says. @default true
   */
  readonly configurableTolerance?: boolean;
}

export interface SimulationResult {
  /** Spec replicas over [from, to). */
  readonly desired: Segment[];
  /** Ready pods over [from, to). */
  readonly ready: Segment[];
  /** How many HPA syncs and KEDA polls ran (for reports). */
  readonly syncs: number;
  readonly polls: number;
  /** How many of those syncs were computed one by one (the rest were skipped as provably unchanged). */
  readonly steppedSyncs: number;
  /** Every pod that existed: created (initial pods: -Infinity), Ready and deleted (Infinity if never), and zone. */
  readonly pods: readonly Pod[];
}

export interface Pod {
  readonly createdAt: number;
  readonly readyAt: number;
  deletedAt: number;
  readonly zone: number;
}

/** Validate every trigger as KEDA would and throw one error listing all rejected ones. */
export function validateTriggers(schedule: CompiledSchedule): KedaCronTrigger[] {
  const problems: string[] = [];
  const out: KedaCronTrigger[] = [];
  for (const t of schedule.triggers) {
    try {
      out.push(parseCronMetadata(t));
    } catch (e) {
      if (e instanceof KedaValidationError) problems.push(e.message);
      else throw e;
    }
  }
  if (problems.length > 0) {
    throw new KedaValidationError(
      `KEDA rejects ${problems.length} trigger(s) of ${schedule.region}/${schedule.service}:\n${problems.join("\n")}`,
    );
  }
  return out;
}

const mod = (a: number, m: number): number => ((a % m) + m) % m;

/** The first tick at or after `t` of a series with period `p` s and phase `ph` s (epoch-aligned). */
function firstTick(t: number, p: number, ph: number): number {
  const ps = p * 1000;
  const base = ceil((t - ph * 1000) / ps) * ps + ph * 1000;
  return base;
}

export function simulate(schedule: CompiledSchedule, options: SimulateOptions): SimulationResult {
  const { from, to, timing } = options;
  const triggers = validateTriggers(schedule);
  const timelines = triggers.map((t) => new TriggerTimeline(t, from, to));
  const poll = timing.kedaPollingSeconds;
  const sync = timing.hpaSyncSeconds;
  const kedaPhase = options.kedaPhaseSeconds ?? poll - 1;
  const hpaPhase = options.hpaPhaseSeconds ?? mod(kedaPhase - 1, sync);
  const live = (options.metrics ?? "polled") === "live";
  const cooldownMs = (options.cooldownSeconds ?? 300) * 1000;
  const retentionMs = (options.nodeRetentionSeconds ?? 3600) * 1000;
  const minCount = schedule.minReplicaCount;
  const hpa = new HpaController({
    // KEDA gives the HPA minReplicas = minReplicaCount, or 1 when it is 0.
    minReplicas: max(minCount, 1),
    maxReplicas: schedule.maxReplicaCount,
    behavior:
      schedule.behavior.scaleUp === undefined && schedule.behavior.scaleDown === undefined
        ? undefined
        : schedule.behavior,
    tolerance: timing.hpaTolerance,
    downscaleStabilizationSeconds: options.downscaleStabilizationSeconds,
    configurableTolerance: options.configurableTolerance,
  });

  let replicas = options.initialReplicas ?? minCount;
  const zones = options.zones ?? 1;
  const perZone = new Array<number>(zones).fill(0);
  const pods: Pod[] = [];
  let alive: Pod[] = [];
  for (let i = 0; i < replicas; i++) {
    alive.push({ createdAt: -INF, readyAt: from, deletedAt: INF, zone: i % zones });
    perZone[i % zones]++;
  }
  pods.push(...alive);
  // Pod-count history for the node model: [time, count] change points, plus the count before `from`.
  const history: [number, number][] = [[from - retentionMs, replicas]];
  const desired: Segment[] = [];
  let desiredStart = from;
  let desiredValue = replicas;

  const polled: number[] = triggers.map(() => 1);
  let anyActive = false;
  let lastPollAt = from;
  let lastActive = -INF;

  // Values change only when some trigger's activity flips; `inputsVersion` counts those changes.
  let inputsVersion = 0;
  const evaluate = (t: number, into: number[]): boolean => {
    let active = false;
    for (let i = 0; i < timelines.length; i++) {
      const a = timelines[i].activeAt(t);
      const v = a ? timelines[i].trigger.desiredReplicas : 1;
      if (into[i] !== v) {
        into[i] = v;
        inputsVersion++;
      }
      active = active || a;
    }
    return active;
  };
  /** The largest metric: the per-metric proposal is non-decreasing in the metric, so it decides the maximum. */
  const largest = (values: readonly number[]): number => {
    let m = 1;
    for (const v of values) if (v > m) m = v;
    return m;
  };

  const capacityAt = (t: number): number => {
    const cutoff = t - retentionMs;
    let cap = 0;
    for (let i = history.length - 1; i >= 0; i--) {
      cap = max(cap, history[i][1]);
      if (history[i][0] <= cutoff) break;
    }
    return cap;
  };

  const setReplicas = (t: number, n: number): void => {
    if (n === replicas) return;
    if (n > replicas) {
      const cap = capacityAt(t);
      for (let k = replicas + 1; k <= n; k++) {
        const delay = timing.podReadySeconds + (k > cap ? timing.nodeProvisionSeconds : 0);
        let zone = 0;
        for (let z = 1; z < zones; z++) if (perZone[z] < perZone[zone]) zone = z;
        perZone[zone]++;
        const pod = { createdAt: t, readyAt: t + delay * 1000, deletedAt: INF, zone };
        pods.push(pod);
        alive.push(pod);
      }
    } else {
      // Not-Ready pods go first, then the most recently Ready (ReplicaSet deletion ranking).
      alive.sort((a, b) => b.readyAt - a.readyAt);
      if (zones === 1) {
        for (let k = 0; k < replicas - n; k++) alive[k].deletedAt = t;
        alive = alive.slice(replicas - n);
      } else {
        for (let k = 0; k < replicas - n; k++) {
          let zone = 0;
          for (let z = 1; z < zones; z++) if (perZone[z] > perZone[zone]) zone = z;
          const victim = alive.findIndex((p) => p.zone === zone);
          alive[victim].deletedAt = t;
          alive.splice(victim, 1);
          perZone[zone]--;
        }
      }
    }
    if (t > desiredStart) desired.push({ start: desiredStart, end: t, replicas: desiredValue });
    desiredStart = t;
    desiredValue = n;
    replicas = n;
    history.push([t, n]);
  };

  // Metrics as of `from`: a poll just happened.
  anyActive = evaluate(from, polled);
  let nextPoll = firstTick(from, poll, kedaPhase);
  let nextSync = firstTick(from, sync, hpaPhase);
  let polls = 0;
  let syncs = 0;
  let stepped = 0;
  const liveValues: number[] = triggers.map(() => 1);
  // Fast-forward bookkeeping: how long the HPA has seen the same inputs and kept the same count.
  const memoryMs = hpa.memoryMs() + sync * 1000;
  const fastForward = options.fastForward ?? true;
  let lastKey = "";
  let quietMs = 0;
  const lastTickBefore = (t: number, p: number, ph: number): number => firstTick(t, p, ph) - p * 1000;
  /**
   * Nothing can change until a trigger's activity may flip (the next activation of any spec) or, with
   * minReplicaCount 0, the cooldown runs out: jump there, accounting for the skipped polls and syncs as the
   * executor and the HPA would have recorded them.
   */
  const skipQuiet = (t: number): void => {
    // Changes after the last evaluation the HPA's inputs come from are not seen yet: the earliest of them bounds
    // the jump (and forbids it when it is already due).
    let target = to;
    for (const tl of timelines) target = min(target, tl.nextChangeAfter(live ? t : lastPollAt));
    if (minCount === 0 && !anyActive && replicas > 0) target = min(target, lastActive + cooldownMs + 1);
    if (target <= t) return;
    const resumeSync = firstTick(target, sync, hpaPhase);
    const resumePoll = max(nextPoll, firstTick(target, poll, kedaPhase));
    if (resumeSync <= nextSync) return;
    const lastSync = lastTickBefore(target, sync, hpaPhase);
    syncs += round((lastSync - nextSync) / (sync * 1000)) + 1;
    hpa.recordSkipped(lastSync, hpa.lastProposal);
    if (resumePoll > nextPoll) {
      const lastPoll = resumePoll - poll * 1000;
      polls += round((lastPoll - nextPoll) / (poll * 1000)) + 1;
      if (anyActive) lastActive = lastPoll;
    }
    nextSync = resumeSync;
    nextPoll = resumePoll;
    // The change at `target` is not seen yet: run normally until the controller is quiet again.
    quietMs = 0;
  };
  while (min(nextPoll, nextSync) < to) {
    if (nextPoll <= nextSync) {
      const t = nextPoll;
      nextPoll += poll * 1000;
      polls++;
      anyActive = evaluate(t, polled);
      lastPollAt = t;
      // RequestScale
      if (replicas === 0 && anyActive) {
        setReplicas(t, max(minCount, 1));
        lastActive = t;
      } else if (!anyActive && replicas > 0 && minCount === 0) {
        if (lastActive + cooldownMs < t) setReplicas(t, 0);
      } else if (!anyActive && replicas < minCount) {
        setReplicas(t, minCount);
      } else if (anyActive) {
        lastActive = t;
      }
    } else {
      const t = nextSync;
      nextSync += sync * 1000;
      syncs++;
      stepped++;
      const values = live ? (evaluate(t, liveValues), liveValues) : polled;
      const key = `${replicas}|${inputsVersion}`;
      // computeReplicasForMetrics takes the maximum of the per-trigger proposals; each proposal is a
      // non-decreasing function of its metric (below the band: smaller, in it: current, above: larger), so
      // handing the HPA only the largest metric gives the same count with one metric instead of one per trigger.
      const n = hpa.sync(t, replicas, replicas, [largest(values) * 1000]);
      quietMs = key === lastKey && n === replicas ? quietMs + sync * 1000 : 0;
      lastKey = key;
      setReplicas(t, n);
      if (fastForward && quietMs >= memoryMs) skipQuiet(t);
    }
  }
  desired.push({ start: desiredStart, end: to, replicas: desiredValue });
  return { desired, ready: readySegments(pods, from, to), syncs, polls, steppedSyncs: stepped, pods };
}

/** Sweep pods' [readyAt, deletedAt) intervals into a Ready-count step function over [from, to). */
function readySegments(pods: readonly Pod[], from: number, to: number): Segment[] {
  const deltas = new Map<number, number>();
  const add = (t: number, d: number): void => {
    const c = min(max(t, from), to);
    deltas.set(c, (deltas.get(c) ?? 0) + d);
  };
  for (const p of pods) {
    if (p.readyAt >= p.deletedAt || p.readyAt >= to) continue;
    add(p.readyAt, 1);
    if (p.deletedAt < to) add(p.deletedAt, -1);
  }
  return stepsFromDeltas(deltas, from, to);
}

function stepsFromDeltas(deltas: Map<number, number>, from: number, to: number): Segment[] {
  const times = [...deltas.keys()].sort((a, b) => a - b);
  const out: Segment[] = [];
  let level = 0;
  let start = from;
  for (const t of times) {
    const nextLevel = level + (deltas.get(t) ?? 0);
    if (nextLevel === level) continue;
    if (t > start) out.push({ start, end: t, replicas: level });
    start = t;
    level = nextLevel;
  }
  if (to > start) out.push({ start, end: to, replicas: level });
  return mergeEqual(out);
}

function mergeEqual(segs: readonly Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segs) {
    const last = out[out.length - 1];
    if (last !== undefined && last.replicas === s.replicas && last.end === s.start) {
      out[out.length - 1] = { start: last.start, end: s.end, replicas: s.replicas };
    } else out.push(s);
  }
  return out;
}

export interface Shortfall {
  readonly start: number;
  readonly end: number;
  readonly need: number;
  readonly ready: number;
}

/** Value of a step function at each elementary interval: gaps count as 0. */
function valueAt(segs: readonly Segment[], idx: { i: number }, t: number): number {
  while (idx.i < segs.length && segs[idx.i].end <= t) idx.i++;
  const s = segs[idx.i];
  return s !== undefined && s.start <= t ? s.replicas : 0;
}

/** Every maximal interval (with constant need and Ready) where Ready < need. Missing segments count as 0. */
export function uncovered(need: readonly Segment[], ready: readonly Segment[]): Shortfall[] {
  const cuts = new Set<number>();
  for (const s of need) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  for (const s of ready) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const times = [...cuts].sort((a, b) => a - b);
  const out: Shortfall[] = [];
  const ni = { i: 0 };
  const ri = { i: 0 };
  for (let k = 0; k + 1 < times.length; k++) {
    const a = times[k];
    const b = times[k + 1];
    const n = valueAt(need, ni, a);
    const r = valueAt(ready, ri, a);
    if (r >= n) continue;
    const last = out[out.length - 1];
    if (last !== undefined && last.end === a && last.need === n && last.ready === r) {
      out[out.length - 1] = { ...last, end: b };
    } else out.push({ start: a, end: b, need: n, ready: r });
  }
  return out;
}

/** Total uncovered minutes of a shortfall list (interval length, regardless of depth). */
export function uncoveredMinutes(shortfalls: readonly Shortfall[]): number {
  return shortfalls.reduce((m, s) => m + (s.end - s.start) / 60000, 0);
}
