import type { Environment } from "../../components/core/environment";
import { fakeCluster } from "../fixtures/data/cluster";
import { named, ofType, reset, setDataMocks, settle, valueOf } from "../fixtures/data/mocks";

setDataMocks();

const { AuroraShard } =
  require("../../components/data/postgres/aurora-shard") as typeof import("../../components/data/postgres/aurora-shard");
const { DataTier } =
  require("../../components/data/data-tier") as typeof import("../../components/data/data-tier");
const { dataSchema } =
  require("../../components/data/config") as typeof import("../../components/data/config");

/** How the SDK hands a secret input to the mocks: wrapped with its signature. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const secretValue = (v: any): unknown => {
  if (v?.[SECRET_SIG] !== "1b47061264138c4ac30d75fd1eb44270")
    throw new Error(`not a secret: ${JSON.stringify(v)}`);
  return v.value;
};

describe("AuroraShard master credentials", () => {
  beforeEach(reset);
  const shard = (role: "standalone" | "global-primary" | "global-secondary") =>
    new AuroraShard("pg", {
      cluster: fakeCluster("eu-west-2"),
      securityGroupId: "sg-pg",
      kmsKeyArn: "arn:kms:pg",
      role,
      ...(role === "standalone" ? {} : { globalClusterIdentifier: "g" }),
    });

  it("names the RDS-managed secret of a standalone shard and creates no secret of its own", async () => {
    const s = shard("standalone");
    await settle();
    expect(await valueOf(s.masterUserSecretArn!)).toBe(
      "arn:aws:secretsmanager:r:123456789012:secret:rds!pg-cluster-AbCdEf",
    );
    expect(ofType("aws:secretsmanager/secret:Secret")).toEqual([]);
  });

  it("gives a global primary its own secret, written once, write-only and secret, with the cluster's password", async () => {
    const s = shard("global-primary");
    await settle();
    const [secret] = ofType("aws:secretsmanager/secret:Secret");
    const [version] = ofType("aws:secretsmanager/secretVersion:SecretVersion");
    expect([
      secret!.name,
      version!.name,
      version!.inputs.secretId,
      version!.inputs.secretStringWoVersion,
    ]).toEqual([
      "pg-master",
      "pg-master",
      "arn:aws:secretsmanager:r:123456789012:secret:pg-master-AbCdEf",
      1,
    ]);
    expect(JSON.parse(secretValue(version!.inputs.secretStringWo) as string)).toEqual({
      username: "semester_admin",
      password: "generated",
    });
    expect(secretValue(named("pg-cluster").inputs.masterPasswordWo)).toBe("generated");
    expect(await valueOf(s.masterUserSecretArn!)).toBe(
      "arn:aws:secretsmanager:r:123456789012:secret:pg-master-AbCdEf",
    );
  });

  it("leaves a global secondary without credentials or a secret", async () => {
    const s = shard("global-secondary");
    await settle();
    expect(s.masterUserSecretArn).toBeUndefined();
    expect(ofType("aws:secretsmanager/secret:Secret")).toEqual([]);
  });
});

describe("DataTier.postgresPrimaries", () => {
  beforeEach(reset);
  const tier = (environment: Environment, regions: string[]) =>
    new DataTier("t", {
      environment,
      homeRegion: regions[0]!,
      regions: Object.fromEntries(regions.map((r) => [r, fakeCluster(r)])),
      config: dataSchema.parse({ postgres: { shards: 2 } }),
    });

  it("lists only the home region's shards when they are global databases", async () => {
    const t = tier("prod", ["us-east-1", "eu-west-2"]);
    await settle();
    expect(Object.keys(t.postgresPrimaries)).toEqual(["us-east-1"]);
    const primaries = t.postgresPrimaries["us-east-1"]!;
    expect(primaries.map((p) => [p.shard, p.name, p.instances.length])).toEqual([
      [0, "t-us-east-1-pg-0", 2],
      [1, "t-us-east-1-pg-1", 2],
    ]);
    expect(await valueOf(primaries[1]!.writerEndpoint)).toBe("t-us-east-1-pg-1-cluster.writer");
    expect(await valueOf(primaries[1]!.masterUserSecretArn)).toBe(
      "arn:aws:secretsmanager:r:123456789012:secret:t-us-east-1-pg-1-master-AbCdEf",
    );
  });

  it("lists every region's own shards when each region is standalone", async () => {
    const t = tier("staging", ["us-east-1", "eu-west-2"]);
    await settle();
    expect(Object.keys(t.postgresPrimaries).sort()).toEqual(["eu-west-2", "us-east-1"]);
    expect(await valueOf(t.postgresPrimaries["eu-west-2"]![0]!.masterUserSecretArn)).toBe(
      "arn:aws:secretsmanager:r:123456789012:secret:rds!t-eu-west-2-pg-0-cluster-AbCdEf",
    );
  });
});
