import fc from "fast-check";
import { Testing } from "cdk8s";
import { DEFAULT_SERVICES, SERVICE_NAMES, servicesSchema } from "../../components/kubernetes/config";
import { LearningChart, type LearningChartProps } from "../../components/kubernetes/learning-chart";
import {
  DEFAULT_DELIVERY,
  deliverySchema,
  deliveryStrategy,
  analysisThresholds,
  rolloutsControllerValues,
  type DeliveryConfig,
} from "../../components/kubernetes/delivery";
import { DEFAULT_BEHAVIOR } from "../../components/kubernetes/keda";
import { DEFAULT_OBJECTIVES } from "../../components/observability/config";
import {
  evaluateRule,
  kubernetesRules,
  governanceConfigSchema,
  kyvernoObjects,
} from "../../components/governance";
import { testPromqlTarget } from "../support/promql-endpoint";
import { simulateRolloutHpa } from "./hpa-rollout-sim";

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } } & Record<
  string,
  any
>;

const objectives = Object.fromEntries(
  SERVICE_NAMES.map((s) => [s, DEFAULT_OBJECTIVES[DEFAULT_SERVICES[s].tier]]),
) as NonNullable<LearningChartProps["delivery"]>["objectives"];

function synth(delivery: Partial<DeliveryConfig> = {}, mesh = true, withDelivery = true): Obj[] {
  const chart = new LearningChart(Testing.app(), "eu", {
    region: "eu-west-2",
    environment: "prod",
    services: DEFAULT_SERVICES,
    kafkaBootstrapServers: "b-1.msk.example:9098",
    promql: testPromqlTarget("eu-west-2"),
    ...(withDelivery ? { delivery: { config: deliverySchema.parse(delivery), mesh, objectives } } : {}),
  });
  return Testing.synth(chart) as Obj[];
}
const find = (objs: Obj[], kind: string, name: string) => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  if (o === undefined) throw new Error(`no ${kind} ${name}`);
  return o;
};

describe("Rollouts in place of Deployments", () => {
  const withDelivery = synth();
  const without = synth({}, true, false);

  it("renders every service as a Rollout named after it, with no Deployment left", () => {
    expect(withDelivery.filter((o) => o.kind === "Deployment")).toEqual([]);
    expect(
      withDelivery
        .filter((o) => o.kind === "Rollout")
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual([...SERVICE_NAMES].sort());
  });

  it("keeps the Deployment's pod template field for field, except the ReplicaSet hash label the spread keys on", () => {
    for (const name of SERVICE_NAMES) {
      const rollout = find(withDelivery, "Rollout", name);
      const deployment = find(without, "Deployment", name);
      const template = JSON.parse(
        JSON.stringify(deployment.spec.template).replaceAll(
          '"pod-template-hash"',
          '"rollouts-pod-template-hash"',
        ),
      );
      expect(rollout.spec.template).toEqual(template);
      expect(rollout.apiVersion).toBe("argoproj.io/v1alpha1");
      for (const k of ["replicas", "selector", "minReadySeconds", "progressDeadlineSeconds"])
        expect(rollout.spec[k]).toEqual(deployment.spec[k]);
      expect(rollout.spec.progressDeadlineAbort).toBe(true);
    }
  });

  it("canaries through the mesh by default: stable/canary Services, route primary, analysis steps", () => {
    const r = find(withDelivery, "Rollout", "enrollment");
    expect(r.spec.strategy.canary).toEqual({
      stableService: "enrollment",
      canaryService: "enrollment-canary",
      trafficRouting: { istio: { virtualService: { name: "enrollment", routes: ["primary"] } } },
      dynamicStableScale: false,
      scaleDownDelaySeconds: 60,
      abortScaleDownDelaySeconds: 60,
      steps: [
        { setWeight: 10 },
        { pause: { duration: "2m" } },
        { analysis: expect.objectContaining({ templates: [{ templateName: "enrollment-slo" }] }) },
        { setWeight: 25 },
        { analysis: expect.anything() },
        { setWeight: 50 },
        { analysis: expect.anything() },
      ],
    });
    expect(r.spec.strategy.canary.steps[2].analysis.args).toEqual([
      { name: "canary-hash", valueFrom: { podTemplateHashValue: "Latest" } },
    ]);
    const canary = find(withDelivery, "Service", "enrollment-canary");
    expect(canary.spec.selector).toEqual(find(withDelivery, "Service", "enrollment").spec.selector);
  });

  it("without the mesh canaries by pod ratio: no stable/canary Service, no traffic routing, no delay fields Argo refuses there", () => {
    const objs = synth({}, false);
    const r = find(objs, "Rollout", "enrollment");
    expect(r.spec.strategy.canary).toEqual({ maxSurge: "25%", maxUnavailable: 0, steps: expect.any(Array) });
    expect(objs.some((o) => o.metadata.name === "enrollment-canary")).toBe(false);
  });

  it("goes blue-green where a tier asks, with pre- and post-promotion analysis and the previous active kept through the latter", () => {
    const objs = synth({ tiers: { critical: "blueGreen" } });
    const r = find(objs, "Rollout", "enrollment");
    expect(r.spec.strategy.blueGreen).toEqual({
      activeService: "enrollment",
      previewService: "enrollment-preview",
      autoPromotionEnabled: true,
      prePromotionAnalysis: expect.objectContaining({ templates: [{ templateName: "enrollment-slo" }] }),
      postPromotionAnalysis: expect.objectContaining({ templates: [{ templateName: "enrollment-slo" }] }),
      scaleDownDelaySeconds: 60 + 5 * 60,
      abortScaleDownDelaySeconds: 60,
    });
    expect(find(objs, "Service", "enrollment-preview").spec.ports).toEqual(
      find(objs, "Service", "enrollment").spec.ports,
    );
  });

  it("lets a service override its tier's strategy", () => {
    const input = {
      services: DEFAULT_SERVICES,
      delivery: deliverySchema.parse({
        tiers: { critical: "blueGreen" },
        services: { enrollment: "canary" },
      }),
    };
    expect(deliveryStrategy("enrollment", input).kind).toBe("canary");
    expect(deliveryStrategy("assessment-engine", input)).toEqual({
      kind: "blueGreen",
      secondService: "assessment-engine-preview",
      peakPodsFactor: 2,
    });
    expect(deliveryStrategy("enrollment", { ...input, mesh: { enabled: true } }).peakPodsFactor).toBe(2);
    expect(deliveryStrategy("enrollment", input).peakPodsFactor).toBe(1.25);
  });

  it("points KEDA at the Rollout", () => {
    const so = find(withDelivery, "ScaledObject", "enrollment");
    expect(so.spec.scaleTargetRef).toEqual({
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Rollout",
      name: "enrollment",
    });
    expect(find(without, "ScaledObject", "enrollment").spec.scaleTargetRef.kind).toBe("Deployment");
  });

  it("refuses delivery without a PromQL endpoint to analyse on", () => {
    expect(
      () =>
        new LearningChart(Testing.app(), "eu", {
          region: "eu-west-2",
          environment: "prod",
          services: DEFAULT_SERVICES,
          kafkaBootstrapServers: "b-1.msk.example:9098",
          delivery: { config: DEFAULT_DELIVERY, mesh: true, objectives },
        }),
    ).toThrow(/promql.*required with delivery: every Rollout step is gated by an analysis/s);
  });
});

describe("the SLO analysis", () => {
  const t = find(synth(), "AnalysisTemplate", "enrollment-slo");

  it("reads only the pods under test, signed with SigV4, and is inconclusive below the minimum request count", () => {
    const [errors, latency] = t.spec.metrics;
    expect(errors.provider.prometheus.query).toBe(
      '((sum(rate(http_server_request_duration_seconds_count{job="enrollment",rollouts_pod_template_hash="{{args.canary-hash}}",http_response_status_code=~"5.."}[2m])) or vector(0)) / ' +
        'sum(rate(http_server_request_duration_seconds_count{job="enrollment",rollouts_pod_template_hash="{{args.canary-hash}}"}[2m]))) and on() ' +
        '(sum(increase(http_server_request_duration_seconds_count{job="enrollment",rollouts_pod_template_hash="{{args.canary-hash}}"}[2m])) >= 100)',
    );
    expect(latency.provider.prometheus.query).toContain('le="0.25"');
    expect(errors.provider.prometheus.authentication).toEqual({ sigv4: { region: "eu-west-2" } });
    expect(errors.successCondition).toBe("len(result) > 0 && result[0] <= 0.005");
    expect(errors.failureCondition).toBe("len(result) > 0 && result[0] > 0.005");
    expect(latency.failureCondition).toBe("len(result) > 0 && result[0] < 0.9");
    expect({
      ...errors,
      provider: undefined,
      successCondition: undefined,
      failureCondition: undefined,
      name: undefined,
    }).toEqual({
      interval: "1m",
      count: 5,
      failureLimit: 1,
      inconclusiveLimit: 2,
      consecutiveErrorLimit: 3,
    });
  });

  it("derives thresholds from the objective and the burn-rate factor, within [0, 1]", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 0.99999, noNaN: true }),
        fc.double({ min: 0.5, max: 0.99999, noNaN: true }),
        fc.double({ min: 1, max: 100, noNaN: true }),
        (availability, latencyTarget, burn) => {
          const r = analysisThresholds({ availability, latencyMs: 250, latencyTarget }, burn);
          return (
            r.maxErrorRatio >= 0 &&
            r.maxErrorRatio <= 1 &&
            r.minFastRatio >= 0 &&
            r.minFastRatio <= 1 &&
            r.maxErrorRatio >= Math.min(1, 1 - availability) - 1e-9
          );
        },
      ),
    );
  });
});

describe("the Argo Rollouts controller", () => {
  it("runs two replicas with a PDB, its own service account, and RBAC for the Istio provider only", () => {
    const v = rolloutsControllerValues() as any;
    expect(v.controller).toEqual({
      replicas: 2,
      pdb: { enabled: true, maxUnavailable: 1 },
      priorityClassName: "system-cluster-critical",
    });
    expect(v.serviceAccount).toEqual({ create: true, name: "argo-rollouts" });
    expect(
      Object.entries(v.providerRBAC.providers)
        .filter(([, on]) => on)
        .map(([p]) => p),
    ).toEqual(["istio"]);
  });
});

describe("governance over Rollouts", () => {
  const config = governanceConfigSchema.parse({});
  const rules = kubernetesRules(config);
  const rule = (name: string) => rules.find((r) => r.name === name)!;
  const rollout = find(synth(), "Rollout", "enrollment");
  const run = (name: string, obj: Obj) => evaluateRule(rule(name), obj as any, config, []);

  it("passes the shipped Rollouts", () => {
    expect(run("require-rollout-analysis", rollout)).toEqual([]);
    expect(run("require-probes", rollout)).toEqual([]);
    expect(run("require-critical-availability", rollout)).toEqual([]);
  });

  it("refuses a canary without an analysis step, naming the Rollout", () => {
    const broken = structuredClone(rollout);
    broken.spec.strategy.canary.steps = broken.spec.strategy.canary.steps.filter(
      (s: any) => !("analysis" in s),
    );
    expect(run("require-rollout-analysis", broken)).toEqual([
      "Rollout learning/enrollment: canary steps without an analysis step promote on a timer and never roll back; add an analysis step.",
    ]);
  });

  it("refuses a blue-green without prePromotionAnalysis", () => {
    const bg = structuredClone(find(synth({ tiers: { critical: "blueGreen" } }), "Rollout", "enrollment"));
    delete bg.spec.strategy.blueGreen.prePromotionAnalysis;
    expect(run("require-rollout-analysis", bg)).toEqual([
      "Rollout learning/enrollment: blue-green without prePromotionAnalysis promotes an unchecked version; add the service's AnalysisTemplate.",
    ]);
  });

  it("applies Pod rules to the Rollout's pod template (a container without probes is refused)", () => {
    const broken = structuredClone(rollout);
    delete broken.spec.template.spec.containers[0].readinessProbe;
    expect(run("require-probes", broken).length).toBe(1);
    const low = structuredClone(rollout);
    low.spec.replicas = 1;
    expect(run("require-critical-availability", low)[0]).toMatch(
      /^Rollout learning\/enrollment: tier critical runs 1 replica/,
    );
  });

  it("emits an explicit Kyverno policy on rollouts for every Pod rule, and read access for the background scans", () => {
    const objs = kyvernoObjects(config) as any[];
    const probes = objs.find((o) => o.metadata.name === "require-probes-rollouts");
    expect(probes.spec.matchConstraints.resourceRules).toEqual([
      {
        apiGroups: ["argoproj.io"],
        apiVersions: ["v1alpha1"],
        operations: ["CREATE", "UPDATE"],
        resources: ["rollouts"],
        scope: "Namespaced",
      },
    ]);
    expect(probes.spec.autogen).toBeUndefined();
    expect(JSON.stringify(probes.spec.variables)).toContain("object.spec.template.spec.containers");
    expect(objs.find((o) => o.metadata.name === "semester-kyverno-read-rollouts").rules).toEqual([
      { apiGroups: ["argoproj.io"], resources: ["rollouts"], verbs: ["get", "list", "watch"] },
    ]);
  });
});

describe("KEDA's HPA over a canary (argo-rollouts #4847)", () => {
  // Argo's canary replica counts (utils/replicaset/canary.go) and the HPA's external-metric arithmetic
  // (replica_calculator.go), simulated step by step; the cron floor is the only trigger.
  const steps = [10, 25, 50, 100];

  it("keeps spec.replicas at the cron floor through the whole canary when the scale-down tolerance is 0", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.boolean(), (floor, dynamicStableScale) => {
        const trace = simulateRolloutHpa({
          floor,
          weights: steps,
          dynamicStableScale,
          scaleDownTolerance: 0,
        });
        return trace.every((s) => s.spec === floor);
      }),
    );
  });

  it("oscillates with the default 10 % band (the negative control)", () => {
    const trace = simulateRolloutHpa({
      floor: 10,
      weights: steps,
      dynamicStableScale: false,
      scaleDownTolerance: 0.1,
    });
    const specs = trace.map((s) => s.spec);
    expect(Math.max(...specs)).toBeGreaterThan(10);
    const ups = specs.filter((s, i) => i > 0 && s > specs[i - 1]!).length;
    const downs = specs.filter((s, i) => i > 0 && s < specs[i - 1]!).length;
    expect(ups).toBeGreaterThan(0);
    expect(downs).toBeGreaterThan(0);
  });

  it("ships the setting the argument depends on: scale-down tolerance 0 on every ScaledObject", () => {
    expect(DEFAULT_BEHAVIOR.scaleDown.tolerance).toBe("0");
    expect(DEFAULT_BEHAVIOR.scaleUp.tolerance).toBe("0");
  });

  it("defaults to canary for every tier and service", () => {
    const input = { services: servicesSchema.parse(DEFAULT_SERVICES), delivery: DEFAULT_DELIVERY };
    expect(SERVICE_NAMES.map((s) => deliveryStrategy(s, input).kind)).toEqual(
      SERVICE_NAMES.map(() => "canary"),
    );
  });
});
