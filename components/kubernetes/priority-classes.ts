/** One PriorityClass per availability tier, so critical services preempt batch work under pressure. */
import { Construct } from "constructs";
import { KubePriorityClass } from "cdk8s-plus-28/lib/imports/k8s";
import { TIERS } from "./config";
import { LABELS, TIER_DEFAULTS } from "./tiers";

/** @internal */
export interface PriorityClassesProps {
  /** Labels added to every PriorityClass. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

export class PriorityClasses extends Construct {
  constructor(scope: Construct, id: string, props: PriorityClassesProps = {}) {
    super(scope, id);
    for (const tier of Object.values(TIERS)) {
      const d = TIER_DEFAULTS[tier];
      new KubePriorityClass(this, tier, {
        metadata: {
          name: d.priorityClassName,
          labels: { ...props.labels, [LABELS.tier]: tier },
        },
        value: d.priority,
        globalDefault: false,
        // Batch work waits for room instead of evicting others.
        preemptionPolicy: tier === "batch" ? "Never" : "PreemptLowerPriority",
        description: `Semester ${tier} tier`,
      });
    }
  }
}
