import fc from "fast-check";
import { DEFAULT_BEHAVIOR, behaviorProblems } from "../../components/kubernetes/keda";
import {
  DEFAULT_TIMING,
  RAMP_ENDS,
  createRampModel,
  toleranceSafeLevel,
  validateTiming,
} from "../../components/calendar/model/timing";

describe("DEFAULT_TIMING", () => {
  it("uses KEDA's 30 s polling, the HPA's 15 s sync and 10% tolerance, and conservative start-up times", () => {
    expect(DEFAULT_TIMING).toEqual({
      kedaPollingSeconds: 30,
      hpaSyncSeconds: 15,
      podReadySeconds: 90,
      nodeProvisionSeconds: 120,
      nodeBatchSeconds: 10,
      preemptionSeconds: 5,
      hpaTolerance: 0.1,
    });
    expect(validateTiming(DEFAULT_TIMING)).toEqual([]);
  });

  it("rejects negative delays and a zero sync period", () => {
    expect(validateTiming({ ...DEFAULT_TIMING, podReadySeconds: -1, hpaSyncSeconds: 0 })).toEqual([
      { path: "timing.podReadySeconds", value: -1, rule: "must be a finite number >= 0" },
      { path: "timing.hpaSyncSeconds", value: 0, rule: "must be > 0" },
    ]);
  });
});

describe("createRampModel", () => {
  const ramp = createRampModel(DEFAULT_TIMING, DEFAULT_BEHAVIOR);

  it("takes detection plus one step plus node and pod start-up for a small scale-out", () => {
    // 30 polling + 15 sync; 1 -> max(2, 1 + 10) >= 5 in one step; + 10 batch + 120 node + 90 pod.
    expect(ramp(1, 5)).toBe(265);
  });

  it("adds one sync per rate-limited step for a large scale-out", () => {
    // 1 -> 11 -> 22 -> 44 -> 88 -> 100: five steps, the last at 45 + 4 * 15 = 105 s.
    expect(ramp(1, 100)).toBe(105 + 220);
  });

  it("needs no time to stay at or go below the current level", () => {
    expect(ramp(10, 10)).toBe(0);
    expect(ramp(10, 3)).toBe(0);
  });

  it("is slower with the Kubernetes default of +4 pods than with +10", () => {
    const slow = createRampModel(DEFAULT_TIMING, {
      scaleUp: { selectPolicy: "Max", policies: [{ type: "Pods", value: 4, periodSeconds: 60 }] },
    });
    // 1 -> 5 at 45 s; the next +4 waits until the 60 s period no longer holds that event (sync at 105 s).
    expect(slow(1, 9)).toBe(45 + 60 + 220);
  });

  it("ends with preemption instead of a node launch on pre-provisioned nodes, and with the node for placeholders", () => {
    const on = createRampModel(DEFAULT_TIMING, DEFAULT_BEHAVIOR, RAMP_ENDS.preProvisionedNode);
    const placeholder = createRampModel(DEFAULT_TIMING, DEFAULT_BEHAVIOR, RAMP_ENDS.placeholderNode);
    const created = createRampModel(DEFAULT_TIMING, DEFAULT_BEHAVIOR, RAMP_ENDS.created);
    // The same 45 s of detection and one step as above, then 5 s preemption + 90 s pod start-up.
    expect(on(1, 5)).toBe(45 + 5 + 90);
    // Then a 10 s Karpenter batch window + the 120 s launch; the pause pods need no readiness.
    expect(placeholder(1, 5)).toBe(45 + 10 + 120);
    expect(created(1, 100)).toBe(105);
    expect(ramp(1, 100) - on(1, 100)).toBe(10 + 120 - 5);
  });

  it("never takes longer from a higher starting level", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 400 }),
        (p, dp, q) => {
          return ramp(p + dp, q) <= ramp(p, q);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("toleranceSafeLevel", () => {
  it("raises a level past the 10% band", () => {
    expect(toleranceSafeLevel(11, 0.1, 100)).toBe(12);
    expect(toleranceSafeLevel(21, 0.1, 100)).toBe(23);
    expect(toleranceSafeLevel(10, 0.1, 100)).toBe(10);
    expect(toleranceSafeLevel(2, 0.1, 100)).toBe(2);
  });

  it("keeps the level when the tolerance is 0 and caps at maxReplicas", () => {
    expect(toleranceSafeLevel(11, 0, 100)).toBe(11);
    expect(toleranceSafeLevel(100, 0.1, 100)).toBe(100);
  });

  it("makes every current count below the requirement act, as the HPA's float comparison does", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (r, tol) => {
          const level = toleranceSafeLevel(r, tol, Number.MAX_SAFE_INTEGER);
          for (let c = 1; c < r; c++) if (!(Math.abs(1 - level / c) > tol)) return false;
          return level >= r;
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("DEFAULT_BEHAVIOR", () => {
  it("scales up fast, down slowly, and passes the CRD's limits", () => {
    expect(DEFAULT_BEHAVIOR.scaleUp?.stabilizationWindowSeconds).toBe(0);
    expect(DEFAULT_BEHAVIOR.scaleUp?.tolerance).toBe("0");
    expect(DEFAULT_BEHAVIOR.scaleDown?.stabilizationWindowSeconds).toBe(300);
    expect(behaviorProblems(DEFAULT_BEHAVIOR)).toEqual([]);
  });

  it("lists every out-of-range field", () => {
    expect(
      behaviorProblems({
        scaleUp: {
          selectPolicy: "Disabled",
          policies: [{ type: "Pods", value: 0, periodSeconds: 1801 }],
          tolerance: "-1",
        },
        scaleDown: { stabilizationWindowSeconds: 3601 },
      }),
    ).toEqual([
      {
        path: "behavior.scaleUp.policies[0].periodSeconds",
        value: 1801,
        rule: "must be an integer in 1..1800",
      },
      { path: "behavior.scaleUp.policies[0].value", value: 0, rule: "must be an integer > 0" },
      {
        path: "behavior.scaleUp.tolerance",
        value: "-1",
        rule: 'must be a non-negative quantity such as "0" or "0.05"',
      },
      {
        path: "behavior.scaleDown.stabilizationWindowSeconds",
        value: 3601,
        rule: "must be an integer in 0..3600",
      },
      {
        path: "behavior.scaleUp.selectPolicy",
        value: "Disabled",
        rule: 'must be "Max" or "Min": scheduled scale-out needs scale-up enabled',
      },
    ]);
  });
});
