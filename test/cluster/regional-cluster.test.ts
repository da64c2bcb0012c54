import { RegionalCluster, type RegionalClusterArgs } from "../../components/cluster/regional-cluster";
import { ofType, only, recordResources } from "../support/record";

const base: RegionalClusterArgs = {
  region: "eu-west-2",
  environment: "prod",
  vpcCidr: "10.1.0.0/16",
  kubernetesVersion: "1.35",
};

/** Builds are memoized by arguments: most tests read the same default or fully overridden cluster. */
const builds = new Map<string, ReturnType<typeof recordResources>>();
function cluster(overrides: Partial<RegionalClusterArgs> = {}) {
  const key = JSON.stringify(overrides);
  if (!builds.has(key)) {
    builds.set(
      key,
      recordResources(() => new RegionalCluster("rc", { ...base, ...overrides })),
    );
  }
  return builds.get(key)!;
}

/** Every default overridden at once; each override test reads its own field from this one build. */
const OVERRIDES: Partial<RegionalClusterArgs> = {
  environment: "dev",
  natGateways: "single",
  endpointPublicAccessCidrs: ["203.0.113.0/24"],
  logTypes: ["api", "audit"],
  logRetentionDays: 365,
  bootstrapCreatorAdmin: true,
  adminPrincipalArns: ["arn:aws:iam::123456789012:role/admins"],
  zonalShift: false,
  upgradeSupport: "EXTENDED",
  kubernetesVersion: "1.34",
  kmsDeletionWindowDays: 7,
  addonVersions: { coreDns: "v1.12.4-eksbuild.1" },
  systemNodeGroup: {
    instanceTypes: ["m7g.large"],
    amiType: "AL2023_ARM_64_STANDARD",
    minSize: 4,
    maxSize: 8,
    desiredSize: 5,
    diskSizeGiB: 80,
    maxUnavailablePercentage: 25,
  },
  karpenter: {
    chartVersion: "1.14.0",
    rootVolumeGiB: 60,
    amiAlias: "al2023@v20261101",
    nodePools: {
      general: {
        budgets: [{ nodes: "0", schedule: "0 7 * * mon-fri", duration: "12h" }],
        capacityTypes: ["on-demand"],
        cpuLimit: 64,
        consolidateAfter: "15m",
      },
    },
  },
};

function eks(resources: Awaited<ReturnType<typeof cluster>>) {
  return only(resources, "aws:eks/cluster:Cluster").inputs as Record<string, any>;
}

describe("RegionalCluster network", () => {
  it("spans three zones with a private and a public subnet in each", async () => {
    const subnets = ofType(await cluster(), "aws:ec2/subnet:Subnet").map((s) => [
      s.name,
      s.inputs.cidrBlock,
      s.inputs.availabilityZone,
    ]);
    expect(subnets).toEqual([
      ["rc-network-private-a", "10.1.0.0/19", "eu-west-2a"],
      ["rc-network-private-b", "10.1.32.0/19", "eu-west-2b"],
      ["rc-network-private-c", "10.1.64.0/19", "eu-west-2c"],
      ["rc-network-public-a", "10.1.192.0/24", "eu-west-2a"],
      ["rc-network-public-b", "10.1.193.0/24", "eu-west-2b"],
      ["rc-network-public-c", "10.1.194.0/24", "eu-west-2c"],
    ]);
  });

  it("gives every zone its own NAT gateway by default", async () => {
    const resources = await cluster();
    expect(ofType(resources, "aws:ec2/natGateway:NatGateway")).toHaveLength(3);
    const routes = ofType(resources, "aws:ec2/routeTable:RouteTable").filter((t) =>
      t.name.includes("private"),
    );
    const nats = new Set(routes.map((t) => (t.inputs.routes as { natGatewayId: string }[])[0]!.natGatewayId));
    expect(nats.size).toBe(3);
  });

  it("uses a single NAT gateway when configured (dev)", async () => {
    const resources = await cluster(OVERRIDES);
    expect(ofType(resources, "aws:ec2/natGateway:NatGateway")).toHaveLength(1);
  });

  it("adds an S3 gateway endpoint on the private route tables", async () => {
    const endpoint = only(await cluster(), "aws:ec2/vpcEndpoint:VpcEndpoint").inputs;
    expect(endpoint.serviceName).toBe("com.amazonaws.eu-west-2.s3");
    expect(endpoint.vpcEndpointType).toBe("Gateway");
    expect(endpoint.routeTableIds).toHaveLength(3);
  });

  it("tags private subnets for Karpenter discovery and internal load balancers", async () => {
    const subnet = only(await cluster(), "aws:ec2/subnet:Subnet", "private-a").inputs;
    expect(subnet.tags).toMatchObject({
      "karpenter.sh/discovery": "rc",
      "kubernetes.io/role/internal-elb": "1",
    });
  });
});

describe("RegionalCluster control plane", () => {
  it("keeps the API endpoint private by default", async () => {
    expect(eks(await cluster()).vpcConfig).toMatchObject({
      endpointPrivateAccess: true,
      endpointPublicAccess: false,
    });
    expect(eks(await cluster()).vpcConfig.publicAccessCidrs).toBeUndefined();
  });

  it("opens a public endpoint only to the given allow-list", async () => {
    const vpcConfig = eks(await cluster(OVERRIDES)).vpcConfig;
    expect(vpcConfig).toMatchObject({ endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] });
  });

  it("ships api, audit and authenticator logs with 90 days retention by default", async () => {
    const resources = await cluster();
    expect(eks(resources).enabledClusterLogTypes).toEqual(["api", "audit", "authenticator"]);
    expect(only(resources, "aws:cloudwatch/logGroup:LogGroup").inputs).toMatchObject({
      name: "/aws/eks/rc/cluster",
      retentionInDays: 90,
    });
  });

  it("applies overridden log types and retention", async () => {
    const resources = await cluster(OVERRIDES);
    expect(eks(resources).enabledClusterLogTypes).toEqual(["api", "audit"]);
    expect(only(resources, "aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays).toBe(365);
  });

  it("applies an overridden KMS deletion window", async () => {
    expect(only(await cluster(OVERRIDES), "aws:kms/key:Key").inputs.deletionWindowInDays).toBe(7);
  });

  it("encrypts secrets with a rotating KMS key", async () => {
    const resources = await cluster();
    expect(only(resources, "aws:kms/key:Key").inputs).toMatchObject({
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    expect(eks(resources).encryptionConfig.resources).toEqual(["secrets"]);
    expect(eks(resources).encryptionConfig.provider.keyArn).toMatch(/^arn:aws:kms:eu-west-2:/);
  });

  it("uses API authentication with no implicit creator admin, unless asked", async () => {
    expect(eks(await cluster()).accessConfig).toEqual({
      authenticationMode: "API",
      bootstrapClusterCreatorAdminPermissions: false,
    });
    expect(eks(await cluster(OVERRIDES)).accessConfig.bootstrapClusterCreatorAdminPermissions).toBe(true);
  });

  it("grants admins through access entries with the cluster admin policy", async () => {
    const resources = await cluster(OVERRIDES);
    expect(only(resources, "aws:eks/accessEntry:AccessEntry", "admin-0").inputs).toMatchObject({
      principalArn: "arn:aws:iam::123456789012:role/admins",
      type: "STANDARD",
    });
    expect(only(resources, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").inputs).toMatchObject({
      policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
      accessScope: { type: "cluster" },
    });
  });

  it("enables zonal shift by default and turns it off on request", async () => {
    expect(eks(await cluster()).zonalShiftConfig).toEqual({ enabled: true });
    expect(eks(await cluster(OVERRIDES)).zonalShiftConfig).toEqual({ enabled: false });
  });

  it("protects prod clusters from deletion, not dev ones, and honours an override", async () => {
    expect(eks(await cluster()).deletionProtection).toBe(true);
    expect(eks(await cluster(OVERRIDES)).deletionProtection).toBe(false);
    expect(eks(await cluster({ ...OVERRIDES, deletionProtection: true })).deletionProtection).toBe(true);
  });

  it("sets an explicit STANDARD upgrade policy, overridable to EXTENDED", async () => {
    expect(eks(await cluster()).upgradePolicy).toEqual({ supportType: "STANDARD" });
    expect(eks(await cluster(OVERRIDES)).upgradePolicy).toEqual({
      supportType: "EXTENDED",
    });
  });

  it("runs the configured Kubernetes version without self-managed add-ons", async () => {
    expect(eks(await cluster(OVERRIDES))).toMatchObject({
      version: "1.34",
      bootstrapSelfManagedAddons: false,
    });
  });

  it("manages the core add-ons, with network policy enforcement in the VPC CNI", async () => {
    const addons = ofType(await cluster(OVERRIDES), "aws:eks/addon:Addon");
    expect(addons.map((a) => a.inputs.addonName).sort()).toEqual([
      "coredns",
      "eks-pod-identity-agent",
      "kube-proxy",
      "vpc-cni",
    ]);
    expect(addons.find((a) => a.inputs.addonName === "vpc-cni")!.inputs.configurationValues).toBe(
      '{"enableNetworkPolicy":"true"}',
    );
    expect(addons.find((a) => a.inputs.addonName === "coredns")!.inputs.addonVersion).toBe(
      "v1.12.4-eksbuild.1",
    );
  });
});

describe("RegionalCluster system node group", () => {
  it("requires IMDSv2 with a hop limit of 1 and encrypts the root volume", async () => {
    const template = only(await cluster(), "aws:ec2/launchTemplate:LaunchTemplate").inputs as Record<
      string,
      any
    >;
    expect(template.metadataOptions).toEqual({
      httpEndpoint: "enabled",
      httpTokens: "required",
      httpPutResponseHopLimit: 1,
    });
    expect(template.blockDeviceMappings[0].ebs).toMatchObject({
      encrypted: "true",
      volumeType: "gp3",
      volumeSize: 50,
    });
  });

  it("spreads over every private subnet and replaces a third of the nodes at a time", async () => {
    const group = only(await cluster(), "aws:eks/nodeGroup:NodeGroup").inputs as Record<string, any>;
    expect(group.subnetIds).toHaveLength(3);
    expect(group.updateConfig).toEqual({ maxUnavailablePercentage: 33 });
    expect(group.scalingConfig).toEqual({ minSize: 3, maxSize: 6, desiredSize: 3 });
  });

  it("applies overridden sizes, instance types and disruption", async () => {
    const resources = await cluster(OVERRIDES);
    const group = only(resources, "aws:eks/nodeGroup:NodeGroup").inputs as Record<string, any>;
    expect(group).toMatchObject({
      instanceTypes: ["m7g.large"],
      amiType: "AL2023_ARM_64_STANDARD",
      scalingConfig: { minSize: 4, maxSize: 8, desiredSize: 5 },
      updateConfig: { maxUnavailablePercentage: 25 },
    });
    expect(
      (only(resources, "aws:ec2/launchTemplate:LaunchTemplate").inputs as any).blockDeviceMappings[0].ebs
        .volumeSize,
    ).toBe(80);
  });
});

describe("RegionalCluster Karpenter", () => {
  it("feeds an encrypted interruption queue from the four EventBridge rules", async () => {
    const resources = await cluster();
    expect(only(resources, "aws:sqs/queue:Queue").inputs).toMatchObject({
      name: "rc-karpenter",
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: 300,
    });
    const rules = ofType(resources, "aws:cloudwatch/eventRule:EventRule").map(
      (r) => JSON.parse(r.inputs.eventPattern as string)["detail-type"][0],
    );
    expect(rules.sort()).toEqual([
      "AWS Health Event",
      "EC2 Instance Rebalance Recommendation",
      "EC2 Instance State-change Notification",
      "EC2 Spot Instance Interruption Warning",
    ]);
    expect(
      ofType(resources, "aws:cloudwatch/eventTarget:EventTarget").every((t) =>
        String(t.inputs.arn).startsWith("arn:aws:sqs:eu-west-2"),
      ),
    ).toBe(true);
  });

  it("installs CRDs and controller from pinned charts, the controller without its own CRDs", async () => {
    const releases = ofType(await cluster(OVERRIDES), "kubernetes:helm.sh/v3:Release");
    expect(releases.map((r) => [r.inputs.chart, r.inputs.version, r.inputs.skipCrds ?? false])).toEqual([
      ["oci://public.ecr.aws/karpenter/karpenter", "1.14.0", true],
      ["oci://public.ecr.aws/karpenter/karpenter-crd", "1.14.0", false],
    ]);
  });

  it("lets the controller assume its role through Pod Identity, scoped to this cluster", async () => {
    const resources = await cluster();
    const association = only(resources, "aws:eks/podIdentityAssociation:PodIdentityAssociation").inputs;
    expect(association).toMatchObject({
      namespace: "kube-system",
      serviceAccount: "karpenter",
      clusterName: "rc",
    });
    const policy = JSON.parse(only(resources, "aws:iam/rolePolicy:RolePolicy").inputs.policy as string);
    const describe = policy.Statement.find(
      (s: { Sid: string }) => s.Sid === "AllowAPIServerEndpointDiscovery",
    );
    expect(describe.Resource).toBe("arn:aws:eks:eu-west-2:123456789012:cluster/rc");
  });

  it("restricts node pools to the cluster's zones, with budgets, limits, capacity types and consolidation from config", async () => {
    const resources = await cluster(OVERRIDES);
    const pool = only(resources, "kubernetes:karpenter.sh/v1:NodePool").inputs as Record<string, any>;
    expect(pool.spec.disruption.budgets).toEqual([
      { nodes: "0", schedule: "0 7 * * mon-fri", duration: "12h" },
    ]);
    const zones = pool.spec.template.spec.requirements.find(
      (r: { key: string }) => r.key === "topology.kubernetes.io/zone",
    );
    expect(zones.values).toEqual(["eu-west-2a", "eu-west-2b", "eu-west-2c"]);
  });

  it("appends the calendar's zero budgets to every pool's own, and lets no node expire by default", async () => {
    const windows = [
      { schedule: "25 8 * * 1", durationMinutes: 200 },
      { schedule: "30 14 25 10 *", durationMinutes: 45 },
    ];
    const pools = ofType(
      await cluster({ zeroBudgetWindows: windows }),
      "kubernetes:karpenter.sh/v1:NodePool",
    ).map((p) => p.inputs as Record<string, any>);
    expect(
      pools.map((p) => [p.metadata.name, p.spec.disruption.budgets, p.spec.template.spec.expireAfter]),
    ).toEqual(
      ["ai", "general"].map((name) => [
        name,
        [
          { nodes: "10%" },
          { nodes: "0", schedule: "25 8 * * 1", duration: "3h20m" },
          { nodes: "0", schedule: "30 14 25 10 *", duration: "45m" },
        ],
        "Never",
      ]),
    );
  });

  it("refuses more budgets than Karpenter's 50 per pool before creating anything", async () => {
    let error: Error | undefined;
    const windows = Array.from({ length: 50 }, (_, i) => ({
      schedule: `0 ${i % 24} ${1 + (i % 28)} 1 *`,
      durationMinutes: 60,
    }));
    const resources = await recordResources(() => {
      try {
        new RegionalCluster("bad", { ...base, zeroBudgetWindows: windows });
      } catch (e) {
        error = e as Error;
      }
    });
    expect(error?.message).toBe(
      "Invalid input in RegionalCluster bad (2 problems):\n" +
        "  - `karpenter.nodePools.ai.budgets`: got 1; with the calendar's 50 (zeroBudgetWindows) the pool would have 51 budgets; Karpenter allows at most 50 per NodePool: remove budgets or lower zeroBudgetWindows\n" +
        "  - `karpenter.nodePools.general.budgets`: got 1; with the calendar's 50 (zeroBudgetWindows) the pool would have 51 budgets; Karpenter allows at most 50 per NodePool: remove budgets or lower zeroBudgetWindows",
    );
    expect(resources.filter((r) => r.custom)).toEqual([]);
  });

  it("isolates the AI tutor on a tainted pool by default", async () => {
    const pools = ofType(await cluster(), "kubernetes:karpenter.sh/v1:NodePool").map(
      (p) => p.inputs as Record<string, any>,
    );
    expect(pools.map((p) => p.metadata.name)).toEqual(["ai", "general"]);
    expect(pools[0].spec.template.spec.taints).toEqual([
      { key: "semester.dev/pool", value: "ai", effect: "NoSchedule" },
    ]);
  });

  it("launches Karpenter nodes with IMDSv2 (hop limit 1) and encrypted volumes", async () => {
    const nodeClass = only(await cluster(), "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass").inputs as Record<
      string,
      any
    >;
    expect(nodeClass.spec.metadataOptions).toMatchObject({
      httpTokens: "required",
      httpPutResponseHopLimit: 1,
    });
    expect(nodeClass.spec.blockDeviceMappings[0].ebs).toMatchObject({ encrypted: true, volumeSize: "100Gi" });
    const overridden = only(await cluster(OVERRIDES), "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass")
      .inputs as Record<string, any>;
    expect(overridden.spec.blockDeviceMappings[0].ebs.volumeSize).toBe("60Gi");
    expect(overridden.spec.amiSelectorTerms).toEqual([{ alias: "al2023@v20261101" }]);
  });
});

describe("RegionalCluster providers and validation", () => {
  it("puts every AWS resource on its own explicit provider for the region", async () => {
    const resources = await cluster();
    const aws = resources.filter((r) => r.custom && r.type.startsWith("aws:"));
    expect(aws.length).toBeGreaterThan(50);
    expect(new Set(aws.map((r) => r.region))).toEqual(new Set(["eu-west-2"]));
    expect(only(resources, "pulumi:providers:aws").inputs.region).toBe("eu-west-2");
  });

  it("binds a service account to a role trusted by EKS Pod Identity", async () => {
    const resources = await recordResources(() => {
      const rc = new RegionalCluster("rc", base);
      rc.bindServiceAccount("tutor", {
        namespace: "learning",
        serviceAccount: "ai-tutor",
        managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonBedrockReadOnly"],
      });
    });
    const role = only(resources, "aws:iam/role:Role", "tutor-role").inputs;
    expect(JSON.parse(role.assumeRolePolicy as string).Statement[0]).toEqual({
      Effect: "Allow",
      Principal: { Service: "pods.eks.amazonaws.com" },
      Action: ["sts:AssumeRole", "sts:TagSession"],
    });
    expect(
      only(resources, "aws:eks/podIdentityAssociation:PodIdentityAssociation", "tutor-pod-identity").inputs,
    ).toMatchObject({ namespace: "learning", serviceAccount: "ai-tutor" });
  });

  it("puts the inline policy and every further inline policy on the one role of the one association", async () => {
    const resources = await recordResources(() => {
      const rc = new RegionalCluster("rc", base);
      rc.bindServiceAccount("enrollment", {
        namespace: "learning",
        serviceAccount: "enrollment",
        inlinePolicy: '{"own":1}',
        inlinePolicies: ['{"data":1}', '{"more":1}'],
      });
    });
    const associations = ofType(resources, "aws:eks/podIdentityAssociation:PodIdentityAssociation").filter(
      (r) => r.inputs.serviceAccount === "enrollment",
    );
    expect(associations.map((r) => [r.name, r.inputs.namespace])).toEqual([
      ["enrollment-pod-identity", "learning"],
    ]);
    only(resources, "aws:iam/role:Role", "enrollment-role");
    const policies = ofType(resources, "aws:iam/rolePolicy:RolePolicy").filter((r) =>
      r.name.startsWith("enrollment-"),
    );
    expect(policies.map((r) => [r.name, r.inputs.policy])).toEqual([
      ["enrollment-role", '{"own":1}'],
      ["enrollment-role-0", '{"data":1}'],
      ["enrollment-role-1", '{"more":1}'],
    ]);
    // All three on the auto-named role `enrollment-role-<suffix>`.
    const roles = new Set(policies.map((r) => r.inputs.role));
    expect([...roles]).toEqual([expect.stringMatching(/^enrollment-role-[0-9a-f]{7}$/)]);
  });

  it("rejects a node group whose min exceeds max before creating anything", async () => {
    let error: Error | undefined;
    const resources = await recordResources(() => {
      try {
        new RegionalCluster("bad", { ...base, systemNodeGroup: { minSize: 5, maxSize: 3 } });
      } catch (e) {
        error = e as Error;
      }
    });
    expect(error?.message).toBe(
      "Invalid input in RegionalCluster bad (1 problem):\n" +
        "  - `systemNodeGroup.minSize`: got 5; must not exceed systemNodeGroup.maxSize (3)",
    );
    expect(resources.filter((r) => r.custom)).toEqual([]);
  });

  it("rejects a desired size outside min..max and a malformed endpoint CIDR, listing both", async () => {
    let error: Error | undefined;
    const resources = await recordResources(() => {
      try {
        new RegionalCluster("bad", {
          ...base,
          systemNodeGroup: { minSize: 3, maxSize: 6, desiredSize: 7 },
          endpointPublicAccessCidrs: ["203.0.113.0/24", "203.0.113.300/24"],
        });
      } catch (e) {
        error = e as Error;
      }
    });
    expect(error?.message).toBe(
      "Invalid input in RegionalCluster bad (2 problems):\n" +
        "  - `systemNodeGroup.desiredSize`: got 7; must be within minSize..maxSize (3..6)\n" +
        '  - `endpointPublicAccessCidrs[1]`: got "203.0.113.300/24"; expected an IPv4 CIDR, e.g. 203.0.113.0/24',
    );
    expect(resources.filter((r) => r.custom)).toEqual([]);
  });

  // The component's own guard, not the stack config's: constructed directly, nothing else checks the zones.
  it("refuses prod in fewer than three zones before creating anything", async () => {
    let error: Error | undefined;
    const resources = await recordResources(() => {
      try {
        new RegionalCluster("two-zones", { ...base, environment: "prod", availabilityZones: 2 });
      } catch (e) {
        error = e as Error;
      }
    });
    expect(error?.message).toBe(
      "Invalid input in RegionalCluster two-zones (1 problem):\n" +
        "  - `availabilityZones`: got 2; prod needs at least 3 Availability Zones per region to survive the loss of a zone",
    );
    expect(resources.filter((r) => r.custom)).toEqual([]);
  });

  it("lets dev and staging run in two zones, and prod in exactly three", async () => {
    for (const environment of ["dev", "staging"] as const) {
      const subnets = ofType(
        await cluster({ environment, availabilityZones: 2 }),
        "aws:ec2/subnet:Subnet",
      ).map((s) => s.inputs.availabilityZone);
      expect([environment, subnets]).toEqual([
        environment,
        ["eu-west-2a", "eu-west-2b", "eu-west-2a", "eu-west-2b"],
      ]);
    }
    const prod = ofType(await cluster({ availabilityZones: 3 }), "aws:ec2/subnet:Subnet");
    expect(prod).toHaveLength(6);
  });
});
