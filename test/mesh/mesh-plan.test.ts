import { checkPlan } from "../../cli/plan/check";
import { withInjectedSidecars } from "../../cli/plan/mesh-injection";
import { runPlan, type Plan } from "../../cli/plan/run";
import { analyseWiring, findingMessage } from "../../cli/plan/wiring";
import { evaluateObjects } from "../../components/governance";
import { DEFAULT_MESH, GATEWAY_PRINCIPAL, meshSchema } from "../../components/mesh";

const NOW = Date.parse("2026-10-19T00:00:00Z");
const REGION = "eu-west-2";

let dev: Plan;
beforeAll(async () => {
  dev = await runPlan({ stack: "dev", now: NOW });
}, 120_000);

const objectsOf = (kind: string) => dev.objects.filter((o) => o.object.kind === kind).map((o) => o.object);
const spec = (o: Record<string, unknown>) => o.spec as Record<string, any>;

describe("the mesh in the dev plan", () => {
  it("installs istio base, cni, istiod and the gateway in that order, after the add-ons, at 1.30.3", () => {
    const releases = dev.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
    const mesh = ["istio-base", "istio-cni", "istiod", "istio-ingressgateway"].map((n) =>
      releases.find((r) => r.inputs.name === n)!,
    );
    expect(mesh.map((r) => [r.inputs.chart, r.inputs.version, r.inputs.namespace])).toEqual([
      ["base", "1.30.3", "istio-system"],
      ["cni", "1.30.3", "istio-system"],
      ["istiod", "1.30.3", "istio-system"],
      ["gateway", "1.30.3", "istio-ingress"],
    ]);
    for (let i = 1; i < mesh.length; i++) expect(mesh[i]!.dependencies).toContain(mesh[i - 1]!.urn);
    const kyverno = releases.find((r) => r.inputs.name === "kyverno")!;
    const nsDeps = dev.resources
      .filter(
        (r) =>
          r.type === "kubernetes:core/v1:Namespace" &&
          String(r.inputs.metadata && (r.inputs.metadata as any).name).startsWith("istio-"),
      )
      .flatMap((r) => r.dependencies ?? []);
    expect(nsDeps).toContain(kyverno.urn);
  });

  it("emits mTLS STRICT, per-namespace default deny and one ALLOW per called or public service", () => {
    expect(objectsOf("PeerAuthentication").map((o) => [o.metadata.namespace, spec(o).mtls])).toEqual([
      ["istio-system", { mode: "STRICT" }],
    ]);
    const aps = objectsOf("AuthorizationPolicy");
    expect(
      aps.filter((o) => o.metadata.name === "allow-nothing").map((o) => [o.metadata.namespace, o.spec]),
    ).toEqual([
      ["ai-tutor", {}],
      ["learning", {}],
    ]);
    const profile = aps.find((o) => o.metadata.name === "learner-profile")!;
    expect(spec(profile).rules).toEqual([
      {
        from: [
          {
            source: {
              principals: [
                "cluster.local/ns/learning/sa/assessment-engine",
                "cluster.local/ns/learning/sa/enrollment",
                "cluster.local/ns/ai-tutor/sa/ai-tutor",
              ],
            },
          },
        ],
        to: [{ operation: { ports: ["8080"] } }],
      },
    ]);
    // analytics: nobody calls it and it is not public, so nothing is allowed in.
    expect(aps.map((o) => o.metadata.name)).not.toContain("analytics");
    expect(
      spec(aps.find((o) => o.metadata.name === "course-catalog")!).rules[0].from[0].source.principals,
    ).toContain(GATEWAY_PRINCIPAL);
  });

  it("routes public traffic ALB → gateway → VirtualService, with no Ingress to a service's pods", () => {
    const ingresses = objectsOf("Ingress");
    expect(ingresses.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      "istio-ingress/semester",
    ]);
    const ing = ingresses[0]!;
    expect((ing.metadata as any).annotations).toMatchObject({
      "alb.ingress.kubernetes.io/target-type": "ip",
      "alb.ingress.kubernetes.io/healthcheck-port": "15021",
      "alb.ingress.kubernetes.io/healthcheck-path": "/healthz/ready",
      "alb.ingress.kubernetes.io/group.name": "semester-eu-west-2",
    });
    expect(spec(ing).rules.map((r: any) => [r.host, r.http.paths[0].backend.service])).toEqual([
      ["assessments.semester.dev", { name: "istio-ingressgateway", port: { number: 80 } }],
      ["catalog.semester.dev", { name: "istio-ingressgateway", port: { number: 80 } }],
      ["tutor.semester.dev", { name: "istio-ingressgateway", port: { number: 80 } }],
    ]);
    const vs = objectsOf("VirtualService").find((o) => o.metadata.name === "course-catalog")!;
    expect(spec(vs).gateways).toEqual(["mesh", "istio-ingress/semester"]);
    expect(spec(vs).http[0]).toEqual({
      name: "primary",
      route: [
        {
          destination: { host: "course-catalog.learning.svc.cluster.local", port: { number: 80 } },
          weight: 100,
        },
        // The canary's Service at weight 0: Argo Rollouts shifts the weights during a rollout.
        {
          destination: { host: "course-catalog-canary.learning.svc.cluster.local", port: { number: 80 } },
          weight: 0,
        },
      ],
      timeout: "3s",
      retries: {
        attempts: 2,
        perTryTimeout: "1s",
        retryOn: "connect-failure,refused-stream,reset-before-request,gateway-error",
      },
    });
  });

  it("passes every governance rule with the sidecar injected, and the wiring with 0 broken links", async () => {
    const checks = await checkPlan(dev);
    expect(checks.policy.mandatoryViolations).toBe(0);
    expect(checks.wiring.findings.map(findingMessage)).toEqual([]);
    const proven = checks.wiring.proven.filter((p) => p.path === "sidecar injection").map((p) => p.subject);
    expect(proven).toHaveLength(6);
  });

  it("finds an injected sidecar whose image comes from a registry governance does not allow", () => {
    const mesh = meshSchema.parse({ hub: "quay.io/istio" });
    const findings = evaluateObjects(withInjectedSidecars(dev.objects, mesh), dev.config.governance).filter(
      (f) => f.rule === "restrict-image-registries",
    );
    expect(findings.map((f) => f.resource).sort()).toEqual([
      "Rollout/ai-tutor/ai-tutor",
      "Rollout/learning/analytics",
      "Rollout/learning/assessment-engine",
      "Rollout/learning/course-catalog",
      "Rollout/learning/enrollment",
      "Rollout/learning/learner-profile",
    ]);
    expect(findings[0]!.message).toContain("container(s) istio-validation, istio-proxy pull from a registry");
  });

  it("injects istio-validation and istio-proxy as init containers, uid 1337, with the configured resources", () => {
    const d = withInjectedSidecars(dev.objects, DEFAULT_MESH).find(
      (o) => o.object.kind === "Rollout" && o.object.metadata.name === "enrollment",
    )!.object;
    const init = spec(d).template.spec.initContainers;
    expect(init.map((c: any) => [c.name, c.image, c.securityContext.runAsUser, c.resources])).toEqual([
      ["istio-validation", "docker.io/istio/proxyv2:1.30.3", 1337, DEFAULT_MESH.sidecar],
      ["istio-proxy", "docker.io/istio/proxyv2:1.30.3", 1337, DEFAULT_MESH.sidecar],
    ]);
  });

  it("finds an AuthorizationPolicy that lacks a caller the NetworkPolicy admits", () => {
    const objects = dev.objects.map((o) =>
      o.object.kind === "AuthorizationPolicy" && o.object.metadata.name === "learner-profile"
        ? {
            ...o,
            object: {
              ...o.object,
              spec: {
                ...spec(o.object),
                rules: [
                  {
                    ...spec(o.object).rules[0],
                    from: [{ source: { principals: ["cluster.local/ns/learning/sa/enrollment"] } }],
                  },
                ],
              },
            },
          }
        : o,
    );
    expect(analyseWiring({ resources: dev.resources, objects }).findings.map(findingMessage)).toEqual([
      `${REGION}/learning/learner-profile → mesh caller cluster.local/ns/ai-tutor/sa/ai-tutor: NetworkPolicy learning/learner-profile-allow admits it but no AuthorizationPolicy allows cluster.local/ns/ai-tutor/sa/ai-tutor`,
      `${REGION}/learning/learner-profile → mesh caller cluster.local/ns/learning/sa/assessment-engine: NetworkPolicy learning/learner-profile-allow admits it but no AuthorizationPolicy allows cluster.local/ns/learning/sa/assessment-engine`,
    ]);
  });

  it("finds a meshed workload that does not wait for istiod's injection webhook", () => {
    const istiod = dev.resources.find(
      (r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.name === "istiod",
    )!;
    const resources = dev.resources.map((r) => ({
      ...r,
      dependencies: (r.dependencies ?? []).filter((d) => d !== istiod.urn),
    }));
    const messages = analyseWiring({ resources, objects: dev.objects }).findings.map(findingMessage);
    expect(messages).toContain(
      `${REGION}/learning/enrollment → sidecar injection: not ordered after Helm release istiod (its injection webhook)`,
    );
  });
});
