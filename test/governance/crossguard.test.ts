import { governanceConfig } from "../../components/governance/config";
import { runPolicies } from "../../cli/plan/policy-run";
import { happyResources, happyStack, planned } from "../fixtures/governance/cloud";

const prod = governanceConfig({ production: true });
type Stack = ReturnType<typeof happyStack>;

async function findingsAfter(change: (s: Stack) => void, config = prod) {
  const eu = happyStack("eu-west-2");
  change(eu);
  const resources = [...Object.values(eu), ...Object.values(happyStack("us-east-1"))];
  const { findings } = await runPolicies({ resources, objects: [], config });
  return findings.map((f) => `${f.rule} | ${f.resource} | ${f.message}`);
}

function set(s: Stack, role: keyof Stack, path: string[], value: unknown): void {
  let node = s[role]!.inputs as Record<string, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  if (value === undefined) delete node[path.at(-1)!];
  else node[path.at(-1)!] = value;
}

describe("CrossGuard policies offline", () => {
  test("the happy two-region production stack has no findings", async () => {
    const result = await runPolicies({ resources: happyResources(), objects: [], config: prod });
    expect(result.findings).toEqual([]);
    expect(result.mandatoryViolations).toBe(0);
  });

  const cases: [string, keyof Stack, string[], unknown, string][] = [
    [
      "eks-private-endpoint",
      "cluster",
      ["vpcConfig", "endpointPublicAccess"],
      undefined,
      "aws:eks/cluster:Cluster cluster-eu-west-2: a public API endpoint needs an explicit CIDR allow-list",
    ],
    [
      "eks-private-endpoint",
      "cluster",
      ["vpcConfig", "endpointPrivateAccess"],
      false,
      "set vpcConfig.endpointPrivateAccess to true",
    ],
    [
      "eks-control-plane-logs",
      "cluster",
      ["enabledClusterLogTypes"],
      ["api"],
      "control-plane logs audit, authenticator are off; add them to enabledClusterLogTypes.",
    ],
    [
      "eks-secrets-encryption",
      "cluster",
      ["encryptionConfig"],
      undefined,
      "secrets are not envelope-encrypted",
    ],
    [
      "eks-zonal-shift",
      "cluster",
      ["zonalShiftConfig", "enabled"],
      false,
      "zonal shift is off; set zonalShiftConfig.enabled to true.",
    ],
    [
      "node-imdsv2",
      "launchTemplate",
      ["metadataOptions", "httpTokens"],
      "optional",
      'set metadataOptions.httpTokens to "required"',
    ],
    [
      "node-imdsv2",
      "launchTemplate",
      ["metadataOptions", "httpPutResponseHopLimit"],
      2,
      "metadataOptions.httpPutResponseHopLimit to 1",
    ],
    ["node-imdsv2", "nodeGroup", ["launchTemplate"], undefined, "the node group has no launch template"],
    [
      "node-encrypted-volumes",
      "launchTemplate",
      ["blockDeviceMappings"],
      [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }],
      'declare blockDeviceMappings with ebs.encrypted "true"',
    ],
    [
      "msk-tls",
      "msk",
      ["encryptionInfo", "encryptionInTransit", "clientBroker"],
      "TLS_PLAINTEXT",
      'set encryptionInfo.encryptionInTransit.clientBroker to "TLS"',
    ],
    [
      "msk-iam-auth",
      "msk",
      ["clientAuthentication", "sasl", "iam"],
      false,
      "set clientAuthentication.sasl.iam to true",
    ],
    [
      "msk-replication-settings",
      "mskConfig",
      ["serverProperties"],
      "default.replication.factor=2\nmin.insync.replicas=2\nauto.create.topics.enable=true",
      "serverProperties must set default.replication.factor=3 (or more), auto.create.topics.enable=false.",
    ],
    [
      "msk-replication-settings",
      "msk",
      ["numberOfBrokerNodes"],
      2,
      "runs 2 broker(s); set numberOfBrokerNodes to at least 3",
    ],
    [
      "elasticache-failover",
      "redis",
      ["automaticFailoverEnabled"],
      false,
      "aws:elasticache/replicationGroup:ReplicationGroup redis-eu-west-2: has no automatic failover; set automaticFailoverEnabled to true",
    ],
    ["elasticache-failover", "redis", ["replicasPerNodeGroup"], 0, "has no automatic failover"],
    [
      "elasticache-multi-az",
      "redis",
      ["multiAzEnabled"],
      false,
      "is not Multi-AZ; set multiAzEnabled to true.",
    ],
    [
      "elasticache-encryption",
      "redis",
      ["transitEncryptionEnabled"],
      false,
      "set transitEncryptionEnabled to true.",
    ],
    ["elasticache-encryption", "redis", ["authToken"], undefined, "set authToken or userGroupIds."],
    [
      "aurora-encryption",
      "aurora",
      ["storageEncrypted"],
      false,
      "storage is not encrypted; set storageEncrypted to true",
    ],
    [
      "aurora-deletion-protection",
      "aurora",
      ["deletionProtection"],
      false,
      "set deletionProtection to true and skipFinalSnapshot to false.",
    ],
    [
      "aurora-backups",
      "aurora",
      ["backupRetentionPeriod"],
      1,
      "keeps backups 1 day(s); set backupRetentionPeriod to at least 7.",
    ],
    [
      "no-public-data-store",
      "writer",
      ["publiclyAccessible"],
      true,
      "aws:rds/clusterInstance:ClusterInstance shard-0-1-eu-west-2: the database is publicly accessible; set publiclyAccessible to false.",
    ],
    [
      "no-public-data-store",
      "msk",
      ["brokerNodeGroupInfo", "connectivityInfo"],
      { publicAccess: { type: "SERVICE_PROVIDED_EIPS" } },
      "brokers are public",
    ],
    [
      "kms-key-rotation",
      "kms",
      ["enableKeyRotation"],
      false,
      "the key does not rotate; set enableKeyRotation to true.",
    ],
    [
      "required-tags",
      "provider",
      ["defaultTags"],
      { tags: { project: "semester" } },
      "tags environment, team are missing",
    ],
    ["aurora-multi-az", "reader", ["availabilityZone"], "eu-west-2a", "has 2 instance(s) in 1 zone(s)"],
    [
      "data-store-reachable-only-from-cluster",
      "auroraIngress",
      ["referencedSecurityGroupId"],
      "sg-kafka-eu-west-2",
      "the node security group of the cluster in eu-west-2",
    ],
    [
      "data-store-reachable-only-from-cluster",
      "redisSg",
      ["ingress"],
      [{ protocol: "tcp", fromPort: 6379, toPort: 6379, cidrBlocks: ["0.0.0.0/0"] }],
      "ingress[0] admits 0.0.0.0/0; replace the CIDR",
    ],
    [
      "data-store-reachable-only-from-cluster",
      "redis",
      ["securityGroupIds"],
      undefined,
      "has no security group of its own",
    ],
  ];

  test.each(cases)("%s catches %s.%s changed to %j", async (rule, role, path, value, expected) => {
    const findings = await findingsAfter((s) => set(s, role, path, value));
    expect(findings.filter((f) => f.startsWith(`${rule} |`)).join("\n")).toContain(expected);
    expect(new Set(findings.map((f) => f.split(" | ")[0]))).toEqual(new Set([rule]));
  });

  test("a data store in one region reached from the other region's nodes is caught", async () => {
    const findings = await findingsAfter((s) => {
      (s.auroraIngress!.inputs as Record<string, unknown>).referencedSecurityGroupId = "sg-nodes-us-east-1";
    });
    expect(findings).toEqual([
      "data-store-reachable-only-from-cluster | aws:rds/cluster:Cluster::shard-0-eu-west-2 | aws:rds/cluster:Cluster shard-0-eu-west-2: aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule shard-0-from-nodes-eu-west-2 admits a source that is not the node security group of the cluster in eu-west-2; make that group the only source.",
    ]);
  });

  test("production in one region is caught; dev in one region is not", async () => {
    const one = Object.values(happyStack("eu-west-2"));
    const prodResult = await runPolicies({ resources: one, objects: [], config: prod });
    expect(prodResult.findings.map((f) => f.message)).toEqual([
      "stack: production runs clusters in 1 region(s) (eu-west-2); add at least one more region to semester:regions.",
    ]);
    const dev = await runPolicies({ resources: one, objects: [], config: governanceConfig() });
    expect(dev.findings).toEqual([]);
  });

  test("an enforcement override makes a policy advisory, and disabled skips it", async () => {
    const eu = happyStack("eu-west-2");
    (eu.kms!.inputs as Record<string, unknown>).enableKeyRotation = false;
    const resources = [...Object.values(eu), ...Object.values(happyStack("us-east-1"))];
    const advisory = await runPolicies({
      resources,
      objects: [],
      config: governanceConfig({ production: true, enforcement: { "kms-key-rotation": "advisory" } }),
    });
    expect(advisory.findings.map((f) => [f.rule, f.level])).toEqual([["kms-key-rotation", "advisory"]]);
    expect(advisory.mandatoryViolations).toBe(0);
    const disabled = await runPolicies({
      resources,
      objects: [],
      config: governanceConfig({ production: true, enforcement: { "kms-key-rotation": "disabled" } }),
    });
    expect(disabled.findings).toEqual([]);
  });

  test("resource validations receive the engine's argument shape", async () => {
    const seen: string[] = [];
    const { policyResources } = await import("../../cli/plan/policy-run");
    const [res] = policyResources([
      planned("aws:kms/key:Key", "k", { enableKeyRotation: true }, { region: "eu-west-2" }),
    ]);
    seen.push(...Object.keys(res!).sort());
    expect(seen).toEqual([
      "asType",
      "dependencies",
      "isType",
      "name",
      "opts",
      "propertyDependencies",
      "props",
      "provider",
      "type",
      "urn",
    ]);
    expect(res!.provider).toEqual({
      type: "pulumi:providers:aws",
      props: { region: "eu-west-2" },
      urn: "urn:pulumi:plan::semester::pulumi:providers:aws::aws-eu-west-2",
      name: "aws-eu-west-2",
    });
    expect(res!.isType({ __pulumiType: "aws:kms/key:Key" } as never)).toBe(true);
  });
});

describe("aurora-deletion-protection: its exact scope", () => {
  // The rule as written (policies/rules/data.ts): production only, aws:rds/cluster:Cluster only, and it needs
  // both clauses: deletionProtection === true AND skipFinalSnapshot !== true (unset keeps a final snapshot).
  const FINDING =
    "aurora-deletion-protection | aws:rds/cluster:Cluster::shard-0-eu-west-2 | aws:rds/cluster:Cluster shard-0-eu-west-2: " +
    "can be deleted without a trace; set deletionProtection to true and skipFinalSnapshot to false.";
  const aurora = (deletionProtection: unknown, skipFinalSnapshot: unknown) => (s: Stack) => {
    set(s, "aurora", ["deletionProtection"], deletionProtection);
    set(s, "aurora", ["skipFinalSnapshot"], skipFinalSnapshot);
  };

  const cases: [unknown, unknown, "passes" | "fails"][] = [
    [true, false, "passes"],
    [true, undefined, "passes"],
    [true, true, "fails"],
    [false, false, "fails"],
    [undefined, false, "fails"],
    [false, true, "fails"],
  ];
  test.each(cases)(
    "in production, deletionProtection %j with skipFinalSnapshot %j %s",
    async (protection, skip, verdict) => {
      expect(await findingsAfter(aurora(protection, skip))).toEqual(verdict === "passes" ? [] : [FINDING]);
    },
  );

  test("outside production an unprotected cluster that skips its final snapshot passes", async () => {
    expect(await findingsAfter(aurora(false, true), governanceConfig())).toEqual([]);
  });

  test("applies to the regional cluster only: not to a global cluster, a cluster instance or an RDS instance", async () => {
    const unprotected = { deletionProtection: false, skipFinalSnapshot: true };
    const findings = await findingsAfter((s) => {
      s.global = planned(
        "aws:rds/globalCluster:GlobalCluster",
        "pg-0-global",
        {
          engine: "aurora-postgresql",
          globalClusterIdentifier: "pg-0",
          storageEncrypted: true,
          ...unprotected,
        },
        { region: "eu-west-2" },
      );
      Object.assign(s.writer!.inputs, unprotected);
      s.instance = planned(
        "aws:rds/instance:Instance",
        "legacy",
        { engine: "postgres", instanceClass: "db.t4g.micro", publiclyAccessible: false, ...unprotected },
        { region: "eu-west-2" },
      );
    });
    expect(findings.filter((f) => f.startsWith("aurora-deletion-protection |"))).toEqual([]);
    expect(findings).toEqual([]);
  });
});

describe("the data rules' other clauses and exemptions", () => {
  // Each clause of a data rule (policies/rules/data.ts) beyond the one the table above breaks, and each
  // exemption: one change to the happy stack, and exactly the findings it must give (none for an exemption).
  const at = (type: string, name: string, rule: string, text: string) =>
    `${rule} | ${type}::${name} | ${type} ${name}: ${text}`;
  const msk = (rule: string, text: string) => at("aws:msk/cluster:Cluster", "kafka-eu-west-2", rule, text);
  const redis = (rule: string, text: string) =>
    at("aws:elasticache/replicationGroup:ReplicationGroup", "redis-eu-west-2", rule, text);
  const aurora = (rule: string, text: string) =>
    at("aws:rds/cluster:Cluster", "shard-0-eu-west-2", rule, text);
  const NOT_TLS =
    'traffic is not TLS-only; set encryptionInfo.encryptionInTransit.clientBroker to "TLS" and inCluster to true.';
  const NO_FAILOVER =
    "has no automatic failover; set automaticFailoverEnabled to true with replicasPerNodeGroup of at least 1.";
  const redisWithout = (s: Stack, key: string) => delete (s.redis!.inputs as Record<string, unknown>)[key];

  const cases: [string, (s: Stack) => void, string[]][] = [
    [
      "msk-tls: plaintext between brokers",
      (s) => set(s, "msk", ["encryptionInfo", "encryptionInTransit", "inCluster"], false),
      [msk("msk-tls", NOT_TLS)],
    ],
    [
      "msk-tls: encryption in transit left to MSK's defaults (TLS both ways)",
      (s) => set(s, "msk", ["encryptionInfo"], undefined),
      [],
    ],
    [
      "msk-iam-auth: unauthenticated access allowed next to IAM",
      (s) => set(s, "msk", ["clientAuthentication", "unauthenticated"], true),
      [
        msk(
          "msk-iam-auth",
          "clients are not IAM-authenticated; set clientAuthentication.sasl.iam to true and unauthenticated to false.",
        ),
      ],
    ],
    [
      "msk-replication-settings: min.insync.replicas 1",
      (s) =>
        set(
          s,
          "mskConfig",
          ["serverProperties"],
          "default.replication.factor=3\nmin.insync.replicas=1\nauto.create.topics.enable=false",
        ),
      [
        at(
          "aws:msk/configuration:Configuration",
          "kafka-eu-west-2",
          "msk-replication-settings",
          "serverProperties must set min.insync.replicas=2 (or more).",
        ),
      ],
    ],
    [
      "msk-replication-settings: a cluster without a broker configuration",
      (s) => set(s, "msk", ["configurationInfo"], undefined),
      [
        msk(
          "msk-replication-settings",
          "uses no broker configuration; set configurationInfo to a configuration with the replication settings.",
        ),
      ],
    ],
    [
      "elasticache-failover: one cache cluster (no replica)",
      (s) => {
        redisWithout(s, "replicasPerNodeGroup");
        redisWithout(s, "numNodeGroups");
        set(s, "redis", ["numCacheClusters"], 1);
      },
      [redis("elasticache-failover", NO_FAILOVER)],
    ],
    [
      "elasticache-failover: two cache clusters (one replica)",
      (s) => {
        redisWithout(s, "replicasPerNodeGroup");
        redisWithout(s, "numNodeGroups");
        set(s, "redis", ["numCacheClusters"], 2);
      },
      [],
    ],
    [
      "elasticache-failover: a node group configured without a replica",
      (s) => {
        redisWithout(s, "replicasPerNodeGroup");
        set(s, "redis", ["nodeGroupConfigurations"], [{ replicaCount: 1 }, { replicaCount: 0 }]);
      },
      [redis("elasticache-failover", NO_FAILOVER)],
    ],
    [
      "elasticache-failover: every configured node group with a replica",
      (s) => {
        redisWithout(s, "replicasPerNodeGroup");
        set(s, "redis", ["nodeGroupConfigurations"], [{ replicaCount: 1 }, { replicaCount: 2 }]);
      },
      [],
    ],
    [
      "elasticache-encryption: unencrypted at rest",
      (s) => set(s, "redis", ["atRestEncryptionEnabled"], false),
      [
        redis(
          "elasticache-encryption",
          "is not encrypted and authenticated; set atRestEncryptionEnabled to true.",
        ),
      ],
    ],
    [
      "elasticache-encryption: RBAC user groups instead of an auth token",
      (s) => {
        redisWithout(s, "authToken");
        set(s, "redis", ["userGroupIds"], ["semester-users"]);
      },
      [],
    ],
    [
      "elasticache-encryption: a Global Datastore member inherits the primary's settings",
      (s) => {
        for (const key of ["authToken", "atRestEncryptionEnabled", "transitEncryptionEnabled"])
          redisWithout(s, key);
        set(s, "redis", ["globalReplicationGroupId"], "ldgnf-semester-redis");
      },
      [],
    ],
    [
      "aurora-backups: retention left unset (AWS keeps 1 day)",
      (s) => set(s, "aurora", ["backupRetentionPeriod"], undefined),
      [aurora("aurora-backups", "keeps backups 1 day(s); set backupRetentionPeriod to at least 7.")],
    ],
    [
      "kms-key-rotation: an asymmetric key (cannot rotate)",
      (s) => {
        set(s, "kms", ["enableKeyRotation"], false);
        set(s, "kms", ["customerMasterKeySpec"], "RSA_2048");
      },
      [],
    ],
    [
      "required-tags: provider default tags as the engine hands them over (JSON text)",
      (s) =>
        set(
          s,
          "provider",
          ["defaultTags"],
          JSON.stringify({ tags: { project: "semester", environment: "prod", team: "platform" } }),
        ),
      [],
    ],
  ];

  test.each(cases)("%s", async (_, change, expected) => {
    expect(await findingsAfter(change)).toEqual(expected);
  });

  test("required-tags: a resource's own tags and its provider's default tags add up", async () => {
    const provider = planned("pulumi:providers:aws", "aws-eu-west-2", {
      region: "eu-west-2",
      defaultTags: { tags: { project: "semester" } },
    });
    const key = (tags: Record<string, string>) =>
      planned("aws:kms/key:Key", "data", { enableKeyRotation: true, tags });
    const run = async (tags: Record<string, string>) =>
      (
        await runPolicies({ resources: [provider, key(tags)], objects: [], config: governanceConfig() })
      ).findings.map((f) => f.message);
    expect(await run({ environment: "dev", team: "platform" })).toEqual([]);
    expect(await run({ environment: "dev" })).toEqual([
      "aws:kms/key:Key data: tags team are missing; set them in tags or in the provider's defaultTags.",
    ]);
  });

  test("aurora-backups asks production for 7 days and other stacks for 1", async () => {
    const oneDay = (s: Stack) => set(s, "aurora", ["backupRetentionPeriod"], 1);
    expect(await findingsAfter(oneDay, governanceConfig())).toEqual([]);
    const none = (s: Stack) => set(s, "aurora", ["backupRetentionPeriod"], 0);
    expect(await findingsAfter(none, governanceConfig())).toEqual([
      aurora("aurora-backups", "keeps backups 0 day(s); set backupRetentionPeriod to at least 1."),
    ]);
  });
});

describe("policy report", () => {
  test("writes the findings in stable order, mandatory count first, byte-identical on a second run", async () => {
    const fs = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const { writePolicyReport } = await import("../../cli/plan/policy-run");
    const eu = happyStack("eu-west-2");
    (eu.writer!.inputs as Record<string, unknown>).publiclyAccessible = true;
    (eu.redis!.inputs as Record<string, unknown>).automaticFailoverEnabled = false;
    const resources = [...Object.values(happyStack("us-east-1")), ...Object.values(eu)];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-report-"));
    const file = path.join(dir, "policy-report.json");
    writePolicyReport(file, await runPolicies({ resources, objects: [], config: prod }));
    const first = fs.readFileSync(file, "utf8");
    writePolicyReport(
      file,
      await runPolicies({ resources: [...resources].reverse(), objects: [], config: prod }),
    );
    expect(fs.readFileSync(file, "utf8")).toBe(first);
    expect(JSON.parse(first)).toEqual({
      mandatoryViolations: 2,
      advisoryFindings: 0,
      findings: [
        {
          rule: "elasticache-failover",
          resource: "aws:elasticache/replicationGroup:ReplicationGroup::redis-eu-west-2",
          region: "eu-west-2",
          level: "mandatory",
          message:
            "aws:elasticache/replicationGroup:ReplicationGroup redis-eu-west-2: has no automatic failover; set automaticFailoverEnabled to true with replicasPerNodeGroup of at least 1.",
        },
        {
          rule: "no-public-data-store",
          resource: "aws:rds/clusterInstance:ClusterInstance::shard-0-1-eu-west-2",
          region: "eu-west-2",
          level: "mandatory",
          message:
            "aws:rds/clusterInstance:ClusterInstance shard-0-1-eu-west-2: the database is publicly accessible; set publiclyAccessible to false.",
        },
      ],
    });
  });
});
