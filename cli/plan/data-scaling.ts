/**
 * The data tier's calendar-scheduled counts as the plan reports them: `calendar/data-scaling.json` (per region and
 * store, the schedule's levels and actions, or why there is none) and the summary's lines.
 */
import { isoInstant } from "../../components/calendar";
import type { StoreScalingPlan } from "../../components/data";

const STORE_NAMES = { aurora: "Aurora readers", redis: "Redis replicas" } as const;

/** The document (written with sorted keys): one entry per region and store, in the tier's order. */
export function dataScalingReport(plans: readonly StoreScalingPlan[]): object {
  return {
    stores: plans.map((p) => ({
      region: p.region,
      store: p.store,
      unit: p.unit,
      shards: p.shards,
      staticCount: p.staticCount,
      ...(p.schedule !== undefined
        ? {
            peak: Math.max(...p.schedule.scheduled.map((s) => s.replicas)),
            scheduled: p.schedule.scheduled.map((s) => ({
              start: isoInstant(s.start),
              end: isoInstant(s.end),
              count: s.replicas,
            })),
            actions: p.schedule.actions.map((a) => ({ at: isoInstant(a.at), capacity: a.capacity })),
            capped: p.schedule.capped.map((c) => ({
              start: isoInstant(c.start),
              end: isoInstant(c.end),
              need: c.need,
            })),
          }
        : { skipped: p.skipped }),
    })),
  };
}

/** One line per region and store: its static count, peak and actions, or why it is not scheduled. */
export function dataScalingLines(plans: readonly StoreScalingPlan[]): string[] {
  if (plans.length === 0) return [];
  return [
    "  scheduled scaling (Application Auto Scaling, ahead of the read services' windows):",
    ...plans.map((p) => {
      const what = `${p.region.padEnd(15)} ${STORE_NAMES[p.store].padEnd(15)}`;
      if (p.schedule === undefined) return `    ${what} not scheduled: ${p.skipped}`;
      const peak = Math.max(...p.schedule.scheduled.map((s) => s.replicas));
      const capped = p.schedule.capped.length > 0 ? `, capped ${p.schedule.capped.length}x` : "";
      return `    ${what} ${p.staticCount} → peak ${peak} ${p.unit} over ${p.shards} shard(s), ${p.schedule.actions.length} action(s)${capped}`;
    }),
  ];
}
