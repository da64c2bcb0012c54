/**
 * Zonal autoshift of one region: the public ALB (created by the AWS Load Balancer Controller, so looked up by the
 * controller's tags once the Ingresses have a load balancer), its SLO alarms (`RegionSloAlarms`), and an ARC
 * `ZonalAutoshiftConfiguration` on the EKS cluster and on the ALB: ENABLED, the alarms as outcome alarms, practice
 * runs allowed only in weekly windows free of the calendar's busy spans, and every exam date blocked.
 *
 * Relied on upstream:
 * - The controller tags what it creates with `elbv2.k8s.aws/cluster` = the cluster name and, for an IngressGroup,
 *   `ingress.k8s.aws/stack` = the group name (aws-load-balancer-controller `pkg/deploy/tracking`, the same tags a
 *   public Terraform `data "aws_lb"` lookup of a controller ALB filters on).
 * - pulumi-kubernetes waits for an Ingress until `.status.loadBalancer.ingress` is set (provider `await` logic for
 *   `networking.k8s.io/v1/Ingress`), and a v1 ConfigGroup registers each object as its own resource, so an invoke
 *   that depends on the Ingress runs after the ALB exists.
 * - EKS supports zonal autoshift for clusters with zonal shift enabled (ARC developer guide, "Zonal shift for EKS");
 *   the ALB needs the `zonal_shift.config.enabled` load balancer attribute (set by the Ingress annotation).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { InputError, type Problem } from "../core";
import type { Objective } from "../observability";
import { RegionSloAlarms } from "./slo-alarms";
import { practiceRunConflicts, type PracticeRunSettings, type Span } from "./practice-windows";

/** Which of the region's resources get autoshift. */
export const AUTOSHIFT_TARGETS = { cluster: "cluster", alb: "alb" } as const;

export interface RegionResilienceArgs {
  readonly provider: aws.Provider;
  readonly region: string;
  readonly clusterName: pulumi.Input<string>;
  readonly partition: pulumi.Input<string>;
  readonly accountId: pulumi.Input<string>;
  /** Whether the cluster has zonal shift enabled (`semester:cluster.zonalShift`); autoshift requires it. */
  readonly clusterZonalShift: boolean;
  /** The IngressGroup of the public Ingresses (`semester-<region>`). */
  readonly ingressGroup: string;
  /** The public Ingresses' applied resources: the ALB lookup waits for them. Empty: no public ALB. */
  readonly publicIngresses: readonly pulumi.Input<pulumi.Resource>[];
  /** The objective the ALB alarms hold (strictest public one). */
  readonly objective: Objective;
  readonly windowDays: number;
  readonly minRequestsPerHour: number;
  /** The practice-run settings (computed from the calendar, or the stack's override). */
  readonly practiceRuns: Required<PracticeRunSettings>;
  /** The exam spans of the region over the horizon: a practice run meeting one is refused. */
  readonly exams: readonly Span[];
  readonly horizon: { readonly from: number; readonly to: number };
  readonly tags?: Readonly<Record<string, string>>;
}

/** The region's ALB alarms and zonal autoshift. */
export class RegionResilience extends pulumi.ComponentResource {
  public readonly alarms: RegionSloAlarms;
  public readonly loadBalancerArn: pulumi.Output<string>;
  public readonly outcomeAlarmArns: pulumi.Output<string>[];
  public readonly stopConditionAlarmArn: pulumi.Output<string>;
  /** The weekly windows practice runs may start in (`Day:HH:MM-Day:HH:MM`, UTC): what GameDays keep out of. */
  public readonly allowedWindows: readonly string[];
  public readonly autoshift: Readonly<
    Record<keyof typeof AUTOSHIFT_TARGETS, aws.arczonalshift.ZonalAutoshiftConfiguration>
  >;

  constructor(name: string, args: RegionResilienceArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems: Problem[] = [];
    if (!args.clusterZonalShift)
      problems.push({
        path: "clusterZonalShift",
        value: false,
        rule: "zonal autoshift needs the cluster's zonal shift enabled (semester:cluster.zonalShift)",
      });
    if (args.publicIngresses.length === 0)
      problems.push({
        path: "publicIngresses",
        value: [],
        rule: "the outcome alarms read the public ALB: at least one public service is needed",
      });
    for (const conflict of practiceRunConflicts(args.practiceRuns, args.exams, args.horizon))
      problems.push({
        path: "practiceRuns",
        value: args.practiceRuns,
        rule: `must keep practice runs out of exams: ${conflict}`,
      });
    if (problems.length > 0) throw new InputError(`RegionResilience ${name}`, problems);
    super("semester:resilience:RegionResilience", name, {}, opts);
    const child = { parent: this, provider: args.provider };

    const alb = aws.lb.getLoadBalancerOutput(
      { tags: { "elbv2.k8s.aws/cluster": args.clusterName, "ingress.k8s.aws/stack": args.ingressGroup } },
      { parent: this, provider: args.provider, dependsOn: [...args.publicIngresses] },
    );
    this.loadBalancerArn = alb.arn;
    this.alarms = new RegionSloAlarms(
      `${name}-alarms`,
      {
        provider: args.provider,
        loadBalancerArnSuffix: alb.arnSuffix,
        objective: args.objective,
        windowDays: args.windowDays,
        minRequestsPerHour: args.minRequestsPerHour,
        tags: args.tags,
      },
      { parent: this },
    );
    this.outcomeAlarmArns = this.alarms.outcomeAlarmArns;
    this.stopConditionAlarmArn = this.alarms.stopConditionAlarmArn;
    this.allowedWindows = args.practiceRuns.allowedWindows;

    const clusterArn = pulumi.interpolate`arn:${args.partition}:eks:${args.region}:${args.accountId}:cluster/${args.clusterName}`;
    const configure = (target: keyof typeof AUTOSHIFT_TARGETS, resourceArn: pulumi.Input<string>) =>
      new aws.arczonalshift.ZonalAutoshiftConfiguration(
        `${name}-autoshift-${target}`,
        {
          resourceArn,
          zonalAutoshiftStatus: "ENABLED",
          outcomeAlarms: this.outcomeAlarmArns.map((alarmIdentifier) => ({
            alarmIdentifier,
            type: "CLOUDWATCH",
          })),
          ...(args.practiceRuns.allowedWindows.length > 0
            ? { allowedWindows: [...args.practiceRuns.allowedWindows] }
            : {}),
          ...(args.practiceRuns.blockedDates.length > 0
            ? { blockedDates: [...args.practiceRuns.blockedDates] }
            : {}),
        },
        child,
      );
    this.autoshift = { cluster: configure("cluster", clusterArn), alb: configure("alb", alb.arn) };
    this.registerOutputs({
      stopConditionAlarmArn: this.stopConditionAlarmArn,
      loadBalancerArn: this.loadBalancerArn,
    });
  }
}
