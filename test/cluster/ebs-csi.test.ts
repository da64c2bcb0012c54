import { RegionalCluster, type RegionalClusterArgs } from "../../components/cluster/regional-cluster";
import {
  ebsCsiConfigurationValues,
  ebsCsiDriverPolicy,
  gp3StorageClass,
} from "../../components/cluster/ebs-csi-policy";
import { resolveClusterSettings } from "../../components/cluster/defaults";
import { clusterSchema } from "../../components/cluster/config";
import { strimziObjects } from "../../components/data/kafka/strimzi";
import { formatProblem, validateObjects } from "../../components/objects/validate";
import type { KubeObject } from "../../components/core/kube-object";
import { ofType, only, recordResources } from "../support/record";

const base: RegionalClusterArgs = {
  region: "eu-west-2",
  environment: "prod",
  vpcCidr: "10.1.0.0/16",
  kubernetesVersion: "1.35",
};

const scope = {
  partition: "aws",
  region: "eu-west-2",
  accountId: "123456789012",
  clusterName: "rc",
  kmsKeyArn: "arn:aws:kms:eu-west-2:123456789012:key/k-1",
};
type Statement = { Sid: string; Action: string | string[]; Resource: string | string[]; Condition?: unknown };
const policy = (JSON.parse(ebsCsiDriverPolicy(scope)) as { Statement: Statement[] }).Statement;
const statement = (sid: string) => policy.find((s) => s.Sid === sid);

describe("EBS CSI driver policy", () => {
  it("creates volumes and snapshots only with this cluster's ownership tag and the driver's own tag", () => {
    const requestTags = {
      "aws:RequestTag/kubernetes.io/cluster/rc": "owned",
      "aws:RequestTag/ebs.csi.aws.com/cluster": "true",
    };
    expect(statement("CreateVolumesTaggedForCluster")).toEqual({
      Sid: "CreateVolumesTaggedForCluster",
      Effect: "Allow",
      Action: "ec2:CreateVolume",
      Resource: "arn:aws:ec2:eu-west-2:123456789012:volume/*",
      Condition: { StringEquals: requestTags },
    });
    expect(statement("CreateSnapshotsTaggedForCluster")).toEqual({
      Sid: "CreateSnapshotsTaggedForCluster",
      Effect: "Allow",
      Action: "ec2:CreateSnapshot",
      Resource: "arn:aws:ec2:eu-west-2::snapshot/*",
      Condition: { StringEquals: requestTags },
    });
    expect(statement("TagOnCreate")!.Condition).toEqual({
      StringEquals: { ...requestTags, "ec2:CreateAction": ["CreateVolume", "CreateSnapshot"] },
    });
  });

  it("attaches, detaches, modifies and deletes only volumes tagged as this cluster's, on its nodes", () => {
    const owned = { StringEquals: { "aws:ResourceTag/kubernetes.io/cluster/rc": "owned" } };
    expect(statement("ManageOwnVolumes")).toEqual({
      Sid: "ManageOwnVolumes",
      Effect: "Allow",
      Action: [
        "ec2:AttachVolume",
        "ec2:DetachVolume",
        "ec2:ModifyVolume",
        "ec2:DeleteVolume",
        "ec2:CreateSnapshot",
      ],
      Resource: "arn:aws:ec2:eu-west-2:123456789012:volume/*",
      Condition: owned,
    });
    expect(statement("AttachToClusterNodes")).toEqual({
      Sid: "AttachToClusterNodes",
      Effect: "Allow",
      Action: ["ec2:AttachVolume", "ec2:DetachVolume"],
      Resource: "arn:aws:ec2:eu-west-2:123456789012:instance/*",
      Condition: owned,
    });
  });

  it("uses only the volume key, only through EC2 in its region, with grants only for AWS resources", () => {
    expect(statement("UseVolumeKeyThroughEc2")).toEqual({
      Sid: "UseVolumeKeyThroughEc2",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"],
      Resource: "arn:aws:kms:eu-west-2:123456789012:key/k-1",
      Condition: { StringEquals: { "kms:ViaService": "ec2.eu-west-2.amazonaws.com" } },
    });
    expect(statement("GrantVolumeKeyToEc2")).toEqual({
      Sid: "GrantVolumeKeyToEc2",
      Effect: "Allow",
      Action: "kms:CreateGrant",
      Resource: "arn:aws:kms:eu-west-2:123456789012:key/k-1",
      Condition: {
        StringEquals: { "kms:ViaService": "ec2.eu-west-2.amazonaws.com" },
        Bool: { "kms:GrantIsForAWSResource": "true" },
      },
    });
  });

  it("leaves only region-pinned reads on `*`", () => {
    const open = policy.filter((s) => ([] as string[]).concat(s.Resource).includes("*"));
    expect(open.map((s) => [s.Sid, s.Condition])).toEqual([
      ["RegionalReads", { StringEquals: { "aws:RequestedRegion": "eu-west-2" } }],
    ]);
  });

  it("makes the add-on tag every volume with the cluster's ownership tag", () => {
    expect(JSON.parse(ebsCsiConfigurationValues("rc"))).toEqual({
      controller: { extraVolumeTags: { "kubernetes.io/cluster/rc": "owned" } },
    });
  });
});

describe("gp3 StorageClass", () => {
  it("is encrypted with the given key, binds where the pod runs, expands, and retains stateful data", () => {
    expect(gp3StorageClass("arn:aws:kms:eu-west-2:123456789012:key/k-1")).toEqual({
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "gp3", labels: { "app.kubernetes.io/part-of": "semester" } },
      provisioner: "ebs.csi.aws.com",
      parameters: { type: "gp3", encrypted: "true", kmsKeyId: "arn:aws:kms:eu-west-2:123456789012:key/k-1" },
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      reclaimPolicy: "Retain",
    });
  });

  it("validates against the Kubernetes storage.k8s.io/v1 schema, which refuses an unknown field", () => {
    const sc = gp3StorageClass("arn:aws:kms:eu-west-2:123456789012:key/k-1") as unknown as KubeObject;
    expect(validateObjects([sc]).map(formatProblem)).toEqual([]);
    const typo = { ...sc, reclaimPolicyy: "Retain" } as KubeObject;
    expect(validateObjects([typo]).map(formatProblem)).toEqual([
      "StorageClass gp3: `/reclaimPolicyy`: unknown field",
    ]);
  });

  it("is the class Strimzi's node pools ask for by default", () => {
    const pools = strimziObjects({ region: "eu-west-2", topics: [] }).filter(
      (o) => o.kind === "KafkaNodePool",
    );
    for (const p of pools) expect((p.spec as { storage: { class: string } }).storage.class).toBe("gp3");
  });
});

describe("RegionalCluster persistent volumes", () => {
  const built = new Map<string, ReturnType<typeof recordResources>>();
  const cluster = (overrides: Partial<RegionalClusterArgs>) => {
    const key = JSON.stringify(overrides);
    if (!built.has(key))
      built.set(
        key,
        recordResources(() => new RegionalCluster("rc", { ...base, ...overrides })),
      );
    return built.get(key)!;
  };

  it("is off by default, creating no driver, key, role or StorageClass", async () => {
    expect(
      resolveClusterSettings(clusterSchema.parse({ kubernetesVersion: "1.35" }), "prod").ebsCsiDriver,
    ).toBe(false);
    const resources = await cluster({});
    expect(ofType(resources, "aws:eks/addon:Addon").map((a) => a.inputs.addonName)).not.toContain(
      "aws-ebs-csi-driver",
    );
    expect(ofType(resources, "kubernetes:storage.k8s.io/v1:StorageClass")).toEqual([]);
    expect(ofType(resources, "aws:kms/key:Key")).toHaveLength(1); // the secrets key only
  });

  it("installs the add-on with its Pod Identity association, a rotating key and the StorageClass after the add-on", async () => {
    const resources = await cluster({
      ebsCsiDriver: true,
      addonVersions: { ebsCsiDriver: "v1.64.0-eksbuild.1" },
    });
    const addon = only(resources, "aws:eks/addon:Addon", "-ebs-csi");
    const role = only(resources, "aws:iam/role:Role", "-ebs-csi-role");
    expect(addon.inputs).toMatchObject({
      clusterName: "rc",
      addonName: "aws-ebs-csi-driver",
      addonVersion: "v1.64.0-eksbuild.1",
      configurationValues: ebsCsiConfigurationValues("rc"),
      podIdentityAssociations: [{ roleArn: role.outputs!.arn, serviceAccount: "ebs-csi-controller-sa" }],
    });
    expect(JSON.parse(role.inputs.assumeRolePolicy as string).Statement[0].Principal).toEqual({
      Service: "pods.eks.amazonaws.com",
    });
    const key = only(resources, "aws:kms/key:Key", "-ebs-volumes");
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    const rolePolicy = only(resources, "aws:iam/rolePolicy:RolePolicy", "-ebs-csi-role");
    expect(rolePolicy.inputs.policy).toBe(
      ebsCsiDriverPolicy({ ...scope, kmsKeyArn: key.outputs!.arn as string }),
    );
    const storageClass = only(resources, "kubernetes:storage.k8s.io/v1:StorageClass");
    expect(storageClass.inputs).toEqual(gp3StorageClass(key.outputs!.arn as string));
    const group = resources.find((r) => r.urn === storageClass.parent)!;
    expect(group.dependencies).toContain(addon.urn);
  });
});
