/** VpcPeering under mocks: the request, the accepter in the peer's region, and routes both ways after acceptance. */
import { fakeCluster } from "../fixtures/data/cluster";
import { named, ofType, reset, setDataMocks, settle } from "../fixtures/data/mocks";

setDataMocks();

const { VpcPeering, peeringProblems } =
  require("../../components/network/peering") as typeof import("../../components/network/peering");

describe("VpcPeering", () => {
  beforeAll(async () => {
    reset();
    new VpcPeering("p", { requester: fakeCluster("eu-west-2"), accepter: fakeCluster("us-east-1") });
    await settle();
  });

  it("requests from the secondary's provider and accepts in the home region", () => {
    const request = named("p-request");
    expect([request.inputs, request.provider?.includes("aws-eu-west-2")]).toEqual([
      {
        vpcId: "vpc-eu-west-2",
        peerVpcId: "vpc-us-east-1",
        peerRegion: "us-east-1",
        autoAccept: false,
        tags: { Name: "p" },
      },
      true,
    ]);
    const accept = named("p-accept");
    expect([
      accept.inputs.autoAccept,
      accept.inputs.vpcPeeringConnectionId,
      accept.provider?.includes("aws-us-east-1"),
    ]).toEqual([true, "p-request-id", true]);
  });

  it("routes each side's private route tables to the other's range over the connection", () => {
    expect(
      ofType("aws:ec2/route:Route").map((r) => [
        r.name,
        r.inputs.routeTableId,
        r.inputs.destinationCidrBlock,
        r.inputs.vpcPeeringConnectionId,
      ]),
    ).toEqual([
      ["p-to-accepter-a", "rtb-eu-west-2a", "10.0.0.0/16", "p-request-id"],
      ["p-to-accepter-b", "rtb-eu-west-2b", "10.0.0.0/16", "p-request-id"],
      ["p-to-accepter-c", "rtb-eu-west-2c", "10.0.0.0/16", "p-request-id"],
      ["p-to-requester-a", "rtb-us-east-1a", "10.1.0.0/16", "p-request-id"],
      ["p-to-requester-b", "rtb-us-east-1b", "10.1.0.0/16", "p-request-id"],
      ["p-to-requester-c", "rtb-us-east-1c", "10.1.0.0/16", "p-request-id"],
    ]);
  });

  it("refuses a pair in one region or with overlapping ranges, before creating anything", () => {
    const eu = fakeCluster("eu-west-2");
    expect(peeringProblems(eu, { ...fakeCluster("us-east-1"), vpcCidr: "10.1.128.0/17" })).toEqual([
      {
        path: "accepter.vpcCidr",
        value: "10.1.128.0/17",
        rule: "must not overlap the requester's 10.1.0.0/16 (peered ranges must be disjoint)",
      },
    ]);
    const before = ofType("aws:ec2/vpcPeeringConnection:VpcPeeringConnection").length;
    expect(() => new VpcPeering("same", { requester: eu, accepter: eu })).toThrow(
      [
        "Invalid input in VpcPeering same (2 problems):",
        '  - `accepter.region`: got "eu-west-2"; must differ from the requester\'s region',
        '  - `accepter.vpcCidr`: got "10.1.0.0/16"; must not overlap the requester\'s 10.1.0.0/16 (peered ranges must be disjoint)',
      ].join("\n"),
    );
    expect(ofType("aws:ec2/vpcPeeringConnection:VpcPeeringConnection").length).toBe(before);
  });
});
