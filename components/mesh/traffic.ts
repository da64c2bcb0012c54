/**
 * The traffic policy between services (circuit breaking, timeouts, retries), per tier with per-service overrides,
 * and the rules every resolved policy must pass. Pure.
 *
 * What Envoy does with these (read in envoyproxy/envoy docs `arch_overview/outlier` and Istio 1.30.3
 * `pilot/pkg/networking/core/cluster_traffic_policy.go`, `pkg/config/validation/validation.go`):
 * - outlier detection ejects a host only while `(ejected + 1) / hosts <= maxEjectionPercent`, so 10 % (Istio's
 *   default) ejects nothing below 10 pods: `maxEjections` is the count a percent allows at a host count;
 * - the route `timeout` bounds the whole request, retries included, and each try is cut at `perTryTimeout`: a
 *   policy whose tries cannot all run within the timeout retries on paper only;
 * - `retryBudget` (percent of active requests) caps concurrent retries cluster-wide, growing with load; when it is
 *   set Envoy ignores the fixed `maxRetries` circuit breaker, so Semester sets the budget and not `maxRetries`.
 */
import type { Problem } from "../core";
import type { MeshConfig, MeshTier, TrafficOverride } from "./config";

export interface TrafficPolicy {
  readonly timeoutMs: number;
  readonly retries: {
    readonly attempts: number;
    readonly perTryTimeoutMs: number;
    readonly retryOn: readonly string[];
  };
  readonly outlierDetection: {
    readonly consecutive5xxErrors: number;
    readonly consecutiveGatewayErrors: number;
    readonly intervalMs: number;
    readonly baseEjectionTimeMs: number;
    readonly maxEjectionPercent: number;
  };
  readonly connectionPool: {
    readonly maxConnections: number;
    readonly http2MaxRequests: number;
    readonly maxRequestsPerConnection: number;
    readonly retryBudgetPercent: number;
    readonly minRetryConcurrency: number;
  };
}

/**
 * Retry conditions where the request never reached the application (no connection, stream refused, reset before
 * a byte was sent): safe for every method, POST included.
 */
export const SAFE_RETRY_ON = ["connect-failure", "refused-stream", "reset-before-request"] as const;
/** Further conditions for services that only read: the upstream answered 502/503/504, so a retry may repeat work. */
export const READ_RETRY_ON = [...SAFE_RETRY_ON, "gateway-error"] as const;
/** Conditions Envoy (through Istio's validation) accepts. */
export const SUPPORTED_RETRY_ON = [
  "5xx",
  "gateway-error",
  "reset",
  "reset-before-request",
  "connect-failure",
  "retriable-4xx",
  "refused-stream",
  "retriable-status-codes",
  "retriable-headers",
  "envoy-ratelimited",
  "http3-post-connect-failure",
  "cancelled",
  "deadline-exceeded",
  "internal",
  "resource-exhausted",
  "unavailable",
] as const;

/** Defaults per tier (retryOn is chosen per service from its data access: `SAFE_RETRY_ON` / `READ_RETRY_ON`). */
export const TIER_TRAFFIC: Readonly<
  Record<MeshTier, Omit<TrafficPolicy, "retries"> & { retries: Omit<TrafficPolicy["retries"], "retryOn"> }>
> = {
  // p99 objective 250 ms: fail fast, 3 tries of 1 s fit in 3 s; 34 % ejects 1 of the 3-pod floor.
  critical: {
    timeoutMs: 3000,
    retries: { attempts: 2, perTryTimeoutMs: 1000 },
    outlierDetection: {
      consecutive5xxErrors: 5,
      consecutiveGatewayErrors: 3,
      intervalMs: 5000,
      baseEjectionTimeMs: 30000,
      maxEjectionPercent: 34,
    },
    connectionPool: {
      maxConnections: 1024,
      http2MaxRequests: 2048,
      maxRequestsPerConnection: 0,
      retryBudgetPercent: 20,
      minRetryConcurrency: 3,
    },
  },
  // 3 tries of 3 s in 10 s; 50 % ejects 1 of the 2-pod floor.
  standard: {
    timeoutMs: 10000,
    retries: { attempts: 2, perTryTimeoutMs: 3000 },
    outlierDetection: {
      consecutive5xxErrors: 5,
      consecutiveGatewayErrors: 3,
      intervalMs: 10000,
      baseEjectionTimeMs: 30000,
      maxEjectionPercent: 50,
    },
    connectionPool: {
      maxConnections: 512,
      http2MaxRequests: 1024,
      maxRequestsPerConnection: 0,
      retryBudgetPercent: 20,
      minRetryConcurrency: 3,
    },
  },
  // 2 tries of 15 s in 30 s; a single-pod floor can eject its one host (Envoy then load-balances in panic mode).
  batch: {
    timeoutMs: 30000,
    retries: { attempts: 1, perTryTimeoutMs: 15000 },
    outlierDetection: {
      consecutive5xxErrors: 5,
      consecutiveGatewayErrors: 3,
      intervalMs: 10000,
      baseEjectionTimeMs: 60000,
      maxEjectionPercent: 100,
    },
    connectionPool: {
      maxConnections: 256,
      http2MaxRequests: 512,
      maxRequestsPerConnection: 0,
      retryBudgetPercent: 10,
      minRetryConcurrency: 2,
    },
  },
};

/** What the traffic policy of one service depends on besides the config. */
export interface TrafficSubject {
  readonly name: string;
  readonly tier: MeshTier;
  /** Whether the service takes writes (commands): then only `SAFE_RETRY_ON` conditions are allowed. */
  readonly writes: boolean;
  /** The fewest pods it runs (its replica floor): at least one of them must be ejectable. */
  readonly minReplicas: number;
}

/** The service's policy: its tier's defaults, the tier's overrides, then the service's. */
export function resolveTraffic(
  subject: TrafficSubject,
  mesh: Pick<MeshConfig, "tiers" | "services">,
): TrafficPolicy {
  const base = TIER_TRAFFIC[subject.tier];
  const layers: TrafficOverride[] = [mesh.tiers[subject.tier] ?? {}, mesh.services[subject.name] ?? {}];
  const pick = <T extends object>(start: T, part: (o: TrafficOverride) => Partial<T> | undefined): T =>
    layers.reduce<T>((acc, o) => ({ ...acc, ...definedOnly(part(o) ?? {}) }), start);
  const retries = pick(
    { ...base.retries, retryOn: [...(subject.writes ? SAFE_RETRY_ON : READ_RETRY_ON)] as readonly string[] },
    (o) => o.retries,
  );
  return {
    timeoutMs: layers.reduce((t, o) => o.timeoutMs ?? t, base.timeoutMs),
    retries,
    outlierDetection: pick(base.outlierDetection, (o) => o.outlierDetection),
    connectionPool: pick(base.connectionPool, (o) => o.connectionPool),
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** How many of `hosts` hosts outlier detection may eject at `percent` (Envoy: while ejected/hosts <= percent). */
export function maxEjections(hosts: number, percent: number): number {
  if (hosts <= 0) return 0;
  return Math.floor((hosts * percent) / 100 + 1e-9);
}

/** Total time all tries may take: the first try and every retry, each up to `perTryTimeoutMs`. */
export function worstCaseTriesMs(
  retries: Pick<TrafficPolicy["retries"], "attempts" | "perTryTimeoutMs">,
): number {
  return (retries.attempts + 1) * retries.perTryTimeoutMs;
}

/**
 * Problems of one resolved policy, at `path` (the key the policy comes from): retries that do not fit the timeout,
 * an ejection percent that ejects nothing at the replica floor, retry conditions Envoy does not know, and, for a
 * service that writes, conditions that would repeat a request the application may have processed.
 */
export function trafficProblems(subject: TrafficSubject, policy: TrafficPolicy, path: string): Problem[] {
  const problems: Problem[] = [];
  const r = policy.retries;
  if (r.attempts > 0 && worstCaseTriesMs(r) > policy.timeoutMs) {
    problems.push({
      path: `${path}.retries`,
      value: { attempts: r.attempts, perTryTimeoutMs: r.perTryTimeoutMs, timeoutMs: policy.timeoutMs },
      rule: `${subject.name}: ${r.attempts + 1} tries x ${r.perTryTimeoutMs} ms = ${worstCaseTriesMs(r)} ms exceed the route timeout of ${policy.timeoutMs} ms, so the last retries never run`,
      fix: "lower attempts or perTryTimeoutMs, or raise timeoutMs",
    });
  }
  const pct = policy.outlierDetection.maxEjectionPercent;
  if (maxEjections(subject.minReplicas, pct) < 1) {
    problems.push({
      path: `${path}.outlierDetection.maxEjectionPercent`,
      value: pct,
      rule: `${subject.name} runs at least ${subject.minReplicas} pod(s): ${pct} % ejects none of them (Envoy ejects only while ejected/hosts <= ${pct} %)`,
      fix: `use at least ${Math.ceil(100 / subject.minReplicas)}`,
    });
  }
  const unknown = r.retryOn.filter((c) => !(SUPPORTED_RETRY_ON as readonly string[]).includes(c));
  if (unknown.length > 0) {
    problems.push({
      path: `${path}.retries.retryOn`,
      value: unknown,
      rule: `must be Envoy retry conditions: ${SUPPORTED_RETRY_ON.join(", ")}`,
    });
  }
  const unsafe = r.retryOn.filter(
    (c) => !(SAFE_RETRY_ON as readonly string[]).includes(c) && !unknown.includes(c),
  );
  if (subject.writes && r.attempts > 0 && unsafe.length > 0) {
    problems.push({
      path: `${path}.retries.retryOn`,
      value: unsafe,
      rule: `${subject.name} takes writes: ${unsafe.join(", ")} retries requests the service may already have processed (a POST repeated)`,
      fix: `retry only on ${SAFE_RETRY_ON.join(", ")}`,
    });
  }
  return problems;
}

/** `3000` → `"3s"`, `250` → `"250ms"` (Istio durations). */
export function duration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
