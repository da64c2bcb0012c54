/**
 * `data-store-reachable-only-from-cluster` and cross-region writers: a store may admit the private subnets of
 * another region of the stack (writers over peering), and nothing else by CIDR.
 */
import { governanceConfig } from "../../components/governance/config";
import { runPolicies } from "../../cli/plan/policy-run";
import { happyStack, planned } from "../fixtures/governance/cloud";

const prod = governanceConfig({ production: true });

/** A private subnet (tagged for internal load balancers) of the stack in `region`. */
const privateSubnet = (region: string, cidr: string, internal = true) =>
  planned(
    "aws:ec2/subnet:Subnet",
    `private-${cidr}`,
    {
      vpcId: `vpc-${region}`,
      cidrBlock: cidr,
      tags: internal ? { "kubernetes.io/role/internal-elb": "1" } : {},
    },
    { region },
  );

async function findingsWithPeerRule(cidr: string, subnets: ReturnType<typeof privateSubnet>[]) {
  const eu = happyStack("eu-west-2");
  const us = happyStack("us-east-1");
  const rule = planned(
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "shard-0-from-peer-eu-west-2",
    { ...(eu.auroraIngress!.inputs as object), referencedSecurityGroupId: undefined, cidrIpv4: cidr },
    { region: "eu-west-2", propertyDependencies: eu.auroraIngress!.propertyDependencies },
  );
  const resources = [...Object.values(eu), ...Object.values(us), rule, ...subnets];
  const { findings } = await runPolicies({ resources, objects: [], config: prod });
  return findings.filter((f) => f.rule === "data-store-reachable-only-from-cluster").map((f) => f.message);
}

describe("data stores reached across regions", () => {
  it("admits the private subnets of another region of the stack", async () => {
    expect(await findingsWithPeerRule("10.1.0.0/19", [privateSubnet("us-east-1", "10.1.0.0/19")])).toEqual(
      [],
    );
  });

  it("refuses a CIDR that is a subnet of its own region, a public subnet, or no subnet of the stack", async () => {
    const own = await findingsWithPeerRule("10.0.0.0/19", [privateSubnet("eu-west-2", "10.0.0.0/19")]);
    const publicSubnet = await findingsWithPeerRule("10.1.192.0/24", [
      privateSubnet("us-east-1", "10.1.192.0/24", false),
    ]);
    const unknown = await findingsWithPeerRule("192.168.0.0/16", []);
    for (const [findings, cidr] of [
      [own, "10.0.0.0/19"],
      [publicSubnet, "10.1.192.0/24"],
      [unknown, "192.168.0.0/16"],
    ] as const) {
      expect(findings).toEqual([
        `aws:rds/cluster:Cluster shard-0-eu-west-2: aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule shard-0-from-peer-eu-west-2 admits ${cidr}; replace the CIDR with the cluster's node security group as the source, or with the private subnets of another region of this stack.`,
      ]);
    }
  });
});
