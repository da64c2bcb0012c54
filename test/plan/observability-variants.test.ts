/**
 * The offline plan of a stack that chooses the other observability profile, or turns observability off: each
 * is as valid and as wired as the default (no schema problem, policy violation, broken link or observability
 * finding), and with everything off nothing of it is created.
 */
import { checkPlan, type PlanChecks } from "../../cli/plan/check";
import type { Plan } from "../../cli/plan/run";
import type { SemesterConfig } from "../../components/config/schema";
import { SERVICE_NAMES } from "../../components/kubernetes";
import { observabilitySchema } from "../../components/observability";
import { variantPlan } from "../support/variant-plan";

const NOW = Date.parse("2026-10-19T00:00:00Z");

const withObservability =
  (input: unknown) =>
  (config: SemesterConfig): SemesterConfig => ({
    ...config,
    observability: observabilitySchema.parse(input),
  });

/** Everything off: the HTTP services scale on CPU again (nothing serves their request rate). */
const allOff = (config: SemesterConfig): SemesterConfig => ({
  ...withObservability({
    metrics: { enabled: false },
    traces: { enabled: false },
    logs: { enabled: false },
    slo: { enabled: false },
    dashboards: { enabled: false },
  })(config),
  services: Object.fromEntries(
    SERVICE_NAMES.map((s) => {
      const svc = config.services[s];
      if (svc.scaling.requestRate === undefined) return [s, svc];
      return [s, { ...svc, scaling: { ...svc.scaling, requestRate: undefined, cpuUtilization: 70 } }];
    }),
  ) as SemesterConfig["services"],
});

const clean = (checks: PlanChecks) => ({
  schema: checks.schemaProblems,
  policy: checks.policy.mandatoryViolations,
  wiring: checks.wiring.findings,
  observability: checks.observability.findings,
});

describe("observability variants of the dev plan", () => {
  let inCluster: { plan: Plan; checks: PlanChecks };
  let off: { plan: Plan; checks: PlanChecks };
  beforeAll(async () => {
    const a = await variantPlan("dev", NOW, withObservability({ profile: "in-cluster" }));
    inCluster = { plan: a, checks: await checkPlan(a) };
    const b = await variantPlan("dev", NOW, allOff);
    off = { plan: b, checks: await checkPlan(b) };
  }, 120_000);

  it("plans the in-cluster profile with zero findings: Prometheus, Alertmanager and Grafana in the cluster, no AMP", () => {
    expect(clean(inCluster.checks)).toEqual({ schema: [], policy: 0, wiring: [], observability: [] });
    const types = new Set(inCluster.plan.resources.map((r) => r.type));
    expect(types.has("aws:amp/workspace:Workspace")).toBe(false);
    expect(types.has("kubernetes:monitoring.coreos.com/v1:PrometheusRule")).toBe(true);
    const so = inCluster.plan.objects.find(
      (o) => o.object.kind === "ScaledObject" && o.object.metadata.name === "course-catalog",
    )!.object as unknown as { spec: { triggers: { name?: string; metadata: Record<string, string> }[] } };
    const rate = so.spec.triggers.find((t) => t.name === "request-rate")!;
    expect(rate.metadata.serverAddress).toBe(
      "http://kube-prometheus-stack-prometheus.observability.svc:9090",
    );
    expect(rate.metadata.awsRegion).toBeUndefined();
    expect(inCluster.checks.observability.proven.expressions).toBeGreaterThan(0);
  });

  it("plans with everything off with zero findings and nothing of observability in it", () => {
    expect(clean(off.checks)).toEqual({ schema: [], policy: 0, wiring: [], observability: [] });
    const observabilityTypes = off.plan.resources
      .map((r) => r.type)
      .filter((t) => /aws:(amp|xray|sns)\/|opentelemetry\.io|monitoring\.coreos\.com/.test(t));
    expect(observabilityTypes).toEqual([]);
    const namespaces = new Set(
      off.plan.resources
        .filter((r) => r.type === "kubernetes:helm.sh/v3:Release")
        .map((r) => r.inputs.namespace),
    );
    expect(namespaces.has("observability")).toBe(false);
    const so = off.plan.objects.find(
      (o) => o.object.kind === "ScaledObject" && o.object.metadata.name === "course-catalog",
    )!.object as unknown as { spec: { triggers: { type: string }[] } };
    expect(so.spec.triggers[0]!.type).toBe("cpu");
  });
});
