/**
 * The SigV4 signer AMP requests are signed with: the AWS SDK's own (`@smithy/signature-v4` with
 * `@aws-crypto/sha256-js`), credentials from the SDK's default chain (`@aws-sdk/credential-provider-node`:
 * environment, profile, SSO, container and instance credentials), so `npm run history` runs wherever the AWS CLI
 * would. Used by the tool only; the product never signs requests itself.
 */
import { Sha256 } from "@aws-crypto/sha256-js";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { SignatureV4 } from "@smithy/signature-v4";
import type { RequestSigner } from "./promql";

/** The credentials a signature needs, as the SDK's providers return them. */
export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/**
 * A SigV4 signer over the given credentials. @default the SDK's default credential chain
 * `signingDate` pins the signature's time (tests). @default now
 */
export function sigV4Signer(
  credentials: () => Promise<SigningCredentials> = defaultProvider(),
  signingDate?: Date,
): RequestSigner {
  return {
    async sign(request, signing) {
      const signer = new SignatureV4({
        service: signing.service,
        region: signing.region,
        credentials,
        sha256: Sha256,
      });
      const signed = await signer.sign(
        {
          method: request.method,
          protocol: request.url.protocol,
          hostname: request.url.hostname,
          path: request.url.pathname,
          query: Object.fromEntries(request.url.searchParams),
          headers: { ...request.headers, host: request.url.host },
        },
        signingDate !== undefined ? { signingDate } : {},
      );
      return signed.headers as Record<string, string>;
    },
  };
}
