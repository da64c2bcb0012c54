import { identityChecks, type Principal } from "../../cli/plan/wiring/identity";
import { PlanIndex } from "../../cli/plan/wiring/model";
import { observabilityPrincipals } from "../../cli/plan/wiring/observability-principals";
import type { ClusterScope } from "../../cli/plan/wiring/types";
import type { PlannedObject, PlannedResource } from "../../cli/plan/record";

const ACCOUNT = "123456789012";
const REGIONS = ["eu-west-2", "us-east-1"] as const;
const ws = (r: string) => `arn:aws:aps:${r}:${ACCOUNT}:workspace/ws-${r}`;
const group = (r: string) => `/semester/prod/${r}/application`;
const logArn = (r: string, g = group(r)) => `arn:aws:logs:${r}:${ACCOUNT}:log-group:${g}:*`;

let n = 0;
function res(
  type: string,
  name: string,
  region: string,
  inputs: Record<string, unknown>,
  outputs?: Record<string, unknown>,
): PlannedResource {
  n++;
  return {
    type,
    name,
    urn: `urn:${n}:${name}`,
    parent: null,
    region,
    custom: true,
    inputs,
    id: `${name}-id`,
    ...(outputs ? { outputs } : {}),
  };
}
const obj = (
  region: string,
  kind: string,
  name: string,
  namespace: string,
  spec?: unknown,
): PlannedObject => ({
  region,
  object: {
    apiVersion: "v1",
    kind,
    metadata: { name, namespace },
    ...(spec !== undefined ? { spec } : {}),
  } as PlannedObject["object"],
});
const TRUST = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { Service: "pods.eks.amazonaws.com" },
      Action: ["sts:AssumeRole", "sts:TagSession"],
    },
  ],
});

/** A role bound to `ns/sa` in the region's cluster, with one inline policy. */
function bound(region: string, ns: string, sa: string, statements: unknown[]): PlannedResource[] {
  const role = `${region}-${sa}-role`;
  return [
    res(
      "aws:iam/role:Role",
      role,
      region,
      { name: role, assumeRolePolicy: TRUST },
      { arn: `arn:aws:iam::${ACCOUNT}:role/${role}` },
    ),
    res("aws:iam/rolePolicy:RolePolicy", `${role}-policy`, region, {
      role,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
    }),
    res("aws:eks/podIdentityAssociation:PodIdentityAssociation", `${role}-assoc`, region, {
      clusterName: `c-${region}`,
      namespace: ns,
      serviceAccount: sa,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/${role}`,
    }),
  ];
}

type Policies = Partial<Record<"agent" | "sampler" | "fluent" | "grafana" | "keda", unknown[]>>;
const allow = (Action: string | string[], Resource: string | string[], Condition?: unknown) => ({
  Effect: "Allow",
  Action,
  Resource,
  ...(Condition ? { Condition } : {}),
});

/** Both regions fully built; `override` replaces a principal's statements in eu-west-2. */
function plan(override: Policies = {}) {
  const resources: PlannedResource[] = [];
  const objects: PlannedObject[] = [];
  for (const r of REGIONS) {
    const o = r === "eu-west-2" ? override : {};
    resources.push(
      res(
        "aws:eks/cluster:Cluster",
        `c-${r}`,
        r,
        { name: `c-${r}` },
        { arn: `arn:aws:eks:${r}:${ACCOUNT}:cluster/c-${r}` },
      ),
      res("aws:amp/workspace:Workspace", `ws-${r}`, r, {}, { arn: ws(r) }),
      res("kubernetes:helm.sh/v3:Release", `fb-${r}`, r, {
        name: "aws-for-fluent-bit",
        namespace: "observability",
        values: {
          serviceAccount: { create: true, name: "fluent-bit" },
          cloudWatchLogs: { logGroupName: group(r) },
        },
      }),
      res("kubernetes:helm.sh/v3:Release", `kps-${r}`, r, {
        name: "kube-prometheus-stack",
        namespace: "observability",
        values: { grafana: { serviceAccount: { name: "grafana" } } },
      }),
      res("kubernetes:helm.sh/v3:Release", `keda-${r}`, r, {
        name: "keda",
        namespace: "keda",
        values: { serviceAccount: { operator: { name: "keda-operator" } } },
      }),
      ...bound(r, "observability", "otel-agent", o.agent ?? [allow("aps:RemoteWrite", ws(r))]),
      ...bound(
        r,
        "observability",
        "otel-sampler",
        o.sampler ?? [allow("xray:PutSpans", "*", { StringEquals: { "aws:RequestedRegion": r } })],
      ),
      ...bound(
        r,
        "observability",
        "fluent-bit",
        o.fluent ?? [allow(["logs:PutLogEvents", "logs:CreateLogStream"], logArn(r))],
      ),
      ...bound(r, "observability", "grafana", o.grafana ?? [allow("aps:QueryMetrics", ws(r))]),
      ...bound(r, "keda", "keda-operator", o.keda ?? [allow("aps:QueryMetrics", ws(r))]),
    );
    objects.push(
      obj(r, "OpenTelemetryCollector", "otel-agent", "observability", { serviceAccount: "otel-agent" }),
      obj(r, "OpenTelemetryCollector", "otel-sampler", "observability", { serviceAccount: "otel-sampler" }),
      obj(r, "ServiceAccount", "otel-agent", "observability"),
      obj(r, "ServiceAccount", "otel-sampler", "observability"),
      obj(r, "ScaledObject", "course-catalog", "learning", {
        triggers: [
          {
            type: "prometheus",
            metadata: {
              serverAddress: `https://aps-workspaces.${r}.amazonaws.com/workspaces/ws-${r}`,
              query: "up",
            },
          },
        ],
      }),
    );
  }
  return { resources, objects };
}

const scopeOf = (region: string): ClusterScope => {
  const other = REGIONS.find((r) => r !== region)!;
  return {
    partition: "aws",
    accountId: ACCOUNT,
    region,
    clusterName: `c-${region}`,
    vpcId: `vpc-${region}`,
    neighbour: { region: other, clusterName: `c-${other}`, vpcId: `vpc-${other}` },
  };
};

function analyse(input: ReturnType<typeof plan>) {
  const idx = new PlanIndex(input);
  const principals: Principal[] = observabilityPrincipals(idx, scopeOf);
  return { principals, ...identityChecks(idx, principals) };
}
const euFindings = (override: Policies) =>
  analyse(plan(override))
    .findings.filter((f) => f.region === "eu-west-2")
    .map((f) => `${f.subject} → ${f.path}: ${f.missing}`);

describe("observability identities", () => {
  it("finds the five principals per region and proves each allowed call and each denied neighbour", () => {
    const { principals, proven, findings } = analyse(plan());
    expect(findings).toEqual([]);
    expect(
      principals.filter((p) => p.region === "eu-west-2").map((p) => `${p.namespace}/${p.serviceAccount}`),
    ).toEqual([
      "observability/otel-agent",
      "observability/otel-sampler",
      "observability/fluent-bit",
      "observability/grafana",
      "keda/keda-operator",
    ]);
    expect(proven.filter((p) => p.region === "eu-west-2").map((p) => `${p.subject} ${p.path}`)).toEqual([
      `eu-west-2/observability/otel-agent aps:RemoteWrite on ${ws("eu-west-2")} (remote-write application metrics)`,
      `eu-west-2/observability/otel-agent not aps:RemoteWrite on ${ws("us-east-1")} (another region's workspace (us-east-1))`,
      "eu-west-2/observability/otel-sampler xray:PutSpans on * (export sampled traces to X-Ray's OTLP endpoint)",
      "eu-west-2/observability/otel-sampler not xray:PutSpans on * (X-Ray's OTLP endpoint in another region (us-east-1))",
      `eu-west-2/observability/fluent-bit logs:PutLogEvents on arn:aws:logs:eu-west-2:${ACCOUNT}:log-group:${group("eu-west-2")}:log-stream:fluent-bit-check (write container logs)`,
      `eu-west-2/observability/fluent-bit not logs:PutLogEvents on arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${group("us-east-1")}:log-stream:fluent-bit-check (another region's log group (us-east-1))`,
      `eu-west-2/observability/fluent-bit not logs:PutLogEvents on arn:aws:logs:eu-west-2:${ACCOUNT}:log-group:/aws/eks/c-eu-west-2/cluster:log-stream:fluent-bit-check (the cluster's control-plane log group)`,
      `eu-west-2/observability/grafana aps:QueryMetrics on ${ws("eu-west-2")} (Grafana: query the region's metrics)`,
      `eu-west-2/observability/grafana not aps:QueryMetrics on ${ws("us-east-1")} (another region's workspace (us-east-1))`,
      `eu-west-2/keda/keda-operator aps:QueryMetrics on ${ws("eu-west-2")} (KEDA prometheus triggers: query the region's metrics)`,
      `eu-west-2/keda/keda-operator not aps:QueryMetrics on ${ws("us-east-1")} (another region's workspace (us-east-1))`,
    ]);
  });

  it("otel-agent: a finding when it cannot remote-write to its workspace, and when it can write to another region's", () => {
    expect(euFindings({ agent: [allow("aps:QueryMetrics", ws("eu-west-2"))] })).toEqual([
      `eu-west-2/observability/otel-agent → aps:RemoteWrite on ${ws("eu-west-2")} (remote-write application metrics): role eu-west-2-otel-agent-role does not allow it (implicit-deny)`,
    ]);
    expect(
      euFindings({ agent: [allow("aps:RemoteWrite", "arn:aws:aps:*:123456789012:workspace/*")] }),
    ).toEqual([
      `eu-west-2/observability/otel-agent → not aps:RemoteWrite on ${ws("us-east-1")} (another region's workspace (us-east-1)): role eu-west-2-otel-agent-role allows it (eu-west-2-otel-agent-role-policy#0)`,
    ]);
  });

  it("otel-sampler: PutSpans allowed in its region, denied when unscoped to it", () => {
    expect(euFindings({ sampler: [allow("xray:PutTraceSegments", "*")] })[0]).toMatch(
      /otel-sampler → xray:PutSpans on \* \(export sampled traces to X-Ray's OTLP endpoint\): role .* does not allow it/,
    );
    expect(euFindings({ sampler: [allow("xray:PutSpans", "*")] })).toEqual([
      expect.stringMatching(
        /otel-sampler → not xray:PutSpans on \* \(X-Ray's OTLP endpoint in another region \(us-east-1\)\): role .* allows it/,
      ),
    ]);
  });

  it("fluent-bit: its region's application log group allowed, another region's and the control plane's denied", () => {
    expect(euFindings({ fluent: [allow("logs:PutLogEvents", logArn("us-east-1"))] })).toEqual([
      expect.stringMatching(
        /fluent-bit → logs:PutLogEvents on .*eu-west-2.* \(write container logs\): role .* does not allow it/,
      ),
      expect.stringMatching(
        /fluent-bit → not logs:PutLogEvents on .*us-east-1.* \(another region's log group \(us-east-1\)\): role .* allows it/,
      ),
    ]);
    expect(
      euFindings({ fluent: [allow("logs:PutLogEvents", "arn:aws:logs:eu-west-2:123456789012:log-group:*")] }),
    ).toEqual([
      expect.stringMatching(
        /fluent-bit → not logs:PutLogEvents on .*\/aws\/eks\/c-eu-west-2\/cluster.*: role .* allows it/,
      ),
    ]);
  });

  it("grafana and keda-operator: QueryMetrics on the own workspace, not on another region's", () => {
    expect(
      euFindings({
        grafana: [allow("aps:QueryMetrics", "*")],
        keda: [allow("aps:RemoteWrite", ws("eu-west-2"))],
      }),
    ).toEqual([
      expect.stringMatching(
        /^eu-west-2\/observability\/grafana → not aps:QueryMetrics on .*us-east-1.* allows it/,
      ),
      expect.stringMatching(/^eu-west-2\/keda\/keda-operator → aps:QueryMetrics on .* does not allow it/),
    ]);
  });

  it("a collector running as the operator's default account is a finding on its workload", () => {
    const p = plan();
    const objects = p.objects.map((o) =>
      o.region === "eu-west-2" &&
      o.object.metadata.name === "otel-agent" &&
      o.object.kind === "OpenTelemetryCollector"
        ? { ...o, object: { ...o.object, spec: {} } }
        : o,
    );
    expect(analyse({ ...p, objects }).findings.map((f) => `${f.subject} → ${f.path}: ${f.missing}`)).toEqual([
      "eu-west-2/observability/otel-agent → its workload: OpenTelemetryCollector observability/otel-agent runs as otel-agent-collector (the operator's default), not otel-agent",
    ]);
  });

  it("finds no principal where the parts do not exist", () => {
    const bare = {
      resources: plan().resources.filter((r) => r.type === "aws:eks/cluster:Cluster"),
      objects: [],
    };
    expect(analyse(bare).principals).toEqual([]);
  });
});
