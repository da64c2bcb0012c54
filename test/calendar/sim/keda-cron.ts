/**
 * KEDA's cron scaler (kedacore/keda pkg/scalers/cron_scaler.go), re-implemented for the simulator.
 *
 * What upstream does, as read (the newest stored revision, which parses both specs once in NewCronScaler and
 * imports keda-scalers/scalersconfig; the older revision that built a throw-away `cron.New(WithLocation)` per call
 * gives the same activity, noted below):
 * - metadata `timezone`, `start`, `end`, `desiredReplicas` are read by the typed config (all required);
 *   Validate() parses `start` and `end` with `cron.NewParser(Minute | Hour | Dom | Month | Dow)` (exactly five
 *   fields, no descriptors), rejects `start == end` compared as strings, and rejects `desiredReplicas == 0`.
 * - GetMetricsAndActivity: now := time.Now().In(tz); nextStart := start.Next(now); nextEnd := end.Next(now)
 *   (robfig Next, strictly after now). If nextStart is before nextEnd the trigger is active when now is after
 *   nextStart and before nextEnd; otherwise when now is after nextStart or before nextEnd. As Next is after now,
 *   this reduces to: active <=> the next end comes no later than the next start, except that a spec that never
 *   fires yields Go's zero time (before now): a start that never fires makes the trigger active for ever. The
 *   older revision (`nextStart < nextEnd && now < nextStart` => inactive, else `now <= nextEnd` => active) agrees
 *   except when both specs never fire.
 * - The metric value is `desiredReplicas` when active and 1 when inactive (GenerateMetricInMili: a milli-quantity).
 * - GetMetricSpecForScaling: one External metric per trigger, named `s<index>-cron-<tz>-<start>-<end>`
 *   (normalised), target from GetMetricTarget(metricType, 1): by default `AverageValue: 1`, so the HPA's proposal
 *   for an active trigger is ceil(desiredReplicas / 1) = desiredReplicas and 1 for an inactive one.
 *
 * Consequences the tests pin: a window whose start and end day sets differ (kedacore/keda#4677: start
 * `30 6 * * 1-5`, end `10 22 * * *`) stays active from Friday 22:10 through Sunday 22:10, because on Saturday the
 * next end (Sat 22:10) still precedes the next start (Mon 06:30); and two different strings with the same schedule
 * pass validation but are active all the time (nextEnd == nextStart).
 */
import { IANAZone } from "luxon";
import { CronParseError, activations, next, parseSpec, type SpecSchedule } from "./robfig-cron";

// Globals are bound once: jest runs tests in a vm context where every global lookup (Math, Date, Infinity) is
// slow enough to dominate the simulator's inner loops.
const { min } = Math;
const INF = Number.POSITIVE_INFINITY;

/** A validated cron trigger, ready to be evaluated. */
export interface KedaCronTrigger {
  readonly name: string;
  readonly timezone: string;
  readonly start: SpecSchedule;
  readonly end: SpecSchedule;
  readonly startSpec: string;
  readonly endSpec: string;
  readonly desiredReplicas: number;
}

/** The trigger metadata as the ScaledObject carries it (strings) or as the compiler emits it. */
export interface CronMetadataInput {
  readonly name?: string;
  readonly timezone?: string;
  readonly start?: string;
  readonly end?: string;
  readonly desiredReplicas?: string | number;
}

export class KedaValidationError extends Error {}

/**
 * NewCronScaler + Validate: every problem of one trigger, in upstream's order and wording (first one wins upstream;
 * here the first is thrown, prefixed like KEDA's `error parsing cron metadata: ...`).
 */
export function parseCronMetadata(input: CronMetadataInput): KedaCronTrigger {
  const fail = (msg: string): never => {
    throw new KedaValidationError(`trigger ${input.name ?? "?"}: error parsing cron metadata: ${msg}`);
  };
  const timezone = input.timezone ?? "";
  const startSpec = input.start ?? "";
  const endSpec = input.end ?? "";
  const desiredRaw = input.desiredReplicas;
  if (timezone === "") fail(`missing required parameter "timezone" in [triggerMetadata]`);
  if (startSpec === "") fail(`missing required parameter "start" in [triggerMetadata]`);
  if (endSpec === "") fail(`missing required parameter "end" in [triggerMetadata]`);
  if (desiredRaw === undefined || desiredRaw === "") {
    fail(`missing required parameter "desiredReplicas" in [triggerMetadata]`);
  }
  const desiredReplicas = typeof desiredRaw === "number" ? desiredRaw : Number(desiredRaw);
  if (!Number.isInteger(desiredReplicas))
    fail(`desiredReplicas must be an integer, got ${String(desiredRaw)}`);
  let start: SpecSchedule | undefined;
  let end: SpecSchedule | undefined;
  try {
    start = parseSpec(startSpec);
  } catch (e) {
    if (e instanceof CronParseError) fail(`error parsing start schedule: ${e.message}`);
    throw e;
  }
  try {
    end = parseSpec(endSpec);
  } catch (e) {
    if (e instanceof CronParseError) fail(`error parsing end schedule: ${e.message}`);
    throw e;
  }
  if (startSpec === endSpec) fail("start and end can not have exactly same time input");
  if (desiredReplicas === 0) fail("no desiredReplicas specified");
  // time.LoadLocation fails at metric time upstream; the simulator refuses the trigger up front.
  if (!IANAZone.isValidZone(timezone)) fail(`unable to load timezone: unknown time zone ${timezone}`);
  return {
    name: input.name ?? "",
    timezone,
    start: start as SpecSchedule,
    end: end as SpecSchedule,
    startSpec,
    endSpec,
    desiredReplicas,
  };
}

/** GetMetricsAndActivity's interval test, given now and the two Next values (epoch ms; Go's zero time included). */
export function activeFromNext(now: number, nextStart: number, nextEnd: number): boolean {
  if (nextStart < nextEnd) return now > nextStart && now < nextEnd;
  return now > nextStart || now < nextEnd;
}

/** GetMetricsAndActivity's activity at `now` (epoch ms), computing Next directly. */
export function isActive(trigger: KedaCronTrigger, now: number): boolean {
  return activeFromNext(
    now,
    next(trigger.start, now, trigger.timezone),
    next(trigger.end, now, trigger.timezone),
  );
}

/** GetMetricsAndActivity's metric value at `now`: desiredReplicas when active, otherwise 1. */
export function metricValue(trigger: KedaCronTrigger, now: number): number {
  return isActive(trigger, now) ? trigger.desiredReplicas : 1;
}

/** The HPA metric target KEDA builds for a cron trigger: `AverageValue` of 1 (the default metricType). */
export const CRON_METRIC_TARGET = { type: "AverageValue", averageValue: 1 } as const;

/**
 * Activity of one trigger as a step function over [from, to): the instants where `isActive` flips, computed from
 * the chained activation lists of both specs (Next(t) is constant between two consecutive activations).
 */
export class TriggerTimeline {
  private readonly starts: number[];
  private readonly ends: number[];
  private si = 0;
  private ei = 0;
  private lastT = -INF;

  constructor(
    readonly trigger: KedaCronTrigger,
    from: number,
    to: number,
  ) {
    // Next(t) for t >= from - 1 ms is read from these lists.
    this.starts = activations(trigger.start, from - 1, to, trigger.timezone);
    this.ends = activations(trigger.end, from - 1, to, trigger.timezone);
  }

  /** Next(t) of a chained list: the first activation strictly after t (the last entry is beyond `to` or zero). */
  private static lookup(list: number[], idx: number, t: number): [number, number] {
    let i = idx;
    while (i < list.length - 1 && list[i] <= t) i++;
    return [list[i], i];
  }

  /** The first activation of either spec strictly after `t`: activity cannot change before it. */
  nextChangeAfter(t: number): number {
    const [ns] = TriggerTimeline.lookup(this.starts, this.si, t);
    const [ne] = TriggerTimeline.lookup(this.ends, this.ei, t);
    const candidates = [ns, ne].filter((x) => x > t);
    return candidates.length === 0 ? INF : min(...candidates);
  }

  /** Activity at `t`; calls must come with non-decreasing `t` (the simulator's clock). */
  activeAt(t: number): boolean {
    if (t < this.lastT) throw new Error("TriggerTimeline.activeAt needs non-decreasing time");
    this.lastT = t;
    const [ns, si] = TriggerTimeline.lookup(this.starts, this.si, t);
    const [ne, ei] = TriggerTimeline.lookup(this.ends, this.ei, t);
    this.si = si;
    this.ei = ei;
    return activeFromNext(t, ns, ne);
  }
}
