/**
 * The observability principals of each region, found from what the plan installs, only where those parts exist:
 * the agent and sampler collectors (OpenTelemetryCollector objects), Fluent Bit (its Helm release), Grafana (the
 * kube-prometheus-stack release's grafana, where the region has an AMP workspace), KEDA's operator where a
 * ScaledObject's `prometheus` trigger reads AMP, and the Argo Rollouts controller where an AnalysisTemplate does.
 */
import {
  COLLECTOR_NAMES,
  OBSERVABILITY_RELEASES,
  OBSERVABILITY_SERVICE_ACCOUNTS,
} from "../../../components/observability";
import {
  fluentBitCallChecks,
  otelAgentCallChecks,
  otelSamplerCallChecks,
  promqlReaderCallChecks,
} from "./checks/observability";
import { ROLLOUTS_RELEASE, ROLLOUTS_SERVICE_ACCOUNT } from "../../../components/kubernetes";
import { kedaOperator, releaseRunsAs, type Principal } from "./identity";
import { at, PlanIndex } from "./model";
import type { ClusterScope } from "./types";

const WORKSPACE = "aws:amp/workspace:Workspace";
const RELEASE = "kubernetes:helm.sh/v3:Release";

/** The region's AMP workspace ARN, if it has one. */
function workspaceArn(idx: PlanIndex, scope: ClusterScope, region: string): string | undefined {
  const ws = idx.ofType(WORKSPACE, region)[0];
  if (ws === undefined) return undefined;
  const arn = ws.outputs?.arn;
  return typeof arn === "string"
    ? arn
    : `arn:${scope.partition}:aps:${region}:${scope.accountId}:workspace/${ws.id ?? ws.name}`;
}

function workspaces(idx: PlanIndex, scope: ClusterScope) {
  const own = workspaceArn(idx, scope, scope.region);
  if (own === undefined) return undefined;
  const neighbourWorkspaceArn =
    workspaceArn(idx, scope, scope.neighbour.region) ??
    `arn:${scope.partition}:aps:${scope.neighbour.region}:${scope.accountId}:workspace/ws-neighbour`;
  return { workspaceArn: own, neighbourWorkspaceArn };
}

/** Whether an OpenTelemetryCollector runs its pods as the service account (and the account exists). */
export function collectorRunsAs(
  idx: PlanIndex,
  region: string,
  namespace: string,
  collector: string,
  serviceAccount: string,
): Principal["runsAs"] {
  const c = idx
    .objects(region, "OpenTelemetryCollector", namespace)
    .find((o) => o.metadata.name === collector);
  if (c === undefined) return { ok: false, missing: `no OpenTelemetryCollector ${namespace}/${collector}` };
  const sa = at(c, "spec", "serviceAccount");
  if (sa !== serviceAccount)
    return {
      ok: false,
      missing: `OpenTelemetryCollector ${namespace}/${collector} runs as ${String(sa ?? `${collector}-collector (the operator's default)`)}, not ${serviceAccount}`,
    };
  // The operator creates an account only for a collector that names none.
  return idx.objects(region, "ServiceAccount", namespace).some((o) => o.metadata.name === serviceAccount)
    ? {
        ok: true,
        via: `OpenTelemetryCollector ${namespace}/${collector} as ServiceAccount ${serviceAccount}`,
      }
    : { ok: false, missing: `no ServiceAccount ${namespace}/${serviceAccount}` };
}

function collectorPrincipals(idx: PlanIndex, scope: ClusterScope): Principal[] {
  const region = scope.region;
  const out: Principal[] = [];
  const collectors = idx.objects(region, "OpenTelemetryCollector");
  const agent = collectors.find((c) => c.metadata.name === COLLECTOR_NAMES.agent);
  const ws = workspaces(idx, scope);
  if (agent !== undefined && ws !== undefined) {
    const namespace = agent.metadata.namespace ?? "default";
    const serviceAccount = OBSERVABILITY_SERVICE_ACCOUNTS.otelAgent;
    out.push({
      region,
      namespace,
      serviceAccount,
      runsAs: collectorRunsAs(idx, region, namespace, COLLECTOR_NAMES.agent, serviceAccount),
      checks: otelAgentCallChecks(scope, ws),
    });
  }
  const sampler = collectors.find((c) => c.metadata.name === COLLECTOR_NAMES.sampler);
  if (sampler !== undefined) {
    const namespace = sampler.metadata.namespace ?? "default";
    const serviceAccount = OBSERVABILITY_SERVICE_ACCOUNTS.otelSampler;
    out.push({
      region,
      namespace,
      serviceAccount,
      runsAs: collectorRunsAs(idx, region, namespace, COLLECTOR_NAMES.sampler, serviceAccount),
      checks: otelSamplerCallChecks(scope),
    });
  }
  return out;
}

const fluentBitRelease = (idx: PlanIndex, region: string) =>
  idx.ofType(RELEASE, region).find((r) => r.inputs.name === OBSERVABILITY_RELEASES.fluentBit);

function fluentBitPrincipals(idx: PlanIndex, scope: ClusterScope): Principal[] {
  const release = fluentBitRelease(idx, scope.region);
  if (release === undefined) return [];
  const group = (r: string | undefined) =>
    r === undefined
      ? undefined
      : at(fluentBitRelease(idx, r)?.inputs.values, "cloudWatchLogs", "logGroupName");
  const own = String(group(scope.region) ?? "");
  const neighbour = group(scope.neighbour.region);
  const namespace = String(release.inputs.namespace);
  const serviceAccount = OBSERVABILITY_SERVICE_ACCOUNTS.fluentBit;
  return [
    {
      region: scope.region,
      namespace,
      serviceAccount,
      runsAs: releaseRunsAs(idx, scope.region, OBSERVABILITY_RELEASES.fluentBit, namespace, serviceAccount),
      checks: fluentBitCallChecks(scope, {
        logGroupName: own,
        neighbourLogGroupName:
          typeof neighbour === "string" ? neighbour : own.split(scope.region).join(scope.neighbour.region),
      }),
    },
  ];
}

function readerPrincipals(idx: PlanIndex, scope: ClusterScope): Principal[] {
  const region = scope.region;
  const ws = workspaces(idx, scope);
  if (ws === undefined) return [];
  const out: Principal[] = [];
  const kps = idx
    .ofType(RELEASE, region)
    .find((r) => r.inputs.name === OBSERVABILITY_RELEASES.kubePrometheusStack);
  if (kps !== undefined && at(kps.inputs.values, "grafana", "enabled") !== false) {
    const namespace = String(kps.inputs.namespace);
    const serviceAccount = OBSERVABILITY_SERVICE_ACCOUNTS.grafana;
    out.push({
      region,
      namespace,
      serviceAccount,
      runsAs: releaseRunsAs(
        idx,
        region,
        OBSERVABILITY_RELEASES.kubePrometheusStack,
        namespace,
        serviceAccount,
        ["grafana", "serviceAccount", "name"],
      ),
      checks: promqlReaderCallChecks(scope, ws, "Grafana"),
    });
  }
  // KEDA signs a prometheus trigger's queries with its operator's identity (`awsRegion` + pod identity).
  const readsAmp = idx
    .objects(region, "ScaledObject")
    .some((o) =>
      ((at(o, "spec", "triggers") ?? []) as unknown[]).some(
        (t) =>
          at(t, "type") === "prometheus" &&
          /aps-workspaces\./.test(String(at(t, "metadata", "serverAddress") ?? "")),
      ),
    );
  const kedaInstalled = idx.ofType(RELEASE, region).some((r) => r.inputs.name === "keda");
  if (readsAmp && kedaInstalled) {
    out.push({
      ...kedaOperator(idx, region),
      checks: promqlReaderCallChecks(scope, ws, "KEDA prometheus triggers"),
    });
  }
  // Argo Rollouts runs the analyses and signs their queries with its controller's identity (`authentication.sigv4`).
  const analysesReadAmp = idx
    .objects(region, "AnalysisTemplate")
    .some((o) =>
      ((at(o, "spec", "metrics") ?? []) as unknown[]).some((m) =>
        /aps-workspaces\./.test(String(at(m, "provider", "prometheus", "address") ?? "")),
      ),
    );
  const rollouts = idx.ofType(RELEASE, region).find((r) => r.inputs.name === ROLLOUTS_RELEASE);
  if (analysesReadAmp) {
    const namespace = String(rollouts?.inputs.namespace ?? ROLLOUTS_RELEASE);
    out.push({
      region,
      namespace,
      serviceAccount: ROLLOUTS_SERVICE_ACCOUNT,
      runsAs: releaseRunsAs(idx, region, ROLLOUTS_RELEASE, namespace, ROLLOUTS_SERVICE_ACCOUNT),
      checks: promqlReaderCallChecks(scope, ws, "Argo Rollouts analyses"),
    });
  }
  return out;
}

/** Every observability principal of the plan. */
export function observabilityPrincipals(
  idx: PlanIndex,
  scopeOf: (region: string) => ClusterScope | undefined,
): Principal[] {
  return idx.regions().flatMap((region) => {
    const scope = scopeOf(region);
    if (scope === undefined) return [];
    return [
      ...collectorPrincipals(idx, scope),
      ...fluentBitPrincipals(idx, scope),
      ...readerPrincipals(idx, scope),
    ];
  });
}
