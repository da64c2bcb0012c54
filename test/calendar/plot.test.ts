import fc from "fast-check";
import {
  buildPlotSpec,
  envelope,
  plotCapacity,
  resolution,
  timeTicks,
  windowBands,
} from "../../components/calendar/report/plot";
import type { CalendarWindow, CompileResult, NeedSeries, Segment } from "../../components/calendar/types";

const H = 3_600_000;
const DAY = 24 * H;
const FROM = Date.UTC(2026, 8, 7); // Monday

function window(id: string, region: string, kind: string, startH: number, endH: number): CalendarWindow {
  return {
    eventId: id,
    occurrenceId: `${id}@${startH}`,
    summary: id,
    kind,
    region,
    learners: 100,
    start: FROM + startH * H,
    end: FROM + endH * H,
    timezone: "UTC",
    source: { file: "t.json" },
  };
}

function fixture(regions: string[], services: string[]): { series: NeedSeries[]; results: CompileResult[] } {
  const series: NeedSeries[] = [];
  const results: CompileResult[] = [];
  for (const region of regions) {
    for (const service of services) {
      const need = [
        { start: FROM, end: FROM + 9 * H, replicas: 0 },
        { start: FROM + 9 * H, end: FROM + 11 * H, replicas: 3 },
        { start: FROM + 11 * H, end: FROM + 2 * DAY, replicas: 0 },
      ];
      const scheduled = [
        { start: FROM, end: FROM + 8 * H, replicas: 1 },
        { start: FROM + 8 * H, end: FROM + 12 * H, replicas: 4 },
        { start: FROM + 12 * H, end: FROM + 2 * DAY, replicas: 1 },
      ];
      series.push({
        region,
        service,
        need,
        windows: [window(`${region}-${service}`, region, "lecture", 9, 11)],
      });
      results.push({
        schedule: { region, service, minReplicaCount: 1, maxReplicaCount: 8, triggers: [], behavior: {} },
        required: scheduled,
        headroom: [],
        scheduled,
        stats: {
          form: "dated",
          exactTriggers: 1,
          emittedTriggers: 1,
          neededReplicaMinutes: 360,
          scheduledReplicaMinutes: 3600,
          coverage: region === "us-east-1" ? 0.9876 : 1,
          excessRatio: 10,
          headroomReplicaMinutes: 0,
          zoneLossCoverage: null,
        },
        leads: [],
        warnings: [],
      });
    }
  }
  return { series, results };
}

/** The value of a step line at instant t. */
function valueAt(points: readonly { t: number; replicas: number }[], t: number): number {
  let v = 0;
  for (const p of points) if (p.t <= t) v = p.replicas;
  return v;
}

function segmentValue(segments: readonly Segment[], t: number): number {
  return segments.find((s) => s.start <= t && t < s.end)?.replicas ?? 0;
}

describe("plotCapacity", () => {
  it("draws one titled panel per region and service, with coverage and excess in its subtitle", async () => {
    const { series, results } = fixture(["eu-west-2", "us-east-1"], ["api", "video"]);
    const svg = await plotCapacity({ horizon: { from: FROM, to: FROM + 2 * DAY }, series, results });
    expect(svg.startsWith("<svg")).toBe(true);
    for (const title of ["eu-west-2 · api", "eu-west-2 · video", "us-east-1 · api", "us-east-1 · video"]) {
      expect(svg).toContain(`>${title}</text>`);
    }
    expect(svg.match(/aria-roledescription="subtitle"/g)).toHaveLength(5);
    expect(svg).toContain(">coverage 100% · excess 10.00× · 0 triggers</tspan>");
    // A shortfall is never rounded up to 100%.
    expect(svg).toContain(">coverage 98.7% · excess 10.00× · 0 triggers</tspan>");
    expect(svg).toContain(">1 windows · peak 4 replicas (max 8)</tspan>");
    for (const label of ["need", "required", "scheduled", "lecture"])
      expect(svg).toContain(`>${label}</text>`);
  });

  it("labels the time axis with UTC days", async () => {
    const { series, results } = fixture(["eu-west-2"], ["api"]);
    const svg = await plotCapacity({ horizon: { from: FROM, to: FROM + 5 * DAY }, series, results });
    for (const day of ["Mon 07 Sep", "Tue 08 Sep", "Wed 09 Sep", "Thu 10 Sep", "Fri 11 Sep"]) {
      expect(svg).toContain(`>${day}</text>`);
    }
  });
});

describe("buildPlotSpec", () => {
  it("lays out regions as rows and services as columns", () => {
    const { series, results } = fixture(["us-east-1", "eu-west-2"], ["video", "api", "tutor"]);
    const spec = buildPlotSpec({ horizon: { from: FROM, to: FROM + DAY }, series, results }) as unknown as {
      vconcat: { hconcat: { title: { text: string } }[] }[];
    };
    expect(spec.vconcat.map((row) => row.hconcat.map((p) => p.title.text))).toEqual([
      ["eu-west-2 · api", "eu-west-2 · tutor", "eu-west-2 · video"],
      ["us-east-1 · api", "us-east-1 · tutor", "us-east-1 · video"],
    ]);
  });
});

describe("envelope", () => {
  it("keeps the peak of each bucket and closes the line at the horizon's end", () => {
    const segments = [
      { start: 0, end: 10, replicas: 1 },
      { start: 10, end: 11, replicas: 9 },
      { start: 11, end: 40, replicas: 2 },
    ];
    expect(envelope(segments, 0, 40, 20)).toEqual([
      { t: 0, replicas: 9 },
      { t: 20, replicas: 2 },
      { t: 40, replicas: 2 },
    ]);
  });

  it("aligns buckets to an origin and starts at the horizon", () => {
    expect(envelope([{ start: 5, end: 25, replicas: 3 }], 5, 25, 10, 0)).toEqual([
      { t: 5, replicas: 3 },
      { t: 25, replicas: 3 },
    ]);
  });

  const steps = fc
    .array(fc.tuple(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 30 })), {
      minLength: 1,
      maxLength: 30,
    })
    .map((parts) => {
      let t = 0;
      return parts.map(([len, replicas]) => {
        const s = { start: t, end: t + len, replicas };
        t += len;
        return s;
      });
    });

  it("never draws a step function below itself (property)", () => {
    fc.assert(
      fc.property(steps, fc.integer({ min: 1, max: 40 }), (segments, bucket) => {
        const to = segments[segments.length - 1].end;
        const points = envelope(segments, 0, to, bucket);
        for (let t = 0; t < to; t++) if (valueAt(points, t) < segmentValue(segments, t)) return false;
        return true;
      }),
      { numRuns: 200 },
    );
  });

  it("keeps scheduled >= need on the picture when it holds in the data (property)", () => {
    fc.assert(
      fc.property(
        steps,
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1, max: 40 }),
        (need, extra, bucket) => {
          const scheduled = need.map((s) => ({ ...s, replicas: s.replicas + extra }));
          const to = need[need.length - 1].end;
          const a = envelope(need, 0, to, bucket);
          const b = envelope(scheduled, 0, to, bucket);
          for (let t = 0; t < to; t++) if (valueAt(b, t) < valueAt(a, t)) return false;
          return true;
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("windowBands", () => {
  it("merges windows of a kind that touch after snapping to buckets, and keeps kinds apart", () => {
    const windows = [
      window("a", "eu-west-2", "lecture", 9, 10),
      window("b", "eu-west-2", "lecture", 10.2, 11),
      window("c", "eu-west-2", "lecture", 15, 16),
      window("d", "eu-west-2", "exam", 9, 12),
    ];
    expect(windowBands(windows, FROM, FROM + DAY, H)).toEqual([
      { start: FROM + 9 * H, end: FROM + 12 * H, kind: "exam" },
      { start: FROM + 9 * H, end: FROM + 11 * H, kind: "lecture" },
      { start: FROM + 15 * H, end: FROM + 16 * H, kind: "lecture" },
    ]);
  });
});

describe("resolution and ticks", () => {
  it("samples about a pixel per bucket for short horizons and whole UTC days for long ones", () => {
    expect(resolution(FROM, FROM + 7 * DAY, 600)).toEqual({ bucketMs: 17 * 60_000, daily: false });
    expect(resolution(FROM, FROM + 100 * DAY, 600)).toEqual({ bucketMs: DAY, daily: true });
  });

  it("ticks every day for a week, on Mondays for a term, and every three hours within a day", () => {
    expect(timeTicks(FROM, FROM + 3 * DAY, 600)).toEqual({
      values: [FROM, FROM + DAY, FROM + 2 * DAY, FROM + 3 * DAY],
      format: "%a %d %b",
    });
    const term = timeTicks(FROM - 2 * DAY, FROM + 100 * DAY, 600);
    expect(term.format).toBe("%d %b");
    expect(term.values.every((t) => new Date(t).getUTCDay() === 1)).toBe(true);
    expect(term.values[0]).toBe(FROM);
    expect(timeTicks(FROM, FROM + DAY, 600).values).toHaveLength(9);
  });
});

describe("the forecast's line", () => {
  const domains = (spec: unknown): string[][] => {
    const found: string[][] = [];
    JSON.stringify(spec, (k, v: unknown) => {
      if (
        k === "color" &&
        v !== null &&
        typeof v === "object" &&
        "field" in v &&
        (v as { field: string }).field === "line"
      )
        found.push((v as { scale: { domain: string[] } }).scale.domain);
      return v;
    });
    return found;
  };

  it("is drawn and in the legend with a learned profile's forecast, and absent without one", () => {
    const { series, results } = fixture(["eu-west-2"], ["api"]);
    const horizon = { from: FROM, to: FROM + DAY };
    expect(domains(buildPlotSpec({ horizon, series, results }))[0]).toEqual([
      "need",
      "required",
      "scheduled",
      "headroom",
    ]);
    const forecastRequired = [{ start: FROM, end: FROM + 2 * DAY, replicas: 2 }];
    const withForecast = results.map((r) => ({ ...r, forecastRequired }));
    const spec = buildPlotSpec({ horizon, series, results: withForecast });
    expect(domains(spec)[0]).toEqual(["need", "required", "scheduled", "headroom", "forecast"]);
    expect(JSON.stringify(spec)).toContain('"line":"forecast"');
  });
});
