/**
 * The calendar module's shared vocabulary. Parsing produces `CalendarWindow`s, the model turns them into
 * `NeedSeries` per region and service, the compiler turns those into `CronTrigger`s for KEDA, and the
 * simulator (tests) checks the triggers against the need.
 *
 * All instants are epoch milliseconds in UTC; local wall times exist only inside the parsers.
 */
import type { HpaBehavior } from "../kubernetes";

/** One occurrence of a calendar event: a window during which learners are expected. */
export interface CalendarWindow {
  /** The event's UID (iCalendar) or id (JSON). */
  readonly eventId: string;
  /** A stable id of this occurrence: `${eventId}@${ISO start in UTC}`. */
  readonly occurrenceId: string;
  /** Human summary (SUMMARY or the id). */
  readonly summary: string;
  /** Kind of window (`lecture`, `exam`, `launch`, `enrollment`, `live`, or a kind the profile adds). */
  readonly kind: string;
  /** Serving region, for example `eu-west-2`. */
  readonly region: string;
  /** Expected concurrent learners. */
  readonly learners: number;
  /** Start instant (inclusive), epoch ms UTC. */
  readonly start: number;
  /** End instant (exclusive), epoch ms UTC. */
  readonly end: number;
  /** The IANA zone the event was written in (for messages and plots). */
  readonly timezone: string;
  /**
   * Where the event came from, for error messages: the file, and the line of its `BEGIN:VEVENT` (iCalendar) or
   * its position in `events` (JSON).
   */
  readonly source: { readonly file: string; readonly line?: number; readonly index?: number };
}

/** @internal Sizing of one service, from the load profile. */
export interface ServiceProfile {
  readonly learnersPerReplica: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly leadMinutes: number;
  readonly tailMinutes: number;
  /**
   * Static stability (profile form): during windows, lead and tail included, schedule ceil(need x zones /
   * (zones - 1)) so that losing any one of `zones` zones leaves the need Ready (see model/headroom.ts). A stack
   * decides it per service and region instead (`semester:services.<svc>.staticStability`, the region's zones).
   * @default - none: the need alone
   */
  readonly zoneSpread?: { readonly zones: number };
}

/** The load profile: how learners translate into replicas per service, and which share of a kind hits which service. */
export interface LoadProfile {
  readonly services: Readonly<Record<string, ServiceProfile>>;
  /** kind -> service -> share of the window's learners (0..1, or more for fan-out) */
  readonly kinds: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Overrides of the timing model (added by the input module). @default - `DEFAULT_TIMING` (profile.ts) */
  readonly timing?: Partial<TimingModel>;
  /**
   * The load outside calendar windows, learned from history (`npm run learn`): a seasonal (daily and weekly)
   * forecast per region and service, in the same load unit as the shares and `learnersPerReplica`. The
   * compiler adds it, at the chosen quantile, to the windows' load before rounding to replicas.
   * @default - none: the calendar alone
   */
  readonly baseline?: LoadBaseline;
  /** How a learned profile was made: what it was trained on and how well it fits. @default - none (hand-written) */
  readonly learned?: LearnedProvenance;
}

/** The seasonal baseline of a learned profile. */
export interface LoadBaseline {
  /** The quantiles every series carries, ascending, each in (0, 1), e.g. [0.5, 0.9, 0.99]. */
  readonly quantiles: readonly number[];
  /** Length of one slot, minutes; divides a day (1440). */
  readonly slotMinutes: number;
  /** region -> service -> its baseline. */
  readonly series: Readonly<Record<string, Readonly<Record<string, BaselineSeries>>>>;
}

/**
 * One region and service's baseline: per quantile, the load in each slot of the week in `zone`'s local time,
 * slot 0 starting Monday 00:00 local (so a region's morning rhythm keeps its local hour across DST changes).
 */
export interface BaselineSeries {
  /** IANA zone of the slots, e.g. `America/New_York`. */
  readonly zone: string;
  /** String(quantile) -> 7 * 1440 / slotMinutes loads, each >= 0 and non-decreasing across quantiles. */
  readonly levels: Readonly<Record<string, readonly number[]>>;
}

/** Where a learned profile comes from and how well it fits (written by `npm run learn`, read by reports). */
export interface LearnedProvenance {
  /** What `load` measures, e.g. `requests per second` or `concurrent learners`. */
  readonly unit: string;
  /** True when the history was generated (a synthetic term), not recorded. */
  readonly synthetic: boolean;
  /** The history file and its sha256, the calendar file and its sha256. */
  readonly history: { readonly file: string; readonly sha256: string };
  readonly calendar?: { readonly file: string; readonly sha256: string };
  /** Trained on [from, to), ISO instants (UTC). */
  readonly trainedFrom: string;
  readonly trainedTo: string;
  /**
   * The per-window attendance quantile the profile's `kinds` shares are at (a window brings at most that share
   * with this probability), e.g. 0.99.
   */
  readonly shareQuantile: number;
  /**
   * kind -> service -> the attendance share: its mean estimate with the 90 % interval of that mean, the windows
   * it rests on, and the per-window quantiles (`String(q)` -> share) the profile's `kinds` pick from.
   */
  readonly attendance: Readonly<Record<string, Readonly<Record<string, LearnedEstimate>>>>;
  /** service -> the load one replica carries at its latency objective (absent when the history has no latency). */
  readonly capacity: Readonly<Record<string, LearnedEstimate & { readonly latencyObjectiveMs: number }>>;
  /** region -> service -> how well the fitted model (baseline + windows) explains the history. */
  readonly fit: Readonly<Record<string, Readonly<Record<string, FitQuality>>>>;
}

/** A learned quantity: the estimate, its 90 % interval, and how many independent samples it rests on. */
export interface LearnedEstimate {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  readonly samples: number;
  /** Per-sample quantiles (`String(q)` -> value): the spread of what one sample brings. @default - none */
  readonly quantiles?: Readonly<Record<string, number>>;
}

/** Fit quality of one series: slots used, R^2, mean absolute error and its ratio to the mean load. */
export interface FitQuality {
  readonly slots: number;
  readonly r2: number;
  readonly mae: number;
  readonly relativeMae: number;
}

/** A weight on [start, end) (epoch ms); intervals with end <= start are empty. */
export interface WeightedInterval {
  readonly start: number;
  readonly end: number;
  readonly weight: number;
}

/** A piece of a step function: `replicas` on [start, end). Segments of a series are sorted, disjoint and contiguous. */
export interface Segment {
  readonly start: number;
  readonly end: number;
  readonly replicas: number;
}

/** The need (and the scheduled requirement with lead and tail) of one service in one region over the horizon. */
export interface NeedSeries {
  readonly region: string;
  readonly service: string;
  /** need(t) per the model: clamp(ceil(sum learners*share / learnersPerReplica), min, max) over windows covering t. */
  readonly need: readonly Segment[];
  /** The windows that contribute to this series (for reports, plots and warnings). */
  readonly windows: readonly CalendarWindow[];
  /**
   * The learned baseline's forecast at the compile's quantile, in fractional replicas (load / learnersPerReplica)
   * per slot over the horizon; `need` includes it (added to the windows' replicas before rounding).
   * @default - none: the calendar alone
   */
  readonly forecast?: { readonly quantile: number; readonly replicas: readonly WeightedInterval[] };
  /**
   * Static stability: the zones the service spreads over; its windows then get zone-loss headroom.
   * @default - none (no headroom)
   */
  readonly zones?: number;
}

/**
 * One KEDA cron trigger, as the compiler emits it (5-field robfig/cron v3 specs).
 * `start`/`end` are cron specs evaluated in `timezone`.
 * @internal
 */
export interface CronTrigger {
  readonly name: string;
  readonly timezone: string;
  readonly start: string;
  readonly end: string;
  readonly desiredReplicas: number;
}

/** @internal What the compiler produces for one region and service: ready to merge into that service's ScaledObject. */
export interface CompiledSchedule {
  readonly region: string;
  readonly service: string;
  readonly minReplicaCount: number;
  readonly maxReplicaCount: number;
  readonly triggers: readonly CronTrigger[];
  readonly behavior: HpaBehavior;
}

/**
 * The delays between "KEDA should scale" and "a pod is Ready", which decide how early a scale-out must start.
 * Defaults are KEDA's and the HPA controller's own defaults plus conservative pod and node start-up times.
 * @internal
 */
export interface TimingModel {
  /** KEDA polling interval of the ScaledObject. @default 30 */
  readonly kedaPollingSeconds: number;
  /** HPA controller sync period (kube-controller-manager --horizontal-pod-autoscaler-sync-period). @default 15 */
  readonly hpaSyncSeconds: number;
  /** From pod creation to Ready on an existing node (image pull, start-up probe). @default 90 */
  readonly podReadySeconds: number;
  /** From a pending pod to a new Karpenter node able to run it. @default 120 */
  readonly nodeProvisionSeconds: number;
  /**
   * How long Karpenter collects pending pods before it launches nodes for them (its `BATCH_MAX_DURATION`): a
   * pod that needs a new node (a service's without pre-provisioning, a placeholder) waits one batch window, then
   * `nodeProvisionSeconds`. @default 10
   */
  readonly nodeBatchSeconds: number;
  /**
   * From a real pod's creation to it running on a pre-provisioned node: the scheduler preempts placeholders
   * (grace period 0) and binds the pod. Replaces `nodeProvisionSeconds` in the lead of a pre-provisioned
   * service. @default 5
   */
  readonly preemptionSeconds: number;
  /** HPA tolerance the cluster applies (0.1 unless configured). @default 0.1 */
  readonly hpaTolerance: number;
}

/** @internal */
export interface CompileOptions {
  /**
   * Also consider weekly patterns (day-of-week triggers that recur every week, see `weekly.ts`) and emit them when
   * they schedule fewer replica-minutes. They keep recurring after the horizon until the next refresh.
   * @default false
   */
  readonly weeklyPatterns?: boolean;
  /** At most this many cron triggers per ScaledObject. */
  readonly triggerBudget: number;
  readonly timing: TimingModel;
  /** The horizon [from, to) in epoch ms; nothing outside it may be scheduled. */
  readonly horizon: { readonly from: number; readonly to: number };
  /**
   * HPA behavior the ScaledObject gets; the ramp model reads its scale-up policies.
   * @default DEFAULT_BEHAVIOR (kubernetes/keda: +100% or +10 pods per 15 s up, -10% per 60 s after 300 s down)
   */
  readonly behavior?: HpaBehavior;
  /**
   * Pre-provision nodes (compile/pre-provision.ts): placeholders hold each scale-out's node capacity before it, so
   * the service's lead ends with preemption and pod start-up instead of a node launch; the result also carries
   * the placeholders' schedule and the comparison without them (`CompileResult.preProvision`).
   * @default false
   */
  readonly preProvision?: boolean;
}

/** @internal The lead one window gets: how long before its start the schedule starts scaling out for it. */
export interface WindowLead {
  readonly occurrenceId: string;
  /** The window's start, epoch ms. */
  readonly start: number;
  /** max(leadMinutes, the ramp model's time to Ready), in whole minutes. */
  readonly minutes: number;
}

/** @internal The node placeholders of one service (pre-provisioning, compile/pre-provision.ts). */
export interface PlaceholderSchedule {
  /** The placeholder ScaledObject's schedule (same region and service; minReplicaCount 0, `PLACEHOLDER_BEHAVIOR`). */
  readonly schedule: CompiledSchedule;
  /** Placeholders required (the size of each coming scale-out, 0 elsewhere). */
  readonly required: readonly Segment[];
  /** What the placeholder triggers hold. */
  readonly scheduled: readonly Segment[];
  /** The longest time placeholders rise before a scale-out, minutes (their ramp, a batch window, a node launch). */
  readonly nodeLeadMinutes: number;
  /**
   * The longest a pre-provisioned node stands empty between its placeholders leaving and the service's last pod
   * arriving, seconds: the node pool's `consolidateAfter` must be longer.
   */
  readonly emptyNodeSeconds: number;
  readonly exactTriggers: number;
  /** Placeholder replica-minutes scheduled: the node capacity reserved ahead of scale-outs. */
  readonly reservedReplicaMinutes: number;
}

/** @internal A service's placeholders and what its schedule would be without them. */
export interface PreProvisionResult extends PlaceholderSchedule {
  /** Every window's lead without pre-provisioning (its ramp includes a node launch). */
  readonly leadsWithout: readonly WindowLead[];
  /** The service's scheduled replica-minutes without pre-provisioning (its longer leads). */
  readonly scheduledReplicaMinutesWithout: number;
}

/** @internal */
export interface CompileStats {
  /** Triggers the exact schedule needs before merging. */
  readonly exactTriggers: number;
  readonly emittedTriggers: number;
  /** Integral of need over windows, replica-minutes. */
  readonly neededReplicaMinutes: number;
  /** Integral of the scheduled replicas (triggers, floored at minReplicas) over the horizon, replica-minutes. */
  readonly scheduledReplicaMinutes: number;
  /** Fraction of needed replica-minutes that the schedule covers (1 = every window covered). */
  readonly coverage: number;
  /** scheduledReplicaMinutes / neededReplicaMinutes over the horizon. */
  readonly excessRatio: number;
  /**
   * Replica-minutes the zone-loss headroom adds to the required schedule over the horizon (what static stability
   * costs before trigger merging); 0 without static stability.
   */
  readonly headroomReplicaMinutes: number;
  /**
   * With static stability: the fraction of needed replica-minutes inside windows that the scheduled replicas
   * still cover after losing the fullest zone (m scheduled leave m - ceil(m / zones)); 1 = every window survives
   * a zone loss. `null` without static stability.
   */
  readonly zoneLossCoverage: number | null;
  /**
   * Which form the triggers take: date-specific UTC (`M H D Mon *`), weekly in the windows' zone
   * (`M H * * DOW`), or mixed (weekly for the recurring base, dated for the rest; compile/forms.ts).
   */
  readonly form: "dated" | "weekly" | "mixed";
}

export interface CompileResult {
  readonly schedule: CompiledSchedule;
  /** What the schedule must provide: need with lead and tail applied (and lead lengthened where ramp-up needs it). */
  readonly required: readonly Segment[];
  /**
   * The zone-loss headroom inside `required`: required minus the requirement without it (0 outside windows).
   * Empty without static stability.
   */
  readonly headroom: readonly Segment[];
  /** What the emitted triggers provide: max over active triggers, floored at minReplicas. */
  readonly scheduled: readonly Segment[];
  readonly stats: CompileStats;
  /** Every scheduled window's lead, in window order. */
  readonly leads: readonly WindowLead[];
  /**
   * With a forecast (`series.forecast`): the level the forecast alone requires (requested one ramp ahead, within the
   * bounds), so that `required` minus it is the calendar's part. @default - none
   */
  readonly forecastRequired?: readonly Segment[];
  /** With `CompileOptions.preProvision`: the placeholders and the comparison without them. @default - none */
  readonly preProvision?: PreProvisionResult;
  /** Human-readable warnings (a window whose need exceeds maxReplicas, with the shortfall). */
  readonly warnings: readonly string[];
}
