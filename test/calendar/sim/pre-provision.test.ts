/**
 * Pre-provisioned nodes, checked like a skeptic: calendar -> compiled schedules (the service's and its
 * placeholders') -> KEDA + HPA replayed for both (simulate.ts) -> one Karpenter node pool they share (nodes.ts) ->
 * Ready pods of the service, which must stay >= need at every instant. The profile's `leadMinutes` are set to 0,
 * so every lead is the ramp model's alone and no slack hides a node that arrives late.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compileAll } from "../../../components/calendar/compile/compile";
import { parseIcs } from "../../../components/calendar/input/ics";
import { parseJsonCalendar } from "../../../components/calendar/input/json-calendar";
import { needSeries } from "../../../components/calendar/model/need";
import { allowedKinds, parseProfile, profileTiming } from "../../../components/calendar/input/profile";
import type { CompileResult, LoadProfile, NeedSeries, Segment } from "../../../components/calendar/types";
import { simulate, uncovered, type Shortfall } from "./simulate";
import { podsPerNode, simulateNodes } from "./nodes";

const FIXTURES = join(__dirname, "../../fixtures/calendar/sim");
const base = parseProfile(readFileSync(join(FIXTURES, "profile.json"), "utf8"), "profile.json");
/** The fixtures' profile with every lead left to the ramp model. */
const strict: LoadProfile = {
  ...base,
  services: Object.fromEntries(Object.entries(base.services).map(([n, s]) => [n, { ...s, leadMinutes: 0 }])),
};
const timing = profileTiming(strict);
/** A 500m / 1 GiB pod plus the mesh sidecar's 100m / 128 MiB on an m7i.xlarge (3,920m and 14,836 MiB allocatable). */
const PODS_PER_NODE = podsPerNode(
  { millicores: 600, mebibytes: 1152 },
  { millicores: 3920, mebibytes: 14836 },
);
/** The `general` pool's consolidateAfter (components/cluster/defaults.ts). */
const CONSOLIDATE_AFTER = 300;
/** The placeholder ScaledObject's cooldownPeriod (kubernetes/placeholder.ts). */
const PLACEHOLDER_COOLDOWN = 30;

interface Case {
  readonly file: string;
  readonly from: string;
  readonly to: string;
  readonly regions: readonly string[];
  readonly budget: number;
}

const CASES: readonly Case[] = [
  {
    file: "overlapping.ics",
    from: "2026-10-04T00:00:00Z",
    to: "2026-10-26T00:00:00Z",
    regions: ["eu-west-2"],
    budget: 50,
  },
  {
    file: "midnight.ics",
    from: "2026-10-01T00:00:00Z",
    to: "2026-10-20T00:00:00Z",
    regions: ["us-east-1"],
    budget: 50,
  },
  {
    file: "dst-europe.ics",
    from: "2026-10-20T00:00:00Z",
    to: "2026-11-02T00:00:00Z",
    regions: ["eu-west-2"],
    budget: 50,
  },
  {
    file: "dst-us.ics",
    from: "2026-03-03T00:00:00Z",
    to: "2026-03-16T00:00:00Z",
    regions: ["us-east-1"],
    budget: 50,
  },
  {
    file: "exam-week.ics",
    from: "2026-12-03T00:00:00Z",
    to: "2026-12-14T00:00:00Z",
    regions: ["eu-west-2"],
    budget: 50,
  },
  {
    file: "exdate.ics",
    from: "2026-10-01T00:00:00Z",
    to: "2026-11-20T00:00:00Z",
    regions: ["eu-west-2"],
    budget: 50,
  },
  {
    file: "three-regions.json",
    from: "2026-10-10T00:00:00Z",
    to: "2026-11-10T00:00:00Z",
    regions: ["eu-west-2", "us-east-1", "ap-northeast-1"],
    budget: 50,
  },
  {
    file: "dense-term.ics",
    from: "2026-09-20T00:00:00Z",
    to: "2026-12-29T00:00:00Z",
    regions: ["eu-west-2"],
    budget: 8,
  },
];

interface Run {
  readonly series: NeedSeries;
  readonly result: CompileResult;
}

function compile(c: Case, preProvision: boolean): Run[] {
  const horizon = { from: Date.parse(c.from), to: Date.parse(c.to) };
  const text = readFileSync(join(FIXTURES, c.file), "utf8");
  const options = { file: c.file, kinds: allowedKinds(strict), regions: c.regions, horizon };
  const windows = c.file.endsWith(".json") ? parseJsonCalendar(text, options) : parseIcs(text, options);
  const series = needSeries(windows, strict, { regions: c.regions, horizon });
  const results = compileAll(series, strict, { triggerBudget: c.budget, timing, horizon, preProvision });
  return series.map((s, i) => ({ series: s, result: results[i]! }));
}

/** Ready pods of the service when its pods and (unless `placeholders` is false) its placeholders share nodes. */
function readyOnNodes(
  c: Case,
  run: Run,
  placeholders: boolean,
  pods = PODS_PER_NODE,
  consolidateAfterSeconds = CONSOLIDATE_AFTER,
) {
  const horizon = { from: Date.parse(c.from), to: Date.parse(c.to) };
  const own = simulate(run.result.schedule, { ...horizon, timing }).desired;
  const held: Segment[] =
    placeholders && run.result.preProvision !== undefined
      ? simulate(run.result.preProvision.schedule, {
          ...horizon,
          timing,
          cooldownSeconds: PLACEHOLDER_COOLDOWN,
        }).desired
      : [{ start: horizon.from, end: horizon.to, replicas: 0 }];
  return simulateNodes(own, held, {
    ...horizon,
    timing,
    podsPerNode: pods,
    consolidateAfterSeconds,
  });
}

/** Every window a shortfall falls in, named: `eu-west-2/web exam-morning@2026-12-07T09:00:00.000Z`. */
function shortWindows(run: Run, gaps: readonly Shortfall[]): string[] {
  return run.series.windows
    .filter((w) => gaps.some((g) => g.start < w.end && g.end > w.start))
    .map((w) => `${run.series.region}/${run.series.service} ${w.occurrenceId}`);
}

const report: string[] = [];
afterAll(() => {
  if (process.env.SIM_REPORT) console.log(report.join("\n"));
});

describe("pre-provisioned nodes (placeholders preempted by the service's pods, Karpenter for the rest)", () => {
  it("fits several pods per node with the sizes the test assumes", () => {
    expect(PODS_PER_NODE).toBe(6);
  });

  it.each(CASES)(
    "$file: 100% Ready on nodes, every scale-out's lead shorter than without placeholders",
    (c) => {
      const withPlaceholders = compile(c, true);
      expect(withPlaceholders.reduce((n, r) => n + r.series.windows.length, 0)).toBeGreaterThan(0);
      let saved = 0;
      let leads = 0;
      for (const run of withPlaceholders) {
        const nodes = readyOnNodes(c, run, true);
        expect(shortWindows(run, uncovered(run.series.need, nodes.ready))).toEqual([]);
        const pre = run.result.preProvision!;
        expect(run.result.leads.map((l) => l.occurrenceId)).toEqual(
          pre.leadsWithout.map((l) => l.occurrenceId),
        );
        run.result.leads.forEach((l, i) => {
          // A window that needs no scale-out (a higher one already holds its level) has no lead either way.
          const without = pre.leadsWithout[i]!.minutes;
          if (without === 0) expect(l.minutes).toBe(0);
          else expect(l.minutes).toBeLessThan(without);
          saved += pre.leadsWithout[i]!.minutes - l.minutes;
          leads++;
        });
        report.push(
          `${c.file} ${run.series.region}/${run.series.service}: ${nodes.nodesLaunched} nodes (${nodes.placeholderOnlyNodes} never ran a pod of it), ${nodes.preemptions} preemptions, ` +
            `${nodes.emptyNodeMinutes.toFixed(0)} empty node-minutes; scheduled ${Math.round(pre.scheduledReplicaMinutesWithout)} -> ` +
            `${Math.round(run.result.stats.scheduledReplicaMinutes)} replica-minutes + ${Math.round(pre.reservedReplicaMinutes)} placeholder`,
        );
      }
      report.push(
        `${c.file}: ${leads} windows, leads ${(saved / Math.max(1, leads)).toFixed(2)} minutes shorter on average`,
      );
    },
  );

  it("covers the exam week with one pod per node (each scale-out pod needs its own node)", () => {
    const c = CASES.find((x) => x.file === "exam-week.ics")!;
    for (const run of compile(c, true)) {
      const nodes = readyOnNodes(c, run, true, 1);
      expect(shortWindows(run, uncovered(run.series.need, nodes.ready))).toEqual([]);
    }
  });

  it("still covers every window with the long leads and no placeholders (the node model agrees with the old lead)", () => {
    const c = CASES.find((x) => x.file === "overlapping.ics")!;
    for (const run of compile(c, false)) {
      expect(shortWindows(run, uncovered(run.series.need, readyOnNodes(c, run, false).ready))).toEqual([]);
    }
  });
});

describe("negative control: the short leads without their placeholders", () => {
  it("falls short when the pool consolidates emptied nodes before the service's pods arrive", () => {
    const c = CASES.find((x) => x.file === "exam-week.ics")!;
    const runs = compile(c, true);
    expect(Math.max(...runs.map((r) => r.result.preProvision!.emptyNodeSeconds))).toBeGreaterThan(30);
    const short = runs.flatMap((run) =>
      shortWindows(run, uncovered(run.series.need, readyOnNodes(c, run, true, PODS_PER_NODE, 30).ready)),
    );
    expect(short.length).toBeGreaterThan(0);
  });

  it.each(CASES.filter((c) => ["exam-week.ics", "overlapping.ics", "three-regions.json"].includes(c.file)))(
    "$file falls short, in named windows",
    (c) => {
      const short = compile(c, true).flatMap((run) =>
        shortWindows(run, uncovered(run.series.need, readyOnNodes(c, run, false).ready)),
      );
      expect(short.length).toBeGreaterThan(0);
      expect(short[0]).toMatch(/^[a-z]+-[a-z]+-\d\/[a-z]+ \S+@\d{4}-\d\d-\d\dT\S+Z$/);
      report.push(`negative control ${c.file}: ${short.length} window(s) short, first ${short[0]}`);
    },
  );
});
