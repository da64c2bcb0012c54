/**
 * Static stability's half in the pod template: a statically stable service's zone constraint guarantees the split
 * the calendar's headroom assumes (maxSkew 1, DoNotSchedule, minDomains = the region's zones); other services keep
 * their tier's constraint without minDomains.
 */
import { Chart, Testing } from "cdk8s";
import { DEFAULT_SERVICES, type ServiceName } from "../../components/kubernetes/config";
import { LearningChart } from "../../components/kubernetes/learning-chart";
import { LearningService, staticZoneSpread } from "../../components/kubernetes/learning-service";
import { testPromqlTarget } from "../support/promql-endpoint";

type Obj = { kind: string; metadata: { name: string } } & Record<string, any>;

function zoneConstraint(objs: readonly Obj[], name: string): Record<string, unknown> {
  const d = objs.find((o) => o.kind === "Deployment" && o.metadata.name === name);
  if (d === undefined) throw new Error(`no Deployment ${name}`);
  return d.spec.template.spec.topologySpreadConstraints[0];
}

describe("zone spread of statically stable services", () => {
  const objs = Testing.synth(
    new LearningChart(Testing.app(), "eu", {
      region: "eu-west-2",
      environment: "prod",
      services: DEFAULT_SERVICES,
      kafkaBootstrapServers: "b-1.msk.example:9098",
      promql: testPromqlTarget("eu-west-2"),
      availabilityZones: 3,
    }),
  ) as Obj[];

  it("spreads every critical service with maxSkew 1, DoNotSchedule and minDomains 3 over the region's 3 zones", () => {
    for (const name of ["course-catalog", "assessment-engine", "enrollment"] as const) {
      expect(zoneConstraint(objs, name)).toEqual({
        maxSkew: 1,
        topologyKey: "topology.kubernetes.io/zone",
        whenUnsatisfiable: "DoNotSchedule",
        minDomains: 3,
        labelSelector: { matchLabels: { "app.kubernetes.io/name": name, "semester.dev/service": name } },
        matchLabelKeys: ["pod-template-hash"],
      });
    }
  });

  it("leaves services without static stability at their tier's spread, without minDomains", () => {
    for (const name of ["learner-profile", "analytics", "ai-tutor"] as const) {
      const c = zoneConstraint(objs, name);
      expect(c.whenUnsatisfiable).toBe("ScheduleAnyway");
      expect(c).not.toHaveProperty("minDomains");
    }
  });

  it("follows the region's zone count and the per-service switch", () => {
    const chart = new Chart(Testing.app(), "c");
    const service = (name: ServiceName, staticStability: boolean) =>
      new LearningService(chart, name, {
        name,
        config: { ...DEFAULT_SERVICES[name], staticStability },
        region: "us-east-1",
        availabilityZones: 2,
      });
    service("course-catalog", true);
    service("learner-profile", true);
    service("assessment-engine", false);
    const two = Testing.synth(chart) as Obj[];
    expect(zoneConstraint(two, "course-catalog").minDomains).toBe(2);
    // A standard service made statically stable spreads with DoNotSchedule too.
    expect(zoneConstraint(two, "learner-profile")).toMatchObject({
      whenUnsatisfiable: "DoNotSchedule",
      minDomains: 2,
    });
    expect(zoneConstraint(two, "assessment-engine")).not.toHaveProperty("minDomains");
  });

  it("refuses a statically stable service spread with ScheduleAnyway or over fewer than 2 zones", () => {
    expect(() => staticZoneSpread("course-catalog", true, "ScheduleAnyway", 3)).toThrow(
      "Invalid input in LearningService course-catalog (1 problem):\n" +
        '  - `zoneSpread`: got "ScheduleAnyway"; must be DoNotSchedule for a statically stable service (minDomains requires it, and ScheduleAnyway cannot guarantee the zone split); ' +
        "fix: set `config.staticStability` to false, or leave the zone spread at DoNotSchedule over 2 or more zones",
    );
    expect(() => staticZoneSpread("course-catalog", true, "DoNotSchedule", 1)).toThrow(
      "`availabilityZones`: got 1; must be an integer >= 2 for a statically stable service",
    );
    expect(staticZoneSpread("analytics", false, "ScheduleAnyway", 1)).toEqual({
      whenUnsatisfiable: "ScheduleAnyway",
    });
  });
});
