/** GameDay guardrails: a FIS experiment must always be stoppable by an alarm. */
import type { GovernanceConfig } from "../../components/governance";
import { asList, get, resourcePolicy, type SemesterPolicy } from "./common";

export const FIS_EXPERIMENT_TEMPLATE = "aws:fis/experimentTemplate:ExperimentTemplate";

export function chaosPolicies(config: GovernanceConfig): SemesterPolicy[] {
  return [
    resourcePolicy(config, {
      name: "fis-stop-condition",
      description: "FIS experiment templates must stop on a CloudWatch alarm (never `none`).",
      severity: "critical",
      types: [FIS_EXPERIMENT_TEMPLATE],
      check: (props, _args, report) => {
        const stops = asList(props.stopConditions);
        const alarms = stops.filter(
          (s) => get(s, "source") === "aws:cloudwatch:alarm" && get(s, "value") !== undefined,
        );
        if (stops.length === 0 || alarms.length !== stops.length) {
          report(
            'the experiment can run without a stop condition; set stopConditions to [{source: "aws:cloudwatch:alarm", value: <the region\'s SLO burn-rate alarm ARN>}].',
          );
        }
      },
    }),
  ];
}
