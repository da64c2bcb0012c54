import { DateTime } from "luxon";
import { ZERO_TIME } from "./robfig-cron";
import {
  CRON_METRIC_TARGET,
  TriggerTimeline,
  activeFromNext,
  isActive,
  metricValue,
  parseCronMetadata,
  type CronMetadataInput,
} from "./keda-cron";

const LON = "Europe/London";
const local = (s: string, zone: string): number => DateTime.fromISO(s, { zone }).toMillis();
const trigger = (over: Partial<CronMetadataInput> = {}) =>
  parseCronMetadata({
    name: "t",
    timezone: LON,
    start: "0 9 * * *",
    end: "0 17 * * *",
    desiredReplicas: 12,
    ...over,
  });

describe("KEDA cron metadata validation", () => {
  it("rejects identical start and end strings", () => {
    expect(() => trigger({ start: "0 9 * * *", end: "0 9 * * *" })).toThrow(
      "trigger t: error parsing cron metadata: start and end can not have exactly same time input",
    );
  });

  it("rejects a six-field spec, a descriptor and an out-of-range field with the parser's message", () => {
    expect(() => trigger({ start: "0 0 9 * * *" })).toThrow(
      "error parsing start schedule: expected exactly 5 fields, found 6: [0 0 9 * * *]",
    );
    expect(() => trigger({ end: "@daily" })).toThrow(
      "error parsing end schedule: parser does not accept descriptors: @daily",
    );
    expect(() => trigger({ end: "0 25 * * *" })).toThrow(
      "error parsing end schedule: end of range (25) above maximum (23): 25",
    );
  });

  it("rejects zero or missing desiredReplicas, a missing timezone and an unknown zone", () => {
    expect(() => trigger({ desiredReplicas: 0 })).toThrow("no desiredReplicas specified");
    expect(() => trigger({ desiredReplicas: "" })).toThrow(
      'missing required parameter "desiredReplicas" in [triggerMetadata]',
    );
    expect(() => trigger({ timezone: "" })).toThrow(
      'missing required parameter "timezone" in [triggerMetadata]',
    );
    expect(() => trigger({ timezone: "Mars/Olympus" })).toThrow("unable to load timezone");
  });

  it("builds an AverageValue target of 1 for every cron trigger", () => {
    expect(CRON_METRIC_TARGET).toEqual({ type: "AverageValue", averageValue: 1 });
  });
});

describe("KEDA cron activity (next end no later than next start)", () => {
  it("is active on [start, end) to the second and reports desiredReplicas, else 1", () => {
    const t = trigger();
    expect(isActive(t, local("2026-06-10T08:59:59", LON))).toBe(false);
    expect(isActive(t, local("2026-06-10T09:00:00", LON))).toBe(true);
    expect(isActive(t, local("2026-06-10T16:59:59", LON))).toBe(true);
    expect(isActive(t, local("2026-06-10T17:00:00", LON))).toBe(false);
    expect(metricValue(t, local("2026-06-10T12:00:00", LON))).toBe(12);
    expect(metricValue(t, local("2026-06-10T18:00:00", LON))).toBe(1);
  });

  it("treats equal next instants as active, so two spellings of one schedule are active all the time", () => {
    expect(activeFromNext(500, 1000, 1000)).toBe(true);
    const t = trigger({ start: "0 9 * * 1-5", end: "0 9 * * mon-fri" });
    for (const s of [
      "2026-06-08T08:59:00",
      "2026-06-08T09:00:00",
      "2026-06-13T03:00:00",
      "2026-06-14T23:59:59",
    ]) {
      expect(isActive(t, local(s, LON))).toBe(true);
    }
  });

  it("stretches a window whose start and end day sets differ over the weekend (kedacore/keda#4677)", () => {
    const prague = "Europe/Prague";
    const t = trigger({ timezone: prague, start: "30 6 * * 1-5", end: "10 22 * * *" });
    // 2026-06-12 is a Friday.
    expect(isActive(t, local("2026-06-11T23:00:00", prague))).toBe(false); // Thursday night: start comes first
    expect(isActive(t, local("2026-06-12T23:00:00", prague))).toBe(true); // Friday night: Sat 22:10 end first
    expect(isActive(t, local("2026-06-13T12:00:00", prague))).toBe(true);
    expect(isActive(t, local("2026-06-14T22:09:59", prague))).toBe(true);
    expect(isActive(t, local("2026-06-14T22:10:00", prague))).toBe(false);
    // The timeline gives the same flips: active from Friday 06:30 to Sunday 22:10 in one piece.
    const from = local("2026-06-12T00:00:00", prague);
    const tl = new TriggerTimeline(t, from, local("2026-06-16T00:00:00", prague));
    const flips: string[] = [];
    let prev = false;
    for (let ms = from; ms < local("2026-06-16T00:00:00", prague); ms += 60000) {
      const a = tl.activeAt(ms);
      if (a !== prev) flips.push(`${DateTime.fromMillis(ms, { zone: prague }).toFormat("ccc HH:mm")} ${a}`);
      prev = a;
    }
    expect(flips).toEqual(["Fri 06:30 true", "Sun 22:10 false", "Mon 06:30 true", "Mon 22:10 false"]);
  });

  it("is active for ever when start never fires and never when end never fires (Go zero time)", () => {
    const now = Date.parse("2026-06-01T00:00:00Z");
    expect(activeFromNext(now, ZERO_TIME, now + 1000)).toBe(true);
    expect(activeFromNext(now, now + 1000, ZERO_TIME)).toBe(false);
    expect(isActive(trigger({ start: "0 0 30 2 *" }), local("2026-06-10T03:00:00", LON))).toBe(true);
    expect(isActive(trigger({ end: "0 0 30 2 *" }), local("2026-06-10T12:00:00", LON))).toBe(false);
  });
});
