/**
 * A compiled schedule's triggers as KEDA cron triggers (`kubernetes/keda` `KedaCronTrigger`): `type` cron, a
 * `name`, and `metadata` as strings (so `desiredReplicas` is a string). The ScaledObject that carries them is built
 * by `kubernetes/keda` alone.
 */
import type { KedaCronTrigger } from "../../kubernetes";
import type { CompiledSchedule } from "../types";
import { validateCronPair } from "./cron-spec";
import { throwIfProblems, type Problem } from "../../core";

/**
 * The schedule's triggers as KEDA `cron` trigger objects.
 * @throws one `InputError` (source `toKedaTriggers <region>/<service>`) listing every trigger KEDA would reject
 * or misread (duplicate or empty names, desiredReplicas not an integer >= 1 — KEDA rejects 0 —, empty timezone,
 * unsafe spec pairs).
 */
export function toKedaTriggers(schedule: CompiledSchedule): KedaCronTrigger[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  schedule.triggers.forEach((t, i) => {
    const path = `triggers[${i}]`;
    if (t.name === "" || seen.has(t.name))
      problems.push({ path: `${path}.name`, value: t.name, rule: "names must be non-empty and unique" });
    seen.add(t.name);
    if (!Number.isInteger(t.desiredReplicas) || t.desiredReplicas < 1) {
      problems.push({
        path: `${path}.desiredReplicas`,
        value: t.desiredReplicas,
        rule: "must be an integer >= 1",
      });
    }
    if (t.timezone === "")
      problems.push({ path: `${path}.timezone`, value: "", rule: "must be an IANA zone such as Etc/UTC" });
    for (const rule of validateCronPair(t.start, t.end))
      problems.push({ path, value: { start: t.start, end: t.end }, rule });
  });
  throwIfProblems(`toKedaTriggers ${schedule.region}/${schedule.service}`, problems);
  return schedule.triggers.map((t) => ({
    type: "cron",
    name: t.name,
    metadata: {
      timezone: t.timezone,
      start: t.start,
      end: t.end,
      desiredReplicas: String(t.desiredReplicas),
    },
  }));
}
