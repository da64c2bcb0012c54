/**
 * The forecast-aware schedule end to end through the independent simulator (KEDA polls, HPA syncs, pod start-up):
 * with a learned baseline, Ready stays >= need (the baseline's forecast plus the windows) at every instant, across
 * the end of British Summer Time; compiled without the forecast, the same need is short (negative control).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compileAll } from "../../../components/calendar/compile/compile";
import { parseIcs } from "../../../components/calendar/input/ics";
import { allowedKinds, parseProfile, profileTiming } from "../../../components/calendar/input/profile";
import { forecastReplicas } from "../../../components/calendar/model/baseline";
import { needSeries } from "../../../components/calendar/model/need";
import type { LoadProfile, NeedSeries } from "../../../components/calendar/types";
import { simulate, uncovered, uncoveredMinutes } from "../sim/simulate";
import { baselineFor, diurnal, withBaseline } from "./support";

const FIXTURES = join(__dirname, "../../fixtures/calendar/sim");
const handProfile = parseProfile(readFileSync(join(FIXTURES, "profile.json"), "utf8"), "profile.json");
const profile: LoadProfile = withBaseline(
  handProfile,
  baselineFor("eu-west-2", "Europe/London", { web: diurnal(30, 1500, 150), assess: diurnal(30, 300, 20) }),
);
const horizon = { from: Date.parse("2026-10-20T00:00:00Z"), to: Date.parse("2026-11-02T00:00:00Z") };
const regions = ["eu-west-2"];
const windows = parseIcs(readFileSync(join(FIXTURES, "dst-europe.ics"), "utf8"), {
  file: "dst-europe.ics",
  kinds: allowedKinds(profile),
  regions,
  horizon,
});
const timing = profileTiming(profile);
const forecast = (region: string, service: string) => ({
  quantile: 0.9,
  replicas: forecastReplicas(profile, region, service, 0.9, horizon)!,
});
const withForecast = needSeries(windows, profile, { regions, horizon, forecast });

function gaps(compiled: readonly NeedSeries[], weeklyPatterns = false) {
  const results = compileAll(compiled, profile, { triggerBudget: 50, timing, horizon, weeklyPatterns });
  return results.map((r, i) => {
    const sim = simulate(r.schedule, { from: horizon.from, to: horizon.to, timing });
    // Always scored against the need with the forecast: what the learners bring.
    return { result: r, gaps: uncovered(withForecast[i]!.need, sim.ready) };
  });
}

describe("forecast-aware schedules in simulation", () => {
  it("keep Ready >= the forecast plus the windows at every instant, dated and weekly forms", () => {
    for (const weekly of [false, true]) {
      const runs = gaps(withForecast, weekly);
      expect(runs.map((r) => `${r.result.schedule.service}: ${uncoveredMinutes(r.gaps)} min`)).toEqual([
        "web: 0 min",
        "assess: 0 min",
      ]);
      expect(runs.every((r) => r.result.stats.coverage === 1)).toBe(true);
    }
  });

  it("fall short by hours when compiled from the calendar alone (negative control)", () => {
    const calendarOnly = withForecast.map(({ forecast: _, ...rest }) => ({
      ...rest,
      need: needSeries(windows, handProfile, { regions, horizon }).find((s) => s.service === rest.service)!
        .need,
    }));
    const runs = gaps(calendarOnly);
    for (const r of runs) expect(uncoveredMinutes(r.gaps)).toBeGreaterThan(60 * 24);
  });

  it("split required replica-minutes into the forecast's part and the calendar's above it", () => {
    const [web] = gaps(withForecast).map((r) => r.result);
    expect(web!.forecastRequired).toBeDefined();
    // The forecast alone never asks for more than the whole requirement.
    for (const f of web!.forecastRequired!) {
      const covering = web!.required.filter((s) => s.start < f.end && s.end > f.start);
      for (const s of covering) expect(s.replicas).toBeGreaterThanOrEqual(f.replicas);
    }
  });
});
