import fc from "fast-check";
import {
  DEFAULT_MESH,
  MESH_TIERS,
  SAFE_RETRY_ON,
  TIER_TRAFFIC,
  maxEjections,
  meshSchema,
  resolveTraffic,
  trafficProblems,
  worstCaseTriesMs,
  type TrafficSubject,
} from "../../components/mesh";
import { TIER_DEFAULTS } from "../../components/kubernetes";

const subject = (over: Partial<TrafficSubject> = {}): TrafficSubject => ({
  name: "enrollment",
  tier: "critical",
  writes: true,
  minReplicas: 3,
  ...over,
});

describe("maxEjections (Envoy ejects only while ejected/hosts <= maxEjectionPercent)", () => {
  it("ejects nothing below 10 hosts at Istio's default of 10 %", () => {
    for (let n = 1; n < 10; n++) expect(maxEjections(n, 10)).toBe(0);
    expect(maxEjections(10, 10)).toBe(1);
  });

  it("never allows more than the percent and is monotone in the host count", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 100 }), (n, p) => {
        const k = maxEjections(n, p);
        expect((100 * k) / n).toBeLessThanOrEqual(p + 1e-9);
        expect((100 * (k + 1)) / n).toBeGreaterThan(p);
        expect(maxEjections(n + 1, p)).toBeGreaterThanOrEqual(k);
      }),
    );
  });

  it("lets each tier's default eject at least one host at every replica count from the tier's floor", () => {
    for (const tier of MESH_TIERS) {
      const floor = TIER_DEFAULTS[tier].replicaFloor;
      fc.assert(
        fc.property(fc.integer({ min: floor, max: 200 }), (n) => {
          expect(
            maxEjections(n, TIER_TRAFFIC[tier].outlierDetection.maxEjectionPercent),
          ).toBeGreaterThanOrEqual(1);
        }),
      );
    }
  });
});

describe("resolveTraffic", () => {
  it("takes the tier's defaults, safe retry conditions for a writer and gateway errors too for a reader", () => {
    const writer = resolveTraffic(subject(), DEFAULT_MESH);
    expect(writer).toEqual({
      ...TIER_TRAFFIC.critical,
      retries: { ...TIER_TRAFFIC.critical.retries, retryOn: [...SAFE_RETRY_ON] },
    });
    const reader = resolveTraffic(subject({ writes: false, name: "course-catalog" }), DEFAULT_MESH);
    expect(reader.retries.retryOn).toEqual([...SAFE_RETRY_ON, "gateway-error"]);
  });

  it("applies the tier's overrides, then the service's, field by field", () => {
    const mesh = meshSchema.parse({
      tiers: { critical: { timeoutMs: 4000, retries: { attempts: 1 } } },
      services: {
        enrollment: { retries: { perTryTimeoutMs: 1500 }, outlierDetection: { maxEjectionPercent: 50 } },
      },
    });
    const p = resolveTraffic(subject(), mesh);
    expect(p.timeoutMs).toBe(4000);
    expect(p.retries).toEqual({ attempts: 1, perTryTimeoutMs: 1500, retryOn: [...SAFE_RETRY_ON] });
    expect(p.outlierDetection).toEqual({ ...TIER_TRAFFIC.critical.outlierDetection, maxEjectionPercent: 50 });
    expect(p.connectionPool).toEqual(TIER_TRAFFIC.critical.connectionPool);
  });
});

describe("trafficProblems", () => {
  it("passes every tier's defaults for writers and readers at the tier's floor", () => {
    for (const tier of MESH_TIERS)
      for (const writes of [true, false]) {
        const s = subject({ tier, writes, minReplicas: TIER_DEFAULTS[tier].replicaFloor });
        expect(trafficProblems(s, resolveTraffic(s, DEFAULT_MESH), "p")).toEqual([]);
      }
  });

  it("refuses retries whose tries cannot all run within the route timeout", () => {
    const s = subject();
    const mesh = meshSchema.parse({
      services: { enrollment: { retries: { attempts: 3, perTryTimeoutMs: 1000 } } },
    });
    expect(trafficProblems(s, resolveTraffic(s, mesh), "semester:mesh.services.enrollment")).toEqual([
      {
        path: "semester:mesh.services.enrollment.retries",
        value: { attempts: 3, perTryTimeoutMs: 1000, timeoutMs: 3000 },
        rule: "enrollment: 4 tries x 1000 ms = 4000 ms exceed the route timeout of 3000 ms, so the last retries never run",
        fix: "lower attempts or perTryTimeoutMs, or raise timeoutMs",
      },
    ]);
  });

  it("accepts exactly the retry policies whose worst case fits the timeout (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 100, max: 5000 }),
        fc.integer({ min: 100, max: 30000 }),
        (attempts, perTryTimeoutMs, timeoutMs) => {
          const s = subject();
          const mesh = meshSchema.parse({
            services: { enrollment: { timeoutMs, retries: { attempts, perTryTimeoutMs } } },
          });
          const refused = trafficProblems(s, resolveTraffic(s, mesh), "p").some(
            (p) => p.path === "p.retries",
          );
          expect(refused).toBe(worstCaseTriesMs({ attempts, perTryTimeoutMs }) > timeoutMs);
        },
      ),
    );
  });

  it("refuses a maxEjectionPercent that ejects none of the service's pods, naming the least that does", () => {
    const s = subject({ minReplicas: 3 });
    const mesh = meshSchema.parse({ tiers: { critical: { outlierDetection: { maxEjectionPercent: 10 } } } });
    expect(trafficProblems(s, resolveTraffic(s, mesh), "semester:mesh.tiers.critical")).toEqual([
      {
        path: "semester:mesh.tiers.critical.outlierDetection.maxEjectionPercent",
        value: 10,
        rule: "enrollment runs at least 3 pod(s): 10 % ejects none of them (Envoy ejects only while ejected/hosts <= 10 %)",
        fix: "use at least 34",
      },
    ]);
  });

  it("refuses retrying a writer on conditions where the request may have been processed, and unknown conditions", () => {
    const s = subject();
    const mesh = meshSchema.parse({
      services: { enrollment: { retries: { retryOn: ["connect-failure", "5xx", "on-a-whim"] } } },
    });
    expect(trafficProblems(s, resolveTraffic(s, mesh), "p").map((p) => [p.path, p.value])).toEqual([
      ["p.retries.retryOn", ["on-a-whim"]],
      ["p.retries.retryOn", ["5xx"]],
    ]);
    expect(
      trafficProblems({ ...s, writes: false }, resolveTraffic({ ...s, writes: false }, mesh), "p"),
    ).toHaveLength(1);
  });
});
