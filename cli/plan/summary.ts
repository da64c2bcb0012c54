import { calendarTargets } from "./calendar-targets";
import type { PlanChecks } from "./check";
import { dataScalingLines } from "./data-scaling";
import type { Plan } from "./run";
import { findingMessage } from "./wiring";
import {
  buildCapacityPlan,
  forecastLine,
  preProvisionLine,
  preProvisionTotals,
} from "../../components/calendar";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** A short human summary: resources per region and type, data tier, calendar, policies, files. */
export function planSummary(
  plan: Plan,
  checks: PlanChecks,
  written: readonly string[],
  outDir: string,
): string {
  const custom = plan.resources.filter((r) => r.custom);
  const byRegion = new Map<string, number>();
  const byType = new Map<string, number>();
  for (const r of custom) {
    byRegion.set(r.region ?? "global", (byRegion.get(r.region ?? "global") ?? 0) + 1);
    byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
  }
  const lines = [
    `Plan for stack "${plan.stack}" (${plan.config.environment}): ${custom.length} resources in ${plan.config.regions.length} region(s), ${plan.objects.length} Kubernetes objects (all valid against upstream schemas)`,
    "",
    "  region            resources  k8s objects",
  ];
  for (const [region, count] of [...byRegion].sort()) {
    const objects = plan.objects.filter((o) => o.region === region).length;
    lines.push(`  ${region.padEnd(16)}  ${String(count).padStart(9)}  ${String(objects).padStart(11)}`);
  }
  lines.push("", "  top resource types:");
  for (const [type, count] of [...byType]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 10)) {
    lines.push(`    ${String(count).padStart(4)}  ${type}`);
  }
  lines.push(
    "",
    "Data tier:",
    ...plan.platform.data.reshardSummary.split("\n").map((l) => `  ${l}`),
    ...dataScalingLines(plan.platform.data.scaling),
  );
  lines.push(...maintenanceSummary(plan));
  const calendar = plan.platform.calendar?.schedule;
  if (calendar) {
    const results = calendar.results;
    const triggers = results.map((r) => r.schedule.triggers.length);
    const needed = results.reduce((sum, r) => sum + r.stats.neededReplicaMinutes, 0);
    const scheduled = results.reduce((sum, r) => sum + r.stats.scheduledReplicaMinutes, 0);
    const coverage = Math.min(...results.map((r) => r.stats.coverage));
    lines.push(
      "",
      `Calendar: ${calendar.windows.length} windows from ${new Date(calendar.horizon.from).toISOString()} for ${Math.round((calendar.horizon.to - calendar.horizon.from) / 86_400_000)} days; ` +
        `${triggers.reduce((a, b) => a + b, 0)} cron triggers over ${results.length} ScaledObjects (max ${Math.max(...triggers)}, budget ${calendar.budget}); ` +
        `coverage ${pct(coverage)}, excess ${needed > 0 ? (scheduled / needed).toFixed(2) : "n/a"}x`,
      ...staticStabilityLine(calendar.series, results),
      `  refresh targets: ${calendarTargets(plan.resources, plan.stack).length} calendar-owned resources (calendar-targets.txt)`,
      ...preProvisionLines(results),
      ...forecastLines(calendar),
      ...calendar.warnings.map((w) => `  warning: ${w}`),
    );
  }
  const { policy } = checks;
  lines.push(
    "",
    `Policies: ${policy.mandatoryViolations} mandatory violation(s), ${policy.findings.length - policy.mandatoryViolations} advisory finding(s)`,
    ...policy.findings
      .filter((f) => f.level === "mandatory")
      .slice(0, 20)
      .map((f) => `  ✗ ${f.rule} ${f.resource}${f.region ? ` (${f.region})` : ""}: ${f.message}`),
  );
  lines.push("", ...wiringSummary(checks));
  lines.push("", ...observabilitySummary(checks));
  const { resilience } = checks;
  lines.push(
    "",
    `Resilience: ${resilience.proven.autoshiftConfigurations} zonal autoshift configurations, ${resilience.proven.podTemplates} pod templates' priorities, ${resilience.proven.resourceQuotas} ResourceQuotas, ${resilience.proven.protectedSpans} critical span × NodePool pairs without voluntary disruption, ${resilience.proven.maintenanceWindows} maintenance windows; ${resilience.findings.length} finding(s)`,
    ...resilience.findings.slice(0, 20).map((f) => `  ✗ ${f.region} ${f.subject}: ${f.message}`),
    ...resilience.warnings.map((w) => `  warning: ${w}`),
  );
  lines.push("", `Wrote ${written.length} files to ${outDir}: ${written.join(", ")}`);
  return lines.join("\n");
}

/** Paths proven per region and kind, then every broken link. */
function wiringSummary(checks: PlanChecks): string[] {
  const { proven, findings } = checks.wiring;
  const regions = [...new Set([...proven, ...findings].map((p) => p.region))].sort();
  const count = (xs: readonly { region: string; kind: string }[], region: string, kind: string) =>
    xs.filter((x) => x.region === region && x.kind === kind).length;
  const lines = [
    `Wiring: ${proven.length} paths proven, ${findings.length} broken link(s)`,
    "  region            identity   network   dependency",
  ];
  for (const region of regions) {
    const cells = (["identity", "network", "dependency"] as const).map((kind) => {
      const broken = count(findings, region, kind);
      return `${count(proven, region, kind)}${broken > 0 ? ` ✗${broken}` : ""}`;
    });
    lines.push(
      `  ${region.padEnd(16)}  ${cells[0]!.padStart(8)}  ${cells[1]!.padStart(8)}  ${cells[2]!.padStart(11)}`,
    );
  }
  lines.push(...findings.slice(0, 20).map((f) => `  ✗ ${findingMessage(f)}`));
  if (findings.length > 20) lines.push(`  ... and ${findings.length - 20} more in wiring-report.json`);
  return lines;
}

/** What the observability checks proved, then every finding. */
function observabilitySummary(checks: PlanChecks): string[] {
  const { proven, findings, notChecked } = checks.observability;
  const lines = [
    `Observability: ${proven.parsed}/${proven.expressions} PromQL expressions parse, ${proven.metricReads} metric reads produced; ` +
      `${proven.helmReleases} Helm releases, ${proven.helmValuePaths} value paths read by their charts, ${proven.helmSchemas} against values.schema.json` +
      `${notChecked.length > 0 ? ` (${notChecked.length} subchart value(s) not checked)` : ""}; ${findings.length} finding(s)`,
  ];
  lines.push(...findings.slice(0, 20).map((f) => `  ✗ ${f.message}`));
  if (findings.length > 20) lines.push(`  ... and ${findings.length - 20} more in observability-report.json`);
  return lines;
}

/** How the required replica-minutes split between the learned forecast and the calendar, with a learned profile. */
function forecastLines(calendar: Parameters<typeof buildCapacityPlan>[0]): string[] {
  const totals = buildCapacityPlan(calendar).summary.forecast;
  return totals === null ? [] : [`  ${forecastLine(totals)}`];
}

/** What pre-provisioning changes, when any service has it. */
function preProvisionLines(results: Parameters<typeof preProvisionTotals>[0]): string[] {
  const totals = preProvisionTotals(results);
  return totals === undefined ? [] : [`  ${preProvisionLine(totals)}`];
}

/** The statically stable services, their worst zone-loss coverage in windows and what their headroom costs. */
function staticStabilityLine(
  series: readonly { readonly service: string; readonly zones?: number }[],
  results: readonly { readonly stats: { headroomReplicaMinutes: number; zoneLossCoverage: number | null } }[],
): string[] {
  const stable = results.filter((_, i) => series[i]?.zones !== undefined);
  if (stable.length === 0) return [];
  const services = [...new Set(series.filter((s) => s.zones !== undefined).map((s) => s.service))].sort();
  const worst = Math.min(...stable.map((r) => r.stats.zoneLossCoverage ?? 1));
  const extra = stable.reduce((sum, r) => sum + r.stats.headroomReplicaMinutes, 0);
  return [
    `  static stability (${services.join(", ")}): zone-loss coverage in windows ${(Math.floor(worst * 1000) / 10).toFixed(1)}%, headroom +${Math.round(extra).toLocaleString("en-US")} replica-minutes`,
  ];
}

/** Each region's windows (UTC), how each came about, then every warning about them. */
function maintenanceSummary(plan: Plan): string[] {
  const regions = Object.entries(plan.platform.maintenance);
  if (regions.length === 0) return [];
  const how = plan.platform.calendar
    ? "at the lowest planned load clear of critical spans"
    : "the static defaults (calendar off)";
  const lines = [
    `  Maintenance windows, UTC (${how}; * pinned by the stack):`,
    "    region            Aurora maintenance    backup        ElastiCache maintenance  snapshot",
  ];
  for (const [region, m] of regions) {
    const w = (key: keyof typeof m.windows) => `${m.windows[key].window}${m.windows[key].pinned ? "*" : ""}`;
    lines.push(
      `    ${region.padEnd(16)}  ${w("postgres.maintenanceWindow").padEnd(20)}  ${w("postgres.backupWindow").padEnd(12)}  ${w("redis.maintenanceWindow").padEnd(23)}  ${w("redis.snapshotWindow")}`,
    );
  }
  lines.push(...regions.flatMap(([, m]) => m.warnings.map((warning) => `  warning: ${warning}`)));
  return lines;
}
