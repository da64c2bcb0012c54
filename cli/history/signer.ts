/**
 * The SigV4 signer a real run signs AMP requests with. Semester does not depend on an AWS SDK (the Pulumi
 * providers sign in their own processes), so this loads one only if the project has it: `@smithy/signature-v4`
 * with `@aws-crypto/sha256-js` and the default credential chain of `@aws-sdk/credential-provider-node`
 * (environment, profile, SSO, container and instance credentials). Without them the export still works against
 * an endpoint that needs no signature (an in-cluster Prometheus).
 */
import type { RequestSigner } from "./promql";

/** The packages a signer needs. */
export const SIGNER_PACKAGES = [
  "@smithy/signature-v4",
  "@aws-crypto/sha256-js",
  "@aws-sdk/credential-provider-node",
] as const;

/** The parts of the three packages the signer uses (their documented APIs). */
interface SignerModules {
  readonly SignatureV4: new (options: {
    service: string;
    region: string;
    credentials: unknown;
    sha256: unknown;
  }) => {
    sign(request: {
      method: string;
      protocol: string;
      hostname: string;
      path: string;
      query: Record<string, string>;
      headers: Record<string, string>;
    }): Promise<{ headers: Record<string, string> }>;
  };
  readonly Sha256: unknown;
  readonly defaultProvider: () => unknown;
}

/** A SigV4 signer, or undefined when the packages are not installed. */
export async function loadSigV4Signer(): Promise<RequestSigner | undefined> {
  let modules: SignerModules;
  try {
    const [v4, sha, creds] = (await Promise.all(SIGNER_PACKAGES.map((name) => import(name as string)))) as [
      Pick<SignerModules, "SignatureV4">,
      Pick<SignerModules, "Sha256">,
      Pick<SignerModules, "defaultProvider">,
    ];
    modules = { SignatureV4: v4.SignatureV4, Sha256: sha.Sha256, defaultProvider: creds.defaultProvider };
  } catch {
    return undefined;
  }
  const credentials = modules.defaultProvider();
  return {
    async sign(request, signing) {
      const signer = new modules.SignatureV4({
        service: signing.service,
        region: signing.region,
        credentials,
        sha256: modules.Sha256,
      });
      const signed = await signer.sign({
        method: request.method,
        protocol: request.url.protocol,
        hostname: request.url.hostname,
        path: request.url.pathname,
        query: Object.fromEntries(request.url.searchParams),
        headers: { ...request.headers, host: request.url.host },
      });
      return signed.headers;
    },
  };
}
