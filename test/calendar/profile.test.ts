import { readFileSync } from "fs";
import { join } from "path";
import { loadCalendarFile, loadProfileFile } from "../../components/calendar/input/load";
import { needSeries, shortfallWarnings } from "../../components/calendar/model/need";
import {
  DEFAULT_KINDS,
  DEFAULT_TIMING,
  allowedKinds,
  parseProfile,
  profileTiming,
} from "../../components/calendar/input/profile";

const ROOT = join(__dirname, "..", "..");
const BAD = join(ROOT, "test/fixtures/calendar/bad");
const service = { learnersPerReplica: 100, minReplicas: 1, maxReplicas: 10, leadMinutes: 5, tailMinutes: 5 };
const valid = { services: { web: service }, kinds: { lecture: { web: 1 } } };

describe("parseProfile", () => {
  it("accepts a valid profile and extends the default kinds with its own", () => {
    const profile = parseProfile(
      JSON.stringify({ ...valid, kinds: { ...valid.kinds, hackathon: { web: 0.5 } } }),
      "p.json",
    );
    expect(allowedKinds(profile)).toEqual([...DEFAULT_KINDS, "hackathon"]);
    expect(DEFAULT_KINDS).toEqual(["lecture", "exam", "launch", "enrollment", "live"]);
  });

  it("overrides the timing defaults with the profile's timing", () => {
    expect(DEFAULT_TIMING).toEqual({
      kedaPollingSeconds: 30,
      hpaSyncSeconds: 15,
      podReadySeconds: 90,
      nodeProvisionSeconds: 120,
      nodeBatchSeconds: 10,
      preemptionSeconds: 5,
      hpaTolerance: 0.1,
    });
    const profile = parseProfile(JSON.stringify({ ...valid, timing: { podReadySeconds: 45 } }), "p.json");
    expect(profileTiming(profile)).toEqual({ ...DEFAULT_TIMING, podReadySeconds: 45 });
    expect(profileTiming(parseProfile(JSON.stringify(valid), "p.json"))).toEqual(DEFAULT_TIMING);
  });

  it("reports schema, key-spelling and cross-field problems of profile-bad.json in one error", () => {
    expect(() => loadProfileFile(join(BAD, "profile-bad.json"))).toThrow(
      [
        `Invalid input in ${BAD}/profile-bad.json (8 problems):`,
        "  - `services.ai-tutor.learnersPerReplica`: got 0; must be > 0",
        "  - `services.ai-tutor.leadMinutes`: got -5; must be >= 0",
        "  - `services.enrollment.minReplicas`: got 1.5; must be an integer >= 0",
        "  - `services.enrollment.maxReplica`: got 40; unknown key; allowed keys here: learnersPerReplica, minReplicas, maxReplicas, leadMinutes, tailMinutes, zoneSpread",
        "  - `kinds.exam.enrollment`: got -1; must be >= 0",
        "  - `timing.kedaPolling`: got 30; unknown key; allowed keys here: kedaPollingSeconds, hpaSyncSeconds, podReadySeconds, nodeProvisionSeconds, nodeBatchSeconds, preemptionSeconds, hpaTolerance",
        "  - `services.ai-tutor.minReplicas`: got 4; is above maxReplicas 2; minReplicas must be <= maxReplicas",
        "  - `kinds.lecture.course-catalog`: got 0.3; names a service that `services` does not define; use one of ai-tutor, enrollment",
      ].join("\n"),
    );
  });

  it("rejects minReplicas above maxReplicas and shares for unknown services", () => {
    const text = readFileSync(join(BAD, "profile-min-above-max.json"), "utf8");
    expect(() => parseProfile(text, "profile-min-above-max.json")).toThrow(
      "Invalid input in profile-min-above-max.json (2 problems):\n" +
        "  - `services.ai-tutor.minReplicas`: got 4; is above maxReplicas 2; minReplicas must be <= maxReplicas\n" +
        "  - `kinds.lecture.course-catalog`: got 0.3; names a service that `services` does not define; use one of ai-tutor",
    );
  });

  it("rejects service names that cannot name Kubernetes objects, and JSON that does not parse", () => {
    const text = JSON.stringify({ services: { Web_App: service }, kinds: {} });
    expect(() => parseProfile(text, "p.json")).toThrow(
      "Invalid input in p.json (1 problem):\n" +
        '  - `services.Web_App`: got "Web_App"; a service name must be a DNS label (lowercase letters, digits and -)',
    );
    // The parser's own words differ between Node versions; the rest of the message does not.
    expect(() => parseProfile("{", "p.json")).toThrow(
      /^Invalid input in p\.json \(1 problem\):\n {2}- `\(file\)`: got "Expected property name[^"]*"; must be valid JSON$/,
    );
  });
});

describe("the stack's calendar and profile (stacks/calendar)", () => {
  const profile = loadProfileFile(join(ROOT, "stacks/calendar/profile.json"));
  const horizon = { from: Date.parse("2026-09-01T00:00:00Z"), to: Date.parse("2027-01-01T00:00:00Z") };
  const regions = ["ap-northeast-1", "eu-west-2", "us-east-1"];
  const windows = loadCalendarFile(join(ROOT, "stacks/calendar/autumn-term.ics"), {
    kinds: allowedKinds(profile),
    regions,
    horizon,
  });

  it("sizes the six learning services", () => {
    expect(Object.keys(profile.services)).toEqual([
      "course-catalog",
      "assessment-engine",
      "enrollment",
      "learner-profile",
      "analytics",
      "ai-tutor",
    ]);
  });

  it("covers every peak of the sample within maxReplicas (no shortfall warnings)", () => {
    const series = needSeries(windows, profile, { regions, horizon });
    expect(series.flatMap((s) => shortfallWarnings(s, profile))).toEqual([]);
    const peak = (region: string, svc: string): number =>
      Math.max(...series.find((s) => s.region === region && s.service === svc)!.need.map((n) => n.replicas));
    expect(peak("eu-west-2", "assessment-engine")).toBe(30); // midterm: 1750 learners / 60
    expect(peak("ap-northeast-1", "enrollment")).toBe(29); // launch: 12000 * 0.6 / 250 = 28.8
    expect(peak("us-east-1", "enrollment")).toBe(26); // enrollment opens: 6500 / 250
    expect(peak("eu-west-2", "ai-tutor")).toBe(17); // overlapping lectures: 2750 * 0.15 / 25 = 16.5
  });
});
