/**
 * The IAM documents Semester emits, checked against the catalogue and decided for the calls each controller
 * must make and for obvious neighbours it must not.
 */
import { karpenterControllerPolicy } from "../../../components/cluster/karpenter/controller-policy";
import type { ReadBinding, WriteBinding } from "../../../components/data/cqrs";
import { TOPIC_NAMES } from "../../../components/data/kafka/catalog";
import { externalDnsIamPolicy } from "../../../components/kubernetes/dns";
import { dataAccessPolicy } from "../../../components/platform/data-access-policy";
import { evaluate, policyProblems, type ContextValue, type Decision } from "../../../cli/plan/wiring/iam";

const ACCOUNT = "111122223333";
const REGION = "eu-west-2";
const CLUSTER = "semester-prod-euw2";

function decider(label: string, document: string) {
  return (action: string, resource: string, context?: Record<string, ContextValue>): Decision =>
    evaluate([{ label, document }], { action, resource, context }).decision;
}

describe("the Karpenter controller policy", () => {
  const nodeRole = `arn:aws:iam::${ACCOUNT}:role/${CLUSTER}-karpenter-node`;
  const queue = `arn:aws:sqs:${REGION}:${ACCOUNT}:${CLUSTER}-interruptions`;
  const policy = karpenterControllerPolicy({
    partition: "aws",
    region: REGION,
    accountId: ACCOUNT,
    clusterName: CLUSTER,
    interruptionQueueArn: queue,
    nodeRoleArn: nodeRole,
  });
  const decide = decider("karpenter", policy);
  const ec2 = (resource: string, region = REGION) => `arn:aws:ec2:${region}:${ACCOUNT}:${resource}`;
  const owned = {
    [`aws:ResourceTag/kubernetes.io/cluster/${CLUSTER}`]: "owned",
    "aws:ResourceTag/karpenter.sh/nodepool": "general",
  };
  const requestTags = {
    [`aws:RequestTag/kubernetes.io/cluster/${CLUSTER}`]: "owned",
    "aws:RequestTag/eks:eks-cluster-name": CLUSTER,
    "aws:RequestTag/karpenter.sh/nodepool": "general",
  };

  it("names only actions the catalogue knows, with no malformed statement", () => {
    expect(policyProblems("karpenter", policy)).toEqual([]);
  });

  it("may terminate an instance of this cluster's node pools, deciding by AllowScopedDeletion", () => {
    expect(
      evaluate([{ label: "karpenter", document: policy }], {
        action: "ec2:TerminateInstances",
        resource: ec2("instance/i-0abc"),
        context: owned,
      }),
    ).toEqual({ decision: "allow", decidedBy: ["karpenter#AllowScopedDeletion"] });
  });

  it("may not terminate an instance without the node pool tag, of another cluster, or in another region", () => {
    const instance = ec2("instance/i-0abc");
    expect(
      decide("ec2:TerminateInstances", instance, {
        [`aws:ResourceTag/kubernetes.io/cluster/${CLUSTER}`]: "owned",
      }),
    ).toBe("implicit-deny");
    expect(decide("ec2:TerminateInstances", instance)).toBe("implicit-deny");
    const other = {
      "aws:ResourceTag/kubernetes.io/cluster/other": "owned",
      "aws:ResourceTag/karpenter.sh/nodepool": "general",
    };
    expect(decide("ec2:TerminateInstances", instance, other)).toBe("implicit-deny");
    const shared = { ...owned, [`aws:ResourceTag/kubernetes.io/cluster/${CLUSTER}`]: "shared" };
    expect(decide("ec2:TerminateInstances", instance, shared)).toBe("implicit-deny");
    expect(decide("ec2:TerminateInstances", ec2("instance/i-0abc", "us-east-1"), owned)).toBe(
      "implicit-deny",
    );
  });

  it("may delete this cluster's launch templates only, as it terminates this cluster's instances only", () => {
    const other = {
      "aws:ResourceTag/kubernetes.io/cluster/semester-prod-use1": "owned",
      "aws:ResourceTag/karpenter.sh/nodepool": "general",
    };
    for (const [action, resource] of [
      ["ec2:TerminateInstances", ec2("instance/i-0abc")],
      ["ec2:DeleteLaunchTemplate", ec2("launch-template/lt-0abc")],
    ] as const) {
      expect(
        evaluate([{ label: "karpenter", document: policy }], { action, resource, context: owned }),
      ).toEqual({ decision: "allow", decidedBy: ["karpenter#AllowScopedDeletion"] });
      expect([action, decide(action, resource, other)]).toEqual([action, "implicit-deny"]);
      expect([action, decide(action, resource)]).toEqual([action, "implicit-deny"]);
    }
    // Neither action reaches past instances and launch templates, or past this region.
    expect(decide("ec2:TerminateInstances", ec2("volume/vol-1"), owned)).toBe("implicit-deny");
    expect(decide("ec2:DeleteLaunchTemplate", ec2("launch-template/lt-0abc", "us-east-1"), owned)).toBe(
      "implicit-deny",
    );
  });

  it("may launch with this cluster's request tags, and not without them", () => {
    expect(decide("ec2:RunInstances", ec2("instance/*"), requestTags)).toBe("allow");
    expect(decide("ec2:RunInstances", ec2("volume/*"), requestTags)).toBe("allow");
    const withoutName: Record<string, string> = { ...requestTags };
    delete withoutName["aws:RequestTag/eks:eks-cluster-name"];
    expect(decide("ec2:RunInstances", ec2("instance/*"), withoutName)).toBe("implicit-deny");
    expect(decide("ec2:RunInstances", ec2("subnet/subnet-1"))).toBe("allow");
    expect(decide("ec2:RunInstances", `arn:aws:ec2:${REGION}::image/ami-1`)).toBe("allow");
    expect(decide("ec2:RunInstances", ec2("launch-template/lt-1"), owned)).toBe("allow");
    expect(decide("ec2:RunInstances", ec2("launch-template/lt-1"))).toBe("implicit-deny");
  });

  it("may launch only from this cluster's node-pool launch templates, and create only with all of its request tags", () => {
    const template = ec2("launch-template/lt-1");
    const otherTemplate = {
      "aws:ResourceTag/kubernetes.io/cluster/other": "owned",
      "aws:ResourceTag/karpenter.sh/nodepool": "general",
    };
    expect(decide("ec2:RunInstances", template, otherTemplate)).toBe("implicit-deny");
    expect(
      decide("ec2:CreateFleet", template, { [`aws:ResourceTag/kubernetes.io/cluster/${CLUSTER}`]: "owned" }),
    ).toBe("implicit-deny");
    const without = (key: string) => {
      const tags: Record<string, string> = { ...requestTags };
      delete tags[key];
      return tags;
    };
    for (const key of Object.keys(requestTags)) {
      expect([key, decide("ec2:RunInstances", ec2("instance/*"), without(key))]).toEqual([
        key,
        "implicit-deny",
      ]);
      expect([key, decide("ec2:CreateLaunchTemplate", template, without(key))]).toEqual([
        key,
        "implicit-deny",
      ]);
    }
    expect(
      decide("ec2:RunInstances", ec2("instance/*"), {
        ...without(`aws:RequestTag/kubernetes.io/cluster/${CLUSTER}`),
        "aws:RequestTag/kubernetes.io/cluster/other": "owned",
      }),
    ).toBe("implicit-deny");
  });

  it("may tag at creation only with all of this cluster's request tags, and only what a launch creates", () => {
    const creating = { ...requestTags, "ec2:CreateAction": "RunInstances" };
    for (const key of Object.keys(requestTags)) {
      const tags: Record<string, string> = { ...creating };
      delete tags[key];
      expect([key, decide("ec2:CreateTags", ec2("instance/i-0abc"), tags)]).toEqual([key, "implicit-deny"]);
    }
    expect(
      decide("ec2:CreateTags", ec2("fleet/fleet-1"), { ...creating, "ec2:CreateAction": "CreateFleet" }),
    ).toBe("allow");
    expect(decide("ec2:CreateTags", ec2("security-group/sg-1"), creating)).toBe("implicit-deny");
    expect(decide("ec2:CreateTags", ec2("subnet/subnet-1"), creating)).toBe("implicit-deny");
  });

  it("may re-tag only its own node-pool instances", () => {
    const keys = { "aws:TagKeys": ["karpenter.sh/nodeclaim"] };
    expect(decide("ec2:CreateTags", ec2("instance/i-0abc"), { ...owned, ...keys })).toBe("allow");
    expect(
      decide("ec2:CreateTags", ec2("instance/i-0abc"), {
        "aws:ResourceTag/kubernetes.io/cluster/other": "owned",
        "aws:ResourceTag/karpenter.sh/nodepool": "general",
        ...keys,
      }),
    ).toBe("implicit-deny");
    expect(
      decide("ec2:CreateTags", ec2("instance/i-0abc"), {
        [`aws:ResourceTag/kubernetes.io/cluster/${CLUSTER}`]: "owned",
        ...keys,
      }),
    ).toBe("implicit-deny");
    expect(decide("ec2:CreateTags", ec2("volume/vol-1"), { ...owned, ...keys })).toBe("implicit-deny");
  });

  it("may tag what it creates while creating it, and only then", () => {
    const creating = { ...requestTags, "ec2:CreateAction": "RunInstances" };
    expect(decide("ec2:CreateTags", ec2("instance/i-0abc"), creating)).toBe("allow");
    expect(
      decide("ec2:CreateTags", ec2("volume/vol-1"), { ...creating, "ec2:CreateAction": "CreateVolume" }),
    ).toBe("implicit-deny");
  });

  it("may tag its own instances with the node claim and Name keys only", () => {
    const tagging = (keys: string[]) => ({ ...owned, "aws:TagKeys": keys });
    expect(
      decide("ec2:CreateTags", ec2("instance/i-0abc"), tagging(["karpenter.sh/nodeclaim", "Name"])),
    ).toBe("allow");
    expect(
      decide("ec2:CreateTags", ec2("instance/i-0abc"), tagging(["Name", "kubernetes.io/cluster/other"])),
    ).toBe("implicit-deny");
    expect(
      decide("ec2:CreateTags", ec2("instance/i-0abc"), {
        ...tagging(["eks:eks-cluster-name"]),
        "aws:RequestTag/eks:eks-cluster-name": "other",
      }),
    ).toBe("implicit-deny");
  });

  it("may read EC2 in its own region only", () => {
    expect(decide("ec2:DescribeInstances", "*", { "aws:RequestedRegion": REGION })).toBe("allow");
    expect(decide("ec2:DescribeSpotPriceHistory", "*", { "aws:RequestedRegion": REGION })).toBe("allow");
    expect(decide("ec2:DescribeInstances", "*", { "aws:RequestedRegion": "us-east-1" })).toBe(
      "implicit-deny",
    );
  });

  it("may pass only the node role, and only to EC2", () => {
    expect(decide("iam:PassRole", nodeRole, { "iam:PassedToService": "ec2.amazonaws.com" })).toBe("allow");
    expect(decide("iam:PassRole", nodeRole, { "iam:PassedToService": "lambda.amazonaws.com" })).toBe(
      "implicit-deny",
    );
    expect(
      decide("iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/admin`, {
        "iam:PassedToService": "ec2.amazonaws.com",
      }),
    ).toBe("implicit-deny");
  });

  it("may manage this cluster's instance profiles in its region", () => {
    const profile = `arn:aws:iam::${ACCOUNT}:instance-profile/${CLUSTER}_123`;
    const tags = {
      [`aws:ResourceTag/kubernetes.io/cluster/${CLUSTER}`]: "owned",
      "aws:ResourceTag/topology.kubernetes.io/region": REGION,
      "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "default",
    };
    expect(decide("iam:AddRoleToInstanceProfile", profile, tags)).toBe("allow");
    expect(decide("iam:DeleteInstanceProfile", profile, tags)).toBe("allow");
    expect(
      decide("iam:DeleteInstanceProfile", profile, {
        ...tags,
        "aws:ResourceTag/topology.kubernetes.io/region": "us-east-1",
      }),
    ).toBe("implicit-deny");
    expect(decide("iam:GetInstanceProfile", profile)).toBe("allow");
  });

  it("may create and re-tag an instance profile only with this cluster's request tags", () => {
    const profile = `arn:aws:iam::${ACCOUNT}:instance-profile/${CLUSTER}_123`;
    // A profile being created has no resource tags yet: only the tags the call sends can scope it.
    const creating = {
      [`aws:RequestTag/kubernetes.io/cluster/${CLUSTER}`]: "owned",
      "aws:RequestTag/eks:eks-cluster-name": CLUSTER,
      "aws:RequestTag/topology.kubernetes.io/region": REGION,
      "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "default",
    };
    expect(decide("iam:CreateInstanceProfile", profile, creating)).toBe("allow");
    expect(
      decide("iam:CreateInstanceProfile", profile, {
        ...creating,
        "aws:RequestTag/eks:eks-cluster-name": "other",
      }),
    ).toBe("implicit-deny");
    const existing = {
      [`aws:ResourceTag/kubernetes.io/cluster/${CLUSTER}`]: "owned",
      "aws:ResourceTag/topology.kubernetes.io/region": REGION,
      "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "default",
    };
    expect(decide("iam:TagInstanceProfile", profile, { ...existing, ...creating })).toBe("allow");
    expect(decide("iam:TagInstanceProfile", profile, existing)).toBe("implicit-deny");
    expect(decide("iam:TagInstanceProfile", profile, creating)).toBe("implicit-deny");
    // Each of the tags is required: without any one of them, neither call is allowed.
    const without = (tags: Record<string, string>, key: string) =>
      Object.fromEntries(Object.entries(tags).filter(([k]) => k !== key));
    for (const key of Object.keys(creating)) {
      expect([key, decide("iam:CreateInstanceProfile", profile, without(creating, key))]).toEqual([
        key,
        "implicit-deny",
      ]);
    }
    for (const key of [...Object.keys(existing), ...Object.keys(creating)]) {
      const tags = without({ ...existing, ...creating }, key);
      expect([key, decide("iam:TagInstanceProfile", profile, tags)]).toEqual([key, "implicit-deny"]);
    }
  });

  it("may read the zonal-shift status of its own cluster only", () => {
    const own = `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`;
    expect(
      decide("arc-zonal-shift:GetManagedResource", "*", { "arc-zonal-shift:ResourceIdentifier": own }),
    ).toBe("allow");
    expect(
      decide("arc-zonal-shift:GetManagedResource", "*", {
        "arc-zonal-shift:ResourceIdentifier": `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/other`,
      }),
    ).toBe("implicit-deny");
  });

  it("may use its interruption queue, SSM's public parameters and its cluster's endpoint, nothing next to them", () => {
    expect(decide("sqs:ReceiveMessage", queue)).toBe("allow");
    expect(decide("sqs:DeleteMessage", queue)).toBe("allow");
    expect(decide("sqs:SendMessage", queue)).toBe("implicit-deny");
    expect(decide("sqs:ReceiveMessage", `arn:aws:sqs:${REGION}:${ACCOUNT}:other`)).toBe("implicit-deny");
    expect(
      decide("ssm:GetParameter", `arn:aws:ssm:${REGION}::parameter/aws/service/eks/optimized-ami/1.33/x`),
    ).toBe("allow");
    expect(decide("ssm:GetParameter", `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/semester/secret`)).toBe(
      "implicit-deny",
    );
    expect(decide("eks:DescribeCluster", `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`)).toBe(
      "allow",
    );
    expect(decide("eks:DescribeCluster", `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/other`)).toBe(
      "implicit-deny",
    );
    expect(decide("eks:DeleteCluster", `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`)).toBe(
      "implicit-deny",
    );
    expect(decide("iam:CreateRole", `arn:aws:iam::${ACCOUNT}:role/x`)).toBe("implicit-deny");
    expect(decide("ec2:DeleteVolume", ec2("volume/vol-1"), owned)).toBe("implicit-deny");
  });
});

describe("the ExternalDNS policy", () => {
  const zone = "Z0123456789ABCDEFGHIJ";
  const policy = externalDnsIamPolicy(zone);
  const decide = decider("external-dns", policy);

  it("names only actions the catalogue knows, with no malformed statement", () => {
    expect(policyProblems("external-dns", policy)).toEqual([]);
  });

  it("may change records in its zone only, and list zones and records", () => {
    expect(decide("route53:ChangeResourceRecordSets", `arn:aws:route53:::hostedzone/${zone}`)).toBe("allow");
    expect(decide("route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/ZOTHER")).toBe(
      "implicit-deny",
    );
    expect(decide("route53:ListHostedZones", "*")).toBe("allow");
    expect(decide("route53:ListResourceRecordSets", `arn:aws:route53:::hostedzone/${zone}`)).toBe("allow");
  });

  it("may not create or delete zones", () => {
    expect(decide("route53:DeleteHostedZone", `arn:aws:route53:::hostedzone/${zone}`)).toBe("implicit-deny");
    expect(decide("route53:CreateHostedZone", "*")).toBe("implicit-deny");
  });
});

describe("the data-access policies", () => {
  const msk = `arn:aws:kafka:us-east-1:${ACCOUNT}:cluster/semester-msk/0a1b2c3d-1`;
  const topic = (name: string) => `arn:aws:kafka:us-east-1:${ACCOUNT}:topic/semester-msk/0a1b2c3d-1/${name}`;
  const group = (name: string) => `arn:aws:kafka:us-east-1:${ACCOUNT}:group/semester-msk/0a1b2c3d-1/${name}`;
  const pgCluster = (shard: number) => `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:semester-pg-${shard}`;
  const dbUser = (shard: number, user: string) =>
    `arn:aws:rds-db:us-east-1:${ACCOUNT}:dbuser:cluster-ABC${shard}/${user}`;
  const redis = {
    replicationGroupArn: `arn:aws:elasticache:us-east-1:${ACCOUNT}:replicationgroup:prod-use1-redis`,
    userArn: `arn:aws:elasticache:us-east-1:${ACCOUNT}:user:prod-use1-app`,
  };
  const arns = {
    mskClusterArn: msk,
    postgresClusterArns: [pgCluster(0), pgCluster(1)],
    postgresClusterResourceIds: ["cluster-ABC0", "cluster-ABC1"],
    redis,
  };
  // Only the fields the policy reads; endpoints are Outputs the pure function never touches.
  const topics = Object.fromEntries(TOPIC_NAMES.map((name) => [name, name]));
  const binding = (kind: "write" | "read", user: string, backend: "msk" | "strimzi" = "msk") =>
    ({
      kind,
      region: "us-east-1",
      postgres: { region: "us-east-1", user, shards: [{ shard: 0 }, { shard: 1 }] },
      kafka: { backend, region: "us-east-1", topics },
      redis: { region: "us-east-1" },
    }) as unknown as WriteBinding & ReadBinding;
  const write = dataAccessPolicy(binding("write", "semester_writer"), arns, { service: "enrollment" });
  const read = dataAccessPolicy(binding("read", "semester_reader"), arns, { service: "catalog" });

  it("name only actions the catalogue knows, with no malformed statement", () => {
    expect(policyProblems("data-write", write)).toEqual([]);
    expect(policyProblems("data-read", read)).toEqual([]);
  });

  it("let writers produce to the catalog's topics and connect as the writer user, but not consume", () => {
    const decide = decider("data-write", write);
    expect(decide("kafka-cluster:Connect", msk)).toBe("allow");
    expect(decide("kafka-cluster:WriteDataIdempotently", msk)).toBe("allow");
    for (const name of TOPIC_NAMES) expect(decide("kafka-cluster:WriteData", topic(name))).toBe("allow");
    expect(decide("kafka-cluster:WriteData", topic("not-in-the-catalog"))).toBe("implicit-deny");
    expect(decide("kafka-cluster:ReadData", topic(TOPIC_NAMES[0]!))).toBe("implicit-deny");
    expect(decide("kafka-cluster:DeleteTopic", topic(TOPIC_NAMES[0]!))).toBe("implicit-deny");
    expect(decide("rds-db:connect", dbUser(1, "semester_writer"))).toBe("allow");
    expect(decide("rds-db:connect", dbUser(1, "semester_reader"))).toBe("implicit-deny");
    expect(decide("elasticache:Connect", redis.replicationGroupArn)).toBe("implicit-deny");
  });

  it("let readers consume with their own consumer groups and use Redis, but not produce", () => {
    const decide = decider("data-read", read);
    expect(decide("kafka-cluster:ReadData", topic(TOPIC_NAMES[0]!))).toBe("allow");
    expect(decide("kafka-cluster:AlterGroup", group("catalog"))).toBe("allow");
    expect(decide("kafka-cluster:AlterGroup", group("catalog-projection"))).toBe("allow");
    expect(decide("kafka-cluster:AlterGroup", group("assessment"))).toBe("implicit-deny");
    expect(decide("kafka-cluster:AlterGroup", group("catalogue"))).toBe("implicit-deny");
    expect(decide("kafka-cluster:WriteData", topic(TOPIC_NAMES[0]!))).toBe("implicit-deny");
    expect(decide("rds-db:connect", dbUser(0, "semester_reader"))).toBe("allow");
    expect(decide("rds-db:connect", dbUser(0, "semester_writer"))).toBe("implicit-deny");
    expect(decide("elasticache:Connect", redis.replicationGroupArn)).toBe("allow");
    expect(decide("elasticache:Connect", redis.userArn)).toBe("allow");
    expect(
      decide("elasticache:Connect", `arn:aws:elasticache:us-east-1:${ACCOUNT}:replicationgroup:other`),
    ).toBe("implicit-deny");
  });

  it("let a writer that scales on a topic's lag consume that topic only, with its own groups", () => {
    const consumed = TOPIC_NAMES[0]!;
    const lag = dataAccessPolicy(binding("write", "semester_writer"), arns, {
      service: "enrollment",
      consumes: consumed,
    });
    expect(policyProblems("data-write-lag", lag)).toEqual([]);
    const decide = decider("data-write-lag", lag);
    expect(decide("kafka-cluster:ReadData", topic(consumed))).toBe("allow");
    expect(decide("kafka-cluster:ReadData", topic(TOPIC_NAMES[1]!))).toBe("implicit-deny");
    expect(decide("kafka-cluster:AlterGroup", group("enrollment-lag"))).toBe("allow");
    expect(decide("kafka-cluster:AlterGroup", group("catalog"))).toBe("implicit-deny");
  });

  it("give a Strimzi binding no Kafka permission at all", () => {
    const strimzi = dataAccessPolicy(binding("write", "semester_writer", "strimzi"), arns, {
      service: "enrollment",
    });
    expect(policyProblems("data-strimzi", strimzi)).toEqual([]);
    expect(decider("data-strimzi", strimzi)("kafka-cluster:Connect", msk)).toBe("implicit-deny");
  });
});
