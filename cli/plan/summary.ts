import type { Plan } from "./run";

/** A short human summary: resources per region and per type, and what was written. */
export function planSummary(plan: Plan, written: readonly string[], outDir: string): string {
  const custom = plan.resources.filter((r) => r.custom);
  const byRegion = new Map<string, number>();
  const byType = new Map<string, number>();
  for (const r of custom) {
    byRegion.set(r.region ?? "global", (byRegion.get(r.region ?? "global") ?? 0) + 1);
    byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
  }
  const lines = [
    `Plan for stack "${plan.stack}" (${plan.config.environment}): ${custom.length} resources in ${plan.config.regions.length} region(s), ${plan.objects.length} Kubernetes objects`,
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
    .slice(0, 12)) {
    lines.push(`    ${String(count).padStart(4)}  ${type}`);
  }
  lines.push("", `Wrote ${written.length} files to ${outDir}: ${written.join(", ")}`);
  return lines.join("\n");
}
