import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { planSubnets } from "./cidr";

export interface VpcArgs {
  /** The AWS region (the S3 endpoint's service name names it). */
  readonly region: string;
  /** The VPC's IPv4 range (/16 to /20). */
  readonly cidrBlock: string;
  /**
   * Availability Zone names to span, one private and one public subnet each. The count is a plain number
   * because it decides which resources exist; the names may come from `aws.getAvailabilityZones`.
   */
  readonly availabilityZones: readonly pulumi.Input<string>[];
  /**
   * One NAT gateway per zone, so losing a zone never cuts the others off the internet, or a single one (dev).
   * @default "perZone"
   */
  readonly natGateways?: "perZone" | "single";
  /** Tags put on private subnets, e.g. for Karpenter discovery and internal load balancers. @default {} */
  readonly privateSubnetTags?: Record<string, pulumi.Input<string>>;
  /** Tags put on public subnets, e.g. for internet-facing load balancers. @default {} */
  readonly publicSubnetTags?: Record<string, pulumi.Input<string>>;
  /** A gateway endpoint for S3 keeps image layers and backups off the NAT gateways. @default true */
  readonly s3GatewayEndpoint?: boolean;
}

/**
 * A VPC over several zones: private subnets (nodes, pods, data stores) that reach the internet through
 * NAT gateways in public subnets, and a gateway endpoint for S3.
 */
export class Vpc extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  public readonly privateSubnetIds: pulumi.Output<string>[];
  /** Ranges of the private subnets, by zone (plain values from the subnet plan). */
  public readonly privateSubnetCidrs: readonly string[];
  public readonly publicSubnetIds: pulumi.Output<string>[];
  public readonly natGatewayIds: pulumi.Output<string>[];
  public readonly privateRouteTableIds: pulumi.Output<string>[];

  constructor(name: string, args: VpcArgs, opts?: pulumi.ComponentResourceOptions) {
    super("semester:network:Vpc", name, {}, opts);
    const natGateways = args.natGateways ?? "perZone";
    const s3GatewayEndpoint = args.s3GatewayEndpoint ?? true;
    const zones = args.availabilityZones;
    // Children are named by zone index (a, b, c), not by zone name, so names are known before AWS answers.
    const suffixes = zones.map((_, i) => String.fromCharCode(97 + i));
    const layout = planSubnets(args.cidrBlock, zones.length);
    const child = { parent: this };

    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      { cidrBlock: args.cidrBlock, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: name } },
      child,
    );
    const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: { Name: name } }, child);
    const publicRoutes = new aws.ec2.RouteTable(
      `${name}-public`,
      {
        vpcId: vpc.id,
        routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
        tags: { Name: `${name}-public` },
      },
      child,
    );

    const publicSubnets = zones.map((zone, i) => {
      const suffix = suffixes[i]!;
      const subnet = new aws.ec2.Subnet(
        `${name}-public-${suffix}`,
        {
          vpcId: vpc.id,
          availabilityZone: zone,
          cidrBlock: layout.public[i]!,
          mapPublicIpOnLaunch: false,
          tags: { Name: `${name}-public-${suffix}`, ...args.publicSubnetTags },
        },
        child,
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-public-${suffix}`,
        { subnetId: subnet.id, routeTableId: publicRoutes.id },
        child,
      );
      return subnet;
    });

    const natCount = natGateways === "perZone" ? zones.length : 1;
    const nats = suffixes.slice(0, natCount).map((zone, i) => {
      const eip = new aws.ec2.Eip(
        `${name}-nat-${zone}`,
        { domain: "vpc", tags: { Name: `${name}-nat-${zone}` } },
        child,
      );
      return new aws.ec2.NatGateway(
        `${name}-nat-${zone}`,
        { allocationId: eip.id, subnetId: publicSubnets[i]!.id, tags: { Name: `${name}-nat-${zone}` } },
        { ...child, dependsOn: [igw] },
      );
    });

    const privateRouteTables: aws.ec2.RouteTable[] = [];
    const privateSubnets = zones.map((zone, i) => {
      const suffix = suffixes[i]!;
      // Each zone routes through its own NAT gateway, so a zone outage stays in that zone.
      const nat = nats[natGateways === "perZone" ? i : 0]!;
      const routes = new aws.ec2.RouteTable(
        `${name}-private-${suffix}`,
        {
          vpcId: vpc.id,
          routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }],
          tags: { Name: `${name}-private-${suffix}` },
        },
        child,
      );
      privateRouteTables.push(routes);
      const subnet = new aws.ec2.Subnet(
        `${name}-private-${suffix}`,
        {
          vpcId: vpc.id,
          availabilityZone: zone,
          cidrBlock: layout.private[i]!,
          tags: { Name: `${name}-private-${suffix}`, ...args.privateSubnetTags },
        },
        child,
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-private-${suffix}`,
        { subnetId: subnet.id, routeTableId: routes.id },
        child,
      );
      return subnet;
    });

    if (s3GatewayEndpoint) {
      new aws.ec2.VpcEndpoint(
        `${name}-s3`,
        {
          vpcId: vpc.id,
          serviceName: `com.amazonaws.${args.region}.s3`,
          vpcEndpointType: "Gateway",
          routeTableIds: privateRouteTables.map((t) => t.id),
          tags: { Name: `${name}-s3` },
        },
        child,
      );
    }

    this.vpcId = vpc.id;
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.privateSubnetCidrs = layout.private;
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.natGatewayIds = nats.map((n) => n.id);
    this.privateRouteTableIds = privateRouteTables.map((t) => t.id);
    this.registerOutputs({
      vpcId: this.vpcId,
      privateSubnetIds: this.privateSubnetIds,
      publicSubnetIds: this.publicSubnetIds,
    });
  }
}
