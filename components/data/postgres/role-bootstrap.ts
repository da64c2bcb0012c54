/**
 * The database role bootstrap, as Kubernetes objects and an IAM policy (pure: no Pulumi, no network).
 *
 * The CQRS bindings' services sign in as `semester_writer` / `semester_reader` with IAM database authentication,
 * which needs those login roles to exist with `rds_iam`. A Job in the region whose cluster shares the primaries'
 * VPC creates them on every primary shard writer, idempotently, on each change of what it would do:
 *
 * 1. init `fetch-secrets` (AWS CLI, Pod Identity): each writer's master secret into a memory-backed emptyDir;
 * 2. init `pgpass` (Postgres image): those JSON secrets into one pgpass file, then removed;
 * 3. `apply-roles` (psql, `sslmode=verify-full` against the region's RDS root CAs): {@link roleBootstrapSql}.
 *
 * No password is in the objects: the pod spec carries only secret ARNs and hosts. The Job's name hashes everything
 * known before a deploy (scripts, SQL, CAs, images, the shard set), so a change runs a new Job; RDS endpoints,
 * known only after one, are in the pod template, which Kubernetes cannot change in place, so Pulumi replaces the
 * Job when they change. Aurora does not run the RDS Data API on T classes (dev's `db.t4g.medium`), which is why
 * this runs in-cluster rather than from the Pulumi program.
 */
import { createHash } from "node:crypto";
import { App, Chart } from "cdk8s";
import { LearningNamespace } from "../../kubernetes/namespace";
import type { KubeObject } from "../../kubernetes/schema/validate";
import { POSTGRES_IAM_USERS } from "../cqrs";
import { DataPorts } from "../network";
import { rdsCaBundle } from "./rds-ca";

/** Every default of the bootstrap, in one place. */
export const ROLE_BOOTSTRAP_DEFAULTS = {
  /** The data tier's namespace (shard-map ConfigMaps live there too). */
  namespace: "semester-data",
  /** ServiceAccount, ConfigMap/Job name prefix and the pods' `app.kubernetes.io/name`. */
  name: "semester-db-roles",
  /** AWS CLI v2 (EKS Pod Identity credentials need 2.15 or later). */
  awsCliImage: "public.ecr.aws/aws-cli/aws-cli:2.36.15",
  /** psql 16, the shards' major version; the Alpine image runs as `postgres` (UID 70). */
  postgresImage: "public.ecr.aws/docker/library/postgres:16.14-alpine",
  /** Retries of a failed pod (a writer that does not resolve yet, a throttled API call). */
  backoffLimit: 4,
  /** Below the Kubernetes provider's 10-minute wait for a Job, so a stuck Job fails with its own reason. */
  activeDeadlineSeconds: 540,
  /** The Alpine image's `postgres` user; every container runs as it so they share the 0600 files. */
  uid: 70,
  /** Labels the governance rules require (team, tier) and the platform's own. */
  labels: {
    "app.kubernetes.io/name": "semester-db-roles",
    "app.kubernetes.io/part-of": "semester",
    "app.kubernetes.io/component": "database-roles",
    team: "platform",
    tier: "batch",
  },
} as const;

/** Where the pod keeps its files. */
const PATHS = {
  config: "/etc/semester-db-roles",
  run: "/run/semester-db-roles",
  tmp: "/tmp",
} as const;

/** The EKS Pod Identity agent's credential endpoint (link-local, on every node). */
export const POD_IDENTITY_AGENT_CIDR = "169.254.170.23/32";

/** One primary shard writer the Job signs in to. `V` is a string, or a Pulumi Input in the wiring. */
export interface RoleBootstrapShard<V> {
  readonly shard: number;
  /** A stable name of the shard (its component name): the Job's name hashes it, never `host`/`secretArn`. */
  readonly name: string;
  /** The writer endpoint. */
  readonly host: V;
  /** The Secrets Manager secret with the master credentials (`{"username", "password"}`). */
  readonly secretArn: V;
}

export interface RoleBootstrapArgs<V> {
  /** The region of the cluster the Job runs in (its shards' region: the secrets and CAs are regional). */
  readonly region: string;
  /** The region's VPC range, where the writers are (NetworkPolicy egress on 5432). */
  readonly vpcCidr: string;
  /** The database the roles connect to (`semester:data.postgres.databaseName`). */
  readonly database: string;
  /** The master user the Job signs in as, who owns the tables (`semester:data.postgres.masterUsername`). */
  readonly masterUsername: string;
  /** The primary writers, at least one. */
  readonly shards: readonly RoleBootstrapShard<V>[];
  /** @default "semester-data" */
  readonly namespace?: string;
  /** @default ROLE_BOOTSTRAP_DEFAULTS.awsCliImage */
  readonly awsCliImage?: string;
  /** @default ROLE_BOOTSTRAP_DEFAULTS.postgresImage */
  readonly postgresImage?: string;
  /** @default 4 */
  readonly backoffLimit?: number;
  /** @default 540 */
  readonly activeDeadlineSeconds?: number;
}

/** What the platform applies, in this order: access (ServiceAccount, NetworkPolicy, ConfigMap), then the Job. */
export interface RoleBootstrap {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** `semester-db-roles-<hash>`: the Job and its ConfigMap. */
  readonly jobName: string;
  readonly hash: string;
  readonly accessObjects: KubeObject[];
  readonly jobObjects: KubeObject[];
}

/** A PostgreSQL identifier Semester writes without quoting: lower case, at most 63 bytes. */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

function identifierProblems(values: Readonly<Record<string, string>>): string[] {
  return Object.entries(values)
    .filter(([, v]) => !IDENTIFIER.test(v))
    .map(
      ([path, v]) =>
        `\`${path}\`: got ${JSON.stringify(v)}; must be a lower-case PostgreSQL identifier (letters, digits, _; at most 63)`,
    );
}

function fail(what: string, problems: readonly string[]): void {
  if (problems.length > 0)
    throw new Error(`${what}: ${problems.length} problem(s):\n  - ${problems.join("\n  - ")}`);
}

/**
 * The SQL the Job runs on each writer, as the master user: the two login roles of {@link POSTGRES_IAM_USERS}
 * (created only when missing), `rds_iam` for both, CONNECT and schema USAGE, DML for the writer and SELECT for the
 * reader on today's tables and sequences, and the same by default on those the master user creates later. Every
 * statement is idempotent; one transaction. Pure; throws on a name it would have to quote.
 */
export function roleBootstrapSql(args: {
  readonly database: string;
  readonly masterUsername: string;
  readonly users?: Readonly<Record<keyof typeof POSTGRES_IAM_USERS, string>>;
}): string {
  const users = args.users ?? POSTGRES_IAM_USERS;
  const { write, read } = users;
  fail("roleBootstrapSql", [
    ...identifierProblems({
      database: args.database,
      masterUsername: args.masterUsername,
      "users.write": write,
      "users.read": read,
    }),
    ...(write === read
      ? [`\`users\`: got ${JSON.stringify(write)} twice; the writer and reader are two roles`]
      : []),
  ]);
  const both = `${write}, ${read}`;
  const defaults = `ALTER DEFAULT PRIVILEGES FOR ROLE ${args.masterUsername} IN SCHEMA public GRANT`;
  const createIfMissing = (role: string) =>
    [
      `  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${role}') THEN`,
      `    CREATE ROLE ${role} WITH LOGIN;`,
      "  END IF;",
    ].join("\n");
  return [
    "-- Semester: the IAM-authenticated login roles of the CQRS bindings. Idempotent: safe to run again.",
    "\\set ON_ERROR_STOP on",
    "BEGIN;",
    "DO $roles$",
    "BEGIN",
    createIfMissing(write),
    createIfMissing(read),
    "END",
    "$roles$;",
    `GRANT rds_iam TO ${both};`,
    `GRANT CONNECT ON DATABASE ${args.database} TO ${both};`,
    `GRANT USAGE ON SCHEMA public TO ${both};`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${write};`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${write};`,
    `GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${read};`,
    `${defaults} SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${write};`,
    `${defaults} USAGE, SELECT ON SEQUENCES TO ${write};`,
    `${defaults} SELECT ON TABLES TO ${read};`,
    "COMMIT;",
    "",
  ].join("\n");
}

/** Reads `SEMESTER_SHARD_<i>_<FIELD>` for each index of `SEMESTER_SHARDS` (POSIX sh has no indirect expansion). */
const FOR_EACH_SHARD = [
  "for shard in $SEMESTER_SHARDS; do",
  '  case "$shard" in',
  '    "" | *[!0-9]*) echo "SEMESTER_SHARDS: not a shard index: $shard" >&2; exit 64 ;;',
  "  esac",
];

/**
 * An awk program that prints the value of the `"password"` key of a one-line JSON object, escaped for a pgpass
 * field (`\` and `:` backslashed). It decodes JSON escapes (`\"`, `\\`, `\/`, `\u00XX` of printable ASCII) and
 * exits 65 on anything else (a control character, a non-ASCII password, no password), so no odd value slips by.
 * @internal
 */
export const PASSWORD_AWK = `# Prints the pgpass-escaped "password" of the JSON object on stdin (exit 65 if there is none).
BEGIN { for (k = 32; k <= 126; k++) printable = printable sprintf("%c", k) }
{ text = text $0 }
END {
  key = "\\"password\\""
  i = index(text, key)
  if (i == 0) exit 65
  i += length(key)
  n = length(text)
  while (i <= n && substr(text, i, 1) ~ /^[ \\t\\r:]$/) i++
  if (substr(text, i, 1) != "\\"") exit 65
  out = ""
  closed = 0
  for (i++; i <= n; i++) {
    c = substr(text, i, 1)
    if (c == "\\"") { closed = 1; break }
    if (c == "\\\\") {
      i++
      e = substr(text, i, 1)
      if (e == "\\"" || e == "\\\\" || e == "/") c = e
      else if (e == "u") {
        v = 0
        for (k = 1; k <= 4; k++) {
          d = index("0123456789abcdef", tolower(substr(text, i + k, 1)))
          if (d == 0) exit 65
          v = v * 16 + d - 1
        }
        if (v < 32 || v > 126) exit 65
        c = sprintf("%c", v)
        i += 4
      } else exit 65
    } else if (index(printable, c) == 0) exit 65
    if (c == "\\\\" || c == ":") out = out "\\\\"
    out = out c
  }
  if (!closed || out == "") exit 65
  printf "%s", out
}
`;

/** The three scripts and the SQL, as the ConfigMap holds them. Pure. @internal */
export function roleBootstrapFiles(args: {
  readonly region: string;
  readonly database: string;
  readonly masterUsername: string;
}): Record<string, string> {
  const port = DataPorts.postgres;
  const conninfo =
    `host=$host port=${port} dbname=${args.database} user=${args.masterUsername} ` +
    `sslmode=verify-full sslrootcert=${PATHS.config}/rds-ca.pem`;
  return {
    "fetch-secrets.sh": [
      "#!/bin/sh",
      "# Each shard writer's master secret (JSON) into the memory-backed volume, mode 0600. Prints no secret.",
      "set -eu",
      "umask 077",
      ...FOR_EACH_SHARD,
      '  eval "arn=\\${SEMESTER_SHARD_${shard}_SECRET_ARN:?}"',
      '  aws secretsmanager get-secret-value --secret-id "$arn" --query SecretString --output text \\',
      `    > "${PATHS.run}/shard-$shard.json"`,
      '  echo "shard $shard: fetched $arn"',
      "done",
      "",
    ].join("\n"),
    "pgpass.sh": [
      "#!/bin/sh",
      "# The fetched secrets into one pgpass file (mode 0600); the secrets are removed, so psql sees only pgpass.",
      "set -eu",
      "umask 077",
      `: > "${PATHS.run}/pgpass"`,
      ...FOR_EACH_SHARD,
      '  eval "host=\\${SEMESTER_SHARD_${shard}_HOST:?}"',
      `  if ! password=$(awk -f ${PATHS.config}/password.awk "${PATHS.run}/shard-$shard.json"); then`,
      '    echo "shard $shard: the secret holds no usable password" >&2',
      "    exit 65",
      "  fi",
      `  printf '%s:${port}:${args.database}:${args.masterUsername}:%s\\n' "$host" "$password" >> "${PATHS.run}/pgpass"`,
      `  rm -f "${PATHS.run}/shard-$shard.json"`,
      "done",
      "",
    ].join("\n"),
    "apply-roles.sh": [
      "#!/bin/sh",
      "# The idempotent role SQL on every shard writer, as the master user, over TLS verified against RDS's CAs.",
      "set -eu",
      `export PGPASSFILE=${PATHS.run}/pgpass PGAPPNAME=semester-db-roles PGCONNECT_TIMEOUT=10`,
      ...FOR_EACH_SHARD,
      '  eval "host=\\${SEMESTER_SHARD_${shard}_HOST:?}"',
      '  echo "shard $shard: roles on $host"',
      `  psql "${conninfo}" --no-psqlrc --quiet --set ON_ERROR_STOP=1 --file ${PATHS.config}/roles.sql`,
      "done",
      "",
    ].join("\n"),
    "password.awk": PASSWORD_AWK,
    "roles.sql": roleBootstrapSql(args),
    "rds-ca.pem": rdsCaBundle(args.region),
  };
}

/**
 * The namespace of the data tier, applied before anything in it: Pod Security `restricted` enforced, a default-deny
 * NetworkPolicy and the DNS allow (the shard-map ConfigMaps and the bootstrap Job live there). Pure.
 */
export function dataNamespaceObjects(namespace: string = ROLE_BOOTSTRAP_DEFAULTS.namespace): KubeObject[] {
  const app = new App();
  const chart = new Chart(app, "data-namespace", { disableResourceNameHashes: true });
  new LearningNamespace(chart, "namespace", {
    name: namespace,
    labels: { "app.kubernetes.io/part-of": "semester" },
  });
  return chart.toJson() as KubeObject[];
}

const PINNED = /^[a-z0-9.-]+(\/[a-z0-9._-]+)+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

/**
 * The bootstrap's access objects and Job for one region. Pure; throws once listing every problem (no shards, a
 * repeated shard, an unpinned image, out-of-range retries or deadline, names it would have to quote).
 */
export function roleBootstrapObjects<V>(args: RoleBootstrapArgs<V>): RoleBootstrap {
  const d = ROLE_BOOTSTRAP_DEFAULTS;
  const namespace = args.namespace ?? d.namespace;
  const awsCliImage = args.awsCliImage ?? d.awsCliImage;
  const postgresImage = args.postgresImage ?? d.postgresImage;
  const backoffLimit = args.backoffLimit ?? d.backoffLimit;
  const activeDeadlineSeconds = args.activeDeadlineSeconds ?? d.activeDeadlineSeconds;

  const problems = identifierProblems({ database: args.database, masterUsername: args.masterUsername });
  const indexes = args.shards.map((s) => s.shard);
  if (indexes.length === 0) problems.push("`shards`: got []; the Job needs at least one primary writer");
  if (new Set(indexes).size !== indexes.length)
    problems.push(`\`shards\`: got indexes ${JSON.stringify(indexes)}; each shard at most once`);
  if (indexes.some((i) => !Number.isInteger(i) || i < 0))
    problems.push(`\`shards\`: got indexes ${JSON.stringify(indexes)}; must be whole numbers from 0`);
  for (const [path, image] of [
    ["awsCliImage", awsCliImage],
    ["postgresImage", postgresImage],
  ] as const) {
    const pinned = PINNED.test(image) && (image.includes("@sha256:") || /:[^/]+$/.test(image));
    if (!pinned || image.endsWith(":latest"))
      problems.push(`\`${path}\`: got ${JSON.stringify(image)}; must be pinned by a version tag or a digest`);
  }
  if (!Number.isInteger(backoffLimit) || backoffLimit < 0 || backoffLimit > 10)
    problems.push(`\`backoffLimit\`: got ${backoffLimit}; must be from 0 to 10`);
  if (!Number.isInteger(activeDeadlineSeconds) || activeDeadlineSeconds < 60 || activeDeadlineSeconds > 590)
    problems.push(
      `\`activeDeadlineSeconds\`: got ${activeDeadlineSeconds}; must be from 60 to 590 (under the provider's 600 s wait)`,
    );
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(args.vpcCidr))
    problems.push(
      `\`vpcCidr\`: got ${JSON.stringify(args.vpcCidr)}; must be an IPv4 CIDR such as 10.0.0.0/16`,
    );
  fail(`roleBootstrapObjects (${args.region})`, problems);

  const labels = { ...d.labels };
  const files = roleBootstrapFiles(args);
  const shards = [...args.shards].sort((a, b) => a.shard - b.shard);
  // The name hashes what is known now: the pod template with stable placeholders for the deploy-time values.
  const placeholders = shards.map((s) => ({
    ...s,
    host: `<${s.name} writer>`,
    secretArn: `<${s.name} secret>`,
  }));
  const hash = createHash("sha256")
    .update(JSON.stringify({ files, template: podTemplate(placeholders, "<name>") }))
    .digest("hex")
    .slice(0, 10);
  const jobName = `${d.name}-${hash}`;
  const meta = (name: string) => ({ name, namespace, labels });

  function podTemplate<T>(list: readonly RoleBootstrapShard<T>[], configMap: string) {
    const securityContext = {
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    };
    const env = (field: "HOST" | "SECRET_ARN") => [
      { name: "SEMESTER_SHARDS", value: list.map((s) => String(s.shard)).join(" ") },
      ...list.map((s) => ({
        name: `SEMESTER_SHARD_${s.shard}_${field}`,
        value: field === "HOST" ? s.host : s.secretArn,
      })),
    ];
    const mounts = [
      { name: "config", mountPath: PATHS.config, readOnly: true },
      { name: "run", mountPath: PATHS.run },
      { name: "tmp", mountPath: PATHS.tmp },
    ];
    const container = (
      name: string,
      image: string,
      script: string,
      resources: object,
      extraEnv: object[],
    ) => ({
      name,
      image,
      imagePullPolicy: "IfNotPresent",
      command: ["/bin/sh", `${PATHS.config}/${script}`],
      env: extraEnv,
      resources,
      securityContext,
      volumeMounts: mounts,
    });
    return {
      metadata: { labels },
      spec: {
        serviceAccountName: d.name,
        restartPolicy: "Never",
        enableServiceLinks: false,
        securityContext: {
          runAsNonRoot: true,
          runAsUser: d.uid,
          runAsGroup: d.uid,
          fsGroup: d.uid,
          seccompProfile: { type: "RuntimeDefault" },
        },
        initContainers: [
          container(
            "fetch-secrets",
            awsCliImage,
            "fetch-secrets.sh",
            {
              requests: { cpu: "50m", memory: "128Mi" },
              limits: { cpu: "500m", memory: "256Mi" },
            },
            [
              { name: "AWS_REGION", value: args.region },
              { name: "AWS_PAGER", value: "" },
              { name: "HOME", value: PATHS.tmp },
              ...env("SECRET_ARN"),
            ],
          ),
          container(
            "pgpass",
            postgresImage,
            "pgpass.sh",
            { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "32Mi" } },
            env("HOST"),
          ),
        ],
        containers: [
          container(
            "apply-roles",
            postgresImage,
            "apply-roles.sh",
            { requests: { cpu: "50m", memory: "32Mi" }, limits: { cpu: "250m", memory: "64Mi" } },
            [{ name: "HOME", value: PATHS.tmp }, ...env("HOST")],
          ),
        ],
        volumes: [
          { name: "config", configMap: { name: configMap, defaultMode: 0o444 } },
          { name: "run", emptyDir: { medium: "Memory", sizeLimit: "1Mi" } },
          { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "16Mi" } },
        ],
      },
    };
  }

  const tcp = (port: number) => ({ protocol: "TCP", port });
  return {
    namespace,
    serviceAccount: d.name,
    jobName,
    hash,
    accessObjects: [
      {
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: meta(d.name),
        // The pods never call the Kubernetes API; Pod Identity projects its own token.
        automountServiceAccountToken: false,
      },
      {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: meta(`${d.name}-egress`),
        spec: {
          podSelector: { matchLabels: { "app.kubernetes.io/name": d.labels["app.kubernetes.io/name"] } },
          policyTypes: ["Egress"],
          egress: [
            { to: [{ ipBlock: { cidr: args.vpcCidr } }], ports: [tcp(DataPorts.postgres)] },
            // Secrets Manager's regional endpoint (public, through the NAT gateways: no interface endpoint).
            { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [tcp(443)] },
            { to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT_CIDR } }], ports: [tcp(80)] },
          ],
        },
      },
      { apiVersion: "v1", kind: "ConfigMap", metadata: meta(jobName), data: files },
    ],
    jobObjects: [
      {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: meta(jobName),
        spec: {
          backoffLimit,
          activeDeadlineSeconds,
          template: podTemplate(shards, jobName),
        },
      },
    ],
  };
}

/** `arn:<partition>:secretsmanager:<region>:<account>:secret:<name>` */
const SECRET_ARN =
  /^arn:(aws|aws-cn|aws-us-gov):secretsmanager:([a-z0-9-]+):(\d{12}):secret:[A-Za-z0-9/_+=.@!-]+$/;

/**
 * The Job role's IAM policy (JSON): `secretsmanager:GetSecretValue` on exactly the given master secrets, all in
 * `region`. The secrets RDS manages, and the global primaries' own, are encrypted with the AWS managed key
 * `aws/secretsmanager`, whose key policy lets the account's principals decrypt through Secrets Manager; only a
 * customer-managed key needs `kms:Decrypt` (`kmsKeyArns`), granted here through Secrets Manager only. Pure;
 * throws on an ARN that is not a secret of that region.
 */
export function roleBootstrapPolicy(
  region: string,
  secretArns: readonly string[],
  kmsKeyArns: readonly string[] = [],
): string {
  const problems = secretArns.flatMap((arn, i) => {
    const m = SECRET_ARN.exec(arn);
    if (m === null)
      return [`\`secretArns[${i}]\`: got ${JSON.stringify(arn)}; must be a Secrets Manager secret ARN`];
    return m[2] === region
      ? []
      : [
          `\`secretArns[${i}]\`: got ${JSON.stringify(arn)}; must be a secret in ${region}, where the Job runs`,
        ];
  });
  if (secretArns.length === 0) problems.push("`secretArns`: got []; the Job reads at least one secret");
  fail("roleBootstrapPolicy", problems);
  const statements: object[] = [
    {
      Sid: "ReadShardMasterSecrets",
      Effect: "Allow",
      Action: ["secretsmanager:GetSecretValue"],
      Resource: [...new Set(secretArns)].sort(),
    },
  ];
  if (kmsKeyArns.length > 0) {
    statements.push({
      Sid: "DecryptThroughSecretsManager",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: [...new Set(kmsKeyArns)].sort(),
      Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
    });
  }
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}
