/**
 * One PriorityClass per availability tier, so critical services preempt batch work under pressure, and the node
 * placeholders' class below them all (calendar pre-provisioning): negative, so even a pod without a class (0)
 * preempts them, and never preempting anything itself.
 */
import { Construct } from "constructs";
import { KubePriorityClass } from "cdk8s-plus-28/lib/imports/k8s";
import { TIERS } from "./config";
import { PLACEHOLDER_POD } from "../core";
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
    new KubePriorityClass(this, "placeholder", {
      metadata: {
        name: PLACEHOLDER_POD.priorityClassName,
        labels: { ...props.labels, [LABELS.tier]: PLACEHOLDER_POD.roleValue },
      },
      value: PLACEHOLDER_POD.priority,
      globalDefault: false,
      preemptionPolicy: "Never",
      description: "Semester node placeholders: every pod preempts them",
    });
  }
}
