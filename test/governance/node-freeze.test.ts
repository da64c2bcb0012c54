import { changeFreezeFindings } from "../../policies/rules/change-freeze";
import {
  EKS_CLUSTER_TYPE,
  LAUNCH_TEMPLATE_TYPE,
  NODE_GROUP_TYPE,
  nodeChange,
} from "../../policies/rules/node-changes";
import type { FreezeWindow } from "../../components/governance";
import { changeFreezeConfigMap } from "../../components/platform/change-freeze";

const K8S = { urn: "urn:pulumi:prod::semester::pulumi:providers:kubernetes::eu-west-2-k8s" };
const AWS = {
  urn: "urn:pulumi:prod::semester::pulumi:providers:aws::eu-west-2-aws",
  props: { region: "eu-west-2" },
};
const CLUSTER_URN = "urn:pulumi:prod::semester::aws:eks/cluster:Cluster::semester-prod-eu-west-2";
const GROUP_URN = "urn:pulumi:prod::semester::aws:eks/nodeGroup:NodeGroup::semester-prod-eu-west-2-system";
const TEMPLATE_URN =
  "urn:pulumi:prod::semester::aws:ec2/launchTemplate:LaunchTemplate::semester-prod-eu-west-2-system";

// Two critical services' windows that overlap: one critical span 08:30–11:30.
const windows: FreezeWindow[] = [
  {
    region: "eu-west-2",
    service: "enrollment",
    namespace: "learning",
    start: "2026-12-07T08:30:00.000Z",
    end: "2026-12-07T11:00:00.000Z",
    occurrences: ["exam@example.edu@2026-12-07T09:00:00.000Z"],
  },
  {
    region: "eu-west-2",
    service: "assessment-engine",
    namespace: "learning",
    start: "2026-12-07T10:30:00.000Z",
    end: "2026-12-07T11:30:00.000Z",
    occurrences: ["quiz@example.edu@2026-12-07T10:45:00.000Z"],
  },
];
const IN_SPAN = Date.parse("2026-12-07T11:15:00Z");
const AFTER = Date.parse("2026-12-07T11:30:00Z");

const group = (releaseVersion: string, launchTemplateVersion = "3") => ({
  clusterName: "semester-prod-eu-west-2",
  version: "1.35",
  releaseVersion,
  amiType: "AL2023_x86_64_STANDARD",
  launchTemplate: { id: "lt-1", version: launchTemplateVersion },
  scalingConfig: { minSize: 3, maxSize: 9, desiredSize: 3 },
});
const freezeMap = {
  urn: "urn:pulumi:prod::semester::kubernetes:core/v1:ConfigMap::eu-west-2-kube-system/semester-change-freeze",
  type: "kubernetes:core/v1:ConfigMap",
  props: changeFreezeConfigMap(windows) as unknown as Record<string, unknown>,
  provider: K8S,
};
const state = (...resources: { urn: string; type: string; inputs: unknown }[]) => ({
  version: 3,
  deployment: { resources },
});
const OVERRIDE = `SEMESTER_FREEZE_OVERRIDE='{"reason":"<why>","by":"<who>"}'`;

describe("the change freeze on nodes and control planes", () => {
  it("refuses a Kubernetes version update during a critical span of the cluster's region, naming the merged span", () => {
    const findings = changeFreezeFindings(
      [freezeMap, { urn: CLUSTER_URN, type: EKS_CLUSTER_TYPE, props: { version: "1.35" }, provider: AWS }],
      {
        previousState: state({ urn: CLUSTER_URN, type: EKS_CLUSTER_TYPE, inputs: { version: "1.34" } }),
        now: IN_SPAN,
      },
    );
    expect(findings).toEqual([
      {
        urn: CLUSTER_URN,
        level: "mandatory",
        message:
          "EKS cluster semester-prod-eu-west-2: Kubernetes version 1.34 → 1.35 during critical span eu-west-2 " +
          "2026-12-07T08:30:00.000Z–2026-12-07T11:30:00.000Z (exam@example.edu@2026-12-07T09:00:00.000Z, " +
          `quiz@example.edu@2026-12-07T10:45:00.000Z); deploy after 2026-12-07T11:30:00.000Z, or override with ${OVERRIDE}`,
      },
    ]);
  });

  it("refuses a node group release or launch template update in the span, and allows it after or when overridden", () => {
    const proposed = [
      freezeMap,
      { urn: GROUP_URN, type: NODE_GROUP_TYPE, props: group("1.35.1-20261201", "4"), provider: AWS },
    ];
    const previousState = state({ urn: GROUP_URN, type: NODE_GROUP_TYPE, inputs: group("1.35.0-20261101") });
    expect(changeFreezeFindings(proposed, { previousState, now: IN_SPAN }).map((f) => f.message)).toEqual([
      "node group semester-prod-eu-west-2-system: node update: releaseVersion 1.35.0-20261101 → 1.35.1-20261201, " +
        'launchTemplate {"id":"lt-1","version":"3"} → {"id":"lt-1","version":"4"} during critical span eu-west-2 ' +
        "2026-12-07T08:30:00.000Z–2026-12-07T11:30:00.000Z (exam@example.edu@2026-12-07T09:00:00.000Z, " +
        `quiz@example.edu@2026-12-07T10:45:00.000Z); deploy after 2026-12-07T11:30:00.000Z, or override with ${OVERRIDE}`,
    ]);
    expect(changeFreezeFindings(proposed, { previousState, now: AFTER })).toEqual([]);
    const [overridden] = changeFreezeFindings(proposed, {
      previousState,
      now: IN_SPAN,
      override: { reason: "CVE-2026-1234 AMI", by: "bob" },
    });
    expect(overridden).toMatchObject({ level: "advisory" });
    expect(overridden!.message).toMatch(/allowed by override from bob: CVE-2026-1234 AMI$/);
  });

  it("allows a scaling change of the node group and updates in another region during the span", () => {
    const scaled = {
      ...group("1.35.0-20261101"),
      scalingConfig: { minSize: 3, maxSize: 12, desiredSize: 3 },
    };
    const previousState = state({ urn: GROUP_URN, type: NODE_GROUP_TYPE, inputs: group("1.35.0-20261101") });
    expect(
      changeFreezeFindings(
        [freezeMap, { urn: GROUP_URN, type: NODE_GROUP_TYPE, props: scaled, provider: AWS }],
        {
          previousState,
          now: IN_SPAN,
        },
      ),
    ).toEqual([]);
    const tokyo = { urn: "urn:tokyo-aws", props: { region: "ap-northeast-1" } };
    expect(
      changeFreezeFindings(
        [
          freezeMap,
          { urn: GROUP_URN, type: NODE_GROUP_TYPE, props: group("1.35.1-20261201"), provider: tokyo },
        ],
        {
          previousState,
          now: IN_SPAN,
        },
      ),
    ).toEqual([]);
  });

  it("refuses to guess without the previous state in the span", () => {
    const [f] = changeFreezeFindings(
      [freezeMap, { urn: CLUSTER_URN, type: EKS_CLUSTER_TYPE, props: { version: "1.35" }, provider: AWS }],
      { now: IN_SPAN },
    );
    expect(f!.message).toMatch(
      /^EKS cluster semester-prod-eu-west-2: cannot be compared \(no previous state/,
    );
  });

  it("refuses a change of the node group's launch template itself in the span", () => {
    const lt = (volumeSize: number) => ({ blockDeviceMappings: [{ ebs: { volumeSize } }] });
    const [f] = changeFreezeFindings(
      [freezeMap, { urn: TEMPLATE_URN, type: LAUNCH_TEMPLATE_TYPE, props: lt(80), provider: AWS }],
      {
        previousState: state({ urn: TEMPLATE_URN, type: LAUNCH_TEMPLATE_TYPE, inputs: lt(50) }),
        now: IN_SPAN,
      },
    );
    expect(f).toMatchObject({ urn: TEMPLATE_URN, level: "mandatory" });
    expect(f!.message).toMatch(
      /^launch template semester-prod-eu-west-2-system: launch template changed \(a new node version\) during critical span eu-west-2 /,
    );
  });

  it("names what changed in a launch template, ignoring tags", () => {
    const lt = (volumeSize: number, team: string) => ({
      blockDeviceMappings: [{ ebs: { volumeSize } }],
      tags: { team },
    });
    expect(nodeChange(LAUNCH_TEMPLATE_TYPE, lt(50, "a"), lt(50, "b"))).toBeUndefined();
    expect(nodeChange(LAUNCH_TEMPLATE_TYPE, lt(50, "a"), lt(80, "a"))).toBe(
      "launch template changed (a new node version)",
    );
    expect(
      nodeChange(NODE_GROUP_TYPE, group("1"), { ...group("1"), amiType: "AL2023_ARM_64_STANDARD" }),
    ).toBe("node update: amiType AL2023_x86_64_STANDARD → AL2023_ARM_64_STANDARD");
    expect(
      nodeChange(
        EKS_CLUSTER_TYPE,
        { version: "1.35", upgradePolicy: { supportType: "STANDARD" } },
        { version: "1.35", upgradePolicy: { supportType: "EXTENDED" } },
      ),
    ).toBeUndefined();
  });
});
