/**
 * Global traffic: learners resolve a public host (`catalog.semester.dev`) to the nearest healthy region.
 *
 * ExternalDNS runs in every regional cluster and writes, for each public service's Ingress host, one Route 53
 * latency record per region: `SetIdentifier` = the region, latency region = the region, an alias to that region's
 * ALB with EvaluateTargetHealth on (ExternalDNS's default for alias targets, flag `--aws-evaluate-target-health`).
 * When a region's ALB has no healthy targets Route 53 stops answering with it, so no extra health checks exist.
 *
 * This file holds the stack config section `semester:dns`, the Ingress annotations, the Helm values of the
 * ExternalDNS add-on and its IAM policy. Pure: no Pulumi.
 * Annotations: kubernetes-sigs/external-dns docs/annotations/annotations.md (`set-identifier`) and
 * docs/tutorials/aws.md, "Routing policies" (`aws-region` for latency-based routing).
 */
import { z } from "zod";

/** A DNS zone name: lowercase labels separated by dots, no trailing dot. */
const zoneName = z
  .string()
  .regex(
    /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/,
    "must be a DNS zone name like `semester.dev` (lowercase, no trailing dot)",
  );

/** Route 53 hosted zone ids are `Z` followed by uppercase letters and digits. */
const hostedZoneId = z
  .string()
  .regex(/^Z[A-Z0-9]{1,31}$/, "must be a Route 53 hosted zone id like `Z0123456789ABCDEFGHIJ`");

/** ExternalDNS policies Semester allows: `upsert-only` never deletes, `sync` also deletes records it owns. */
export const DNS_POLICIES = ["upsert-only", "sync"] as const;
export type DnsPolicy = (typeof DNS_POLICIES)[number];

/** `semester:dns`: the public hosted zone ExternalDNS writes latency records into. Absent = no global traffic. */
export const dnsSchema = z.strictObject({
  /** The public zone, for example `semester.dev`; every service `publicHost` must lie in it. */
  zoneName,
  /** The Route 53 hosted zone id of `zoneName` (the only zone ExternalDNS may change). */
  hostedZoneId,
  /**
   * `upsert-only` creates and updates records but never deletes them; `sync` also deletes the records this
   * cluster owns when their Ingress goes away. @default "upsert-only"
   */
  policy: z.enum(DNS_POLICIES).default("upsert-only"),
});
export type DnsConfig = z.infer<typeof dnsSchema>;

/** ExternalDNS's ServiceAccount (bound to its IAM role through Pod Identity). */
export const EXTERNAL_DNS_SERVICE_ACCOUNT = "external-dns";

/** Annotation keys ExternalDNS reads on an Ingress. */
export const EXTERNAL_DNS_ANNOTATIONS = {
  setIdentifier: "external-dns.alpha.kubernetes.io/set-identifier",
  awsRegion: "external-dns.alpha.kubernetes.io/aws-region",
} as const;

/** The annotations that make a region's record for an Ingress host a latency record of that region. */
export function latencyRecordAnnotations(region: string): Record<string, string> {
  return {
    [EXTERNAL_DNS_ANNOTATIONS.setIdentifier]: region,
    [EXTERNAL_DNS_ANNOTATIONS.awsRegion]: region,
  };
}

/** Whether `host` lies in `zone` (the apex or any name below it). */
export function hostInZone(host: string, zone: string): boolean {
  return host === zone || host.endsWith(`.${zone}`);
}

/**
 * ExternalDNS's IAM policy: record changes in the one hosted zone only; listing zones (no resource-level
 * permission exists for it), and reading records and zone tags, as ExternalDNS's AWS tutorial documents.
 */
export function externalDnsIamPolicy(hostedZoneId: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: ["route53:ChangeResourceRecordSets"],
        Resource: [`arn:aws:route53:::hostedzone/${hostedZoneId}`],
      },
      {
        Effect: "Allow",
        Action: ["route53:ListHostedZones", "route53:ListResourceRecordSets", "route53:ListTagsForResources"],
        Resource: ["*"],
      },
    ],
  });
}

/**
 * Semester's values for the ExternalDNS chart (kubernetes-sigs/external-dns, `charts/external-dns/values.yaml`).
 * ExternalDNS runs one replica by design (no leader election); a restart only delays record updates, never
 * answers. `txtOwnerId` is the cluster, so each region's TXT ownership records only claim its own record sets.
 */
export function externalDnsValues<T>(ctx: {
  dns: DnsConfig;
  region: string;
  /** The cluster name (a Pulumi Input in practice; the values pass it through). */
  clusterName: T;
}): Record<string, unknown> {
  return {
    provider: { name: "aws" },
    // Services are ClusterIP; only the ALB Ingresses carry public hosts.
    sources: ["ingress"],
    policy: ctx.dns.policy,
    registry: "txt",
    txtOwnerId: ctx.clusterName,
    domainFilters: [ctx.dns.zoneName],
    extraArgs: [`--zone-id-filter=${ctx.dns.hostedZoneId}`, "--aws-zone-type=public"],
    serviceAccount: { create: true, name: EXTERNAL_DNS_SERVICE_ACCOUNT },
    // Pod Identity gives credentials but no region; the SDK needs one (Route 53 itself is global).
    env: [{ name: "AWS_DEFAULT_REGION", value: ctx.region }],
    nodeSelector: { "semester.dev/pool": "system" },
    priorityClassName: "system-cluster-critical",
    resources: {
      requests: { cpu: "50m", memory: "128Mi" },
      limits: { cpu: "200m", memory: "256Mi" },
    },
  };
}
