import { parseStackConfig } from "../../components/config/load";
import { InputError } from "../../components/core/problem";
import { planSubnets, parseCidr, cidrsOverlap, formatCidr, subnetCidr } from "../../components/network/cidr";
import fc from "fast-check";

const valid = {
  "semester:environment": "prod",
  "semester:homeRegion": "us-east-1",
  "semester:regions": JSON.stringify([
    { region: "us-east-1", vpcCidr: "10.0.0.0/16" },
    { region: "eu-west-2", vpcCidr: "10.1.0.0/16" },
    { region: "ap-northeast-1", vpcCidr: "10.2.0.0/16" },
  ]),
  "semester:cluster": JSON.stringify({ kubernetesVersion: "1.35" }),
  "aws:region": "us-east-1",
};

function problemsOf(raw: Record<string, string>): string[] {
  try {
    parseStackConfig(raw, "stacks/Pulumi.test.yaml");
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message.split("\n").slice(1);
  }
  throw new Error("expected a InputError");
}

describe("stack configuration", () => {
  it("accepts a valid prod stack and fills every default", () => {
    const config = parseStackConfig(valid, "stacks/Pulumi.test.yaml");
    expect(config.regions.map((r) => [r.region, r.availabilityZones, r.natGateways])).toEqual([
      ["us-east-1", 3, "perZone"],
      ["eu-west-2", 3, "perZone"],
      ["ap-northeast-1", 3, "perZone"],
    ]);
    expect(config.calendar).toMatchObject({ horizonDays: 28, triggerBudget: 40, enabled: true });
  });

  it("names the file and lists every problem in one message", () => {
    const raw = {
      ...valid,
      "semester:regoins": "[]",
      "semester:tags": JSON.stringify({ team: 7 }),
      "semester:regions": JSON.stringify([
        { region: "us-east-1", vpcCidr: "10.0.0.0/16" },
        { region: "eu-west-9", vpcCidr: "10.1.0.0/16" },
        { region: "eu-west-2", vpcCidr: "10.0.128.0/17", availabilityZones: 2 },
      ]),
      "semester:cluster": JSON.stringify({
        kubernetesVersion: "1.35",
        systemNodeGroup: { minSize: 5, maxSize: 3 },
      }),
    };
    let message = "";
    try {
      parseStackConfig(raw, "stacks/Pulumi.prod.yaml");
    } catch (error) {
      message = (error as Error).message;
    }
    const lines = message.split("\n");
    expect(lines[0]).toBe("Invalid input in stacks/Pulumi.prod.yaml (6 problems):");
    expect(lines.slice(1).map((l) => l.slice(0, l.indexOf(";")))).toEqual([
      '  - `semester:regions[1].region`: got "eu-west-9"',
      "  - `semester:tags.team`: got 7",
      "  - `semester:regoins`: got []",
      "  - `semester:regions[2].availabilityZones`: got 2",
      '  - `semester:regions[2].vpcCidr`: got "10.0.128.0/17"',
      "  - `semester:cluster.systemNodeGroup.minSize`: got 5",
    ]);
  });

  it("rejects an unknown region, naming the value and the allowed regions", () => {
    const raw = {
      ...valid,
      "semester:regions": JSON.stringify([{ region: "eu-west-9", vpcCidr: "10.0.0.0/16" }]),
      "semester:environment": "dev",
      "semester:homeRegion": "eu-west-9",
    };
    const line = problemsOf(raw).find((l) => l.includes("regions[0].region"));
    expect(line).toMatch(
      /^ {2}- `semester:regions\[0\]\.region`: got "eu-west-9"; expected an AWS region, one of: us-east-1, us-east-2, /,
    );
  });

  it("rejects overlapping VPC CIDRs, naming both regions", () => {
    const raw = {
      ...valid,
      "semester:regions": JSON.stringify([
        { region: "us-east-1", vpcCidr: "10.0.0.0/16" },
        { region: "eu-west-2", vpcCidr: "10.0.128.0/17" },
        { region: "ap-northeast-1", vpcCidr: "10.2.0.0/16" },
      ]),
    };
    expect(problemsOf(raw)).toEqual([
      '  - `semester:regions[1].vpcCidr`: got "10.0.128.0/17"; overlaps regions[0].vpcCidr 10.0.0.0/16 (us-east-1); give each region a disjoint range',
    ]);
  });

  it("requires three Availability Zones per region in prod", () => {
    const raw = {
      ...valid,
      "semester:regions": JSON.stringify([
        { region: "us-east-1", vpcCidr: "10.0.0.0/16", availabilityZones: 2 },
      ]),
    };
    expect(problemsOf(raw)).toEqual([
      "  - `semester:regions[0].availabilityZones`: got 2; prod needs at least 3 Availability Zones per region to survive the loss of a zone",
    ]);
  });

  it("rejects a single NAT gateway in prod but allows it in dev", () => {
    const regions = JSON.stringify([{ region: "us-east-1", vpcCidr: "10.0.0.0/16", natGateways: "single" }]);
    expect(problemsOf({ ...valid, "semester:regions": regions })).toEqual([
      '  - `semester:regions[0].natGateways`: got "single"; prod needs "perZone": a single NAT gateway is a zonal single point of failure',
    ]);
    expect(() =>
      parseStackConfig({ ...valid, "semester:environment": "dev", "semester:regions": regions }, "x"),
    ).not.toThrow();
  });

  it("rejects more zones than the region offers", () => {
    const raw = {
      ...valid,
      "semester:environment": "dev",
      "semester:homeRegion": "us-west-1",
      "semester:regions": JSON.stringify([{ region: "us-west-1", vpcCidr: "10.0.0.0/16" }]),
    };
    expect(problemsOf(raw)).toEqual([
      "  - `semester:regions[0].availabilityZones`: got 3; us-west-1 offers 2 zones; use at most 2",
    ]);
  });

  it("rejects a node group whose min exceeds max", () => {
    const raw = {
      ...valid,
      "semester:cluster": JSON.stringify({
        kubernetesVersion: "1.35",
        systemNodeGroup: { minSize: 5, maxSize: 3 },
      }),
    };
    expect(problemsOf(raw)).toEqual([
      "  - `semester:cluster.systemNodeGroup.minSize`: got 5; must not exceed systemNodeGroup.maxSize (3)",
    ]);
  });

  it("defaults the calendar's disruption budgets to on, 20 per pool, 15 minutes early, and keeps every pool within Karpenter's 50", () => {
    expect(parseStackConfig(valid, "stacks/Pulumi.test.yaml").calendar.disruptionBudgets).toEqual({
      enabled: true,
      maxBudgets: 20,
      settleMinutes: 15,
    });
    const ownBudgets = Array.from({ length: 31 }, () => ({ nodes: "10%" }));
    const cluster = JSON.stringify({
      kubernetesVersion: "1.35",
      karpenter: { nodePools: { general: { budgets: ownBudgets } } },
    });
    expect(problemsOf({ ...valid, "semester:cluster": cluster })).toEqual([
      "  - `semester:cluster.karpenter.nodePools.general.budgets`: got 31; with the calendar's 20 " +
        "(`semester:calendar.disruptionBudgets.maxBudgets`) the pool would have 51 budgets; Karpenter allows at most " +
        "50 per NodePool: remove budgets or lower `semester:calendar.disruptionBudgets.maxBudgets`",
    ]);
    const fewer = JSON.stringify({ disruptionBudgets: { maxBudgets: 19 } });
    expect(() =>
      parseStackConfig({ ...valid, "semester:cluster": cluster, "semester:calendar": fewer }, "s"),
    ).not.toThrow();
  });

  it("rejects a misspelt key and lists the keys allowed there", () => {
    const raw = {
      ...valid,
      "semester:cluster": JSON.stringify({ kubernetesVersion: "1.35", zonalShfit: false }),
    };
    const [first] = problemsOf(raw);
    expect(first).toMatch(
      /^ {2}- `semester:cluster\.zonalShfit`: got false; unknown key; allowed keys here: kubernetesVersion, endpointPublicAccessCidrs, /,
    );
  });

  it("rejects a misspelt top-level key", () => {
    expect(problemsOf({ ...valid, "semester:regoins": "[]" })).toEqual([
      "  - `semester:regoins`: got []; unknown key; allowed keys here: environment, homeRegion, regions, cluster, tags, calendar, services, addons, data, governance, dns, observability, resilience, mesh, delivery, gameDays",
    ]);
  });

  it("refuses delivery on a cluster older than 1.35 and without metrics, each at its key", () => {
    expect(
      problemsOf({
        ...valid,
        "semester:cluster": JSON.stringify({ kubernetesVersion: "1.34" }),
        "semester:observability": JSON.stringify({ metrics: { enabled: false } }),
      }).filter((l) => /delivery/.test(l)),
    ).toEqual([
      "  - `semester:delivery.enabled`: got true; every Rollout step is gated by an analysis on the PromQL endpoint, and `semester:observability.metrics.enabled` is false; fix: turn metrics on, or set `semester:delivery.enabled: false`",
      '  - `semester:cluster.kubernetesVersion`: got "1.34"; delivery needs Kubernetes 1.35 or later: the HPA tolerance that keeps canary pods from inflating KEDA\'s scaling is beta (on) from 1.35; fix: set "1.35", or `semester:delivery.enabled: false`',
    ]);
  });

  it("rejects a wrong type, naming what was expected", () => {
    const raw = {
      ...valid,
      "semester:cluster": JSON.stringify({ kubernetesVersion: "1.35", zonalShift: "yes" }),
    };
    expect(problemsOf(raw)).toEqual(['  - `semester:cluster.zonalShift`: got "yes"; expected boolean']);
  });

  it("reports a missing required key", () => {
    const raw: Record<string, string> = { ...valid };
    delete raw["semester:environment"];
    expect(problemsOf(raw)).toEqual([
      "  - `semester:environment`: got missing; required (expected one of: dev, staging, prod)".replace(
        "required (expected one of: dev, staging, prod)",
        "expected one of: dev, staging, prod",
      ),
    ]);
  });

  it("rejects a home region that is not one of the stack's regions", () => {
    expect(problemsOf({ ...valid, "semester:homeRegion": "eu-west-1" })).toEqual([
      '  - `semester:homeRegion`: got "eu-west-1"; must be one of the regions: us-east-1, eu-west-2, ap-northeast-1',
    ]);
  });

  it("refuses a public endpoint open to the whole internet", () => {
    const raw = {
      ...valid,
      "semester:cluster": JSON.stringify({
        kubernetesVersion: "1.35",
        endpointPublicAccessCidrs: ["0.0.0.0/0"],
      }),
    };
    expect(problemsOf(raw)).toEqual([
      '  - `semester:cluster.endpointPublicAccessCidrs[0]`: got "0.0.0.0/0"; the whole internet is not an allow-list; name your networks, or leave the list empty for a private endpoint',
    ]);
  });
});

describe("global traffic config (semester:dns)", () => {
  const dns = (value: unknown) => ({ ...valid, "semester:dns": JSON.stringify(value) });

  it("is off when the section is absent, and defaults the policy to upsert-only when present", () => {
    expect(parseStackConfig(valid, "stacks/Pulumi.test.yaml").dns).toBeUndefined();
    expect(
      parseStackConfig(
        dns({ zoneName: "semester.dev", hostedZoneId: "Z0123456789ABCDEFGHIJ" }),
        "stacks/Pulumi.test.yaml",
      ).dns,
    ).toEqual({ zoneName: "semester.dev", hostedZoneId: "Z0123456789ABCDEFGHIJ", policy: "upsert-only" });
  });

  it("reports every public host outside the zone, one problem per host", () => {
    expect(problemsOf(dns({ zoneName: "semester.io", hostedZoneId: "Z0123456789ABCDEFGHIJ" }))).toEqual([
      '  - `semester:services.course-catalog.publicHost`: got "catalog.semester.dev"; must end with `semester:dns.zoneName` (semester.io): ExternalDNS only writes records in that zone',
      '  - `semester:services.assessment-engine.publicHost`: got "assessments.semester.dev"; must end with `semester:dns.zoneName` (semester.io): ExternalDNS only writes records in that zone',
      '  - `semester:services.ai-tutor.publicHost`: got "tutor.semester.dev"; must end with `semester:dns.zoneName` (semester.io): ExternalDNS only writes records in that zone',
    ]);
  });

  it("does not take a host that merely ends with the zone's letters for one inside it", () => {
    const raw = {
      ...dns({ zoneName: "semester.dev", hostedZoneId: "Z0123456789ABCDEFGHIJ" }),
      "semester:services": JSON.stringify({ "ai-tutor": { publicHost: "tutor.notsemester.dev" } }),
    };
    expect(problemsOf(raw)).toEqual([
      '  - `semester:services.ai-tutor.publicHost`: got "tutor.notsemester.dev"; must end with `semester:dns.zoneName` (semester.dev): ExternalDNS only writes records in that zone',
    ]);
  });

  it("rejects a malformed zone id, an unknown policy and a misspelt key", () => {
    expect(
      problemsOf(
        dns({ zoneName: "semester.dev", hostedZoneId: "/hostedzone/Z01", policy: "create-only", ttl: 60 }),
      ),
    ).toEqual([
      '  - `semester:dns.hostedZoneId`: got "/hostedzone/Z01"; must be a Route 53 hosted zone id like `Z0123456789ABCDEFGHIJ`',
      '  - `semester:dns.policy`: got "create-only"; expected one of: upsert-only, sync',
      "  - `semester:dns.ttl`: got 60; unknown key; allowed keys here: zoneName, hostedZoneId, policy",
    ]);
  });
});

describe("cross-module rules", () => {
  it("defaults staticStability to true for the critical services only, and lets a stack override it", () => {
    const config = parseStackConfig(
      { ...valid, "semester:services": JSON.stringify({ analytics: { staticStability: true } }) },
      "stacks/Pulumi.test.yaml",
    );
    expect(Object.entries(config.services).map(([name, s]) => [name, s.tier, s.staticStability])).toEqual([
      ["course-catalog", "critical", true],
      ["assessment-engine", "critical", true],
      ["enrollment", "critical", true],
      ["learner-profile", "standard", false],
      ["analytics", "batch", true],
      ["ai-tutor", "standard", false],
    ]);
  });

  it("refuses static stability in a region with one zone, naming the service's key and the region", () => {
    const raw = {
      ...valid,
      "semester:environment": "dev",
      "semester:regions": JSON.stringify([
        { region: "us-east-1", vpcCidr: "10.0.0.0/16", availabilityZones: 1, natGateways: "single" },
      ]),
      "semester:services": JSON.stringify({
        "assessment-engine": { staticStability: false },
        enrollment: { staticStability: false },
      }),
    };
    expect(problemsOf(raw)).toEqual([
      "  - `semester:services.course-catalog.staticStability`: got true; needs at least 2 availability zones in every region, but regions[0] (us-east-1) has 1: no capacity survives the loss of its only zone; " +
        "fix: set `semester:services.course-catalog.staticStability: false`, or raise `semester:regions[0].availabilityZones` to 2 or more",
    ]);
    const off = { ...JSON.parse(raw["semester:services"]), "course-catalog": { staticStability: false } };
    expect(() =>
      parseStackConfig({ ...raw, "semester:services": JSON.stringify(off) }, "stacks/Pulumi.test.yaml"),
    ).not.toThrow();
  });

  it("requires a Kafka-scaled service to read a topic of the data tier's catalog", () => {
    const raw = {
      ...valid,
      "semester:services": JSON.stringify({ enrollment: { scaling: { kafka: { topic: "enrolments" } } } }),
    };
    expect(problemsOf(raw)).toEqual([
      '  - `semester:services.enrollment.scaling.kafka.topic`: got "enrolments"; expected a topic of the data tier\'s catalog: assessment-submissions, course-catalog-changelog, enrollment-events, grade-events, learner-activity, notifications, progress-events',
    ]);
  });

  it("refuses Kafka-lag scaling on the Strimzi backend, naming the service", () => {
    const raw = { ...valid, "semester:data": JSON.stringify({ kafka: { backend: "strimzi" } }) };
    const problems = problemsOf(raw).map((p) => p.slice(0, p.indexOf(":")));
    expect(problems).toEqual(["  - `semester", "  - `semester"]);
    expect(problemsOf(raw)[0]).toMatch(
      /^ {2}- `semester:services\.enrollment\.scaling\.kafka`: got \{.*\}; KEDA's Kafka lag trigger authenticates with MSK IAM; with `data\.kafka\.backend: strimzi` use backend msk, or scale this service on cpu or prometheus$/,
    );
  });
});

describe("CIDR layout", () => {
  it("carves three /19 private and three /24 public subnets out of a /16", () => {
    expect(planSubnets("10.1.0.0/16", 3)).toEqual({
      private: ["10.1.0.0/19", "10.1.32.0/19", "10.1.64.0/19"],
      public: ["10.1.192.0/24", "10.1.193.0/24", "10.1.194.0/24"],
    });
  });

  it("never overlaps subnets and keeps them inside the VPC, for any valid VPC range and zone count", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 16, max: 20 }),
        fc.integer({ min: 1, max: 4 }),
        (octet, prefix, zones) => {
          const vpc = { base: (10 * 256 + octet) * 65536, prefix };
          const aligned = formatCidr({ base: vpc.base - (vpc.base % 2 ** (32 - prefix)), prefix });
          const plan = planSubnets(aligned, zones);
          const all = [...plan.private, ...plan.public].map((c) => parseCidr(c)!);
          const parent = parseCidr(aligned)!;
          all.forEach((a, i) => {
            expect(
              a.base >= parent.base &&
                a.base + 2 ** (32 - a.prefix) <= parent.base + 2 ** (32 - parent.prefix),
            ).toBe(true);
            all.slice(i + 1).forEach((b) => expect(cidrsOverlap(a, b)).toBe(false));
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it("rejects host bits and malformed ranges", () => {
    expect(parseCidr("10.0.0.1/16")).toBeUndefined();
    expect(parseCidr("10.0.0/16")).toBeUndefined();
    expect(parseCidr("300.0.0.0/8")).toBeUndefined();
    expect(() => subnetCidr(parseCidr("10.0.0.0/24")!, 8, 0)).toThrow(
      "Invalid input in subnetCidr of 10.0.0.0/24 (1 problem):\n" +
        "  - `newBits`: got 8; makes a /32 subnet, smaller than AWS allows (/28)",
    );
  });
});
