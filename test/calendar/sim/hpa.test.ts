import type { HpaBehavior } from "../../../components/kubernetes/keda";
import { HpaController, externalPerPodReplicas, parseQuantity, resolveBehavior, type HpaSpec } from "./hpa";

const T = { scaleUp: 0.1, scaleDown: 0.1 };

/** Run syncs every `everyS` seconds; `metric(t)` gives the metric in replicas; returns [t, replicas] after each. */
function run(spec: HpaSpec, start: number, metric: (tS: number) => number, untilS: number, everyS = 15) {
  const hpa = new HpaController(spec);
  let replicas = start;
  const out: [number, number][] = [];
  for (let t = 0; t <= untilS; t += everyS) {
    replicas = hpa.sync(t * 1000, replicas, replicas, [metric(t) * 1000]);
    out.push([t, replicas]);
  }
  return out;
}
const changes = (trace: [number, number][], start: number): [number, number][] => {
  let prev = start;
  return trace.filter(([, r]) => {
    const changed = r !== prev;
    prev = r;
    return changed;
  });
};

describe("external AverageValue metric with tolerance", () => {
  it("keeps 10 replicas when the metric asks for 11 (ratio 1.1 is inside the 0.1 band)", () => {
    expect(externalPerPodReplicas(10, 11000, 1000, T)).toBe(10);
    expect(externalPerPodReplicas(10, 9000, 1000, T)).toBe(10);
    expect(externalPerPodReplicas(10, 12000, 1000, T)).toBe(12);
    expect(externalPerPodReplicas(10, 8000, 1000, T)).toBe(8);
  });

  it("honours behavior.scaleUp.tolerance and leaves scale-down on the cluster default", () => {
    const hpa = new HpaController({
      minReplicas: 1,
      maxReplicas: 50,
      behavior: { scaleUp: { tolerance: "50m" } },
    });
    expect(hpa.tolerances).toEqual({ scaleUp: 0.05, scaleDown: 0.1 });
    expect(hpa.sync(0, 10, 10, [11000])).toBe(11);
    expect(parseQuantity("0.2")).toBe(0.2);
  });

  it("takes the largest proposal across triggers, then clamps to maxReplicas", () => {
    const hpa = new HpaController({ minReplicas: 2, maxReplicas: 20, behavior: {} });
    expect(hpa.sync(0, 2, 2, [1000, 5000, 1000])).toBe(5);
    // Default policies cap this sync at 10 (100 %), the next one reaches the maximum.
    expect(hpa.sync(15000, 5, 5, [1000, 500000])).toBe(10);
    expect(hpa.sync(30000, 10, 10, [1000, 500000])).toBe(20);
  });

  it("does nothing while spec replicas are 0 and minReplicas is above 0 (autoscaling disabled)", () => {
    const hpa = new HpaController({ minReplicas: 1, maxReplicas: 20, behavior: {} });
    expect(hpa.sync(0, 0, 0, [9000])).toBe(0);
  });
});

describe("behavior rate limits", () => {
  it("doubles 3 -> 6 -> 12 -> 24 -> 48 under a single 100 %/15 s policy, then tolerance stops it short of 50", () => {
    const behavior: HpaBehavior = {
      scaleUp: { policies: [{ type: "Percent", value: 100, periodSeconds: 15 }] },
    };
    const trace = run({ minReplicas: 1, maxReplicas: 100, behavior }, 3, () => 50, 300);
    // 50 / 48 = 1.04 lies inside the 0.1 tolerance band: the HPA never takes the last step.
    expect(changes(trace, 3)).toEqual([
      [0, 6],
      [15, 12],
      [30, 24],
      [45, 48],
    ]);
    const fine = run({ minReplicas: 1, maxReplicas: 100, behavior, tolerance: 0.01 }, 3, () => 50, 300);
    expect(changes(fine, 3).pop()).toEqual([60, 50]);
  });

  it("needs four periods from 3 to 50 with the default policies (4 pods or 100 %, whichever is more)", () => {
    const trace = run({ minReplicas: 1, maxReplicas: 100, behavior: { scaleDown: {} } }, 3, () => 50, 90);
    expect(changes(trace, 3)).toEqual([
      [0, 7],
      [15, 14],
      [30, 28],
      [45, 50],
    ]);
  });

  it("counts changes within the period, so faster syncs do not double faster", () => {
    const behavior: HpaBehavior = {
      scaleUp: { policies: [{ type: "Percent", value: 100, periodSeconds: 15 }] },
    };
    const trace = run({ minReplicas: 1, maxReplicas: 100, behavior }, 3, () => 50, 30, 5);
    expect(changes(trace, 3)).toEqual([
      [0, 6],
      [15, 12],
      [30, 24],
    ]);
  });

  it("applies selectPolicy Min and Disabled", () => {
    const min: HpaBehavior = {
      scaleUp: {
        selectPolicy: "Min",
        policies: [
          { type: "Pods", value: 2, periodSeconds: 15 },
          { type: "Percent", value: 100, periodSeconds: 15 },
        ],
      },
    };
    expect(
      changes(
        run({ minReplicas: 1, maxReplicas: 100, behavior: min }, 3, () => 9, 30),
        3,
      ),
    ).toEqual([
      [0, 5],
      [15, 7],
      [30, 9],
    ]);
    const off: HpaBehavior = { scaleUp: { selectPolicy: "Disabled" } };
    expect(
      changes(
        run({ minReplicas: 1, maxReplicas: 100, behavior: off }, 3, () => 9, 60),
        3,
      ),
    ).toEqual([]);
  });

  it("limits scale-down by Pods per period", () => {
    const behavior: HpaBehavior = {
      scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: "Pods", value: 4, periodSeconds: 60 }] },
    };
    const trace = run({ minReplicas: 1, maxReplicas: 100, behavior }, 20, () => 1, 180);
    expect(changes(trace, 20)).toEqual([
      [0, 16],
      [60, 12],
      [120, 8],
      [180, 4],
    ]);
  });
});

describe("stabilization windows", () => {
  it("scale-down takes the highest recommendation of the window (default 300 s)", () => {
    const trace = run({ minReplicas: 1, maxReplicas: 100, behavior: {} }, 10, (t) => (t <= 60 ? 10 : 1), 420);
    // The last recommendation of 10 is at 60 s; it leaves the window (strictly newer than now - 300 s) at 360 s.
    expect(changes(trace, 10)).toEqual([[360, 1]]);
  });

  it("scale-up takes the lowest recommendation of the window", () => {
    const behavior: HpaBehavior = {
      scaleUp: {
        stabilizationWindowSeconds: 60,
        policies: [{ type: "Pods", value: 100, periodSeconds: 15 }],
      },
    };
    const trace = run({ minReplicas: 1, maxReplicas: 100, behavior }, 2, (t) => (t < 60 ? 2 : 10), 180);
    // Recommendations of 2 until 45 s; the one at 45 s stops counting at 105 s.
    expect(changes(trace, 2)).toEqual([[105, 10]]);
  });

  it("without behavior: doubles at most (at least to 4) per sync and keeps the 300 s downscale window", () => {
    const trace = run({ minReplicas: 1, maxReplicas: 100 }, 1, (t) => (t < 100 ? 30 : 2), 500);
    expect(changes(trace, 1)).toEqual([
      [0, 4],
      [15, 8],
      [30, 16],
      [45, 30],
      [405, 2],
    ]);
  });

  it("fills API defaults: scale-up window 0, scale-down window from the controller", () => {
    expect(resolveBehavior({}, 300)).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: "Max",
        policies: [
          { type: "Pods", value: 4, periodSeconds: 15 },
          { type: "Percent", value: 100, periodSeconds: 15 },
        ],
        tolerance: undefined,
      },
      scaleDown: {
        stabilizationWindowSeconds: 300,
        selectPolicy: "Max",
        policies: [{ type: "Percent", value: 100, periodSeconds: 15 }],
        tolerance: undefined,
      },
    });
  });
});
