/**
 * A minimal client of the Prometheus HTTP API's range queries
 * (https://prometheus.io/docs/prometheus/latest/querying/api/#range-queries), with the transport and the
 * request signer injected: tests serve recorded responses, a real run uses `fetch` and, for AMP, SigV4.
 */

/** What the client needs of `fetch`. */
export type FetchLike = (
  url: string,
  init: { readonly method: "GET"; readonly headers: Readonly<Record<string, string>> },
) => Promise<{ readonly status: number; text(): Promise<string> }>;

/** A request to sign: AMP requires SigV4 for the `aps` service (https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-secure-querying.html). */
export interface SignableRequest {
  readonly method: "GET";
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
}

/** Signs a request; returns the headers to send (the given ones plus the signature's). */
export interface RequestSigner {
  sign(
    request: SignableRequest,
    signing: { readonly service: "aps"; readonly region: string },
  ): Promise<Record<string, string>>;
}

/** One region's endpoint: the root of its Prometheus HTTP API. */
export interface PromqlSource {
  readonly region: string;
  readonly url: string;
}

/** A series' samples by time (epoch seconds), values as Prometheus wrote them (`"12.5"`, `"NaN"`). */
export type Samples = ReadonlyMap<number, string>;

/** The largest number of points one request asks for (a day of minutes; Prometheus refuses more than 11,000). */
export const MAX_POINTS_PER_REQUEST = 1440;

/** The AMP region a URL signs for, when it is an AMP workspace URL. */
export function ampRegion(url: string): string | undefined {
  return /^aps-workspaces\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(new URL(url).hostname)?.[1];
}

export class PromqlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PromqlError";
  }
}

interface ApiResponse {
  readonly status?: string;
  readonly errorType?: string;
  readonly error?: string;
  readonly data?: {
    readonly resultType?: string;
    readonly result?: readonly { values?: [number, string][] }[];
  };
}

/**
 * The samples of `query` at `start`, `start + step`, ... up to `end` (epoch seconds, both included), fetched in
 * requests of at most `MAX_POINTS_PER_REQUEST` points. The query must return at most one series (the export's
 * queries aggregate with `sum`); none is an empty map.
 */
export async function queryRange(
  source: PromqlSource,
  query: string,
  range: { readonly start: number; readonly end: number; readonly step: number },
  deps: { readonly fetch: FetchLike; readonly signer?: RequestSigner },
): Promise<Map<number, string>> {
  const samples = new Map<number, string>();
  const chunk = MAX_POINTS_PER_REQUEST * range.step;
  for (let start = range.start; start <= range.end; start += chunk) {
    const end = Math.min(start + chunk - range.step, range.end);
    for (const [t, v] of await queryChunk(source, query, { start, end, step: range.step }, deps))
      samples.set(t, v);
  }
  return samples;
}

async function queryChunk(
  source: PromqlSource,
  query: string,
  range: { readonly start: number; readonly end: number; readonly step: number },
  deps: { readonly fetch: FetchLike; readonly signer?: RequestSigner },
): Promise<[number, string][]> {
  const url = new URL(`${source.url.replace(/\/+$/, "")}/api/v1/query_range`);
  url.search = new URLSearchParams({
    query,
    start: String(range.start),
    end: String(range.end),
    step: `${range.step}s`,
  }).toString();
  const where = `${source.region} (${source.url})`;
  let headers: Record<string, string> = { accept: "application/json" };
  const region = ampRegion(source.url);
  if (region !== undefined) {
    if (deps.signer === undefined)
      throw new PromqlError(
        `${where}: an AMP workspace needs SigV4-signed requests, and no signer is available`,
      );
    headers = await deps.signer.sign({ method: "GET", url, headers }, { service: "aps", region });
  }
  let response: Awaited<ReturnType<FetchLike>>;
  let body: string;
  try {
    response = await deps.fetch(url.toString(), { method: "GET", headers });
    body = await response.text();
  } catch (e) {
    const cause = (e as Error & { cause?: Error }).cause?.message;
    throw new PromqlError(`${where}: ${(e as Error).message}${cause !== undefined ? ` (${cause})` : ""}`);
  }
  let parsed: ApiResponse;
  try {
    parsed = JSON.parse(body) as ApiResponse;
  } catch {
    throw new PromqlError(
      `${where}: HTTP ${response.status}, not a Prometheus API response: ${body.slice(0, 200)}`,
    );
  }
  if (parsed.status !== "success")
    throw new PromqlError(
      `${where}: HTTP ${response.status}, ${parsed.errorType ?? "error"}: ${parsed.error ?? "no message"} (query: ${query})`,
    );
  const result = parsed.data?.result ?? [];
  if (parsed.data?.resultType !== "matrix")
    throw new PromqlError(
      `${where}: expected a matrix, got ${String(parsed.data?.resultType)} (query: ${query})`,
    );
  if (result.length > 1)
    throw new PromqlError(`${where}: expected at most one series, got ${result.length} (query: ${query})`);
  return (result[0]?.values ?? []).map(([t, v]) => [Number(t), v]);
}
