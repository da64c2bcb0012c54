import type { CompiledSchedule, CronTrigger, Segment, TimingModel } from "../../../components/calendar/types";
import type { HpaBehavior } from "../../../components/kubernetes/keda";
import { simulate, uncovered, uncoveredMinutes } from "./simulate";

const TIMING: TimingModel = {
  kedaPollingSeconds: 30,
  hpaSyncSeconds: 15,
  podReadySeconds: 90,
  nodeProvisionSeconds: 120,
  nodeBatchSeconds: 10,
  preemptionSeconds: 5,
  hpaTolerance: 0.1,
};
const FAST_UP: HpaBehavior = { scaleUp: { policies: [{ type: "Pods", value: 100, periodSeconds: 15 }] } };
const at = (s: string): number => Date.parse(s);
const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 19) + "Z";
const show = (segs: readonly Segment[]): string[] => segs.map((s) => `${iso(s.start)} ${s.replicas}`);

function schedule(triggers: CronTrigger[], over: Partial<CompiledSchedule> = {}): CompiledSchedule {
  return {
    region: "eu-west-2",
    service: "web",
    minReplicaCount: 2,
    maxReplicaCount: 20,
    triggers,
    behavior: FAST_UP,
    ...over,
  };
}
const cron = (
  name: string,
  start: string,
  end: string,
  desiredReplicas: number,
  timezone = "Europe/London",
) => ({
  name,
  timezone,
  start,
  end,
  desiredReplicas,
});
const DAY = { from: at("2026-06-09T23:00:00Z"), to: at("2026-06-10T23:00:00Z") }; // 10 June, London

describe("simulate", () => {
  it("sees a 09:00 start at the 09:00:29 poll, scales at the 09:00:43 sync, is Ready 210 s later on new nodes", () => {
    const r = simulate(schedule([cron("a", "0 9 * * *", "0 17 * * *", 10)]), { ...DAY, timing: TIMING });
    expect(show(r.desired)).toEqual([
      "2026-06-09T23:00:00Z 2",
      "2026-06-10T08:00:43Z 10",
      // The end is seen at 17:00:29, the HPA recommends 2 from 17:00:43, and the 300 s scale-down window keeps
      // the last recommendation of 10 (17:00:28) until 17:05:28.
      "2026-06-10T16:05:28Z 2",
    ]);
    expect(show(r.ready)).toEqual([
      "2026-06-09T23:00:00Z 2",
      "2026-06-10T08:04:13Z 10",
      "2026-06-10T16:05:28Z 2",
    ]);
    const need = [
      { start: DAY.from, end: at("2026-06-10T08:00:00Z"), replicas: 2 },
      { start: at("2026-06-10T08:00:00Z"), end: at("2026-06-10T16:00:00Z"), replicas: 10 },
      { start: at("2026-06-10T16:00:00Z"), end: DAY.to, replicas: 2 },
    ];
    const gaps = uncovered(need, r.ready);
    expect(gaps.map((g) => [iso(g.start), iso(g.end), g.need, g.ready])).toEqual([
      ["2026-06-10T08:00:00Z", "2026-06-10T08:04:13Z", 10, 2],
    ]);
    expect(uncoveredMinutes(gaps)).toBeCloseTo(4.2167, 3);
  });

  it("with live metrics the first sync after the start (09:00:13) already scales", () => {
    const r = simulate(schedule([cron("a", "0 9 * * *", "0 17 * * *", 10)]), {
      ...DAY,
      timing: TIMING,
      metrics: "live",
    });
    expect(show(r.desired).slice(0, 2)).toEqual(["2026-06-09T23:00:00Z 2", "2026-06-10T08:00:13Z 10"]);
  });

  it("reuses nodes within the hour: the second scale-up is Ready after podReadySeconds only", () => {
    const r = simulate(
      schedule([cron("a", "0 9 * * *", "30 9 * * *", 10), cron("b", "0 10 * * *", "30 10 * * *", 10)], {
        behavior: { ...FAST_UP, scaleDown: { stabilizationWindowSeconds: 0 } },
      }),
      { ...DAY, timing: TIMING },
    );
    expect(show(r.ready).slice(1, 5)).toEqual([
      "2026-06-10T08:04:13Z 10",
      "2026-06-10T08:30:43Z 2",
      "2026-06-10T09:02:13Z 10", // 09:00:43 + 90 s
      "2026-06-10T09:30:43Z 2",
    ]);
  });

  it("scales from zero through KEDA activation and back to zero after the cooldown", () => {
    const r = simulate(schedule([cron("a", "0 9 * * *", "0 17 * * *", 10)], { minReplicaCount: 0 }), {
      ...DAY,
      timing: TIMING,
    });
    expect(show(r.desired)).toEqual([
      "2026-06-09T23:00:00Z 0",
      "2026-06-10T08:00:29Z 1", // executor: 0 -> 1 on activity
      "2026-06-10T08:00:43Z 10",
      "2026-06-10T16:05:28Z 1", // HPA down to its minReplicas 1
      "2026-06-10T16:05:29Z 0", // executor: 300 s after the last active poll (15:59:59)
    ]);
  });

  it("shows the tolerance trap: an 11-replica trigger on top of a 10-replica one leaves 10 running", () => {
    const r = simulate(
      schedule([cron("base", "0 9 * * *", "0 12 * * *", 10), cron("peak", "0 10 * * *", "0 11 * * *", 11)]),
      { ...DAY, timing: TIMING },
    );
    expect(show(r.desired).slice(1, 3)).toEqual(["2026-06-10T08:00:43Z 10", "2026-06-10T11:05:28Z 2"]);
  });

  it("keeps a window that crosses midnight active from 23:00 to 01:00", () => {
    const r = simulate(schedule([cron("night", "0 23 * * *", "0 1 * * *", 6)]), {
      from: at("2026-06-10T12:00:00Z"),
      to: at("2026-06-11T06:00:00Z"),
      timing: TIMING,
      metrics: "live",
    });
    expect(show(r.desired)).toEqual([
      "2026-06-10T12:00:00Z 2",
      "2026-06-10T22:00:13Z 6",
      "2026-06-11T00:04:58Z 2", // last recommendation of 6 at 23:59:58Z, strictly older than 300 s at 00:04:58Z
    ]);
  });

  it("refuses a schedule KEDA would reject, naming every bad trigger", () => {
    const bad = schedule([
      cron("same", "0 9 * * *", "0 9 * * *", 3),
      cron("zero", "0 9 * * *", "0 10 * * *", 0),
    ]);
    expect(() => simulate(bad, { ...DAY, timing: TIMING })).toThrow(
      "KEDA rejects 2 trigger(s) of eu-west-2/web:\n" +
        "trigger same: error parsing cron metadata: start and end can not have exactly same time input\n" +
        "trigger zero: error parsing cron metadata: no desiredReplicas specified",
    );
  });

  // How fast it runs is measured by `npm run bench`, never asserted here: this checks the work it skips.
  it("simulates a 100-day term with 40 triggers, stepping fewer than a tenth of the syncs (the rest provably quiet)", () => {
    const triggers = Array.from({ length: 40 }, (_, i) =>
      cron(
        `t${i}`,
        `${i % 60} ${8 + (i % 10)} * * ${1 + (i % 5)}`,
        `${i % 60} ${9 + (i % 10)} * * ${1 + (i % 5)}`,
        3 + (i % 15),
      ),
    );
    const options = { from: at("2026-09-01T00:00:00Z"), to: at("2026-12-10T00:00:00Z"), timing: TIMING };
    const r = simulate(schedule(triggers), options);
    expect(r.syncs).toBe((100 * 86400) / 15);
    expect(r.steppedSyncs).toBeLessThan(r.syncs / 10);
  });

  it("gives exactly the same result with fast-forward as stepping every poll and sync", () => {
    const triggers = [
      cron("a", "0 9 * * 1-5", "0 17 * * 1-5", 8),
      cron("b", "30 10 * * 2,4", "15 12 * * 2,4", 14),
      cron("c", "0 23 * * 5", "0 1 * * 6", 5),
    ];
    const options = { from: at("2026-10-22T00:00:00Z"), to: at("2026-10-28T00:00:00Z"), timing: TIMING };
    for (const behavior of [FAST_UP, {}, { scaleDown: { stabilizationWindowSeconds: 0 } }] as HpaBehavior[]) {
      for (const metrics of ["polled", "live"] as const) {
        for (const minReplicaCount of [0, 2]) {
          const s = schedule(triggers, { behavior, minReplicaCount });
          const fast = simulate(s, { ...options, metrics });
          const slow = simulate(s, { ...options, metrics, fastForward: false });
          expect(fast.desired).toEqual(slow.desired);
          expect(fast.ready).toEqual(slow.ready);
          expect(fast.syncs).toBe(slow.syncs);
          expect(fast.polls).toBe(slow.polls);
        }
      }
    }
  });
});

describe("uncovered", () => {
  it("lists maximal intervals where Ready is below need, treating missing segments as 0", () => {
    const need: Segment[] = [
      { start: 0, end: 10, replicas: 2 },
      { start: 10, end: 20, replicas: 5 },
      { start: 20, end: 30, replicas: 5 },
    ];
    const ready: Segment[] = [
      { start: 0, end: 12, replicas: 2 },
      { start: 12, end: 25, replicas: 4 },
      { start: 25, end: 28, replicas: 5 },
    ];
    expect(uncovered(need, ready)).toEqual([
      { start: 10, end: 12, need: 5, ready: 2 },
      { start: 12, end: 25, need: 5, ready: 4 },
      { start: 28, end: 30, need: 5, ready: 0 },
    ]);
  });
});
