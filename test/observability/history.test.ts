/** `npm run history`: the CSV from recorded PromQL answers, the transport and signing, and every refusal. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { runHistoryCli, type HistoryIo } from "../../cli/history";
import { parseHistoryArgs } from "../../cli/history/args";
import { historyQueries } from "../../cli/history/export";
import { sigV4Signer } from "../../cli/history/signer";
import {
  MAX_POINTS_PER_REQUEST,
  queryRange,
  type FetchLike,
  type RequestSigner,
} from "../../cli/history/promql";

const ROOT = resolve(__dirname, "../..");
const fixture = (name: string): string => readFileSync(join(ROOT, "test/fixtures/history", name), "utf8");
const AMP =
  "https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-0a1b2c3d-4e5f-6789-abcd-ef0123456789/";
const LOCAL = "http://localhost:9090";
const catalog = historyQueries({ name: "course-catalog", namespace: "learning" });

interface Served {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
}

/** Serves course-catalog's recorded answers from us-east-1's AMP workspace, an empty matrix for every other query. */
function recordedFetch(served: Served[], override?: (url: URL) => string | undefined): FetchLike {
  return async (url, init) => {
    const u = new URL(url);
    served.push({ url: u, headers: init.headers });
    const q = u.searchParams.get("query");
    const fromAmp = u.hostname.startsWith("aps-workspaces.");
    const body =
      override?.(u) ??
      (fromAmp && q === catalog.load
        ? fixture("course-catalog-load.json")
        : fromAmp && q === catalog.replicas
          ? fixture("course-catalog-replicas.json")
          : fromAmp && q === catalog.p95
            ? fixture("course-catalog-p95.json")
            : fixture("empty.json"));
    return { status: JSON.parse(body).status === "success" ? 200 : 400, text: async () => body };
  };
}

const signer: RequestSigner = {
  async sign(request, signing) {
    return {
      ...request.headers,
      authorization: `AWS4-HMAC-SHA256 test ${signing.service}/${signing.region}`,
    };
  },
};

function io(fetch: FetchLike, withSigner = true) {
  const out: string[] = [];
  const err: string[] = [];
  const value: HistoryIo = {
    cwd: ROOT,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    fetch,
    signer: async () => (withSigner ? signer : undefined),
  };
  return { value, out, err };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "history-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const argv = (out: string, extra: string[] = []) => [
  "--stack",
  "staging",
  "--from",
  "2026-09-07T08:00:00Z",
  "--to",
  "2026-09-07T08:05:00Z",
  "--out",
  out,
  "--endpoint",
  `us-east-1=${AMP}`,
  "--endpoint",
  `eu-west-2=${LOCAL}`,
  ...extra,
];

const EMPTY_SERVICES = ["assessment-engine", "enrollment", "learner-profile", "analytics", "ai-tutor"];

describe("npm run history", () => {
  it("writes the documented CSV from the recorded answers, gaps as empty cells", async () => {
    const served: Served[] = [];
    const run = io(recordedFetch(served));
    const out = join(dir, "history.csv");
    expect(await runHistoryCli(argv(out), run.value)).toBe(0);
    const minutes = ["08:00", "08:01", "08:02", "08:03", "08:04"];
    const catalogCells: Record<string, string> = {
      "08:00": "41.2,3,187.5",
      "08:01": "45.5333,3,212.5",
      "08:02": ",4,",
      "08:03": "0,4,",
      "08:04": "52.1167,4,240",
    };
    const rows = minutes.flatMap((m) => [
      `2026-09-07T${m}:00Z,us-east-1,course-catalog,${catalogCells[m]}`,
      ...EMPTY_SERVICES.map((s) => `2026-09-07T${m}:00Z,us-east-1,${s},,,`),
      ...["course-catalog", ...EMPTY_SERVICES].map((s) => `2026-09-07T${m}:00Z,eu-west-2,${s},,,`),
    ]);
    expect(readFileSync(out, "utf8")).toBe(
      [
        "# Semester load history of stack staging: one row per minute, region and service, from 2026-09-07T08:00:00Z to 2026-09-07T08:05:00Z (excluded)",
        "# time = the minute the row describes, ISO 8601 UTC",
        "# region = the AWS region whose PromQL endpoint answered",
        "# service = the learning service (its OpenTelemetry service.name, label job)",
        "# load = requests per second, served by the service, summed over its pods, averaged over the 2m up to time",
        "# replicas = available replicas of the service's Deployment at time (kube-state-metrics)",
        "# p95_ms = 95th percentile of request duration over the 2m up to time, in milliseconds (interpolated within the OTel histogram's buckets)",
        "# an empty cell = no sample at that minute (no data, or no requests for p95_ms); a gap is never written as 0",
        "time,region,service,load,replicas,p95_ms",
        ...rows,
        "",
      ].join("\n"),
    );
    expect(run.out.join("")).toBe(`Wrote 60 rows (2 regions × 6 services) to ${out}\n`);
  });

  it("asks each endpoint for a 60 s step over [from, to), signing AMP's requests for aps in its region", async () => {
    const served: Served[] = [];
    expect(await runHistoryCli(argv(join(dir, "h.csv")), io(recordedFetch(served)).value)).toBe(0);
    expect(served).toHaveLength(2 * 6 * 3);
    const amp = served.find((s) => s.url.searchParams.get("query") === catalog.p95)!;
    expect(amp.url.origin + amp.url.pathname).toBe(
      "https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-0a1b2c3d-4e5f-6789-abcd-ef0123456789/api/v1/query_range",
    );
    expect(Object.fromEntries(amp.url.searchParams)).toEqual({
      query:
        'histogram_quantile(0.95, sum by (le) (rate(http_server_request_duration_seconds_bucket{job="course-catalog"}[2m])))',
      start: "1788768000",
      end: "1788768240",
      step: "60s",
    });
    expect(amp.headers.authorization).toBe("AWS4-HMAC-SHA256 test aps/us-east-1");
    const local = served.find((s) => s.url.host === "localhost:9090")!;
    expect(local.url.pathname).toBe("/api/v1/query_range");
    expect(local.headers).toEqual({ accept: "application/json" });
    const queries = new Set(served.map((s) => s.url.searchParams.get("query")));
    expect(queries).toContain(
      'sum(kube_deployment_status_replicas_available{namespace="ai-tutor",deployment="ai-tutor"})',
    );
    expect(queries).toContain('sum(rate(http_server_request_duration_seconds_count{job="enrollment"}[2m]))');
  });

  it("fails on an API error, naming the region, the error and the query, and writes nothing", async () => {
    const out = join(dir, "h.csv");
    const run = io(
      recordedFetch([], (u) =>
        u.searchParams.get("query") === catalog.replicas ? fixture("error-bad-data.json") : undefined,
      ),
    );
    expect(await runHistoryCli(argv(out), run.value)).toBe(1);
    expect(run.err.join("")).toBe(
      `error: us-east-1 (${AMP}): HTTP 400, bad_data: invalid parameter "query": 1:5: parse error: unexpected <by> ` +
        `(query: ${catalog.replicas})\nNothing was written to ${out}.\n`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it("refuses an AMP endpoint when no SigV4 signer is available", async () => {
    const out = join(dir, "h.csv");
    const run = io(recordedFetch([]), false);
    expect(await runHistoryCli(argv(out), run.value)).toBe(1);
    expect(run.err.join("")).toContain(
      `error: us-east-1 (${AMP}): an AMP workspace needs SigV4-signed requests, and no signer is available`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it("refuses a bad flag with the usage and exit code 2, listing every problem", async () => {
    const run = io(recordedFetch([]));
    const code = await runHistoryCli(
      [
        "--stack",
        "staging",
        "--from",
        "2026-09-07T08:00:30Z",
        "--to",
        "tomorrow",
        "--ot",
        "x.csv",
        "--endpoint",
        "moon-1=ftp://x",
      ],
      run.value,
    );
    expect(code).toBe(2);
    const text = run.err.join("");
    expect(text.split("\n\n")[0]).toBe(
      [
        "error: Invalid input in npm run history options (6 problems):",
        "  - `--ot`: got true; is not an option; the options are --stack, --from, --to, --out, --endpoint, --help",
        '  - `(arguments)`: got "x.csv"; takes no positional arguments; every input is a --flag',
        "  - `--out`: got missing; required",
        '  - `--from`: got "2026-09-07T08:00:30Z"; must be an ISO instant in whole minutes with a zone, e.g. 2026-09-07T00:00:00Z',
        '  - `--to`: got "tomorrow"; must be an ISO instant in whole minutes with a zone, e.g. 2026-09-07T00:00:00Z',
        '  - `--endpoint`: got "moon-1=ftp://x"; must name an AWS region before \'=\' (got "moon-1")',
      ].join("\n"),
    );
    expect(text).toContain("Usage: npm run history -- --stack <name>");
  });

  it("refuses --from after --to", () => {
    expect(() =>
      parseHistoryArgs([
        "--stack",
        "dev",
        "--from",
        "2026-09-07T09:00:00Z",
        "--to",
        "2026-09-07T08:00:00Z",
        "--out",
        "h.csv",
        "--endpoint",
        `eu-west-2=${LOCAL}`,
      ]),
    ).toThrow(
      "Invalid input in npm run history options (1 problem):\n" +
        '  - `--to`: got "2026-09-07T08:00:00Z"; must be after --from (2026-09-07T09:00:00Z)',
    );
  });

  it("refuses an endpoint given twice, a URL with a query, and no endpoint at all", () => {
    const base = [
      "--stack",
      "dev",
      "--from",
      "2026-09-07T08:00:00Z",
      "--to",
      "2026-09-07T09:00Z",
      "--out",
      "h.csv",
    ];
    expect(() =>
      parseHistoryArgs([
        ...base,
        "--endpoint",
        `eu-west-2=${LOCAL}`,
        "--endpoint",
        "eu-west-2=http://other:9090",
        "--endpoint",
        "us-east-1=http://x/?a=b",
      ]),
    ).toThrow(
      "Invalid input in npm run history options (2 problems):\n" +
        '  - `--endpoint`: got "eu-west-2=http://other:9090"; gives eu-west-2 a second endpoint (first: http://localhost:9090)\n' +
        "  - `--endpoint`: got \"us-east-1=http://x/?a=b\"; must give an http(s) URL without query or fragment after '='",
    );
    expect(() => parseHistoryArgs(base)).toThrow(
      "`--endpoint`: got missing; required, once per region of the stack: --endpoint <region>=<url>",
    );
  });

  it("refuses endpoints that do not cover the stack's regions, with exit code 2", async () => {
    const run = io(recordedFetch([]));
    const args = argv(join(dir, "h.csv"))
      .slice(0, -2)
      .concat(["--endpoint", `ap-northeast-1=${LOCAL}`]);
    expect(await runHistoryCli(args, run.value)).toBe(2);
    expect(run.err.join("").split("\n\n")[0]).toBe(
      [
        "error: Invalid input in npm run history options (2 problems):",
        "  - `--endpoint`: got missing; missing for eu-west-2: every region of stacks/Pulumi.staging.yaml (us-east-1, eu-west-2) needs one; fix: add --endpoint eu-west-2=<its PromQL endpoint>",
        '  - `--endpoint`: got "ap-northeast-1=http://localhost:9090"; names ap-northeast-1, which stacks/Pulumi.staging.yaml does not run (its regions: us-east-1, eu-west-2)',
      ].join("\n"),
    );
  });
});

describe("queryRange", () => {
  it("splits a long range into requests of at most a day of points, without overlap", async () => {
    const served: Served[] = [];
    const start = 1788768000;
    const end = start + 2 * MAX_POINTS_PER_REQUEST * 60; // two days and one more minute
    await queryRange(
      { region: "eu-west-2", url: LOCAL },
      "up",
      { start, end, step: 60 },
      { fetch: recordedFetch(served) },
    );
    expect(
      served.map((s) => [Number(s.url.searchParams.get("start")), Number(s.url.searchParams.get("end"))]),
    ).toEqual([
      [start, start + 86340],
      [start + 86400, start + 172740],
      [start + 172800, start + 172800],
    ]);
  });

  it("refuses an answer with more than one series, and one that is not the API's", async () => {
    const two = JSON.stringify({
      status: "success",
      data: {
        resultType: "matrix",
        result: [
          { metric: { a: "1" }, values: [] },
          { metric: { a: "2" }, values: [] },
        ],
      },
    });
    const fetchOf =
      (body: string, status = 200): FetchLike =>
      async () => ({ status, text: async () => body });
    const src = { region: "eu-west-2", url: LOCAL };
    const range = { start: 0, end: 60, step: 60 };
    await expect(queryRange(src, "up", range, { fetch: fetchOf(two) })).rejects.toThrow(
      "eu-west-2 (http://localhost:9090): expected at most one series, got 2 (query: up)",
    );
    await expect(
      queryRange(src, "up", range, { fetch: fetchOf("<html>Forbidden</html>", 403) }),
    ).rejects.toThrow(
      "eu-west-2 (http://localhost:9090): HTTP 403, not a Prometheus API response: <html>Forbidden</html>",
    );
  });
});

describe("transport failures", () => {
  it("names the region and endpoint when the request itself fails", async () => {
    const failing: FetchLike = async () => {
      throw Object.assign(new Error("fetch failed"), {
        cause: new Error("connect ECONNREFUSED 127.0.0.1:9090"),
      });
    };
    await expect(
      queryRange(
        { region: "eu-west-2", url: LOCAL },
        "up",
        { start: 0, end: 60, step: 60 },
        { fetch: failing },
      ),
    ).rejects.toThrow(
      "eu-west-2 (http://localhost:9090): fetch failed (connect ECONNREFUSED 127.0.0.1:9090)",
    );
  });
});

describe("the SigV4 signer of a real run", () => {
  it("signs an AMP query with the AWS SDK's SigV4 for the workspace's region and service", async () => {
    const signer = sigV4Signer(
      async () => ({
        accessKeyId: "AKIDEXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
      }),
      new Date("2026-12-01T00:00:00Z"),
    );
    const url = new URL(`${AMP}/api/v1/query_range?query=up&start=0&end=60&step=60s`);
    const headers = await signer.sign(
      { method: "GET", url, headers: {} },
      { service: "aps", region: "us-east-1" },
    );
    expect(headers["x-amz-date"]).toBe("20261201T000000Z");
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261201\/us-east-1\/aps\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
  });
});
