/**
 * The AnalysisTemplate of one service: its SLO (error ratio, and the share of requests within the latency
 * threshold) measured on the pods under test only, on the region's PromQL endpoint. Pure.
 *
 * The pods under test are told apart by `rollouts_pod_template_hash`: Argo Rollouts labels every pod of a
 * ReplicaSet `rollouts-pod-template-hash`, the collector's agent copies that pod label onto every data point
 * (components/observability/collectors), and the step passes the new ReplicaSet's hash as the argument
 * `canary-hash` (`valueFrom.podTemplateHashValue: Latest`).
 *
 * Argo behaviour relied on (argo-rollouts v1.9 docs "Analysis & Progressive Delivery" and the Prometheus
 * provider): a measurement that meets neither `successCondition` nor `failureCondition` is Inconclusive; more
 * than `inconclusiveLimit` of them pause the rollout; more than `failureLimit` failed ones fail the run, which
 * aborts the rollout (traffic back to stable, canary scaled down). A vector result is `result` as a list of
 * numbers; `authentication.sigv4` signs with the controller's AWS credentials (Pod Identity here).
 */
import {
  ERROR_STATUS_REGEX,
  HTTP_SERVER_DURATION_BUCKET,
  HTTP_SERVER_DURATION_COUNT,
  TELEMETRY_LABELS,
  bucketLabel,
} from "../../telemetry";
import type { KubeObject } from "../../core";
import type { DeliveryAnalysisConfig } from "./config";
import { analysisTemplateName, CANARY_HASH_ARG } from "./strategy";

/** A service's objective, as `resolveObjective` gives it. */
export interface DeliveryObjective {
  readonly availability: number;
  readonly latencyMs: number;
  readonly latencyTarget: number;
}

/** Where the analysis reads from. */
export interface AnalysisEndpoint {
  /** Prometheus HTTP API root (a late-bound token in the rendered charts). */
  readonly address: string;
  /** Sign with SigV4 for this region (AMP). @default none */
  readonly sigv4Region?: string;
}

export interface AnalysisTemplateArgs {
  readonly service: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly objective: DeliveryObjective;
  readonly analysis: DeliveryAnalysisConfig;
  readonly endpoint: AnalysisEndpoint;
}

/** The thresholds a measurement must keep: error ratio at most, fast-request share at least. */
export function analysisThresholds(
  objective: DeliveryObjective,
  maxBurnRate: number,
): { readonly maxErrorRatio: number; readonly minFastRatio: number } {
  const round = (x: number) => Math.round(x * 1e9) / 1e9;
  return {
    maxErrorRatio: round(Math.min(1, maxBurnRate * (1 - objective.availability))),
    minFastRatio: round(Math.max(0, 1 - maxBurnRate * (1 - objective.latencyTarget))),
  };
}

/** The label matchers of the service's pods under test. */
function underTest(service: string, extra = ""): string {
  return `${TELEMETRY_LABELS.service}="${service}",${TELEMETRY_LABELS.podTemplateHash}="{{args.${CANARY_HASH_ARG}}}"${extra}`;
}

/** Keeps `ratio` only when the pods under test served at least `min` requests in `window`. */
function whenBusy(ratio: string, service: string, window: string, min: number): string {
  return `(${ratio}) and on() (sum(increase(${HTTP_SERVER_DURATION_COUNT}{${underTest(service)}}[${window}])) >= ${min})`;
}

/** The error ratio of the pods under test, empty below `min` requests. */
export function canaryErrorRatioQuery(service: string, window: string, min: number): string {
  const errors = `sum(rate(${HTTP_SERVER_DURATION_COUNT}{${underTest(service, `,${TELEMETRY_LABELS.statusCode}=~"${ERROR_STATUS_REGEX}"`)}}[${window}]))`;
  const total = `sum(rate(${HTTP_SERVER_DURATION_COUNT}{${underTest(service)}}[${window}]))`;
  // No 5xx series at all is a ratio of 0, not an empty result.
  return whenBusy(`(${errors} or vector(0)) / ${total}`, service, window, min);
}

/** The share of the pods under test's requests answered within `seconds`, empty below `min` requests. */
export function canaryFastRatioQuery(service: string, seconds: number, window: string, min: number): string {
  const fast = `sum(rate(${HTTP_SERVER_DURATION_BUCKET}{${underTest(service, `,${TELEMETRY_LABELS.le}="${bucketLabel(seconds)}"`)}}[${window}]))`;
  const total = `sum(rate(${HTTP_SERVER_DURATION_COUNT}{${underTest(service)}}[${window}]))`;
  return whenBusy(`${fast} / ${total}`, service, window, min);
}

/** The AnalysisTemplate object. */
export function analysisTemplate(args: AnalysisTemplateArgs): KubeObject {
  const { service, analysis, endpoint } = args;
  const { maxErrorRatio, minFastRatio } = analysisThresholds(args.objective, analysis.maxBurnRate);
  const seconds = Math.round(args.objective.latencyMs * 1000) / 1e6;
  const provider = (query: string) => ({
    prometheus: {
      address: endpoint.address,
      query,
      ...(endpoint.sigv4Region !== undefined
        ? { authentication: { sigv4: { region: endpoint.sigv4Region } } }
        : {}),
    },
  });
  const common = {
    interval: analysis.interval,
    count: analysis.count,
    failureLimit: analysis.failureLimit,
    inconclusiveLimit: analysis.inconclusiveLimit,
    // An endpoint that keeps erroring fails the run (and so aborts) rather than waiting forever.
    consecutiveErrorLimit: 3,
  };
  // Empty result (too few requests) meets neither condition: inconclusive.
  const has = "len(result) > 0";
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AnalysisTemplate",
    metadata: { name: analysisTemplateName(service), namespace: args.namespace, labels: { ...args.labels } },
    spec: {
      args: [{ name: CANARY_HASH_ARG }],
      metrics: [
        {
          name: "error-ratio",
          ...common,
          successCondition: `${has} && result[0] <= ${maxErrorRatio}`,
          failureCondition: `${has} && result[0] > ${maxErrorRatio}`,
          provider: provider(canaryErrorRatioQuery(service, analysis.window, analysis.minRequests)),
        },
        {
          name: "latency",
          ...common,
          successCondition: `${has} && result[0] >= ${minFastRatio}`,
          failureCondition: `${has} && result[0] < ${minFastRatio}`,
          provider: provider(canaryFastRatioQuery(service, seconds, analysis.window, analysis.minRequests)),
        },
      ],
    },
  };
}
