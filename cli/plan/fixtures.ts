import { createHash } from "node:crypto";
import { AWS_REGIONS, isAwsRegion } from "../../components/core";

/** The AWS account the offline plan pretends to deploy into. */
export const FIXTURE_ACCOUNT = "123456789012";

/** A stable short hex digest of a string: fixture IDs depend only on the resource's URN. */
export function digest(text: string, length = 17): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

type State = Record<string, unknown>;

/** A UUID-shaped id derived from a URN. */
function fixtureUuid(urn: string): string {
  const h = digest(urn, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A Secrets Manager secret ARN: the name, a hyphen and 6 characters Secrets Manager appends. */
function secretArn(region: string, secretName: string, urn: string): string {
  const suffix = Buffer.from(digest(`${urn}/suffix`, 8), "hex")
    .toString("base64")
    .replace(/[^A-Za-z0-9]/g, "x")
    .slice(0, 6);
  return `arn:aws:secretsmanager:${region}:${FIXTURE_ACCOUNT}:secret:${secretName}-${suffix}`;
}

/** ID prefixes AWS uses for EC2-family resources, so fixture IDs look like the real ones. */
const ID_PREFIXES: Record<string, string> = {
  "aws:ec2/vpc:Vpc": "vpc",
  "aws:ec2/subnet:Subnet": "subnet",
  "aws:ec2/internetGateway:InternetGateway": "igw",
  "aws:ec2/natGateway:NatGateway": "nat",
  "aws:ec2/eip:Eip": "eipalloc",
  "aws:ec2/routeTable:RouteTable": "rtb",
  "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc",
  "aws:ec2/securityGroup:SecurityGroup": "sg",
  "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
  "aws:ec2/launchTemplate:LaunchTemplate": "lt",
};

/**
 * The outputs a real provider would return for a resource: its inputs plus the computed attributes
 * the program reads (IDs, ARNs, endpoints, names chosen by auto-naming).
 */
export function resourceOutputs(
  type: string,
  name: string,
  urn: string,
  inputs: State,
  region: string | null,
): { id: string; state: State } {
  const hash = digest(urn);
  const prefix = ID_PREFIXES[type];
  const id = prefix ? `${prefix}-${hash}` : `${name}-${hash.slice(0, 8)}`;
  const physicalName = typeof inputs.name === "string" ? inputs.name : `${name}-${hash.slice(0, 7)}`;
  const where = region ?? "us-east-1";
  const service = type.split(":")[1]?.split("/")[0] ?? "unknown";
  const state: State = {
    ...inputs,
    name: physicalName,
    arn: `arn:aws:${service}:${where}:${FIXTURE_ACCOUNT}:${physicalName}`,
  };
  switch (type) {
    case "aws:eks/cluster:Cluster": {
      const vpcConfig = (inputs.vpcConfig ?? {}) as State;
      return {
        id: physicalName,
        state: {
          ...state,
          arn: `arn:aws:eks:${where}:${FIXTURE_ACCOUNT}:cluster/${physicalName}`,
          endpoint: `https://${hash.toUpperCase()}.gr7.${where}.eks.amazonaws.com`,
          certificateAuthority: { data: Buffer.from(`fixture-ca-${physicalName}`).toString("base64") },
          identities: [
            { oidcs: [{ issuer: `https://oidc.eks.${where}.amazonaws.com/id/${hash.toUpperCase()}` }] },
          ],
          vpcConfig: {
            ...vpcConfig,
            clusterSecurityGroupId: `sg-${digest(`${urn}/cluster-sg`)}`,
            vpcId: `vpc-${digest(`${urn}/vpc`)}`,
          },
          status: "ACTIVE",
        },
      };
    }
    case "aws:iam/role:Role":
      return {
        id: physicalName,
        state: {
          ...state,
          arn: `arn:aws:iam::${FIXTURE_ACCOUNT}:role/${physicalName}`,
          uniqueId: `AROA${hash.toUpperCase()}`,
        },
      };
    case "aws:eks/addon:Addon": {
      // arn:aws:eks:<region>:<account>:addon/<cluster>/<addon>/<uuid>; the id is `<cluster>:<addon>`.
      const cluster = String(inputs.clusterName ?? "");
      const addon = String(inputs.addonName ?? physicalName);
      const u = digest(`${urn}/addon`, 32);
      const uuid = `${u.slice(0, 8)}-${u.slice(8, 12)}-${u.slice(12, 16)}-${u.slice(16, 20)}-${u.slice(20)}`;
      return {
        id: `${cluster}:${addon}`,
        state: { ...state, arn: `arn:aws:eks:${where}:${FIXTURE_ACCOUNT}:addon/${cluster}/${addon}/${uuid}` },
      };
    }
    case "aws:eks/podIdentityAssociation:PodIdentityAssociation": {
      const cluster = String(inputs.clusterName ?? "");
      const associationId = `a-${hash}`;
      const associationArn = `arn:aws:eks:${where}:${FIXTURE_ACCOUNT}:podidentityassociation/${cluster}/${associationId}`;
      return {
        id: `${cluster},${associationId}`,
        state: { ...state, arn: associationArn, associationArn, associationId },
      };
    }
    case "aws:sqs/queue:Queue":
      return {
        id: `https://sqs.${where}.amazonaws.com/${FIXTURE_ACCOUNT}/${physicalName}`,
        state: {
          ...state,
          arn: `arn:aws:sqs:${where}:${FIXTURE_ACCOUNT}:${physicalName}`,
          url: `https://sqs.${where}.amazonaws.com/${FIXTURE_ACCOUNT}/${physicalName}`,
        },
      };
    case "aws:amp/workspace:Workspace": {
      // DescribeWorkspace's prometheusEndpoint ends in a slash.
      const workspaceId = `ws-${fixtureUuid(urn)}`;
      return {
        id: workspaceId,
        state: {
          ...state,
          arn: `arn:aws:aps:${where}:${FIXTURE_ACCOUNT}:workspace/${workspaceId}`,
          prometheusEndpoint: `https://aps-workspaces.${where}.amazonaws.com/workspaces/${workspaceId}/`,
        },
      };
    }
    case "aws:amp/scraper:Scraper": {
      const scraperId = `s-${fixtureUuid(urn)}`;
      return {
        id: scraperId,
        state: {
          ...state,
          arn: `arn:aws:aps:${where}:${FIXTURE_ACCOUNT}:scraper/${scraperId}`,
          roleArn: `arn:aws:iam::${FIXTURE_ACCOUNT}:role/aws-service-role/scraper.aps.amazonaws.com/AWSServiceRoleForAmazonPrometheusScraper_${hash.slice(0, 15)}`,
        },
      };
    }
    case "aws:cloudwatch/logGroup:LogGroup":
      return {
        id: physicalName,
        state: { ...state, arn: `arn:aws:logs:${where}:${FIXTURE_ACCOUNT}:log-group:${physicalName}` },
      };
    case "aws:kms/key:Key": {
      const keyId = `${hash.slice(0, 8)}-${hash.slice(8, 12)}-4${hash.slice(12, 15)}-8${hash.slice(15, 17)}0-${digest(`${urn}/k`, 12)}`;
      return {
        id: keyId,
        state: { ...state, keyId, arn: `arn:aws:kms:${where}:${FIXTURE_ACCOUNT}:key/${keyId}` },
      };
    }
    case "aws:ec2/launchTemplate:LaunchTemplate":
      return { id, state: { ...state, latestVersion: 1, defaultVersion: 1 } };
    case "aws:msk/cluster:Cluster": {
      const clusterName = String(inputs.clusterName ?? physicalName);
      const brokers = [1, 2, 3].map(
        (b) => `b-${b}.${clusterName}.${hash.slice(0, 6)}.c2.kafka.${where}.amazonaws.com`,
      );
      return {
        id: `arn:aws:kafka:${where}:${FIXTURE_ACCOUNT}:cluster/${clusterName}/${hash}`,
        state: {
          ...state,
          arn: `arn:aws:kafka:${where}:${FIXTURE_ACCOUNT}:cluster/${clusterName}/${hash}`,
          bootstrapBrokersSaslIam: brokers.map((b) => `${b}:9098`).join(","),
          bootstrapBrokersTls: brokers.map((b) => `${b}:9094`).join(","),
          zookeeperConnectString: "",
        },
      };
    }
    case "aws:msk/configuration:Configuration":
      return {
        id,
        state: {
          ...state,
          arn: `arn:aws:kafka:${where}:${FIXTURE_ACCOUNT}:configuration/${physicalName}/${hash}`,
          latestRevision: 1,
        },
      };
    case "aws:rds/cluster:Cluster": {
      const identifier = String(inputs.clusterIdentifier ?? physicalName);
      const host = `${identifier}.cluster-${hash.slice(0, 12)}.${where}.rds.amazonaws.com`;
      return {
        id: identifier,
        state: {
          ...state,
          arn: `arn:aws:rds:${where}:${FIXTURE_ACCOUNT}:cluster:${identifier}`,
          endpoint: host,
          readerEndpoint: host.replace(".cluster-", ".cluster-ro-"),
          clusterResourceId: `cluster-${hash.toUpperCase()}`,
          // RDS names its managed secret `rds!cluster-<uuid>` and Secrets Manager appends 6 random characters.
          ...(inputs.manageMasterUserPassword === true
            ? {
                masterUserSecrets: [
                  {
                    secretArn: secretArn(where, `rds!cluster-${fixtureUuid(urn)}`, urn),
                    secretStatus: "active",
                    // The account's AWS managed key aws/secretsmanager (no masterUserSecretKmsKeyId is set).
                    kmsKeyId: `arn:aws:kms:${where}:${FIXTURE_ACCOUNT}:key/${fixtureUuid(`aws/secretsmanager/${where}`)}`,
                  },
                ],
              }
            : {}),
        },
      };
    }
    case "aws:secretsmanager/secret:Secret": {
      const arn = secretArn(where, physicalName, urn);
      return { id: arn, state: { ...state, arn } };
    }
    case "aws:secretsmanager/secretVersion:SecretVersion": {
      const versionId = fixtureUuid(`${urn}/version`);
      return {
        id: `${String(inputs.secretId)}|${versionId}`,
        state: { ...state, arn: String(inputs.secretId), versionId },
      };
    }
    case "aws:rds/globalCluster:GlobalCluster":
      return {
        id: String(inputs.globalClusterIdentifier ?? physicalName),
        state: {
          ...state,
          arn: `arn:aws:rds::${FIXTURE_ACCOUNT}:global-cluster:${String(inputs.globalClusterIdentifier ?? physicalName)}`,
        },
      };
    case "aws:elasticache/replicationGroup:ReplicationGroup": {
      const groupId = String(inputs.replicationGroupId ?? physicalName);
      return {
        id: groupId,
        state: {
          ...state,
          arn: `arn:aws:elasticache:${where}:${FIXTURE_ACCOUNT}:replicationgroup:${groupId}`,
          configurationEndpointAddress: `clustercfg.${groupId}.${hash.slice(0, 6)}.${where.replace(/-/g, "")}.cache.amazonaws.com`,
        },
      };
    }
    case "aws:elasticache/user:User":
      return {
        id: String(inputs.userId ?? physicalName),
        state: {
          ...state,
          arn: `arn:aws:elasticache:${where}:${FIXTURE_ACCOUNT}:user:${String(inputs.userId ?? physicalName)}`,
        },
      };
    case "aws:elasticache/globalReplicationGroup:GlobalReplicationGroup": {
      const globalId = `ldgnf-${String(inputs.globalReplicationGroupIdSuffix ?? physicalName)}`;
      return {
        id: globalId,
        state: {
          ...state,
          globalReplicationGroupId: globalId,
          arn: `arn:aws:elasticache::${FIXTURE_ACCOUNT}:globalreplicationgroup:${globalId}`,
        },
      };
    }
    case "aws:ec2/securityGroup:SecurityGroup":
      return { id, state: { ...state, arn: `arn:aws:ec2:${where}:${FIXTURE_ACCOUNT}:security-group/${id}` } };
    default:
      return { id, state };
  }
}

/** Finds a resource the program registered, by type and physical id (for data sources that look one up). */
export type ResourceLookup = (type: string, id: string) => State | undefined;

/** Answers the data-source calls the program makes, per region, like AWS would. */
export function invokeOutputs(
  token: string,
  region: string | null,
  inputs: State,
  lookup: ResourceLookup,
): State {
  switch (token) {
    case "aws:ec2/getSubnet:getSubnet": {
      const subnet = lookup("aws:ec2/subnet:Subnet", String(inputs.id));
      if (!subnet)
        throw new Error(`offline plan: getSubnet for ${String(inputs.id)}, which the program did not create`);
      return { ...subnet, id: inputs.id };
    }
    case "aws:secretsmanager/getRandomPassword:getRandomPassword":
      // A fixed fake: the real one is generated at deploy time and only ever passed write-only.
      return { id: "fixture", randomPassword: `fixture-${digest(JSON.stringify(inputs), 24)}` };
    case "aws:index/getAvailabilityZones:getAvailabilityZones": {
      if (!region || !isAwsRegion(region))
        throw new Error(`offline plan: no zone fixture for region ${String(region)}`);
      const letters = AWS_REGIONS[region];
      return {
        id: region,
        names: letters.map((l) => `${region}${l}`),
        zoneIds: letters.map((_, i) => `${region.replace(/-/g, "").slice(0, 6)}-az${i + 1}`),
        state: "available",
      };
    }
    case "aws:lb/getLoadBalancer:getLoadBalancer": {
      // The ALB the load balancer controller creates for an IngressGroup: named `k8s-<group>-<hash>` (at most 32
      // characters), found by the controller's tags, so its ARN and suffix are derived from them.
      const tags = (inputs.tags ?? {}) as Record<string, string>;
      const group = tags["ingress.k8s.aws/stack"];
      const cluster = tags["elbv2.k8s.aws/cluster"];
      if (!region || group === undefined || cluster === undefined)
        throw new Error("offline plan: getLoadBalancer without the controller's cluster and stack tags");
      const lbName = `k8s-${group.replace(/[^a-zA-Z0-9]/g, "").slice(0, 16)}-${digest(`${cluster}/${group}`, 10)}`;
      const suffix = `app/${lbName}/${digest(`${region}/${cluster}/${group}`, 16)}`;
      return {
        id: `arn:aws:elasticloadbalancing:${region}:${FIXTURE_ACCOUNT}:loadbalancer/${suffix}`,
        arn: `arn:aws:elasticloadbalancing:${region}:${FIXTURE_ACCOUNT}:loadbalancer/${suffix}`,
        arnSuffix: suffix,
        name: lbName,
        loadBalancerType: "application",
        internal: false,
        enableZonalShift: true,
        tags,
      };
    }
    case "aws:index/getPartition:getPartition":
      return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        id: FIXTURE_ACCOUNT,
        accountId: FIXTURE_ACCOUNT,
        arn: `arn:aws:sts::${FIXTURE_ACCOUNT}:assumed-role/semester-ci/plan`,
        userId: "AROAFIXTURE:plan",
      };
    case "aws:index/getRegion:getRegion":
      return { id: region, region, name: region, endpoint: `ec2.${region}.amazonaws.com` };
    default:
      throw new Error(
        `offline plan: the program called ${token}, which has no fixture; add one to cli/plan/fixtures.ts`,
      );
  }
}
