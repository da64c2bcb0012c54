import { DEFAULT_SERVICES } from "../../components/kubernetes";
import {
  DEFAULT_OBSERVABILITY,
  latencyPressureContributions,
  latencyPressureQuery,
  observabilitySchema,
} from "../../components/observability";
import { testPromqlTarget } from "../support/promql-endpoint";

const promql = testPromqlTarget("eu-west-2");

describe("the latency-pressure trigger", () => {
  it("asks for the service's available replicas scaled by its latency over the objective, capped", () => {
    expect(latencyPressureQuery("course-catalog", "learning", 0.99, 0.25, 1.5)).toBe(
      'ceil(sum(kube_deployment_status_replicas_available{namespace="learning",deployment="course-catalog"}) * ' +
        'clamp(histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_seconds_bucket{job="course-catalog"}[2m]))) / 0.25, 0, 1.5))',
    );
  });

  it("goes to every request-rate-scaled service with its own objective, and to no other", () => {
    const contributions = latencyPressureContributions(DEFAULT_SERVICES, DEFAULT_OBSERVABILITY, promql);
    expect(Object.keys(contributions).sort()).toEqual([
      "assessment-engine",
      "course-catalog",
      "learner-profile",
    ]);
    const [catalog] = contributions["course-catalog"]!;
    expect(catalog!.source).toBe("slo-latency");
    expect(catalog!.triggers).toEqual([
      {
        type: "prometheus",
        name: "latency-pressure",
        metricType: "AverageValue",
        metadata: {
          serverAddress: promql.serverAddress,
          query: latencyPressureQuery("course-catalog", "learning", 0.99, 0.25, 1.5),
          threshold: "1",
          awsRegion: "eu-west-2",
          ignoreNullValues: "true",
        },
        authenticationRef: { name: "semester-promql", kind: "TriggerAuthentication" },
      },
    ]);
    // learner-profile is standard: 99 % within 500 ms.
    expect(contributions["learner-profile"]![0]!.triggers[0]!.metadata.query).toBe(
      latencyPressureQuery("learner-profile", "learning", 0.99, 0.5, 1.5),
    );
  });

  it("follows a service's own objective and the configured factor", () => {
    const config = observabilitySchema.parse({
      slo: { services: { "course-catalog": { latencyMs: 500, latencyTarget: 0.95 } } },
      actionLoop: { latencyMaxFactor: 2 },
    });
    const [c] = latencyPressureContributions(DEFAULT_SERVICES, config, promql)["course-catalog"]!;
    expect(c!.triggers[0]!.metadata.query).toBe(
      latencyPressureQuery("course-catalog", "learning", 0.95, 0.5, 2),
    );
  });

  it("is off with latencyMaxFactor null or with metrics off", () => {
    const off = observabilitySchema.parse({ actionLoop: { latencyMaxFactor: null } });
    expect(latencyPressureContributions(DEFAULT_SERVICES, off, promql)).toEqual({});
    const noMetrics = observabilitySchema.parse({ metrics: { enabled: false } });
    expect(latencyPressureContributions(DEFAULT_SERVICES, noMetrics, promql)).toEqual({});
  });
});
