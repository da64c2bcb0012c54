/**
 * What is written is what is read: `npm run history`'s own CSV parses back to its samples, and any generated valid
 * history, in any row order and zone offset, parses back to the same points and gaps (fast-check).
 */
import fc from "fast-check";
import { exportHistory } from "../../../cli/history/export";
import type { FetchLike } from "../../../cli/history/promql";
import { DAY_MS, MINUTE_MS } from "../../../components/core";
import { EXPORTED_LOAD_UNIT, parseHistory, type HistoryPoint } from "../../../components/forecast";

const FROM = Date.parse("2026-09-07T08:00:00Z");

/** A Prometheus matrix answer with `values` (epoch s -> value), as the HTTP API writes it. */
const matrix = (values: [number, string][]): string =>
  JSON.stringify({
    status: "success",
    data: { resultType: "matrix", result: values.length ? [{ metric: {}, values }] : [] },
  });

describe("the exporter's CSV", () => {
  it("parses back to the samples it was written from, missing samples as gaps", async () => {
    const s = FROM / 1000;
    // course-catalog in us-east-1: load at 08:00, 08:01, 08:03 (none at 08:02), replicas always, p95 sometimes.
    const answers: Record<string, [number, string][]> = {
      load: [
        [s, "41.2"],
        [s + 60, "45.5333"],
        [s + 180, "0"],
      ],
      replicas: [
        [s, "3"],
        [s + 60, "3"],
        [s + 120, "4"],
        [s + 180, "4"],
      ],
      p95: [
        [s, "0.1875"],
        [s + 180, "0.24"],
      ],
    };
    const fetch: FetchLike = async (url) => {
      const u = new URL(url);
      const q = u.searchParams.get("query") ?? "";
      const kind = q.includes("histogram_quantile") ? "p95" : q.includes("replicas") ? "replicas" : "load";
      const served = u.hostname === "prometheus-us.example" && q.includes("course-catalog");
      return { status: 200, text: async () => matrix(served ? answers[kind]! : []) };
    };
    const text = await exportHistory(
      {
        stack: "staging",
        sources: [
          { region: "us-east-1", url: "http://prometheus-us.example:9090" },
          { region: "eu-west-2", url: "http://prometheus-eu.example:9090" },
        ],
        services: [
          { name: "course-catalog", namespace: "learning" },
          { name: "enrollment", namespace: "learning" },
        ],
        from: FROM,
        to: FROM + 4 * MINUTE_MS,
      },
      { fetch },
    );
    const history = parseHistory(text, "staging.csv");
    expect([history.unit, history.synthetic, history.stepMs]).toEqual([EXPORTED_LOAD_UNIT, false, MINUTE_MS]);
    expect([history.from, history.to]).toEqual([FROM, FROM + 4 * MINUTE_MS]);
    expect(history.series.map((x) => `${x.region} ${x.service} ${x.points.length}`)).toEqual([
      "eu-west-2 course-catalog 0",
      "eu-west-2 enrollment 0",
      "us-east-1 course-catalog 3",
      "us-east-1 enrollment 0",
    ]);
    expect(history.series[2]!.points).toEqual([
      { time: FROM, load: 41.2, replicas: 3, p95Ms: 187.5 },
      { time: FROM + MINUTE_MS, load: 45.5333, replicas: 3 },
      { time: FROM + 3 * MINUTE_MS, load: 0, replicas: 4, p95Ms: 240 },
    ]);
    const whole = { start: FROM, end: FROM + 4 * MINUTE_MS };
    expect(history.gaps).toEqual([
      { region: "eu-west-2", service: "course-catalog", ...whole },
      { region: "eu-west-2", service: "enrollment", ...whole },
      {
        region: "us-east-1",
        service: "course-catalog",
        start: FROM + 2 * MINUTE_MS,
        end: FROM + 3 * MINUTE_MS,
      },
      { region: "us-east-1", service: "enrollment", ...whole },
    ]);
  });
});

/** One slot of a generated series: no row, a row with an empty load, or a row with a load (and maybe more). */
type Slot =
  | { readonly row: false }
  | { readonly row: true; readonly load?: number; readonly replicas?: number; readonly p95Ms?: number };

const REGIONS = ["us-east-1", "eu-west-2", "ap-northeast-1"];
const SERVICES = ["analytics", "course-catalog", "enrollment"];
const OFFSETS = [0, 120, -240, 345, -570]; // minutes: Z, +02:00, -04:00, +05:45, -09:30

const slotArb: fc.Arbitrary<Slot> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ row: false } as const) },
  { weight: 1, arbitrary: fc.constant({ row: true } as const) },
  {
    weight: 4,
    arbitrary: fc.record(
      {
        row: fc.constant(true as const),
        load: fc.double({ min: 0, max: 1e6, noNaN: true }).map((v) => (v === 0 ? 0 : v)),
        replicas: fc.nat({ max: 500 }),
        p95Ms: fc.double({ min: 0, max: 1e5, noNaN: true }).map((v) => (v === 0 ? 0 : v)),
      },
      { requiredKeys: ["row", "load"] },
    ),
  },
);

/** The first two slots are rows (so the step is the generated one) and the first series has a load. */
const seriesArb = fc
  .array(slotArb, { minLength: 2, maxLength: 20 })
  .map((slots) => slots.map((s, i) => (i < 2 && !s.row ? { row: true as const } : s)));

const historyArb = fc.record({
  stepMinutes: fc.constantFrom(1, 5, 15, 60, 1440),
  origin: fc.integer({ min: 0, max: 400 * 1440 }).map((m) => Date.UTC(2025, 0, 1) + m * MINUTE_MS),
  series: fc.uniqueArray(fc.tuple(fc.constantFrom(...REGIONS), fc.constantFrom(...SERVICES), seriesArb), {
    minLength: 1,
    maxLength: 5,
    selector: ([r, s]) => `${r} ${s}`,
  }),
  seed: fc.integer(),
});

/** `ms` written in a zone offset (minutes), as ISO 8601 with that offset. */
function isoAt(ms: number, offset: number): string {
  const local = new Date(ms + offset * MINUTE_MS).toISOString().slice(0, 16);
  if (offset === 0) return `${local}Z`;
  const a = Math.abs(offset);
  return `${local}${offset < 0 ? "-" : "+"}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
}

describe("parseHistory, property", () => {
  it("reads any generated valid history back to its points and gaps, whatever the row order and zone offsets", () => {
    fc.assert(
      fc.property(historyArb, ({ stepMinutes, origin, series, seed }) => {
        const step = stepMinutes * MINUTE_MS;
        const withLoad = series.map(
          ([r, s, slots], k) =>
            [
              r,
              s,
              k === 0 ? slots.map((x, i) => (i === 0 ? { row: true as const, load: 1 } : x)) : slots,
            ] as const,
        );
        const rows: string[] = [];
        withLoad.forEach(([region, service, slots]) =>
          slots.forEach((slot, i) => {
            if (!slot.row) return;
            const offset = OFFSETS[Math.abs(seed + i + rows.length) % OFFSETS.length]!;
            const cell = (v: number | undefined) => (v === undefined ? "" : String(v));
            rows.push(
              [
                isoAt(origin + i * step, offset),
                region,
                service,
                cell(slot.load),
                cell(slot.replicas),
                cell(slot.p95Ms),
              ].join(","),
            );
          }),
        );
        // A deterministic shuffle from the seed: the file's order must not matter.
        const shuffled = rows
          .map((r, i) => [Math.sin(seed + i), r] as const)
          .sort((a, b) => a[0] - b[0])
          .map((x) => x[1]);
        const text = [
          "# load = requests per second",
          "time,region,service,load,replicas,p95_ms",
          ...shuffled,
        ].join("\n");
        const history = parseHistory(text, "gen.csv");

        const expected = [...withLoad].sort((a, b) => (a[0] + a[1] < b[0] + b[1] ? -1 : 1));
        expect(history.stepMs).toBe(step);
        expect(history.series.map((s) => [s.region, s.service])).toEqual(expected.map(([r, s]) => [r, s]));
        expected.forEach(([, , slots], k) => {
          const points: HistoryPoint[] = [];
          slots.forEach((slot, i) => {
            if (slot.row && slot.load !== undefined)
              points.push({
                time: origin + i * step,
                load: slot.load,
                ...(slot.replicas !== undefined ? { replicas: slot.replicas } : {}),
                ...(slot.p95Ms !== undefined ? { p95Ms: slot.p95Ms } : {}),
              });
          });
          expect(history.series[k]!.points).toEqual(points);
        });
        // Independent gap check: every slot from a series' first row to its last is a point or inside exactly one gap.
        expected.forEach(([region, service, slots], k) => {
          const last = slots.map((s) => s.row).lastIndexOf(true);
          const gaps = history.gaps.filter((g) => g.region === region && g.service === service);
          for (let i = 0; i <= last; i++) {
            const t = origin + i * step;
            const inGaps = gaps.filter((g) => g.start <= t && t < g.end).length;
            const isPoint = history.series[k]!.points.some((p) => p.time === t);
            expect([isPoint, inGaps]).toEqual(isPoint ? [true, 0] : [false, 1]);
          }
          expect(gaps.every((g) => g.start >= origin && g.end <= origin + (last + 1) * step)).toBe(true);
        });
        expect(history.from).toBe(origin);
        expect(history.to).toBe(
          origin + Math.max(...expected.map(([, , s]) => s.map((x) => x.row).lastIndexOf(true) + 1)) * step,
        );
        expect(step <= DAY_MS).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
