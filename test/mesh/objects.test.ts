import { meshObjects, meshSchema, DEFAULT_MESH, type MeshService } from "../../components/mesh";
import { governanceConfig, evaluateObjects } from "../../components/governance";
import { InputError, type KubeObject } from "../../components/core";

const service = (over: Partial<MeshService> = {}): MeshService => ({
  name: "enrollment",
  namespace: "learning",
  tier: "critical",
  port: 8080,
  servicePort: 80,
  selector: { "semester.dev/service": "enrollment" },
  labels: { "semester.dev/service": "enrollment" },
  minReplicas: 3,
  writes: true,
  callers: [{ name: "ai-tutor", namespace: "ai-tutor" }],
  ...over,
});
const find = (objs: KubeObject[], kind: string, name: string) =>
  objs.find((o) => o.kind === kind && o.metadata.name === name);

describe("meshObjects", () => {
  it("adds the delivery strategy's second Service as a weight-0 destination with its own DestinationRule", () => {
    const objs = meshObjects({
      region: "eu-west-2",
      mesh: DEFAULT_MESH,
      services: [service({ secondService: "enrollment-canary" })],
    });
    const vs = find(objs, "VirtualService", "enrollment")!;
    expect((vs.spec as any).http[0].route).toEqual([
      { destination: { host: "enrollment.learning.svc.cluster.local", port: { number: 80 } }, weight: 100 },
      {
        destination: { host: "enrollment-canary.learning.svc.cluster.local", port: { number: 80 } },
        weight: 0,
      },
    ]);
    const stable = find(objs, "DestinationRule", "enrollment")!;
    const canary = find(objs, "DestinationRule", "enrollment-canary")!;
    expect((canary.spec as any).host).toBe("enrollment-canary.learning.svc.cluster.local");
    expect((canary.spec as any).trafficPolicy).toEqual((stable.spec as any).trafficPolicy);
    expect((stable.spec as any).trafficPolicy).toEqual({
      tls: { mode: "ISTIO_MUTUAL" },
      connectionPool: {
        tcp: { maxConnections: 1024 },
        http: { http2MaxRequests: 2048, maxRequestsPerConnection: 0 },
      },
      retryBudget: { percent: 20, minRetryConcurrency: 3 },
      outlierDetection: {
        consecutive5xxErrors: 5,
        consecutiveGatewayErrors: 3,
        interval: "5s",
        baseEjectionTime: "30s",
        maxEjectionPercent: 34,
      },
    });
    // A writer retries only where the request never reached it; no public host, no gateway, no Ingress.
    expect((vs.spec as any).http[0].retries.retryOn).toBe(
      "connect-failure,refused-stream,reset-before-request",
    );
    expect((vs.spec as any).gateways).toEqual(["mesh"]);
    expect(objs.filter((o) => o.kind === "Ingress" || o.kind === "Gateway")).toEqual([]);
  });

  it("carries extra Ingress annotations (latency DNS, load balancer attributes) on the region's one Ingress", () => {
    const mesh = meshSchema.parse({
      ingressAnnotations: {
        "alb.ingress.kubernetes.io/load-balancer-attributes": "zonal_shift.config.enabled=true",
      },
    });
    const objs = meshObjects({
      region: "eu-west-2",
      mesh,
      services: [service({ publicHost: "enroll.semester.dev" })],
      ingressAnnotations: { "external-dns.alpha.kubernetes.io/set-identifier": "eu-west-2" },
    });
    expect((find(objs, "Ingress", "semester")!.metadata as any).annotations).toMatchObject({
      "alb.ingress.kubernetes.io/load-balancer-attributes": "zonal_shift.config.enabled=true",
      "external-dns.alpha.kubernetes.io/set-identifier": "eu-west-2",
    });
  });

  it("refuses a traffic policy that breaks a rule before rendering anything", () => {
    const mesh = meshSchema.parse({ tiers: { critical: { outlierDetection: { maxEjectionPercent: 10 } } } });
    expect(() => meshObjects({ region: "eu-west-2", mesh, services: [service()] })).toThrow(InputError);
    expect(() => meshObjects({ region: "eu-west-2", mesh, services: [service()] })).toThrow(
      "`semester:mesh.tiers.critical.outlierDetection.maxEjectionPercent`: got 10; enrollment runs at least 3 pod(s)",
    );
  });
});

describe("the Istio CNI agent's governance exception", () => {
  const cniPod = (namespace: string): KubeObject => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: "istio-cni-node-x",
      namespace,
      labels: { "k8s-app": "istio-cni-node", team: "platform", tier: "critical" },
    },
    spec: {
      hostNetwork: true,
      containers: [
        {
          name: "install-cni",
          image: "docker.io/istio/install-cni:1.30.3",
          securityContext: {
            privileged: false,
            runAsUser: 0,
            runAsNonRoot: false,
            capabilities: { add: ["NET_ADMIN", "SYS_ADMIN"], drop: ["ALL"] },
          },
        },
      ],
      volumes: [{ name: "cni-bin-dir", hostPath: { path: "/opt/cni/bin" } }],
    },
  });
  const rules = (findings: { rule: string }[]) => [...new Set(findings.map((f) => f.rule))].sort();

  it("exempts the agent's pods in istio-system from exactly the rules it breaks by design", () => {
    const config = governanceConfig();
    expect(rules(evaluateObjects([{ region: "r", object: cniPod("istio-system") }], config))).toEqual([
      "require-requests-limits",
      "require-seccomp-profile",
    ]);
  });

  it("does not exempt the same pod in another namespace", () => {
    const config = governanceConfig({ excludedNamespaces: [] });
    const found = rules(evaluateObjects([{ region: "r", object: cniPod("learning") }], config));
    for (const rule of [
      "disallow-host-namespaces",
      "disallow-host-path",
      "restrict-capabilities",
      "require-run-as-non-root",
    ])
      expect(found).toContain(rule);
  });
});
