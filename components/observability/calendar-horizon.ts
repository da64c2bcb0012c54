/**
 * The alert that makes a missed calendar refresh visible. The stack compiles its calendar at each `pulumi up` (or
 * targeted refresh) over a horizon of `semester:calendar.horizonDays`; past its end the date-specific cron triggers
 * are inactive until the same dates next year, so the calendar adds no capacity (the floor and the reactive
 * triggers remain). The rule embeds the horizon end compiled at the last refresh: every refresh moves it forward,
 * and without one it fires `warningDays` (ticket) and then `criticalDays` (page) before the end. Pure.
 *
 * Relied on: PromQL `time()` is the evaluation timestamp in seconds and `vector(s)` turns a scalar into a one-element
 * vector without labels, so `vector(time()) > N` has a sample exactly when the rule is evaluated after N
 * (prometheus.io/docs/prometheus/latest/querying/functions/); AMP evaluates rule files with the same engine.
 */
import { DAY_MS, SECOND_MS } from "../core";
import type { AlertingRule, RuleGroup, Severity } from "./types";

/** @internal Where the rule lives: its group, the AMP rule file suffix and the in-cluster PrometheusRule's name. */
export const CALENDAR_HORIZON_RULES = {
  group: "calendar-horizon",
  fileSuffix: "calendar-horizon",
  objectName: "semester-calendar-horizon",
  alert: "CalendarHorizonEnding",
} as const;

/** What the rule needs to know: the compiled horizon and how early to warn. */
export interface CalendarHorizonAlert {
  /** The horizon end the last refresh compiled, epoch ms. */
  readonly horizonEnd: number;
  /** Days before the end a `ticket` alert fires (`semester:calendar.horizonAlert.warningDays`). */
  readonly warningDays: number;
  /** Days before the end a `page` alert fires (`semester:calendar.horizonAlert.criticalDays`). */
  readonly criticalDays: number;
  /** The region whose store evaluates it (label `region`). */
  readonly region: string;
}

/** One rule group with the warning and the critical alert, in that order. */
export function calendarHorizonRuleGroup(input: CalendarHorizonAlert): RuleGroup {
  return {
    name: CALENDAR_HORIZON_RULES.group,
    interval: "1m",
    rules: [
      horizonAlert(input, input.warningDays, "ticket"),
      horizonAlert(input, input.criticalDays, "page"),
    ],
  };
}

function horizonAlert(input: CalendarHorizonAlert, daysBefore: number, severity: Severity): AlertingRule {
  const threshold = Math.floor((input.horizonEnd - daysBefore * DAY_MS) / SECOND_MS);
  const end = new Date(input.horizonEnd).toISOString().replace(".000Z", "Z");
  return {
    alert: CALENDAR_HORIZON_RULES.alert,
    expr: `vector(time()) > ${threshold}`,
    labels: { severity, region: input.region, days_before: String(daysBefore) },
    annotations: {
      summary: `Calendar capacity ends ${end} in ${input.region}: no refresh has moved the horizon`,
      description:
        `After ${end} the calendar adds no capacity in ${input.region} (its date-specific cron triggers stay ` +
        "inactive until next year; the floor and the reactive triggers remain). Run the calendar-refresh " +
        "workflow, or `pulumi up`, and check why the scheduled refresh failed.",
    },
  };
}
