import { parseStackConfig } from "../../components/config/load";
import { readStackConfig } from "../../components/config/stack-file";
import { DEFAULT_EXPERIMENTS_INPUT, resolveSchedule } from "../../components/chaos";
import { fisRolePolicy, schedulerRolePolicy } from "../../components/chaos/fis-policy";
import { evaluate } from "../../cli/plan/wiring/iam";

const raw = (stack: string, extra: Record<string, unknown> = {}) => ({
  ...readStackConfig(process.cwd(), stack),
  ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [`semester:${k}`, JSON.stringify(v)])),
});
const parse = (stack: string, extra: Record<string, unknown> = {}) =>
  parseStackConfig(raw(stack, extra), `stacks/Pulumi.${stack}.yaml`);
const error = (stack: string, extra: Record<string, unknown>) => {
  try {
    parse(stack, extra);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected an InputError");
};

describe("semester:gameDays", () => {
  it("defaults to the catalogue, FIS templates everywhere, scheduling and Chaos Mesh in staging only", () => {
    const dev = parse("dev");
    expect(Object.keys(dev.gameDays.experiments).sort()).toEqual(
      Object.keys(DEFAULT_EXPERIMENTS_INPUT).sort(),
    );
    expect(dev.gameDays.experiments["catalog-pod-delete"]!.stopCondition).toBe("region-slo-burn-rate");
    expect(resolveSchedule(dev.gameDays, "dev")).toEqual({ enabled: false, chaosMesh: false });
    expect(resolveSchedule(parse("prod").gameDays, "prod")).toEqual({ enabled: false, chaosMesh: false });
    expect(resolveSchedule(parse("staging").gameDays, "staging")).toMatchObject({
      enabled: true,
      chaosMesh: true,
    });
  });

  it("merges a stack's override into a built-in key by key", () => {
    const c = parse("dev", {
      gameDays: { experiments: { "catalog-pod-delete": { target: { percent: 50 } } } },
    });
    expect(c.gameDays.experiments["catalog-pod-delete"]!.target).toEqual({
      service: "course-catalog",
      percent: 50,
    });
  });

  it("refuses an experiment without the SLO stop condition", () => {
    expect(
      error("dev", { gameDays: { experiments: { "catalog-pod-delete": { stopCondition: "none" } } } }),
    ).toContain(
      '`semester:gameDays.experiments.catalog-pod-delete.stopCondition`: got "none"; an experiment must stop on the region\'s SLO burn-rate alarm; the only allowed value is "region-slo-burn-rate"',
    );
  });

  it("refuses GameDays scheduled in prod unless allowed explicitly", () => {
    expect(error("prod", { gameDays: { schedule: { enabled: true } } })).toContain(
      "`semester:gameDays.schedule.enabled`: got true; GameDays are not scheduled in prod unless the stack says so; fix: set semester:gameDays.schedule.allowProduction to true, or leave schedule.enabled off",
    );
    expect(
      parse("prod", { gameDays: { schedule: { enabled: true, allowProduction: true } } }).gameDays.schedule
        .enabled,
    ).toBe(true);
  });

  it("refuses a latency fault on a dependency the service does not call", () => {
    expect(
      error("dev", {
        gameDays: { experiments: { "assessment-profile-latency": { fault: { to: "course-catalog" } } } },
      }),
    ).toContain(
      '`semester:gameDays.experiments.assessment-profile-latency.fault.to`: got "course-catalog"; assessment-engine does not call course-catalog',
    );
  });
});

describe("GameDay policies", () => {
  const scope = {
    partition: "aws",
    region: "eu-west-2",
    accountId: "123456789012",
    clusterName: "semester-staging-eu-west-2",
    clusterArn: "arn:aws:eks:eu-west-2:123456789012:cluster/semester-staging-eu-west-2",
    vpcId: "vpc-1",
    logGroupArn: "arn:aws:logs:eu-west-2:123456789012:log-group:/x",
    auroraClusterArns: [],
  };
  const experiments = Object.values(parse("staging").gameDays.experiments);
  const doc = [{ label: "fis", document: fisRolePolicy(experiments, scope) }];

  it("lets FIS terminate this cluster's Karpenter nodes only", () => {
    const req = (cluster: string) => ({
      action: "ec2:TerminateInstances",
      resource: "arn:aws:ec2:eu-west-2:123456789012:instance/i-1",
      context: {
        "aws:ResourceTag/eks:eks-cluster-name": cluster,
        "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "default",
      },
    });
    expect(evaluate(doc, req("semester-staging-eu-west-2")).decision).toBe("allow");
    expect(evaluate(doc, req("other")).decision).toBe("implicit-deny");
  });

  it("lets the scheduler start its templates and no other", () => {
    const at = { partition: "aws", region: "eu-west-2", accountId: "123456789012" };
    const p = [
      {
        label: "s",
        document: schedulerRolePolicy(["arn:aws:fis:eu-west-2:123456789012:experiment-template/EXT1"], at),
      },
    ];
    const start = (resource: string) => evaluate(p, { action: "fis:StartExperiment", resource }).decision;
    expect(start("arn:aws:fis:eu-west-2:123456789012:experiment-template/EXT1")).toBe("allow");
    expect(start("arn:aws:fis:eu-west-2:123456789012:experiment-template/EXT2")).toBe("implicit-deny");
  });
});
