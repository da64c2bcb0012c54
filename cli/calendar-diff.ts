/**
 * `npm run calendar -- --diff <previous capacity-plan.json>`: what a calendar change does to capacity, before it is
 * applied. Compares two capacity plans (the one last applied and the one just compiled): the windows added,
 * removed or moved inside both horizons (and how many the horizon's move let out and in), then per region and
 * service the peak, the scheduled replica-minutes and the cron triggers that change. Pure, except reading the file.
 */
import { existsSync, readFileSync } from "fs";
import type { CapacityPlan, PlanOccurrence, ServicePlan } from "../components/calendar";
import { CAPACITY_PLAN_VERSION } from "../components/calendar";
import { InputError } from "../components/core";

/** The diff as printed, and whether anything changed (the exit code says so). */
export interface CapacityDiff {
  readonly changed: boolean;
  readonly text: string;
}

/** Reads a capacity plan; one `InputError` naming `--diff` when it is missing, not JSON or another format. */
export function readCapacityPlan(path: string, named: string, source: string): CapacityPlan {
  const fail = (rule: string): never => {
    throw new InputError(source, [{ path: "--diff", value: named, rule }]);
  };
  if (!existsSync(path)) fail("must name an existing capacity-plan.json (it does not exist)");
  let plan: unknown;
  try {
    plan = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    fail("must be a capacity-plan.json (it is not JSON)");
  }
  const version = (plan as { version?: unknown } | null)?.version;
  if (version !== CAPACITY_PLAN_VERSION)
    fail(
      `must be a capacity plan of format ${CAPACITY_PLAN_VERSION} (its version is ${JSON.stringify(version)})`,
    );
  return plan as CapacityPlan;
}

type Window = PlanOccurrence & { readonly region: string };

const windowKey = (w: Window) => [w.region, w.event, w.start, w.end, w.kind, w.learners].join("\u0000");
const triggerKey = (t: ServicePlan["triggers"][number]) => `${t.start}|${t.end}|${t.desiredReplicas}`;
const shortInstant = (iso: string) => iso.replace(/:00Z$/, "Z");
const span = (w: PlanOccurrence) => `${shortInstant(w.start)}–${shortInstant(w.end)}`;
const signed = (n: number) =>
  `${n > 0 ? "+" : n < 0 ? "−" : "±"}${Math.abs(Math.round(n)).toLocaleString("en-US")}`;

/** Every window of a plan, once per region (a window feeds several services), by start. */
function windowsOf(plan: CapacityPlan): Window[] {
  const byKey = new Map<string, Window>();
  for (const [region, services] of Object.entries(plan.regions))
    for (const s of Object.values(services))
      for (const o of s.occurrences) byKey.set(windowKey({ ...o, region }), { ...o, region });
  return [...byKey.values()].sort((a, b) => a.start.localeCompare(b.start) || a.event.localeCompare(b.event));
}

/** The window lines (`+`, `-`, `~`) and the counts of windows the horizon's move let out and in. */
function windowChanges(previous: CapacityPlan, current: CapacityPlan) {
  const from = Math.max(Date.parse(previous.horizon.from), Date.parse(current.horizon.from));
  const to = Math.min(Date.parse(previous.horizon.to), Date.parse(current.horizon.to));
  const shared = (w: Window) => Date.parse(w.end) > from && Date.parse(w.start) < to;
  const before = windowsOf(previous);
  const after = windowsOf(current);
  const kept = new Set(before.map(windowKey));
  const still = new Set(after.map(windowKey));
  const gone = before.filter((w) => !still.has(windowKey(w)));
  const added = after.filter((w) => !kept.has(windowKey(w)));
  const left = gone.filter((w) => !shared(w)).length;
  const entered = added.filter((w) => !shared(w)).length;
  const removed = gone.filter(shared);
  const lines: string[] = [];
  let moved = 0;
  // An event with an occurrence gone and one added inside both horizons moved (paired in start order).
  const pending = added.filter(shared);
  for (const old of removed) {
    const i = pending.findIndex((w) => w.region === old.region && w.event === old.event);
    if (i < 0) {
      lines.push(`    − ${old.region}  ${old.kind}  ${old.event}  ${span(old)}  ${old.learners} learners`);
      continue;
    }
    const [now] = pending.splice(i, 1) as [Window];
    moved += 1;
    const learners = now.learners === old.learners ? "" : `, ${old.learners} → ${now.learners} learners`;
    lines.push(`    ~ ${now.region}  ${now.kind}  ${now.event}  ${span(old)} → ${span(now)}${learners}`);
  }
  for (const w of pending)
    lines.push(`    + ${w.region}  ${w.kind}  ${w.event}  ${span(w)}  ${w.learners} learners`);
  const counts = { added: pending.length, removed: removed.length - moved, moved, left, entered };
  return { lines, counts };
}

/** One row per region and service whose peak, replica-minutes or triggers change. */
function serviceRows(previous: CapacityPlan, current: CapacityPlan): string[][] {
  const keys = new Set<string>();
  for (const plan of [previous, current])
    for (const [region, services] of Object.entries(plan.regions))
      for (const service of Object.keys(services)) keys.add(`${region}\u0000${service}`);
  const rows: string[][] = [];
  for (const key of [...keys].sort()) {
    const [region, service] = key.split("\u0000") as [string, string];
    const a = previous.regions[region]?.[service];
    const b = current.regions[region]?.[service];
    const before = new Set((a?.triggers ?? []).map(triggerKey));
    const after = new Set((b?.triggers ?? []).map(triggerKey));
    const plus = [...after].filter((t) => !before.has(t)).length;
    const minus = [...before].filter((t) => !after.has(t)).length;
    const minutesA = a?.stats.scheduledReplicaMinutes ?? 0;
    const minutesB = b?.stats.scheduledReplicaMinutes ?? 0;
    const peakA = a?.peakScheduled ?? 0;
    const peakB = b?.peakScheduled ?? 0;
    if (plus === 0 && minus === 0 && peakA === peakB && minutesA === minutesB) continue;
    const share =
      minutesA > 0
        ? ` (${minutesB >= minutesA ? "+" : "−"}${Math.abs(((minutesB - minutesA) / minutesA) * 100).toFixed(1)}%)`
        : "";
    rows.push([
      region,
      service,
      peakA === peakB ? String(peakB) : `${peakA} → ${peakB}`,
      minutesA === minutesB ? "±0" : `${signed(minutesB - minutesA)}${share}`,
      plus === 0 && minus === 0 ? "same" : `+${plus} −${minus}`,
    ]);
  }
  return rows;
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `  ${r.map((c, i) => c.padEnd(widths[i]!)).join("  ")}`.trimEnd());
}

/** The diff of `current` against `previous` (`named` says where the previous plan came from). */
export function capacityDiff(previous: CapacityPlan, current: CapacityPlan, named: string): CapacityDiff {
  const { lines: windowLines, counts } = windowChanges(previous, current);
  const rows = serviceRows(previous, current);
  const scaledObjects = current.summary.scaledObjects;
  const horizonMoved =
    previous.horizon.from !== current.horizon.from || previous.horizon.to !== current.horizon.to;
  const changed = windowLines.length > 0 || rows.length > 0 || counts.left + counts.entered > 0;
  const header = `Capacity diff against ${named}: horizon ${current.horizon.from} → ${current.horizon.to}`;
  if (!changed)
    return {
      changed,
      text: `${header}${horizonMoved ? ` (was ${previous.horizon.from} → ${previous.horizon.to})` : ""}\nNo capacity change: ${scaledObjects} ScaledObjects, the same windows and triggers.\n`,
    };
  const out = [
    `${header}${horizonMoved ? ` (was ${previous.horizon.from} → ${previous.horizon.to})` : ""}`,
    `  windows: ${counts.added} added, ${counts.removed} removed, ${counts.moved} moved; ` +
      `${counts.left} left the horizon, ${counts.entered} entered it`,
    ...windowLines,
  ];
  if (rows.length > 0)
    out.push("", ...table([["region", "service", "peak", "replica-minutes", "triggers"], ...rows]));
  out.push(`${rows.length} of ${scaledObjects} ScaledObjects change.`);
  return { changed, text: `${out.join("\n")}\n` };
}
