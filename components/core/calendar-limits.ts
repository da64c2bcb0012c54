/**
 * Limits of the calendar module, shared by the stack schema, the compiler and `npm run calendar`.
 */
import { DAY_MS } from "./time";

/** The default number of cron triggers per ScaledObject (`semester:calendar.triggerBudget`). */
export const DEFAULT_TRIGGER_BUDGET = 40;
/** The most cron triggers per ScaledObject a stack may ask for: every trigger is a scaler KEDA polls. */
export const MAX_TRIGGER_BUDGET = 200;
/** A date-specific cron spec (`0 9 21 9 *`) fires again a year later, so a horizon must end before that. */
export const MAX_HORIZON_MS = 365 * DAY_MS;
/** The longest horizon in days (`semester:calendar.horizonDays`, `npm run calendar -- --days`). */
export const MAX_HORIZON_DAYS = Math.floor(MAX_HORIZON_MS / DAY_MS) - 1;
/** The default horizon in days. */
export const DEFAULT_HORIZON_DAYS = 28;
/**
 * Days before the horizon end the calendar's alerts fire by default (`semester:calendar.horizonAlert`): a week for
 * a ticket in working hours, a day for a page.
 */
export const DEFAULT_HORIZON_WARNING_DAYS = 7;
export const DEFAULT_HORIZON_CRITICAL_DAYS = 1;
/**
 * What a calendar window that needs more replicas than a service's stack `maxReplicas` is
 * (`semester:calendar.overCapacity`): a warning, with the schedule capped at the bound, or an error.
 */
export const OVER_CAPACITY_MODES = ["warn", "error"] as const;
export type OverCapacity = (typeof OVER_CAPACITY_MODES)[number];
