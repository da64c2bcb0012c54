/**
 * The calendar as one layer of the stack's scaling: compiled against the stack's replica bounds (never the
 * profile's), contributing cron triggers only, and reporting a window the stack cannot serve as a warning or, with
 * `semester:calendar.overCapacity: error`, as the stack's InputError.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileCalendar } from "../../components/calendar/schedule";
import { parseStackConfig } from "../../components/config/load";
import { InputError } from "../../components/core/problem";
import { SERVICE_NAMES } from "../../components/kubernetes/config";
import { serviceReplicaBounds } from "../../components/kubernetes/tiers";
import { calendarScaledObjects, calendarScaling } from "../../components/platform/calendar-scaling";

const NOW = Date.parse("2026-10-19T00:00:00Z");
const STACK_FILE = "stacks/Pulumi.test.yaml";

// Written before the suites are defined: describe bodies compile against these files.
const dir = mkdtempSync(join(tmpdir(), "semester-calendar-scaling-"));
{
  // Every service sized with bounds above and beyond the stack's: min 10, max 100.
  const sizing = {
    learnersPerReplica: 50,
    minReplicas: 10,
    maxReplicas: 100,
    leadMinutes: 10,
    tailMinutes: 10,
  };
  writeFileSync(
    join(dir, "profile.json"),
    JSON.stringify({
      services: Object.fromEntries(SERVICE_NAMES.map((s) => [s, sizing])),
      kinds: { exam: { "assessment-engine": 1 } },
    }),
  );
  writeFileSync(
    join(dir, "term.json"),
    JSON.stringify({
      events: [
        {
          id: "final",
          summary: "Final exam",
          kind: "exam",
          start: "2026-10-20T09:00",
          end: "2026-10-20T11:00",
          timezone: "Europe/London",
          region: "eu-west-2",
          learners: 500,
        },
      ],
    }),
  );
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stack whose assessment-engine may run 8 replicas; its calendar is the fixture above. */
function config(calendar: Record<string, unknown> = {}) {
  const values: Record<string, unknown> = {
    "semester:environment": "prod",
    "semester:cluster": { kubernetesVersion: "1.35" },
    "semester:homeRegion": "us-east-1",
    "semester:regions": [
      { region: "us-east-1", vpcCidr: "10.0.0.0/16" },
      { region: "eu-west-2", vpcCidr: "10.1.0.0/16" },
    ],
    "semester:services": { "assessment-engine": { maxReplicas: 8 } },
    "semester:calendar": {
      file: join(dir, "term.json"),
      profile: join(dir, "profile.json"),
      horizonDays: 7,
      ...calendar,
    },
  };
  return parseStackConfig(
    Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    ),
    STACK_FILE,
  );
}

const WINDOW =
  '"Final exam" (final@2026-10-20T08:00:00.000Z, 2026-10-20 09:00–11:00 Europe/London) needs 10 replicas';
/** assessment-engine is critical, so statically stable by default: its window needs ceil(10 x 3 / 2) = 15. */
const HEADROOM = "15 with the headroom to survive a zone loss (3 zones)";

describe("calendarScaling for a stack", () => {
  const stack = config();
  let scaling: ReturnType<typeof calendarScaling>;
  let scaledObjects: any[];
  let placeholderObjects: any[];
  beforeAll(() => {
    scaling = calendarScaling(stack, NOW, process.cwd(), STACK_FILE);
    const all = calendarScaledObjects(scaling.schedule, { config: stack });
    // The services' own; their node placeholders' (from 0, same max) are checked below.
    scaledObjects = all.filter((o) => !o.metadata.name.endsWith("-placeholder"));
    placeholderObjects = all.filter((o) => o.metadata.name.endsWith("-placeholder"));
  });
  const bounds = (service: string) => serviceReplicaBounds(stack.services[service as "enrollment"]);

  it("compiles every series against the stack's bounds, not the profile's wider ones", () => {
    expect(scaling.schedule.results).toHaveLength(12);
    for (const { schedule } of scaling.schedule.results) {
      const { minReplicas, maxReplicas } = bounds(schedule.service);
      expect([schedule.service, schedule.minReplicaCount, schedule.maxReplicaCount]).toEqual([
        schedule.service,
        minReplicas,
        maxReplicas,
      ]);
    }
    expect(
      scaledObjects.map((o) => [
        o.metadata.labels["semester.dev/region"],
        o.metadata.name,
        o.spec.minReplicaCount,
        o.spec.maxReplicaCount,
      ]),
    ).toEqual(
      ["eu-west-2", "us-east-1"].flatMap((region) =>
        [...SERVICE_NAMES].sort().map((s) => [region, s, bounds(s).minReplicas, bounds(s).maxReplicas]),
      ),
    );
  });

  it("gives every service with a scale-out its node placeholders' ScaledObject, from 0 to the service's max", () => {
    expect(placeholderObjects.length).toBeGreaterThan(0);
    for (const o of placeholderObjects) {
      const service = o.metadata.labels["semester.dev/placeholder-for"];
      expect([o.metadata.name, o.spec.minReplicaCount, o.spec.maxReplicaCount]).toEqual([
        `${service}-placeholder`,
        0,
        bounds(service).maxReplicas,
      ]);
      expect(o.spec.triggers.every((t: { type: string }) => t.type === "cron")).toBe(true);
    }
  });

  it("never raises minReplicaCount above the service's, though the profile's minimum (10) exceeds it", () => {
    for (const o of scaledObjects) {
      expect(o.spec.minReplicaCount).toBe(bounds(o.metadata.name).minReplicas);
      expect(o.spec.minReplicaCount).toBeLessThan(10);
    }
    // Between windows the calendar assumes the service's floor, so it schedules up from there.
    for (const r of scaling.schedule.results) {
      expect(r.scheduled[0]).toMatchObject({ start: NOW, replicas: bounds(r.schedule.service).minReplicas });
    }
  });

  it("contributes only cron triggers, capped at the stack's maxReplicas", () => {
    const exam = scaling.byRegion["eu-west-2"]?.["assessment-engine"];
    expect(exam?.source).toBe("calendar");
    expect(exam?.triggers.map((t) => [t.type, t.metadata.desiredReplicas])).toEqual([["cron", "8"]]);
  });

  it("warns about a window that needs more than the stack allows, naming window, region, service, need and max", () => {
    expect(scaling.schedule.warnings.filter((w) => w.includes("the stack allows"))).toEqual([
      `assessment-engine in eu-west-2: ${WINDOW} at its peak, ${HEADROOM} but the stack allows 8 ` +
        `(${STACK_FILE} \`semester:services.assessment-engine.maxReplicas\`): short by 7 replicas`,
    ]);
  });

  it("gives the critical services zone-loss headroom over each region's zones, and the others none", () => {
    expect(scaling.schedule.series.map((s) => [s.region, s.service, s.zones])).toEqual(
      ["eu-west-2", "us-east-1"].flatMap((region) =>
        [...SERVICE_NAMES]
          .sort()
          .map((s) => [region, s, stack.services[s].tier === "critical" ? 3 : undefined]),
      ),
    );
  });

  it("drops the headroom of a service whose `staticStability` is false", () => {
    const off = config();
    const services = {
      ...off.services,
      "assessment-engine": { ...off.services["assessment-engine"], staticStability: false },
    };
    const plain = calendarScaling({ ...off, services }, NOW, process.cwd(), STACK_FILE);
    const exam = plain.schedule.series.find(
      (s) => s.region === "eu-west-2" && s.service === "assessment-engine",
    );
    expect(exam?.zones).toBeUndefined();
    expect(plain.schedule.warnings.filter((w) => w.includes("the stack allows"))).toEqual([
      `assessment-engine in eu-west-2: ${WINDOW} at its peak but the stack allows 8 ` +
        `(${STACK_FILE} \`semester:services.assessment-engine.maxReplicas\`): short by 2 replicas`,
    ]);
  });

  it("throws the stack's InputError instead when `semester:calendar.overCapacity` is error", () => {
    const strict = config({ overCapacity: "error" });
    expect(() => calendarScaling(strict, NOW, process.cwd(), STACK_FILE)).toThrow(InputError);
    expect(() => calendarScaling(strict, NOW, process.cwd(), STACK_FILE)).toThrow(
      `Invalid input in ${STACK_FILE} (1 problem):\n` +
        "  - `semester:services.assessment-engine.maxReplicas`: got 8; must cover the calendar: " +
        `${WINDOW} of assessment-engine in eu-west-2 at its peak, ${HEADROOM.replace("(3 zones)", "(3 zones, `semester:services.assessment-engine.staticStability`)")}; ` +
        'fix: raise it to at least 15, or set `semester:calendar.overCapacity` to "warn" to cap the window at 8',
    );
  });

  it("defaults `semester:calendar.overCapacity` to warn", () => {
    expect(stack.calendar.overCapacity).toBe("warn");
  });
});

describe("compileCalendar without a stack", () => {
  it("keeps the profile's bounds (standalone use)", () => {
    const schedule = compileCalendar({
      calendarPath: join(dir, "term.json"),
      profilePath: join(dir, "profile.json"),
      services: ["assessment-engine"],
      from: NOW,
      days: 7,
    });
    expect(schedule.results.map((r) => [r.schedule.minReplicaCount, r.schedule.maxReplicaCount])).toEqual([
      [10, 100],
    ]);
    expect(schedule.warnings).toEqual([]);
  });
});
