import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseProfile } from "../../../components/calendar/input/profile";
import { compileCalendar } from "../../../components/calendar";
import { AWS_REGION_RULE } from "../../../components/core";
import { baselineFor, diurnal } from "./support";

const service = { learnersPerReplica: 100, minReplicas: 1, maxReplicas: 40, leadMinutes: 5, tailMinutes: 5 };
const hand = { services: { web: service }, kinds: { lecture: { web: 1 } } };
const baseline = baselineFor("eu-west-2", "Europe/London", { web: diurnal(60, 900, 100) }, 60);
const learned = {
  unit: "concurrent learners",
  synthetic: true,
  history: { file: "history.csv", sha256: "a".repeat(64) },
  trainedFrom: "2026-09-07T00:00:00Z",
  trainedTo: "2026-10-05T00:00:00Z",
  shareQuantile: 0.99,
  attendance: {
    lecture: { web: { estimate: 0.8, low: 0.75, high: 0.85, samples: 40, quantiles: { "0.99": 1 } } },
  },
  capacity: { web: { estimate: 110, low: 100, high: 120, samples: 300, latencyObjectiveMs: 500 } },
  fit: { "eu-west-2": { web: { slots: 8000, r2: 0.97, mae: 12.5, relativeMae: 0.04 } } },
};
const text = (x: unknown) => JSON.stringify(x);

describe("a learned profile's baseline and provenance", () => {
  it("parse with the hand-written schema's fields", () => {
    const profile = parseProfile(text({ ...hand, baseline, learned }), "learned.json");
    expect(profile.baseline?.quantiles).toEqual([0.5, 0.9]);
    expect(profile.learned?.capacity.web?.latencyObjectiveMs).toBe(500);
  });

  it("refuse a wrong slot count, decreasing quantiles, a stray quantile, an unknown service, zone and region", () => {
    const levels = baseline.series["eu-west-2"]!.web!.levels;
    const bad = {
      ...hand,
      baseline: {
        quantiles: [0.9, 0.5],
        slotMinutes: 60,
        series: {
          "eu-west-9": { web: { zone: "Europe/London", levels } },
          "eu-west-2": {
            web: { zone: "Europe/Londn", levels: { "0.5": levels["0.5"], "0.9": levels["0.9"].slice(1) } },
            api: { zone: "Europe/London", levels: { ...levels, "0.95": levels["0.9"] } },
          },
        },
      },
    };
    expect(() => parseProfile(text(bad), "learned.json")).toThrow(
      [
        "Invalid input in learned.json (6 problems):",
        `  - \`baseline.series.eu-west-9\`: got "eu-west-9"; ${AWS_REGION_RULE}`,
        '  - `baseline.series.eu-west-2.web.zone`: got "Europe/Londn"; must be an IANA time zone name such as Europe/London',
        "  - `baseline.quantiles`: got [0.9,0.5]; must be strictly ascending",
        '  - `baseline.series.eu-west-2.web.levels.0.9`: got "167 slots"; must hold one load per slot of the week: 168 slots of baseline.slotMinutes',
        '  - `baseline.series.eu-west-2.api`: got "api"; names a service that `services` does not define; use one of web',
        '  - `baseline.series.eu-west-2.api.levels.0.95`: got "0.95"; is not one of baseline.quantiles (0.9, 0.5)',
      ].join("\n"),
    );
  });

  it("refuse levels that decrease as the quantile rises, naming the slot", () => {
    const levels = baseline.series["eu-west-2"]!.web!.levels;
    const swapped = {
      ...baseline,
      series: {
        "eu-west-2": {
          web: { zone: "Europe/London", levels: { "0.5": levels["0.9"], "0.9": levels["0.5"] } },
        },
      },
    };
    expect(() => parseProfile(text({ ...hand, baseline: swapped }), "learned.json")).toThrow(
      "  - `baseline.series.eu-west-2.web.levels.0.9[0]`: got 100; is below quantile 0.5's 120; levels must not decrease as the quantile rises",
    );
  });
});

describe("compileCalendar with a learned profile", () => {
  const dir = mkdtempSync(join(tmpdir(), "semester-forecast-"));
  const calendar = join(dir, "calendar.json");
  writeFileSync(
    calendar,
    text({
      events: [
        {
          id: "cs101",
          kind: "lecture",
          region: "eu-west-2",
          learners: 1200,
          timezone: "Europe/London",
          start: "2026-10-05T10:00:00",
          end: "2026-10-05T11:00:00",
        },
      ],
    }),
  );
  const write = (name: string, profile: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, text(profile));
    return path;
  };
  const base = { calendarPath: calendar, from: Date.parse("2026-10-05T00:00:00Z"), days: 1 };

  it("adds the forecast to the window before rounding, at the baseline's highest quantile by default", () => {
    const schedule = compileCalendar({ ...base, profilePath: write("learned.json", { ...hand, baseline }) });
    const [series] = schedule.series;
    expect(series!.forecast?.quantile).toBe(0.9);
    // Monday 10:00-11:00 BST = 09:00Z: the 10:00 local slot's 0.9 level, plus 1200 learners, over 100 per replica.
    const slot = baseline.series["eu-west-2"]!.web!.levels["0.9"][10]!;
    const at = Date.parse("2026-10-05T09:30:00Z");
    expect(series!.need.find((s) => s.start <= at && at < s.end)!.replicas).toBe(
      Math.ceil((slot + 1200) / 100),
    );
    expect(schedule.results[0]!.stats.coverage).toBe(1);
  });

  it("refuses a quantile the baseline does not carry, and one without a baseline, naming where it was set", () => {
    const learnedPath = write("learned.json", { ...hand, baseline });
    expect(() =>
      compileCalendar({
        ...base,
        profilePath: learnedPath,
        profileName: "learned.json",
        forecastQuantile: 0.95,
        forecastQuantileSource: {
          source: "stacks/Pulumi.prod.yaml",
          path: "semester:calendar.forecastQuantile",
        },
      }),
    ).toThrow(
      "Invalid input in stacks/Pulumi.prod.yaml (1 problem):\n" +
        "  - `semester:calendar.forecastQuantile`: got 0.95; must be one of the quantiles learned.json's baseline carries: 0.5, 0.9",
    );
    expect(() =>
      compileCalendar({
        ...base,
        profilePath: write("hand.json", hand),
        profileName: "hand.json",
        forecastQuantile: 0.9,
      }),
    ).toThrow(
      "Invalid input in compileCalendar options (1 problem):\n" +
        "  - `forecastQuantile`: got 0.9; needs a learned profile with a baseline; hand.json has none (npm run learn writes one)",
    );
  });

  it("warns for a series the baseline does not cover and sizes it from the calendar alone", () => {
    const other = { ...baseline, series: { "us-east-1": baseline.series["eu-west-2"]! } };
    const schedule = compileCalendar({
      ...base,
      profilePath: write("other.json", { ...hand, baseline: other }),
    });
    expect(schedule.series[0]!.forecast).toBeUndefined();
    expect(schedule.warnings).toEqual([
      "web in eu-west-2: the learned baseline has no series for it; the calendar alone sizes it",
    ]);
  });
});
