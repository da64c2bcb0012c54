import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { buildCapacityPlan, serializeCapacityPlan } from "../../components/calendar";
import { dataScalingReport } from "./data-scaling";
import { calendarTargets } from "./calendar-targets";
import type { Plan } from "./run";
import type { ObservabilityReport } from "./observability";
import type { WiringReport } from "./wiring";

/** Serializes with sorted keys so the files do not depend on the order a program set properties in. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) + "\n";
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * Kubernetes objects as the plan writes `k8s/<region>.yaml`: each document `---` then the object with sorted keys.
 * `npm run calendar` writes its ScaledObjects the same way, so the two files compare byte for byte.
 */
export function kubeYaml(objects: readonly object[]): string {
  return objects.map((o) => `---\n${stringify(sortKeys(o))}`).join("");
}

/** The files of a plan, by relative path. */
export function planFiles(plan: Plan): Map<string, string> {
  const files = new Map<string, string>();
  files.set(
    "resources.json",
    stableJson(
      plan.resources.map(({ type, name, parent, region, inputs }) => ({
        type,
        name,
        parent,
        region,
        inputs,
      })),
    ),
  );
  const regions = plan.config.regions.map((r) => r.region);
  for (const region of regions) {
    files.set(
      path.join("k8s", `${region}.yaml`),
      kubeYaml(plan.objects.filter((o) => o.region === region).map((o) => o.object)),
    );
  }
  const calendar = plan.platform.calendar?.schedule;
  if (calendar) {
    // The schedule's warnings are its series' own, which the plan already carries per series.
    const capacity = buildCapacityPlan({
      horizon: calendar.horizon,
      series: calendar.series,
      results: calendar.results,
    });
    files.set(path.join("calendar", "capacity-plan.json"), serializeCapacityPlan(capacity));
    files.set(
      path.join("calendar", "data-scaling.json"),
      stableJson(dataScalingReport(plan.platform.data.scaling)),
    );
    // What a calendar refresh passes to `pulumi up --target` (templates/github/calendar-refresh.yml).
    const targets = calendarTargets(plan.resources, plan.stack);
    files.set("calendar-targets.txt", targets.map((urn) => `${urn}\n`).join(""));
  }
  return files;
}

/** `wiring-report.json`: every finding (mandatory) and every proven path, sorted by region, subject and path. */
export function wiringReport(report: WiringReport): string {
  return stableJson({ findings: report.findings, proven: report.proven });
}

/**
 * `observability-report.json`: every finding (mandatory), the proven counts, every metric read with what produces
 * it, and the Helm values not checked (a subchart's).
 */
export function observabilityReport(report: ObservabilityReport): string {
  return stableJson({
    findings: report.findings,
    proven: report.proven,
    reads: report.reads,
    notChecked: report.notChecked,
  });
}

/**
 * Writes every file into a temporary directory, then swaps it in: a failed plan never leaves a
 * half-written output directory behind.
 */
export function writeFilesAtomically(outDir: string, files: Map<string, string>): void {
  const parent = path.dirname(path.resolve(outDir));
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(outDir)}-`));
  try {
    for (const [relative, content] of files) {
      const target = path.join(staging, relative);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content);
    }
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.renameSync(staging, outDir);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
