/**
 * The wiring analysis on the real prod plan: it proves every path with zero findings, and a copy of the plan
 * with any one link removed fails with exactly the finding that names it. Run from test/plan/plan.test.ts,
 * which plans prod once for every suite that reads it.
 */
import { analyseWiring, findingMessage } from "../../cli/plan/wiring";
import type { WiringInput } from "../../cli/plan/wiring/model";
import type { PlannedObject, PlannedResource } from "../../cli/plan/record";

let base: WiringInput;

/** A deep copy of the plan, changed by `edit`: the analysis only ever sees copies. */
function broken(edit: (plan: { resources: PlannedResource[]; objects: PlannedObject[] }) => void): string[] {
  const copy = JSON.parse(JSON.stringify(base)) as { resources: PlannedResource[]; objects: PlannedObject[] };
  edit(copy);
  return analyseWiring(copy).findings.map(findingMessage);
}

const named = (plan: { resources: PlannedResource[] }, name: string) => {
  const r = plan.resources.find((x) => x.name === name);
  if (r === undefined) throw new Error(`no resource ${name}`);
  return r;
};
const object = (
  plan: { objects: PlannedObject[] },
  region: string,
  kind: string,
  name: string,
  namespace = "learning",
) => {
  const o = plan.objects.find(
    (x) =>
      x.region === region &&
      x.object.kind === kind &&
      x.object.metadata.name === name &&
      (x.object.metadata.namespace ?? "learning") === namespace,
  );
  if (o === undefined) throw new Error(`no ${kind} ${name} in ${region}`);
  return o.object as Record<string, any>;
};

export function wiringLinkCases(prod: () => WiringInput): void {
  describe("wiring of the prod plan", () => {
    beforeAll(() => {
      base = { resources: prod().resources, objects: prod().objects };
    });
    it("proves every identity and network path with zero findings", () => {
      const report = analyseWiring(base);
      expect(report.findings.map(findingMessage)).toEqual([]);
      const paths = (region: string, kind: string) =>
        report.proven
          .filter((p) => p.region === region && p.kind === kind)
          .map((p) => `${p.subject} → ${p.path}`);
      // The cross-region write path of every secondary region: local forwarding for Postgres, peering for Kafka.
      for (const region of ["eu-west-2", "ap-northeast-1"]) {
        expect(paths(region, "network")).toEqual(
          expect.arrayContaining([
            `${region}/assessment-engine → ${region} Aurora secondary (writes) :5432`,
            `${region}/assessment-engine → us-east-1 MSK brokers :9098`,
            `${region}/enrollment → us-east-1 MSK brokers :9098`,
            `${region}/keda/keda-operator → us-east-1 MSK brokers :9098`,
            `${region}/course-catalog → ${region} Redis :6379`,
          ]),
        );
      }
      expect(paths("us-east-1", "network")).toContain(
        "us-east-1/assessment-engine → us-east-1 Aurora writer :5432",
      );
    });

    it("names a missing route", () => {
      const findings = broken((p) => {
        p.resources = p.resources.filter((r) => !/peering-eu-west-2-us-east-1-to-accepter-a$/.test(r.name));
      });
      expect(findings).toContain(
        "eu-west-2/assessment-engine → us-east-1 MSK brokers :9098: no route from 10.1.0.0/16 to 10.0.0.0/16",
      );
      expect(findings.every((f) => f.startsWith("eu-west-2/"))).toBe(true);
    });

    it("names a missing return route", () => {
      const findings = broken((p) => {
        p.resources = p.resources.filter((r) => !/peering-eu-west-2-us-east-1-to-requester-b$/.test(r.name));
      });
      expect(findings).toContain(
        "eu-west-2/enrollment → us-east-1 MSK brokers :9098: no return route from 10.0.0.0/16 to 10.1.0.0/16",
      );
    });

    it("does not count a peering that nobody accepted", () => {
      const findings = broken((p) => {
        p.resources = p.resources.filter(
          (r) => r.name !== "semester-prod-peering-ap-northeast-1-us-east-1-accept",
        );
      });
      expect(findings).toContain(
        "ap-northeast-1/learner-profile → us-east-1 MSK brokers :9098: no route from 10.2.0.0/16 to 10.0.0.0/16",
      );
    });

    it("names a missing NetworkPolicy egress rule", () => {
      const findings = broken((p) => {
        const policy = object(p, "eu-west-2", "NetworkPolicy", "enrollment-allow");
        policy.spec.egress = policy.spec.egress.filter(
          (r: { ports?: { port: number }[] }) => r.ports?.[0]?.port !== 9098,
        );
      });
      expect(findings).toEqual([
        "eu-west-2/enrollment → us-east-1 MSK brokers :9098: no NetworkPolicy egress to 10.0.0.0/19, 10.0.32.0/19, 10.0.64.0/19 on TCP 9098",
      ]);
    });

    it("names a security group that does not admit the peer's subnets", () => {
      const findings = broken((p) => {
        p.resources = p.resources.filter((r) => r.name !== "semester-prod-data-us-east-1-sg-msk-from-peer-4");
      });
      expect(findings).toContain(
        "eu-west-2/assessment-engine → us-east-1 MSK brokers :9098: security group semester-prod-data-us-east-1-sg-msk admits no traffic from 10.1.0.0/19, 10.1.32.0/19, 10.1.64.0/19 on TCP 9098",
      );
    });

    it("refuses writes to a global secondary without write forwarding", () => {
      const findings = broken((p) => {
        delete named(p, "semester-prod-data-eu-west-2-pg-1-cluster").inputs.enableGlobalWriteForwarding;
      });
      expect(findings).toContain(
        "eu-west-2/assessment-engine → eu-west-2 Aurora secondary (writes) :5432: a global secondary without write forwarding rejects writes",
      );
    });

    it("refuses writes to a Redis Global Datastore secondary", () => {
      const findings = broken((p) => {
        object(p, "ap-northeast-1", "ConfigMap", "semester-data-read").data.REDIS_WRITABLE = "true";
      });
      expect(findings).toContain(
        "ap-northeast-1/course-catalog → ap-northeast-1 Redis :6379: REDIS_WRITABLE is true, but a Global Datastore secondary is read-only",
      );
    });

    it("names a KEDA trigger that signs for the wrong region", () => {
      const findings = broken((p) => {
        const so = object(p, "eu-west-2", "ScaledObject", "enrollment");
        so.spec.triggers.find((t: { type: string }) => t.type === "apache-kafka").metadata.awsRegion =
          "eu-west-2";
      });
      expect(findings).toEqual([
        "eu-west-2/keda/keda-operator → us-east-1 MSK brokers :9098: the trigger of learning/enrollment signs for eu-west-2; the brokers are in us-east-1",
      ]);
    });

    it("names a host the binding hands out that no store serves", () => {
      const findings = broken((p) => {
        const cm = object(p, "us-east-1", "ConfigMap", "semester-data-write");
        cm.data.POSTGRES_SHARD_HOSTS = JSON.stringify([{ shard: 0, host: "old-writer.example.internal" }]);
      });
      expect(findings).toContain(
        "us-east-1/assessment-engine → old-writer.example.internal:5432: semester-data-write names a host no store of the plan serves",
      );
    });

    it("names a missing Pod Identity association", () => {
      const findings = broken((p) => {
        p.resources = p.resources.filter(
          (r) => r.name !== "semester-prod-eu-west-2-workloads-enrollment-pod-identity",
        );
      });
      expect(findings).toEqual([
        "eu-west-2/learning/enrollment → an IAM role: no Pod Identity association for learning/enrollment on cluster semester-prod-eu-west-2",
      ]);
    });

    it("names a role that does not trust Pod Identity for tagging the session", () => {
      const findings = broken((p) => {
        const role = named(p, "semester-prod-us-east-1-workloads-analytics-role");
        role.inputs.assumeRolePolicy = JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        });
      });
      expect(findings).toEqual([
        "us-east-1/learning/analytics → an IAM role: role semester-prod-us-east-1-workloads-analytics-role does not trust pods.eks.amazonaws.com for sts:AssumeRole and sts:TagSession",
      ]);
    });

    it("names a policy statement the service needs, and a statement that lets it reach a neighbour", () => {
      const policyOf = (p: { resources: PlannedResource[] }) =>
        p.resources.find(
          (r) =>
            r.type === "aws:iam/rolePolicy:RolePolicy" &&
            /eu-west-2-workloads-enrollment-role-0$/.test(r.name),
        )!;
      const without = broken((p) => {
        const policy = policyOf(p);
        const doc = JSON.parse(String(policy.inputs.policy));
        doc.Statement = doc.Statement.filter((s: { Sid: string }) => s.Sid !== "PostgresConnect");
        policy.inputs.policy = JSON.stringify(doc);
      });
      expect(without).toHaveLength(4); // one per shard; the master user and the neighbours stay denied
      expect(without[0]).toMatch(
        /^eu-west-2\/learning\/enrollment → rds-db:connect on arn:aws:rds-db:eu-west-2:123456789012:dbuser:cluster-[0-9A-F]+\/semester_writer \(connect to semester-prod-data-eu-west-2-pg-\d-cluster as semester_writer\): role semester-prod-eu-west-2-workloads-enrollment-role does not allow it \(implicit-deny\)$/,
      );
      const wide = broken((p) => {
        const policy = policyOf(p);
        const doc = JSON.parse(String(policy.inputs.policy));
        doc.Statement.find((s: { Sid: string }) => s.Sid === "PostgresConnect").Resource = "*";
        policy.inputs.policy = JSON.stringify(doc);
      });
      expect(
        wide.some(
          (f) =>
            f.includes("not rds-db:connect") &&
            f.includes(
              "/semester_admin (connect as the master user semester_admin): role semester-prod-eu-west-2-workloads-enrollment-role allows it",
            ),
        ),
      ).toBe(true);
      expect(wide.some((f) => f.includes("(another region's shard"))).toBe(true);
    });

    it("names a policy with an action no AWS service has", () => {
      const findings = broken((p) => {
        const policy = p.resources.find(
          (r) =>
            r.type === "aws:iam/rolePolicy:RolePolicy" &&
            /us-east-1-workloads-analytics-role-0$/.test(r.name),
        )!;
        policy.inputs.policy = String(policy.inputs.policy).replace(
          "kafka-cluster:ReadData",
          "kafka-cluster:ReadDatas",
        );
      });
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatch(
        /^us-east-1\/learning\/analytics → the policies of role semester-prod-us-east-1-workloads-analytics-role: .*`kafka-cluster:ReadDatas`/,
      );
    });

    it("names the role bootstrap's missing secret permission and its missing path to a writer", () => {
      const noSecret = broken((p) => {
        const policy = p.resources.find(
          (r) =>
            r.type === "aws:iam/rolePolicy:RolePolicy" &&
            String(r.inputs.policy).includes("secretsmanager:GetSecretValue"),
        )!;
        const doc = JSON.parse(String(policy.inputs.policy));
        for (const s of doc.Statement)
          s.Action = [s.Action]
            .flat()
            .filter((a: string) => a !== "secretsmanager:GetSecretValue")
            .concat("secretsmanager:DescribeSecret");
        policy.inputs.policy = JSON.stringify(doc);
      });
      expect(noSecret).toHaveLength(4); // one per primary shard of prod
      expect(noSecret[0]).toMatch(
        /^us-east-1\/semester-data\/semester-db-roles → secretsmanager:GetSecretValue on arn:aws:secretsmanager:us-east-1:123456789012:secret:\S+ \(read a primary writer's master secret\): role \S+ does not allow it \(implicit-deny\)$/,
      );
      const noPath = broken((p) => {
        const policy = p.objects.find(
          (o) =>
            o.region === "us-east-1" &&
            o.object.kind === "NetworkPolicy" &&
            o.object.metadata.namespace === "semester-data" &&
            /roles/.test(o.object.metadata.name),
        )!.object as Record<string, any>;
        policy.spec.egress = policy.spec.egress.filter(
          (r: { ports?: { port: number }[] }) => r.ports?.[0]?.port !== 5432,
        );
      });
      expect(noPath).toContain(
        "us-east-1/semester-data/semester-db-roles → us-east-1 Aurora writer :5432: no NetworkPolicy egress to 10.0.0.0/19, 10.0.32.0/19, 10.0.64.0/19 on TCP 5432",
      );
    });
  });
}
