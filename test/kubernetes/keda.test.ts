/** The one ScaledObject construct: what it emits for given inputs, and every input it refuses. */
import { Chart, Testing } from "cdk8s";
import {
  DEFAULT_BEHAVIOR,
  ServiceScaledObject,
  type KedaCronTrigger,
  type ServiceScaledObjectProps,
} from "../../components/kubernetes/keda";

const cron = (name: string, desiredReplicas: string): KedaCronTrigger => ({
  type: "cron",
  name,
  metadata: { timezone: "Etc/UTC", start: "0 8 19 10 *", end: "0 9 19 10 *", desiredReplicas },
});

function synth(props: Partial<ServiceScaledObjectProps> = {}): any[] {
  const chart = new Chart(Testing.app(), "c");
  new ServiceScaledObject(chart, "so", {
    service: "api",
    namespace: "learning",
    region: "eu-west-2",
    minReplicas: 2,
    maxReplicas: 10,
    ...props,
  });
  return Testing.synth(chart);
}

describe("ServiceScaledObject", () => {
  it("emits the service's bounds, its triggers then the contributions', the default behavior and a fallback", () => {
    const [so] = synth({
      triggers: [
        { type: "prometheus", name: "rps", metadata: { query: "q", threshold: "5", serverAddress: "s" } },
      ],
      contributions: [{ source: "calendar", triggers: [cron("cal-001", "10")] }],
      fallbackReplicas: 2,
      labels: { team: "t" },
    });
    expect(so).toEqual({
      apiVersion: "keda.sh/v1alpha1",
      kind: "ScaledObject",
      metadata: {
        name: "api",
        namespace: "learning",
        labels: { team: "t", "semester.dev/region": "eu-west-2", "semester.dev/service": "api" },
      },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" },
        minReplicaCount: 2,
        maxReplicaCount: 10,
        pollingInterval: 30,
        cooldownPeriod: 300,
        fallback: { failureThreshold: 3, replicas: 2, behavior: "currentReplicasIfHigher" },
        advanced: {
          restoreToOriginalReplicaCount: false,
          horizontalPodAutoscalerConfig: { name: "keda-hpa-api", behavior: DEFAULT_BEHAVIOR },
        },
        triggers: [
          {
            type: "prometheus",
            name: "rps",
            metricType: "AverageValue",
            metadata: { query: "q", threshold: "5", serverAddress: "s" },
          },
          { ...cron("cal-001", "10"), metricType: "AverageValue" },
        ],
      },
    });
  });

  it("documents one default behavior: +100% or +10 pods per 15 s with tolerance 0 up, -10% a minute after 300 s down with tolerance 0", () => {
    expect(DEFAULT_BEHAVIOR).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: "Max",
        policies: [
          { type: "Percent", value: 100, periodSeconds: 15 },
          { type: "Pods", value: 10, periodSeconds: 15 },
        ],
        tolerance: "0",
      },
      scaleDown: {
        stabilizationWindowSeconds: 300,
        selectPolicy: "Min",
        policies: [{ type: "Percent", value: 10, periodSeconds: 60 }],
        tolerance: "0",
      },
    });
  });

  it("refuses, all at once, bad bounds, a reused name, CPU with a fallback, levels outside 1..max and a bad behavior", () => {
    expect(() =>
      synth({
        minReplicas: 4,
        maxReplicas: 3,
        triggers: [{ type: "cpu", name: "cpu", metricType: "Utilization", metadata: { value: "70" } }],
        contributions: [{ source: "calendar", triggers: [cron("cpu", "4"), cron("cal-002", "0")] }],
        fallbackReplicas: 4,
        behavior: { scaleUp: { policies: [] } },
      }),
    ).toThrow(
      [
        "Invalid input in ScaledObject learning/api (eu-west-2) (6 problems):",
        "  - `maxReplicas`: got 3; must be an integer >= max(1, minReplicas 4)",
        '  - `triggers[0].type`: got "cpu"; must not be cpu or memory on a ScaledObject with a fallback (KEDA rejects it)',
        '  - `triggers[1].name`: got "cpu"; must be unique within the ScaledObject; triggers[0] (`cpu`) has it',
        '  - `calendar.triggers[0] (cpu).metadata.desiredReplicas`: got "4"; must be an integer in 1..3: the service\'s ' +
          "maxReplicas bound the ScaledObject and a contribution never widens them; fix: give calendar the service's " +
          "bounds (the calendar compiles against the stack's minReplicas/maxReplicas)",
        '  - `calendar.triggers[1] (cal-002).metadata.desiredReplicas`: got "0"; must be an integer in 1..3: the ' +
          "service's maxReplicas bound the ScaledObject and a contribution never widens them; fix: give calendar the " +
          "service's bounds (the calendar compiles against the stack's minReplicas/maxReplicas)",
        "  - `behavior.scaleUp.policies`: got []; must hold at least one Pods or Percent policy",
      ].join("\n"),
    );
  });
});
