/**
 * Strimzi's maintenance time windows from a weekly AWS-format window. `Kafka.spec.maintenanceTimeWindows` holds cron
 * expressions (Quartz syntax: second minute hour day-of-month month day-of-week, evaluated in UTC); the Cluster
 * Operator starts the rolling restarts it schedules itself (CA certificate renewal) only in a reconciliation whose
 * time one of them matches. So the window is the set of seconds the expressions match: one expression per day and
 * hour range, with partial first and last hours by minute.
 * Relied on: Strimzi's documentation "Maintenance time windows for rolling updates" (UTC, cron, the first
 * reconciliation inside a window starts the update, so a window must outlast the reconciliation interval, 120 s by
 * default) and the vendored CRD (`spec.maintenanceTimeWindows`: array of strings).
 */
import { weeklyWindow } from "../windows";

const QUARTZ_DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;

const range = (from: number, to: number) => (from === to ? `${from}` : `${from}-${to}`);

/** The cron expressions matching exactly the minutes of `window` (`ddd:hh24:mi-ddd:hh24:mi`, UTC); [] when malformed. */
export function strimziMaintenanceTimeWindows(window: string): string[] {
  const parsed = weeklyWindow(window);
  if (parsed === undefined) return [];
  const out: string[] = [];
  for (const [start, end] of parsed.intervals) {
    for (let day = Math.floor(start / 1440); day * 1440 < end; day++) {
      const a = Math.max(start, day * 1440) - day * 1440;
      const b = Math.min(end, (day + 1) * 1440) - day * 1440;
      const dow = QUARTZ_DAYS[day]!;
      const firstFull = Math.ceil(a / 60);
      const lastFull = Math.floor(b / 60) - 1;
      if (a % 60 !== 0) {
        const hour = Math.floor(a / 60);
        out.push(`* ${range(a % 60, Math.min(b, (hour + 1) * 60) - 1 - hour * 60)} ${hour} ? * ${dow}`);
      }
      if (firstFull <= lastFull) out.push(`* * ${range(firstFull, lastFull)} ? * ${dow}`);
      if (b % 60 !== 0 && Math.floor(b / 60) >= firstFull)
        out.push(`* ${range(0, (b % 60) - 1)} ${Math.floor(b / 60)} ? * ${dow}`);
    }
  }
  return out;
}
