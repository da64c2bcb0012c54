/**
 * AWS commercial regions Semester can deploy to, with the Availability Zone names an account sees.
 * The real program asks AWS (`aws.getAvailabilityZones`); this table validates config before that and
 * answers the same question in the offline plan. Zone letters follow what most accounts are offered.
 */
export const AWS_REGIONS = {
  "us-east-1": ["a", "b", "c", "d", "e", "f"],
  "us-east-2": ["a", "b", "c"],
  "us-west-1": ["a", "c"],
  "us-west-2": ["a", "b", "c", "d"],
  "ca-central-1": ["a", "b", "d"],
  "ca-west-1": ["a", "b", "c"],
  "mx-central-1": ["a", "b", "c"],
  "sa-east-1": ["a", "b", "c"],
  "eu-west-1": ["a", "b", "c"],
  "eu-west-2": ["a", "b", "c"],
  "eu-west-3": ["a", "b", "c"],
  "eu-central-1": ["a", "b", "c"],
  "eu-central-2": ["a", "b", "c"],
  "eu-north-1": ["a", "b", "c"],
  "eu-south-1": ["a", "b", "c"],
  "eu-south-2": ["a", "b", "c"],
  "af-south-1": ["a", "b", "c"],
  "il-central-1": ["a", "b", "c"],
  "me-south-1": ["a", "b", "c"],
  "me-central-1": ["a", "b", "c"],
  "ap-east-1": ["a", "b", "c"],
  "ap-south-1": ["a", "b", "c"],
  "ap-south-2": ["a", "b", "c"],
  "ap-southeast-1": ["a", "b", "c"],
  "ap-southeast-2": ["a", "b", "c"],
  "ap-southeast-3": ["a", "b", "c"],
  "ap-southeast-4": ["a", "b", "c"],
  "ap-southeast-5": ["a", "b", "c"],
  "ap-southeast-7": ["a", "b", "c"],
  "ap-northeast-1": ["a", "c", "d"],
  "ap-northeast-2": ["a", "b", "c", "d"],
  "ap-northeast-3": ["a", "b", "c"],
} as const satisfies Record<string, readonly string[]>;

export type AwsRegion = keyof typeof AWS_REGIONS;
export const AWS_REGION_NAMES = Object.keys(AWS_REGIONS) as AwsRegion[];

/** How a problem words a name that is not one of them (calendar events, CLI flags). */
export const AWS_REGION_RULE = `must be an AWS region, one of: ${AWS_REGION_NAMES.join(", ")}`;

export function isAwsRegion(name: string): name is AwsRegion {
  return Object.prototype.hasOwnProperty.call(AWS_REGIONS, name);
}

/** @internal Availability Zone names of a region, for example `eu-west-2a`. */
export function availabilityZoneNames(region: AwsRegion): string[] {
  return AWS_REGIONS[region].map((letter) => `${region}${letter}`);
}
