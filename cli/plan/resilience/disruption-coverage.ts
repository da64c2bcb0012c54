/**
 * Every critical span of a region lies inside an active zero budget of every NodePool of that region, as Karpenter
 * evaluates the recorded budgets (not as the program meant them): a budget is active at `t` when its UTC schedule
 * fired at some `h` with `h <= t < h + duration` (kubernetes-sigs/karpenter `Budget.IsActive`), and it stops every
 * voluntary disruption when it allows `nodes: "0"` with no `reasons` (or all of them). Expiry is not a budgeted
 * reason in Karpenter v1, so a pool whose nodes can expire is reported as a warning: the plan proves nothing there.
 */
import { parseCronSpec, type BusyInterval, type ParsedCronSpec } from "../../../components/calendar";
import { MINUTE_MS } from "../../../components/core";

/** The budget fields the check reads, as recorded. */
export interface RecordedBudget {
  readonly nodes?: string;
  readonly schedule?: string;
  readonly duration?: string;
  readonly reasons?: readonly string[];
}

/** One NodePool as recorded in a region. */
export interface RecordedNodePool {
  readonly region: string;
  readonly name: string;
  readonly budgets: readonly RecordedBudget[];
  readonly expireAfter?: string;
}

/** A span a pool leaves open (the resilience report's finding shape). */
export interface DisruptionFinding {
  readonly region: string;
  readonly subject: string;
  readonly message: string;
}

export interface DisruptionCoverage {
  readonly findings: DisruptionFinding[];
  readonly warnings: string[];
  /** (span, pool) pairs proven covered. */
  readonly covered: number;
}

const VOLUNTARY_REASONS = ["Empty", "Drifted", "Underutilized"] as const;

/** A zero budget for every voluntary reason: its active intervals' source, or undefined for any other budget. */
function zeroBudget(b: RecordedBudget): { spec: ParsedCronSpec | "always"; durationMs: number } | undefined {
  if (b.nodes !== "0" && b.nodes !== "0%") return undefined;
  if (b.reasons !== undefined && !VOLUNTARY_REASONS.every((r) => b.reasons!.includes(r))) return undefined;
  if (b.schedule === undefined) return { spec: "always", durationMs: Infinity };
  const spec = parseCronSpec(b.schedule);
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:0s)?$/.exec(b.duration ?? "");
  if (Array.isArray(spec) || m === null) return undefined;
  return { spec, durationMs: (Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * MINUTE_MS };
}

/** Whether a UTC minute matches a spec (robfig/cron: day-of-month and day-of-week OR unless either is `*`). */
function fires(s: ParsedCronSpec, t: number): boolean {
  const d = new Date(t);
  if (!s.minute.has(d.getUTCMinutes()) || !s.hour.has(d.getUTCHours()) || !s.month.has(d.getUTCMonth() + 1))
    return false;
  const dom = s.dom.has(d.getUTCDate());
  const dow = s.dow.has(d.getUTCDay());
  return s.domStar || s.dowStar ? dom && dow : dom || dow;
}

/** The first minute of [start, end) no zero budget covers, or undefined when all are covered. */
export function firstUncoveredMinute(
  budgets: readonly RecordedBudget[],
  start: number,
  end: number,
): number | undefined {
  const active: [number, number][] = [];
  for (const b of budgets) {
    const z = zeroBudget(b);
    if (z === undefined) continue;
    if (z.spec === "always") return undefined;
    const from = Math.floor((start - z.durationMs) / MINUTE_MS + 1) * MINUTE_MS;
    for (let h = from; h < end; h += MINUTE_MS) if (fires(z.spec, h)) active.push([h, h + z.durationMs]);
  }
  active.sort((a, b) => a[0] - b[0]);
  let cursor = Math.floor(start / MINUTE_MS) * MINUTE_MS;
  for (const [s, e] of active) {
    if (s > cursor) break;
    cursor = Math.max(cursor, e);
    if (cursor >= end) return undefined;
  }
  return cursor < end ? cursor : undefined;
}

/** Every region's critical spans against every NodePool recorded in that region. */
export function disruptionCoverage(
  spans: readonly BusyInterval[],
  pools: readonly RecordedNodePool[],
): DisruptionCoverage {
  const findings: DisruptionFinding[] = [];
  const warnings: string[] = [];
  let covered = 0;
  const iso = (t: number) => new Date(t).toISOString();
  for (const pool of pools) {
    const own = spans.filter((s) => s.region === pool.region);
    if (own.length === 0) continue;
    for (const span of own) {
      const miss = firstUncoveredMinute(pool.budgets, span.start, span.end);
      if (miss === undefined) {
        covered++;
        continue;
      }
      findings.push({
        region: pool.region,
        subject: `NodePool ${pool.name}`,
        message:
          `critical span ${iso(span.start)}–${iso(span.end)} (${span.occurrences.join(", ")}) is not covered ` +
          `from ${iso(miss)}: no budget of nodes "0" for every reason is active then`,
      });
    }
    // Karpenter's CRD defaults an absent expireAfter to 720h.
    const expiry = pool.expireAfter ?? "720h";
    if (expiry !== "Never")
      warnings.push(
        `${pool.region} NodePool ${pool.name}: expireAfter ${expiry} is forceful and ignores disruption ` +
          `budgets (Karpenter v1), so a node may expire during a critical span; "Never" leaves node refresh to drift, which the budgets govern`,
      );
  }
  return { findings, warnings, covered };
}
