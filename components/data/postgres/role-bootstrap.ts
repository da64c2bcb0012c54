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
import { POD_IDENTITY_AGENT, LearningNamespace } from "../../kubernetes";
import {
  type KubeObject,
  throwIfProblems,
  type Problem,
  DATA_NAMESPACE,
  RESTRICTED_CONTAINER_SECURITY_CONTEXT,
} from "../../core";
import { DataPorts } from "../network";
import { identifierProblems, PATHS, roleBootstrapFiles } from "./role-bootstrap-scripts";

export { PASSWORD_AWK, roleBootstrapFiles, roleBootstrapSql } from "./role-bootstrap-scripts";

/** @internal Every default of the bootstrap, in one place. */
export const ROLE_BOOTSTRAP_DEFAULTS = {
  /** The data tier's namespace (shard-map ConfigMaps live there too). */
  namespace: DATA_NAMESPACE,
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

/** @internal The EKS Pod Identity agent's credential endpoint (link-local, on every node): the one owner's value. */
export const POD_IDENTITY_AGENT_CIDR = POD_IDENTITY_AGENT.cidr;

/** @internal One primary shard writer the Job signs in to. `V` is a string, or a Pulumi Input in the wiring. */
export interface RoleBootstrapShard<V> {
  readonly shard: number;
  /** A stable name of the shard (its component name): the Job's name hashes it, never `host`/`secretArn`. */
  readonly name: string;
  /** The writer endpoint. */
  readonly host: V;
  /** The Secrets Manager secret with the master credentials (`{"username", "password"}`). */
  readonly secretArn: V;
}

/** @internal */
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

/** @internal What the platform applies, in this order: access (ServiceAccount, NetworkPolicy, ConfigMap), then the Job. */
export interface RoleBootstrap {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** `semester-db-roles-<hash>`: the Job and its ConfigMap. */
  readonly jobName: string;
  readonly hash: string;
  readonly accessObjects: KubeObject[];
  readonly jobObjects: KubeObject[];
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
  if (indexes.length === 0)
    problems.push({ path: "shards", value: [], rule: "the Job needs at least one primary writer" });
  if (new Set(indexes).size !== indexes.length)
    problems.push({ path: "shards[].shard", value: indexes, rule: "each shard at most once" });
  if (indexes.some((i) => !Number.isInteger(i) || i < 0))
    problems.push({ path: "shards[].shard", value: indexes, rule: "must be whole numbers from 0" });
  for (const [path, image] of [
    ["awsCliImage", awsCliImage],
    ["postgresImage", postgresImage],
  ] as const) {
    const pinned = PINNED.test(image) && (image.includes("@sha256:") || /:[^/]+$/.test(image));
    if (!pinned || image.endsWith(":latest"))
      problems.push({ path, value: image, rule: "must be pinned by a version tag or a digest" });
  }
  if (!Number.isInteger(backoffLimit) || backoffLimit < 0 || backoffLimit > 10)
    problems.push({ path: "backoffLimit", value: backoffLimit, rule: "must be from 0 to 10" });
  if (!Number.isInteger(activeDeadlineSeconds) || activeDeadlineSeconds < 60 || activeDeadlineSeconds > 590)
    problems.push({
      path: "activeDeadlineSeconds",
      value: activeDeadlineSeconds,
      rule: "must be from 60 to 590 (under the provider's 600 s wait)",
    });
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(args.vpcCidr))
    problems.push({ path: "vpcCidr", value: args.vpcCidr, rule: "must be an IPv4 CIDR such as 10.0.0.0/16" });
  throwIfProblems(`roleBootstrapObjects (${args.region})`, problems);

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
    const securityContext = RESTRICTED_CONTAINER_SECURITY_CONTEXT;
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
            { to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT_CIDR } }], ports: [tcp(POD_IDENTITY_AGENT.port)] },
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
  const problems = secretArns.flatMap((arn, i): Problem[] => {
    const m = SECRET_ARN.exec(arn);
    if (m === null)
      return [{ path: `secretArns[${i}]`, value: arn, rule: "must be a Secrets Manager secret ARN" }];
    return m[2] === region
      ? []
      : [{ path: `secretArns[${i}]`, value: arn, rule: `must be a secret in ${region}, where the Job runs` }];
  });
  if (secretArns.length === 0)
    problems.push({ path: "secretArns", value: [], rule: "the Job reads at least one secret" });
  throwIfProblems("roleBootstrapPolicy", problems);
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
