/**
 * The GameDay rules, checked before anything exists (by the stack loader with stack paths, and by `RegionGameDays`
 * on its own arguments): no GameDay is scheduled in prod unless the stack says so explicitly, a latency fault hits
 * a dependency the service really calls, Chaos Mesh faults stay in the one namespace Chaos Mesh may act on, the
 * working hours are a real span that fits each experiment.
 */
import { DAY_MS, MINUTE_MS, type Environment, type Problem } from "../core";
import type { ServicesConfig } from "../kubernetes";
import { WEEKDAY_INDEX, engineOf, type GameDaysConfig } from "./config";
import { minutesOfDay, parseWeeklyWindow, type WeeklyWindow } from "./scheduling";

/** Where a stack's GameDays run, every default applied. */
export interface ResolvedSchedule {
  /** Whether runs are scheduled. */
  readonly enabled: boolean;
  /** Whether Chaos Mesh and its experiments are installed. */
  readonly chaosMesh: boolean;
  /** Working hours as offsets into the UTC day, ms. */
  readonly workingHours?: { readonly start: number; readonly end: number };
}

/** Scheduling and Chaos Mesh default to staging only. */
export function resolveSchedule(config: GameDaysConfig, environment: Environment): ResolvedSchedule {
  const hours = config.schedule.workingHours;
  return {
    enabled: config.schedule.enabled ?? environment === "staging",
    chaosMesh: config.chaosMesh.enabled ?? environment === "staging",
    ...(hours !== undefined
      ? {
          workingHours: {
            start: minutesOfDay(hours.start) * MINUTE_MS,
            end: minutesOfDay(hours.end) * MINUTE_MS,
          },
        }
      : {}),
  };
}

/** Every problem of a `semester:gameDays` section against the services and the environment. */
export function gameDayProblems(
  config: GameDaysConfig,
  services: ServicesConfig,
  environment: Environment,
  prefix: string,
): Problem[] {
  const problems: Problem[] = [];
  const resolved = resolveSchedule(config, environment);
  if (environment === "prod" && !config.schedule.allowProduction) {
    if (resolved.enabled)
      problems.push({
        path: `${prefix}.schedule.enabled`,
        value: true,
        rule: "GameDays are not scheduled in prod unless the stack says so",
        fix: `set ${prefix}.schedule.allowProduction to true, or leave schedule.enabled off`,
      });
    if (resolved.chaosMesh)
      problems.push({
        path: `${prefix}.chaosMesh.enabled`,
        value: true,
        rule: "Chaos Mesh (a privileged daemon on every node) is not installed in prod unless the stack says so",
        fix: `set ${prefix}.schedule.allowProduction to true, or leave chaosMesh.enabled off`,
      });
  }
  const work = resolved.workingHours;
  if (work !== undefined && work.end <= work.start)
    problems.push({
      path: `${prefix}.schedule.workingHours`,
      value: config.schedule.workingHours,
      rule: "must end after it starts (UTC, within one day)",
    });
  const dayLength = work !== undefined ? work.end - work.start : DAY_MS;
  for (const [name, e] of Object.entries(config.experiments)) {
    if (!e.enabled) continue;
    const at = `${prefix}.experiments.${name}`;
    const fault = e.fault;
    if (fault.kind === "network-latency" && !services[e.target.service].calls.includes(fault.to))
      problems.push({
        path: `${at}.fault.to`,
        value: fault.to,
        rule: `${e.target.service} does not call ${fault.to}; a latency fault must delay a dependency it calls (${services[e.target.service].calls.join(", ") || "none"})`,
      });
    if (
      engineOf(fault) === "chaos-mesh" &&
      resolved.chaosMesh &&
      services[e.target.service].namespace !== config.chaosMesh.targetNamespace
    )
      problems.push({
        path: `${at}.target.service`,
        value: e.target.service,
        rule: `Chaos Mesh acts on namespace ${config.chaosMesh.targetNamespace} only; ${e.target.service} runs in ${services[e.target.service].namespace}`,
        fix: `target a service of ${config.chaosMesh.targetNamespace}, or change ${prefix}.chaosMesh.targetNamespace`,
      });
    if (e.durationMinutes * MINUTE_MS > dayLength)
      problems.push({
        path: `${at}.durationMinutes`,
        value: e.durationMinutes,
        rule: "must fit within the working hours",
      });
  }
  return problems;
}

/** The practice-run windows parsed, with a problem for each that is not `Day:HH:MM-Day:HH:MM`. */
export function practiceRunWindows(
  texts: readonly string[],
  path: string,
): { windows: WeeklyWindow[]; problems: Problem[] } {
  const windows: WeeklyWindow[] = [];
  const problems: Problem[] = [];
  texts.forEach((text, i) => {
    const w = parseWeeklyWindow(text);
    if (w === undefined)
      problems.push({
        path: `${path}[${i}]`,
        value: text,
        rule: "expected Day:HH:MM-Day:HH:MM (UTC), e.g. Mon:09:00-Mon:11:00",
      });
    else windows.push(w);
  });
  return { windows, problems };
}

/**
 * The spans GameDays may run in over a horizon: every GameDay weekday, within the working hours (the whole day
 * without them), widened by the safety margin. Zonal-autoshift practice runs keep out of these, so the two never
 * compete for the same quiet hours (GameDays in turn keep out of every practice-run window). Empty when
 * scheduling is off.
 */
export function gameDayReservations(
  config: GameDaysConfig,
  environment: Environment,
  horizon: { readonly from: number; readonly to: number },
): { readonly start: number; readonly end: number }[] {
  const resolved = resolveSchedule(config, environment);
  if (!config.enabled || !resolved.enabled) return [];
  const work = resolved.workingHours ?? { start: 0, end: DAY_MS };
  const margin = config.schedule.safetyMarginMinutes * MINUTE_MS;
  const spans: { start: number; end: number }[] = [];
  const firstDay = Math.floor(horizon.from / DAY_MS) * DAY_MS;
  for (let d = firstDay; d < horizon.to; d += DAY_MS) {
    if (new Date(d).getUTCDay() !== WEEKDAY_INDEX[config.schedule.day]) continue;
    spans.push({ start: d + work.start - margin, end: d + work.end + margin });
  }
  return spans;
}
