/**
 * What the plan proves about resilience, from the recorded resources and objects (not from what the program meant):
 * - every region's cluster and public ALB have zonal autoshift ENABLED with 1 to 10 outcome alarms, and no recorded
 *   practice-run configuration lets a run meet an exam of the calendar (an allowed window that meets one, an exam
 *   date missing from `blockedDates`), each finding naming the exam;
 * - every pod template's `priorityClassName` is its `tier` label's PriorityClass (a Job may set none: priority 0), and the PriorityClasses preempt in
 *   tier order (critical > standard > batch, batch never preempts, all below the system classes).
 * - every critical span of a region lies in an active zero budget of each of the region's NodePools
 *   (`disruption-coverage.ts`);
 * - every Aurora and ElastiCache window is set and meets no critical span the platform did not warn about, and
 *   Strimzi's maintenance time windows follow Redis's (`maintenance.ts`);
 * A finding is mandatory (the plan exits non-zero); a warning is printed (exam dates past ARC's 15 blocked dates).
 */
import { busyIntervals } from "../../../components/calendar";
import { TIER_DEFAULTS, TIERS, type Tier } from "../../../components/kubernetes";
import {
  AUTOSHIFT_TARGETS,
  PRACTICE_RUN_LIMITS,
  examBlockedDates,
  practiceRunConflicts,
  utcDate,
} from "../../../components/resilience";
import type { Plan } from "../run";
import { criticalSpans } from "../../../components/platform";
import { disruptionCoverage, type RecordedNodePool } from "./disruption-coverage";
import { maintenanceFindings, type MaintenanceInput } from "./maintenance";

export interface ResilienceFinding {
  readonly region: string;
  readonly subject: string;
  readonly message: string;
}

export interface ResilienceReport {
  readonly findings: readonly ResilienceFinding[];
  readonly warnings: readonly string[];
  readonly proven: {
    readonly autoshiftConfigurations: number;
    readonly podTemplates: number;
    readonly resourceQuotas: number;
    /** (critical span, NodePool) pairs inside an active zero disruption budget. */
    readonly protectedSpans: number;
    /** Recorded maintenance and backup windows checked against the critical spans. */
    readonly maintenanceWindows: number;
  };
}

type Input = Pick<Plan, "config" | "resources" | "objects"> & {
  readonly platform: {
    readonly calendar?: { readonly schedule: Parameters<typeof busyIntervals>[0] } | undefined;
    readonly maintenance?: MaintenanceInput["platform"]["maintenance"];
  };
};

const AUTOSHIFT_TYPE = "aws:arczonalshift/zonalAutoshiftConfiguration:ZonalAutoshiftConfiguration";
/** The lowest system PriorityClass (`system-cluster-critical`); user classes must stay below 1e9 anyway. */
const SYSTEM_PRIORITY = 1_000_000_000;
const POD_TEMPLATE_KINDS = new Set([
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "Job",
  "ReplicaSet",
  "Rollout",
]);

export function analyseResilience(plan: Input): ResilienceReport {
  const findings: ResilienceFinding[] = [];
  const warnings: string[] = [];
  const { autoshift } = plan.config.resilience;
  const schedule = plan.platform.calendar?.schedule;
  const configs = plan.resources.filter((r) => r.type === AUTOSHIFT_TYPE);

  for (const r of configs) {
    const region = r.region ?? "(no region)";
    const inputs = r.inputs as {
      zonalAutoshiftStatus?: string;
      outcomeAlarms?: unknown[];
      allowedWindows?: string[];
      blockedDates?: string[];
    };
    const subject = `ZonalAutoshiftConfiguration ${r.name}`;
    if (inputs.zonalAutoshiftStatus !== "ENABLED")
      findings.push({
        region,
        subject,
        message: `status ${String(inputs.zonalAutoshiftStatus)}, expected ENABLED`,
      });
    const alarms = inputs.outcomeAlarms?.length ?? 0;
    if (alarms < 1 || alarms > PRACTICE_RUN_LIMITS.maxOutcomeAlarms)
      findings.push({
        region,
        subject,
        message: `${alarms} outcome alarms: ARC takes 1 to ${PRACTICE_RUN_LIMITS.maxOutcomeAlarms}`,
      });
    if (schedule === undefined) continue;
    const exams = busyIntervals(schedule, { kinds: autoshift.examKinds }).filter((b) => b.region === region);
    for (const conflict of practiceRunConflicts(inputs, exams, schedule.horizon))
      findings.push({ region, subject, message: conflict });
  }
  if (autoshift.enabled && plan.config.services !== undefined) {
    const hasPublic = Object.values(plan.config.services).some((s) => s.publicHost !== undefined);
    for (const region of hasPublic ? plan.config.regions.map((r) => r.region) : []) {
      for (const target of Object.values(AUTOSHIFT_TARGETS)) {
        if (!configs.some((c) => c.region === region && c.name.endsWith(`-autoshift-${target}`)))
          findings.push({
            region,
            subject: `autoshift ${target}`,
            message: "no ZonalAutoshiftConfiguration recorded",
          });
      }
      if (schedule !== undefined) {
        const exams = busyIntervals(schedule, { kinds: autoshift.examKinds }).filter(
          (b) => b.region === region,
        );
        const blocked = examBlockedDates(exams, schedule.horizon);
        if (blocked.omitted.length > 0)
          warnings.push(
            `${region}: exam dates ${blocked.omitted.join(", ")} are past ARC's ${PRACTICE_RUN_LIMITS.maxBlockedDates} blocked dates; blocked dates protect until ${utcDate(blocked.protectedUntil!)}, the allowed windows after that`,
          );
      }
    }
  }

  let podTemplates = 0;
  let resourceQuotas = 0;
  const tiers = new Set<string>(Object.values(TIERS));
  for (const { region, object } of plan.objects) {
    const o = object as {
      kind?: string;
      metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
      spec?: {
        template?: { metadata?: { labels?: Record<string, string> }; spec?: { priorityClassName?: string } };
      };
      value?: number;
      preemptionPolicy?: string;
    };
    const subject = `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata?.name}`;
    if (o.kind === "ResourceQuota") resourceQuotas++;
    if (o.kind !== undefined && POD_TEMPLATE_KINDS.has(o.kind) && o.spec?.template !== undefined) {
      const tier = o.spec.template.metadata?.labels?.tier ?? o.metadata?.labels?.tier;
      if (tier === undefined || !tiers.has(tier)) continue;
      podTemplates++;
      const expected = TIER_DEFAULTS[tier as Tier].priorityClassName;
      const actual = o.spec.template.spec?.priorityClassName;
      // A one-shot Job may run before the region's PriorityClasses exist (the database-role bootstrap does): without
      // a class it has priority 0, below batch, which keeps the preemption order.
      if (actual === undefined && o.kind === "Job") continue;
      if (actual !== expected)
        findings.push({
          region,
          subject,
          message: `tier ${tier} pods run as priorityClassName ${String(actual)}, expected ${expected}`,
        });
    }
    if (o.kind === "PriorityClass") {
      const tier = Object.values(TIERS).find((t) => TIER_DEFAULTS[t].priorityClassName === o.metadata?.name);
      if (tier === undefined) continue;
      const value = o.value ?? 0;
      if (value >= SYSTEM_PRIORITY)
        findings.push({
          region,
          subject,
          message: `value ${value} is not below the system classes (${SYSTEM_PRIORITY})`,
        });
      if ((tier === "batch") !== (o.preemptionPolicy === "Never"))
        findings.push({
          region,
          subject,
          message: `preemptionPolicy ${String(o.preemptionPolicy)}: only batch must be Never`,
        });
    }
  }
  findings.push(...priorityOrderFindings(plan.objects));
  const disruption = disruptionCoverage(
    schedule === undefined || plan.config.services === undefined
      ? []
      : criticalSpans(schedule, plan.config.services),
    recordedNodePools(plan.objects),
  );
  findings.push(...disruption.findings);
  warnings.push(...disruption.warnings);
  const maintenance = maintenanceFindings(plan);
  findings.push(...maintenance.findings);
  return {
    findings,
    warnings,
    proven: {
      autoshiftConfigurations: configs.length,
      podTemplates,
      resourceQuotas,
      protectedSpans: disruption.covered,
      maintenanceWindows: maintenance.windows,
    },
  };
}

/** The Karpenter NodePools of every region, as recorded. */
function recordedNodePools(objects: Input["objects"]): RecordedNodePool[] {
  return objects.flatMap(({ region, object }) => {
    const o = object as {
      kind?: string;
      metadata?: { name?: string };
      spec?: {
        disruption?: { budgets?: RecordedNodePool["budgets"] };
        template?: { spec?: { expireAfter?: string } };
      };
    };
    if (o.kind !== "NodePool") return [];
    const expireAfter = o.spec?.template?.spec?.expireAfter;
    return [
      {
        region,
        name: String(o.metadata?.name),
        budgets: o.spec?.disruption?.budgets ?? [],
        ...(expireAfter !== undefined ? { expireAfter } : {}),
      },
    ];
  });
}

/** The tiers' PriorityClasses of each region strictly decrease critical > standard > batch. */
function priorityOrderFindings(objects: Input["objects"]): ResilienceFinding[] {
  const out: ResilienceFinding[] = [];
  const order: Tier[] = ["critical", "standard", "batch"];
  for (const region of [...new Set(objects.map((o) => o.region))].sort()) {
    const value = (t: Tier) =>
      (
        objects.find(
          (o) =>
            o.region === region &&
            (o.object as { kind?: string }).kind === "PriorityClass" &&
            (o.object as { metadata?: { name?: string } }).metadata?.name ===
              TIER_DEFAULTS[t].priorityClassName,
        )?.object as { value?: number } | undefined
      )?.value;
    for (let i = 0; i + 1 < order.length; i++) {
      const hi = value(order[i]!);
      const lo = value(order[i + 1]!);
      if (hi !== undefined && lo !== undefined && !(hi > lo))
        out.push({
          region,
          subject: `PriorityClass ${TIER_DEFAULTS[order[i]!].priorityClassName}`,
          message: `value ${hi} must be above ${order[i + 1]}'s ${lo}`,
        });
    }
  }
  return out;
}
