/**
 * The load history the forecasting work reads: per minute, region and service, the load, the available
 * replicas and the 95th-percentile latency, from each region's PromQL endpoint, as CSV. A missing sample is an
 * empty cell, never 0. Deterministic: the same answers give the same bytes.
 */
import { EXPORTED_LOAD_UNIT, HISTORY_COLUMNS, HISTORY_TITLE, unitComment } from "../../components/forecast";
import { availableReplicasQuery, latencyQuantileQuery, requestRateQuery } from "../../components/telemetry";
import { queryRange, type FetchLike, type PromqlSource, type RequestSigner, type Samples } from "./promql";

/** One row per minute. */
export const HISTORY_STEP_SECONDS = 60;
/**
 * The rate window of load and p95: the shortest that holds at least two samples of a series pushed every 60 s
 * (the OTel SDKs' default metric export interval) and four of one scraped every 30 s.
 */
export const HISTORY_RANGE = "2m";

export interface HistoryService {
  readonly name: string;
  /** Namespace of its Deployment (for the replicas query). */
  readonly namespace: string;
}

export interface HistoryRequest {
  readonly stack: string;
  /** Regions in the stack's order, each with its endpoint. */
  readonly sources: readonly PromqlSource[];
  readonly services: readonly HistoryService[];
  /** Epoch ms, whole minutes; rows are [from, to). */
  readonly from: number;
  readonly to: number;
}

export interface HistoryDeps {
  readonly fetch: FetchLike;
  readonly signer?: RequestSigner;
  /** Requests in flight at once. @default 4 */
  readonly concurrency?: number;
}

/** The three queries of a service (the shared builders, so the export reads what dashboards and triggers read). */
export function historyQueries(service: HistoryService): { load: string; replicas: string; p95: string } {
  return {
    load: requestRateQuery(service.name, HISTORY_RANGE),
    replicas: availableReplicasQuery(service.name, service.namespace),
    p95: latencyQuantileQuery(service.name, 0.95, HISTORY_RANGE),
  };
}

/** The CSV's header comment, one line per column and one on gaps. */
export function historyHeader(request: Pick<HistoryRequest, "stack" | "from" | "to">): string[] {
  const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
  return [
    `# ${HISTORY_TITLE} ${request.stack}: one row per minute, region and service, ` +
      `from ${iso(request.from)} to ${iso(request.to)} (excluded)`,
    "# time = the minute the row describes, ISO 8601 UTC",
    "# region = the AWS region whose PromQL endpoint answered",
    "# service = the learning service (its OpenTelemetry service.name, label job)",
    unitComment(
      EXPORTED_LOAD_UNIT,
      `served by the service, summed over its pods, averaged over the ${HISTORY_RANGE} up to time`,
    ),
    "# replicas = available replicas of the service's Deployment at time (kube-state-metrics)",
    `# p95_ms = 95th percentile of request duration over the ${HISTORY_RANGE} up to time, in milliseconds ` +
      "(interpolated within the OTel histogram's buckets)",
    "# an empty cell = no sample at that minute (no data, or no requests for p95_ms); a gap is never written as 0",
  ];
}

/** A sample as a CSV cell: rounded to `decimals`, empty when absent or not a finite number. */
function cell(value: string | undefined, scale: number, decimals: number): string {
  if (value === undefined) return "";
  const n = Number(value) * scale;
  if (!Number.isFinite(n)) return "";
  const rounded = Number(n.toFixed(decimals));
  return String(rounded === 0 ? 0 : rounded);
}

/** Runs `tasks` with at most `limit` in flight; results in task order. */
async function pool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** Fetches everything, then renders the CSV (header comment, column names, rows by time, region, service). */
export async function exportHistory(request: HistoryRequest, deps: HistoryDeps): Promise<string> {
  const step = HISTORY_STEP_SECONDS;
  const range = { start: request.from / 1000, end: request.to / 1000 - step, step };
  const jobs = request.sources.flatMap((source) =>
    request.services.map((service) => ({ source, service, queries: historyQueries(service) })),
  );
  const tasks = jobs.flatMap((job) =>
    [job.queries.load, job.queries.replicas, job.queries.p95].map(
      (q) => () => queryRange(job.source, q, range, deps),
    ),
  );
  const answers: Samples[] = await pool(tasks, deps.concurrency ?? 4);
  const lines = [...historyHeader(request), HISTORY_COLUMNS.join(",")];
  for (let t = range.start; t <= range.end; t += step) {
    const time = new Date(t * 1000).toISOString().replace(".000Z", "Z");
    jobs.forEach((job, j) => {
      const [load, replicas, p95] = [0, 1, 2].map((k) => answers[j * 3 + k]!.get(t));
      lines.push(
        [
          time,
          job.source.region,
          job.service.name,
          cell(load, 1, 4),
          cell(replicas, 1, 0),
          cell(p95, 1000, 3),
        ].join(","),
      );
    });
  }
  return `${lines.join("\n")}\n`;
}
