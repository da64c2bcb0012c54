import { App } from "cdk8s";
import {
  DEFAULT_SERVICES_INPUT,
  SERVICE_NAMES,
  servicesSchema,
  type ServiceName,
} from "../../components/kubernetes";
import {
  DEFAULT_RESILIENCE,
  blastZoneChart,
  peakPods,
  podFootprint,
  quotaAdmits,
  tierQuotas,
  type QuotaInput,
} from "../../components/resilience";
import { SIDECAR_RESOURCES } from "../../components/mesh";

const services = servicesSchema.parse(DEFAULT_SERVICES_INPUT);
const input: QuotaInput = {
  services,
  config: DEFAULT_RESILIENCE.blastZones,
  peakPodsFactor: { enrollment: 2 },
  sidecar: SIDECAR_RESOURCES,
};

describe("blast-zone quotas", () => {
  it("admit every service of a tier at maxReplicas × peakPodsFactor at once, and refuse one pod more", () => {
    for (const q of tierQuotas(input)) {
      const pods = q.services.flatMap((s: ServiceName) =>
        Array.from({ length: peakPods(s, input) }, () => podFootprint(services[s], input.sidecar)),
      );
      expect(quotaAdmits(q, pods)).toBe(true);
      // One more pod of the tier's smallest service no longer fits.
      const smallest = [...q.services].sort(
        (a, b) =>
          podFootprint(services[a], input.sidecar).requestsCpu -
          podFootprint(services[b], input.sidecar).requestsCpu,
      )[0]!;
      expect(quotaAdmits(q, [...pods, podFootprint(services[smallest], input.sidecar)])).toBe(false);
    }
  });

  it("counts the mesh sidecar in every pod and the blue-green preview set twice", () => {
    const enrollment = services.enrollment;
    const pod = podFootprint(enrollment, input.sidecar);
    expect(pod.requestsCpu).toBe(250 + 100);
    expect(pod.limitsMemory).toBe(2 ** 30 + 512 * 2 ** 20);
    expect(peakPods("enrollment", input)).toBe(Math.ceil(enrollment.maxReplicas * 2));
    expect(peakPods("course-catalog", input)).toBe(Math.ceil(services["course-catalog"].maxReplicas * 1.25));
  });

  it("keeps tiers apart: a runaway tier's pods never count against another tier's quota", () => {
    const quotas = tierQuotas(input);
    const keys = quotas.map((q) => `${q.namespace}/${q.tier}`);
    expect(new Set(keys).size).toBe(keys.length);
    const covered = quotas.flatMap((q) => q.services).sort();
    expect(covered).toEqual([...SERVICE_NAMES].sort());
  });

  it("renders a ResourceQuota scoped to the tier's PriorityClass and a LimitRange admitting the sidecar", () => {
    const objs = blastZoneChart(new App(), "eu-west-2", input).toJson() as {
      kind: string;
      metadata: { name: string; namespace: string };
      spec: Record<string, unknown>;
    }[];
    const quota = objs.find(
      (o) =>
        o.kind === "ResourceQuota" &&
        o.metadata.namespace === services.enrollment.namespace &&
        o.metadata.name === "semester-critical",
    )!;
    const q = tierQuotas(input).find(
      (t) => t.namespace === services.enrollment.namespace && t.tier === "critical",
    )!;
    expect(quota.metadata.name).toBe("semester-critical");
    expect(quota.spec).toEqual({
      hard: {
        pods: q.pods,
        "requests.cpu": `${q.requestsCpu}m`,
        "requests.memory": `${Math.ceil(q.requestsMemory / 2 ** 20)}Mi`,
        "limits.cpu": `${q.limitsCpu}m`,
        "limits.memory": `${Math.ceil(q.limitsMemory / 2 ** 20)}Mi`,
      },
      scopeSelector: {
        matchExpressions: [{ scopeName: "PriorityClass", operator: "In", values: ["semester-critical"] }],
      },
    });
    const lr = objs.find(
      (o) => o.kind === "LimitRange" && o.metadata.namespace === services.enrollment.namespace,
    )!;
    const max = (lr.spec.limits as { max: { cpu: string } }[])[0]!.max;
    expect(Number(max.cpu.replace("m", ""))).toBeGreaterThanOrEqual(2000);
  });
});
