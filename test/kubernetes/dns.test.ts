import fc from "fast-check";
import { DEFAULT_SERVICES } from "../../components/kubernetes/config";
import {
  dnsSchema,
  externalDnsIamPolicy,
  externalDnsValues,
  hostInZone,
  latencyRecordAnnotations,
} from "../../components/kubernetes/dns";
import { publicHostProblems } from "../../components/config/rules";

const DNS = dnsSchema.parse({ zoneName: "semester.dev", hostedZoneId: "Z0123456789ABCDEFGHIJ" });

describe("global traffic (dns.ts)", () => {
  it("scopes record changes to the one hosted zone and leaves only read/list actions on *", () => {
    expect(JSON.parse(externalDnsIamPolicy("Z0123456789ABCDEFGHIJ"))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: ["route53:ChangeResourceRecordSets"],
          Resource: ["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"],
        },
        {
          Effect: "Allow",
          Action: [
            "route53:ListHostedZones",
            "route53:ListResourceRecordSets",
            "route53:ListTagsForResources",
          ],
          Resource: ["*"],
        },
      ],
    });
  });

  it("marks a region's record with the region as set identifier and latency region", () => {
    expect(latencyRecordAnnotations("ap-northeast-1")).toEqual({
      "external-dns.alpha.kubernetes.io/set-identifier": "ap-northeast-1",
      "external-dns.alpha.kubernetes.io/aws-region": "ap-northeast-1",
    });
  });

  it("configures ExternalDNS for the zone only, owned per cluster, on system nodes", () => {
    expect(
      externalDnsValues({ dns: { ...DNS, policy: "sync" }, region: "eu-west-2", clusterName: "c-eu" }),
    ).toEqual({
      provider: { name: "aws" },
      sources: ["ingress"],
      policy: "sync",
      registry: "txt",
      txtOwnerId: "c-eu",
      domainFilters: ["semester.dev"],
      extraArgs: ["--zone-id-filter=Z0123456789ABCDEFGHIJ", "--aws-zone-type=public"],
      serviceAccount: { create: true, name: "external-dns" },
      env: [{ name: "AWS_DEFAULT_REGION", value: "eu-west-2" }],
      nodeSelector: { "semester.dev/pool": "system" },
      priorityClassName: "system-cluster-critical",
      resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } },
    });
  });

  it("finds no problem with the default services in semester.dev", () => {
    expect(publicHostProblems(DNS, DEFAULT_SERVICES)).toEqual([]);
  });

  it("puts a host in a zone exactly when it is the apex or ends with '.' + zone", () => {
    const label = fc.stringMatching(/^[a-z0-9]{1,8}$/);
    fc.assert(
      fc.property(
        fc.array(label, { minLength: 1, maxLength: 3 }),
        label,
        label,
        (prefix, glue, zoneLabel) => {
          const zone = `${zoneLabel}.dev`;
          expect(hostInZone(zone, zone)).toBe(true);
          expect(hostInZone(`${prefix.join(".")}.${zone}`, zone)).toBe(true);
          // Glued on without a dot, the host is a different domain.
          expect(hostInZone(`${glue}${zone}`, zone)).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });
});
