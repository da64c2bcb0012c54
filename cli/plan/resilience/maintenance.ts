/**
 * The data tier's windows as recorded, against each region's critical spans: every Aurora cluster's maintenance
 * and backup windows and every ElastiCache replication group's maintenance and snapshot windows must be set (AWS
 * otherwise picks one at random) and meet no critical span of the horizon, each checked from the text the resource
 * received (`windowConflicts`), not from what the chooser meant. A window the platform already warned about (pinned
 * by the stack, or no clear slot of its length) is reported as that warning, not again. Strimzi's
 * `maintenanceTimeWindows` must be the region's Redis maintenance window in cron form.
 */
import { criticalSpans, windowConflicts, type RegionMaintenance } from "../../../components/platform";
import { strimziMaintenanceTimeWindows, type DataWindowKey } from "../../../components/data";
import { iso } from "../../../components/chaos";
import type { BusyInterval, CalendarSchedule } from "../../../components/calendar";
import type { Plan } from "../run";

/** A broken window (the resilience report's finding shape). */
export interface MaintenanceFinding {
  readonly region: string;
  readonly subject: string;
  readonly message: string;
}

/** Which input of which resource type carries which window. */
const RECORDED: readonly { readonly type: string; readonly input: string; readonly key: DataWindowKey }[] = [
  { type: "aws:rds/cluster:Cluster", input: "preferredMaintenanceWindow", key: "postgres.maintenanceWindow" },
  { type: "aws:rds/cluster:Cluster", input: "preferredBackupWindow", key: "postgres.backupWindow" },
  {
    type: "aws:elasticache/replicationGroup:ReplicationGroup",
    input: "maintenanceWindow",
    key: "redis.maintenanceWindow",
  },
  {
    type: "aws:elasticache/replicationGroup:ReplicationGroup",
    input: "snapshotWindow",
    key: "redis.snapshotWindow",
  },
];

export type MaintenanceInput = Pick<Plan, "config" | "resources" | "objects"> & {
  readonly platform: {
    readonly calendar?: { readonly schedule: CalendarSchedule } | undefined;
    readonly maintenance?: Readonly<Record<string, RegionMaintenance>>;
  };
};

/** Every broken window as a finding, and how many recorded windows were checked. */
export function maintenanceFindings(plan: MaintenanceInput): {
  findings: MaintenanceFinding[];
  windows: number;
} {
  const findings: MaintenanceFinding[] = [];
  const schedule = plan.platform.calendar?.schedule;
  // Computed on the first recorded window: a partial plan (the resilience check's own tests) may have none.
  let spans: BusyInterval[] | undefined;
  const spansIn = (region: string, of: CalendarSchedule) =>
    (spans ??= criticalSpans(of, plan.config.services)).filter((s) => s.region === region);
  let windows = 0;
  for (const { type, input, key } of RECORDED) {
    for (const r of plan.resources.filter((x) => x.type === type)) {
      const region = r.region ?? "(no region)";
      const subject = `${type.split(":").pop()} ${r.name}`;
      const window = (r.inputs as Record<string, unknown>)[input];
      windows++;
      if (typeof window !== "string") {
        findings.push({ region, subject, message: `no ${input}: AWS would pick one at random` });
        continue;
      }
      if (schedule === undefined) continue;
      const chosen = plan.platform.maintenance?.[region]?.windows[key];
      if (chosen !== undefined && chosen.window === window && !chosen.clean) continue; // warned by the platform
      for (const c of windowConflicts(key, window, spansIn(region, schedule), schedule.horizon))
        findings.push({
          region,
          subject,
          message: `${input} "${window}" meets critical spans ${iso(c.start)}..${iso(c.end)}: ${[...new Set(c.spans.flatMap((s) => s.occurrences))].join(", ")}`,
        });
    }
  }
  for (const { region, object } of plan.objects) {
    const o = object as {
      kind?: string;
      apiVersion?: string;
      metadata?: { name?: string };
      spec?: { maintenanceTimeWindows?: string[] };
    };
    if (o.kind !== "Kafka" || !String(o.apiVersion).startsWith("kafka.strimzi.io/")) continue;
    const redis = plan.resources.find((x) => x.type === RECORDED[2]!.type && x.region === region)?.inputs as
      { maintenanceWindow?: string } | undefined;
    const expected = strimziMaintenanceTimeWindows(redis?.maintenanceWindow ?? "");
    windows++;
    if (JSON.stringify(o.spec?.maintenanceTimeWindows ?? []) !== JSON.stringify(expected))
      findings.push({
        region,
        subject: `Kafka ${o.metadata?.name}`,
        message: `maintenanceTimeWindows ${JSON.stringify(o.spec?.maintenanceTimeWindows ?? [])}, expected the Redis maintenance window ${JSON.stringify(redis?.maintenanceWindow)} as ${JSON.stringify(expected)}`,
      });
  }
  return { findings, windows };
}
