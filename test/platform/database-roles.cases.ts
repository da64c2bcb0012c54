import { invokeOutputs } from "../../cli/plan/fixtures";
import type { PlannedResource } from "../../cli/plan/record";
import type { Plan } from "../../cli/plan/run";
import { roleBootstrapPolicy } from "../../components/data/postgres/role-bootstrap";

type Json = Record<string, any>;

const ofType = (plan: Plan, type: string) => plan.resources.filter((r) => r.type === type);
const byName = (plan: Plan, name: string): PlannedResource => {
  const found = plan.resources.filter((r) => r.name === name);
  if (found.length !== 1) throw new Error(`expected one resource named ${name}, found ${found.length}`);
  return found[0]!;
};
const jobs = (plan: Plan) => ofType(plan, "kubernetes:batch/v1:Job");
const env = (job: PlannedResource, container: number) => {
  const spec = (job.inputs as Json).spec.template.spec;
  const containers = [...spec.initContainers, ...spec.containers] as Json[];
  return Object.fromEntries(containers[container]!.env.map((e: Json) => [e.name, e.value]));
};

/** The bootstrap's namespace comes from the bootstrap in every region, no longer from the services' group. */
function expectNamespacesFromBootstrap(plan: Plan): void {
  const namespaces = ofType(plan, "kubernetes:core/v1:Namespace").filter(
    (r) => (r.inputs as Json).metadata.name === "semester-data",
  );
  expect(namespaces.map((n) => [n.region, n.parent?.endsWith("-database-roles-namespace")])).toEqual(
    plan.config.regions.map((r) => [r.region, true]).sort(),
  );
}

/** No password in the plan: the generated one stays write-only and no object carries it. */
function expectNoPassword(plan: Plan): void {
  const generated = invokeOutputs(
    "aws:secretsmanager/getRandomPassword:getRandomPassword",
    "us-east-1",
    { passwordLength: 40, excludePunctuation: true },
    () => undefined,
  ).randomPassword as string;
  expect(generated).toMatch(/^fixture-/);
  const text = JSON.stringify(plan.resources.map((r) => [r.inputs, r.outputs ?? {}]));
  expect(text).not.toContain(generated);
  expect(text).not.toMatch(/"(master)?[Pp]assword(Wo)?":"(?!\[secret\])/);
  for (const v of ofType(plan, "aws:secretsmanager/secretVersion:SecretVersion")) {
    expect([v.inputs.secretStringWo, v.inputs.secretStringWoVersion]).toEqual(["[secret]", 1]);
  }
  for (const job of jobs(plan)) expect(JSON.stringify(job.inputs)).not.toMatch(/PASSWORD|password"/);
}

/** Run from test/plan/plan.test.ts, which plans prod once for every suite that reads it. */
export function prodDatabaseRoleCases(plan: () => Plan): void {
  describe("database role bootstrap in the offline prod plan", () => {
    let prod: Plan;
    beforeAll(() => {
      prod = plan();
    });

    it("runs one Job, in the home region (the only one owning primaries), with the namespace from the bootstrap", () => {
      expect(jobs(prod).map((j) => j.region)).toEqual(["us-east-1"]);
      expectNamespacesFromBootstrap(prod);
    });

    it("points the Job at the four home-region writers with their master secrets", () => {
      const job = jobs(prod)[0]!;
      const writers = [0, 1, 2, 3].map((i) => byName(prod, `semester-prod-data-us-east-1-pg-${i}-cluster`));
      const secretArns = [0, 1, 2, 3].map(
        (i) =>
          ofType(prod, "aws:secretsmanager/secretVersion:SecretVersion").find(
            (v) => v.name === `semester-prod-data-us-east-1-pg-${i}-master`,
          )!.outputs!.arn as string,
      );
      expect(env(job, 0)).toMatchObject({
        AWS_REGION: "us-east-1",
        SEMESTER_SHARDS: "0 1 2 3",
        ...Object.fromEntries(secretArns.map((arn, i) => [`SEMESTER_SHARD_${i}_SECRET_ARN`, arn])),
      });
      expect(env(job, 2)).toMatchObject(
        Object.fromEntries(writers.map((w, i) => [`SEMESTER_SHARD_${i}_HOST`, w.outputs!.endpoint])),
      );
      const policy = ofType(prod, "aws:iam/rolePolicy:RolePolicy").find((p) =>
        p.name.endsWith("-database-roles-job-role"),
      )!;
      expect(policy.inputs.policy).toBe(roleBootstrapPolicy("us-east-1", secretArns));
    });
    it("starts the Job after the Pod Identity association and every primary instance, and the services after it", () => {
      const urn = (name: string) => byName(prod, name).urn;
      const job = jobs(prod)[0]!;
      const group = prod.resources.find((r) => r.urn === job.parent)!;
      expect(group.name).toBe("semester-prod-us-east-1-database-roles-job");
      const instances = ofType(prod, "aws:rds/clusterInstance:ClusterInstance").filter(
        (i) => i.region === "us-east-1",
      );
      expect(instances).toHaveLength(12);
      expect(group.dependencies).toEqual(
        expect.arrayContaining([
          urn("semester-prod-us-east-1-database-roles-job-pod-identity"),
          ...instances.map((i) => i.urn),
        ]),
      );
      for (const region of ["us-east-1", "eu-west-2", "ap-northeast-1"]) {
        const services = byName(prod, `semester-prod-${region}-workloads-objects`);
        const namespace = ofType(prod, "kubernetes:core/v1:Namespace").find(
          (n) => n.region === region && (n.inputs as Json).metadata.name === "semester-data",
        )!;
        expect(services.dependencies).toContain(namespace.urn);
        if (region === "us-east-1") expect(services.dependencies).toContain(job.urn);
      }
    });

    it("never records a password", () => expectNoPassword(prod));
  });
}

/** Run from test/plan/plan-staging.test.ts, which plans staging once for every suite that reads it. */
export function stagingDatabaseRoleCases(plan: () => Plan): void {
  describe("database role bootstrap in the offline staging plan", () => {
    let staging: Plan;
    beforeAll(() => {
      staging = plan();
    });

    it("runs one Job in every region (each owns primaries), with the namespace from the bootstrap", () => {
      expect(
        jobs(staging)
          .map((j) => j.region)
          .sort(),
      ).toEqual(["eu-west-2", "us-east-1"]);
      expectNamespacesFromBootstrap(staging);
    });
    it("uses the RDS-managed secrets of standalone shards in staging, each region its own", () => {
      for (const job of jobs(staging)) {
        const arn = env(job, 0).SEMESTER_SHARD_0_SECRET_ARN as string;
        const cluster = byName(staging, `semester-staging-data-${job.region}-pg-0-cluster`);
        expect(arn).toBe((cluster.outputs!.masterUserSecrets as Json[])[0]!.secretArn);
        expect(arn).toMatch(
          new RegExp(
            `^arn:aws:secretsmanager:${job.region}:123456789012:secret:rds!cluster-[0-9a-f-]{36}-[A-Za-z0-9]{6}$`,
          ),
        );
      }
    });

    it("never records a password", () => expectNoPassword(staging));
  });
}
