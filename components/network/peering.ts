/**
 * Inter-region VPC peering between two regional clusters' VPCs, with routes both ways. Peering, not a Transit
 * Gateway: the platform's cross-region traffic is spoke-to-hub only (a secondary region's writers to the home
 * region's stores), which peering carries without a per-GB processing charge, without extra hops and without
 * attachments to manage; it is not transitive, which is exactly what "no wider" asks for. Admission stays with the
 * stores' security groups, which name the peer's private subnets, not the whole VPC.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { cidrsOverlap, parseCidr } from "./cidr";
import { throwIfProblems, type Problem } from "../core";

/** @internal One side of a peering: a VPC in a region (a `ClusterHandle` is one; the network layer does not need more). */
export interface PeeringSide {
  readonly region: string;
  /** The provider of the side's region and account. */
  readonly awsProvider: aws.Provider;
  readonly vpcId: pulumi.Input<string>;
  readonly vpcCidr: string;
  /** Route tables of the private subnets, which get a route to the other side. */
  readonly privateRouteTableIds: readonly pulumi.Input<string>[];
}

/** @internal */
export interface VpcPeeringArgs {
  /** The side that requests the connection (a secondary region). */
  readonly requester: PeeringSide;
  /** The side that accepts it (the home region). Same account. */
  readonly accepter: PeeringSide;
}

/** Problems of a pair: different regions, disjoint ranges. Pure. @internal */
export function peeringProblems(requester: PeeringSide, accepter: PeeringSide): Problem[] {
  const problems: Problem[] = [];
  if (requester.region === accepter.region) {
    problems.push({
      path: "accepter.region",
      value: accepter.region,
      rule: "must differ from the requester's region",
    });
  }
  const a = parseCidr(requester.vpcCidr);
  const b = parseCidr(accepter.vpcCidr);
  if (a === undefined || b === undefined || cidrsOverlap(a, b)) {
    problems.push({
      path: "accepter.vpcCidr",
      value: accepter.vpcCidr,
      rule: `must not overlap the requester's ${requester.vpcCidr} (peered ranges must be disjoint)`,
    });
  }
  return problems;
}

export class VpcPeering extends pulumi.ComponentResource {
  public readonly peeringConnectionId: pulumi.Output<string>;

  constructor(name: string, args: VpcPeeringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("semester:network:VpcPeering", name, {}, opts);
    const { requester, accepter } = args;
    throwIfProblems(`VpcPeering ${name}`, peeringProblems(requester, accepter));

    const connection = new aws.ec2.VpcPeeringConnection(
      `${name}-request`,
      {
        vpcId: requester.vpcId,
        peerVpcId: accepter.vpcId,
        peerRegion: accepter.region,
        // Inter-region requests cannot auto-accept; the accepter below does.
        autoAccept: false,
        tags: { Name: name },
      },
      { parent: this, provider: requester.awsProvider },
    );
    const accepted = new aws.ec2.VpcPeeringConnectionAccepter(
      `${name}-accept`,
      { vpcPeeringConnectionId: connection.id, autoAccept: true, tags: { Name: name } },
      { parent: this, provider: accepter.awsProvider },
    );

    // Routes only once the connection is active; each private route table of each side gets the other's range.
    const route = (side: PeeringSide, peer: PeeringSide, role: string) =>
      side.privateRouteTableIds.forEach((routeTableId, i) => {
        new aws.ec2.Route(
          `${name}-${role}-${String.fromCharCode(97 + i)}`,
          { routeTableId, destinationCidrBlock: peer.vpcCidr, vpcPeeringConnectionId: connection.id },
          { parent: this, provider: side.awsProvider, dependsOn: [accepted] },
        );
      });
    route(requester, accepter, "to-accepter");
    route(accepter, requester, "to-requester");

    this.peeringConnectionId = connection.id;
    this.registerOutputs({ peeringConnectionId: this.peeringConnectionId });
  }
}
