import {
  RegionGameDays,
  chaosMeshExceptions,
  deniedAfterExceptions,
  fisPodUser,
  fisPolicyExceptions,
  withFisEphemeralContainer,
  type RegionGameDaysArgs,
} from "../../components/chaos";
import { kyvernoObjects } from "../../components/governance";
import { parseStackConfig } from "../../components/config/load";
import { readStackConfig } from "../../components/config/stack-file";
import { fakeCluster } from "../fixtures/data/cluster";
import { only, recordResources } from "../support/record";

const config = parseStackConfig(readStackConfig(process.cwd(), "staging"), "stacks/Pulumi.staging.yaml");
const args = (over: Partial<RegionGameDaysArgs> = {}): RegionGameDaysArgs => ({
  cluster: fakeCluster("eu-west-2"),
  environment: "staging",
  config: { ...config.gameDays, chaosMesh: { ...config.gameDays.chaosMesh, enabled: false } },
  services: config.services,
  stopConditionAlarmArn: "arn:aws:cloudwatch:eu-west-2:123456789012:alarm:slo-fast-burn",
  ...over,
});

describe("RegionGameDays", () => {
  it("compiles pod delete to a FIS template on the target's pods, stopped by the alarm, logging encrypted", async () => {
    const resources = await recordResources(() => new RegionGameDays("gd", args()));
    const t = only(resources, "aws:fis/experimentTemplate:ExperimentTemplate", "gd-catalog-pod-delete");
    expect(t.inputs.stopConditions).toEqual([
      {
        source: "aws:cloudwatch:alarm",
        value: "arn:aws:cloudwatch:eu-west-2:123456789012:alarm:slo-fast-burn",
      },
    ]);
    expect(t.inputs.targets).toEqual([
      {
        name: "pods",
        resourceType: "aws:eks:pod",
        selectionMode: "PERCENT(33)",
        parameters: {
          clusterIdentifier: "arn:aws:eks:eu-west-2:123456789012:cluster/semester-eu-west-2",
          namespace: "learning",
          selectorType: "labelSelector",
          selectorValue: "app.kubernetes.io/name=course-catalog",
        },
      },
    ]);
    expect((t.inputs.actions as { actionId: string }[]).map((a) => a.actionId)).toEqual([
      "aws:eks:pod-delete",
      "aws:fis:wait",
    ]);
    expect(only(resources, "aws:cloudwatch/logGroup:LogGroup").inputs.kmsKeyId).toEqual(
      expect.stringMatching(/^arn:/),
    );
    expect(only(resources, "aws:eks/accessEntry:AccessEntry").inputs).toMatchObject({
      type: "STANDARD",
      userName: "fis-experiment",
    });
    // No horizon given: nothing is scheduled.
    expect(resources.filter((r) => r.type === "aws:scheduler/schedule:Schedule")).toEqual([]);
  });

  it("refuses FIS experiments without a stop condition before anything exists", () => {
    expect(() => new RegionGameDays("gd", args({ stopConditionAlarmArn: undefined }))).toThrow(
      /`stopConditionAlarmArn`: got missing; every FIS experiment needs a stop condition; give the region's SLO burn-rate alarm \(assessment-profile-latency, az-power-interruption, catalog-pod-delete, node-termination would run without one\)/,
    );
  });

  it("refuses GameDays targeting prod when prod is not enabled", () => {
    expect(
      () =>
        new RegionGameDays(
          "gd",
          args({
            environment: "prod",
            config: { ...config.gameDays, schedule: { ...config.gameDays.schedule, enabled: true } },
          }),
        ),
    ).toThrow(
      /`gameDays.schedule.enabled`: got true; GameDays are not scheduled in prod unless the stack says so/,
    );
  });

  it("refuses a practice-run window it cannot read", () => {
    expect(() => new RegionGameDays("gd", args({ practiceRunWindows: ["Mon 9-11"] }))).toThrow(
      /`practiceRunWindows\[0\]`: got "Mon 9-11"; expected Day:HH:MM-Day:HH:MM \(UTC\)/,
    );
  });
});

describe("governance exceptions, evaluated offline as Kyverno applies them", () => {
  const policyNames = kyvernoObjects(config.governance).map((p) =>
    String((p.metadata as { name: string }).name),
  );
  const exceptions = [...fisPolicyExceptions(policyNames, ["learning"]), ...chaosMeshExceptions(policyNames)];
  const target = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: "assessment-engine-0",
      namespace: "learning",
      labels: { team: "assessment", tier: "critical" },
    },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      containers: [{ name: "app", image: "public.ecr.aws/semester/assessment-engine:2.1.0" }],
    },
  };
  const request = (username: string, subResource = "ephemeralcontainers") => ({
    username,
    operation: "UPDATE" as const,
    subResource,
    namespace: "learning",
  });
  const pod = withFisEphemeralContainer(target);

  it("admits FIS's root ephemeral container for FIS's service account only", () => {
    const denied = (u: string) => deniedAfterExceptions(pod, request(u), [], config.governance, policyNames);
    expect(denied("x").length).toBeGreaterThan(0); // without exceptions it is denied
    expect(
      deniedAfterExceptions(pod, request(fisPodUser("learning")), exceptions, config.governance, policyNames),
    ).toEqual([]);
    expect(
      deniedAfterExceptions(
        pod,
        request("system:serviceaccount:learning:default"),
        exceptions,
        config.governance,
        policyNames,
      ),
    ).toEqual(
      expect.arrayContaining([expect.stringMatching(/^require-run-as-non-root-ephemeral-containers: /)]),
    );
  });

  it("lifts pod-security rules for the chaos-daemon only, not for the rest of its namespace", () => {
    const daemon = (component: string) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "d", namespace: "chaos-mesh", labels: { "app.kubernetes.io/component": component } },
      spec: {
        hostPID: true,
        containers: [
          {
            name: "d",
            image: "ghcr.io/chaos-mesh/chaos-daemon:v2.8.3",
            securityContext: { privileged: true },
          },
        ],
      },
    });
    const create = {
      username: "system:serviceaccount:kube-system:helm",
      operation: "CREATE" as const,
      subResource: "",
      namespace: "chaos-mesh",
    };
    expect(
      deniedAfterExceptions(daemon("chaos-daemon"), create, exceptions, config.governance, policyNames),
    ).toEqual([]);
    expect(
      deniedAfterExceptions(daemon("controller-manager"), create, exceptions, config.governance, policyNames),
    ).toEqual(expect.arrayContaining([expect.stringMatching(/^disallow-privileged-containers: /)]));
  });
});
