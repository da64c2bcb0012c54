/**
 * GameDays in the plan, proved link by link for every FIS experiment template: it has a stop condition on a
 * CloudWatch alarm the plan creates; its role trusts FIS and allows each action's call on this cluster's resources
 * and not on the neighbour's; its log group exists and is KMS-encrypted; for pod faults, the role is mapped to the
 * Kubernetes user its RoleBinding names, in the target namespace, with the documented verbs, for the service account
 * the action runs as. For every EventBridge Scheduler schedule: its role trusts Scheduler and may start its template
 * and no other, and its instant keeps clear of the calendar's busy spans and the practice runs.
 */
import {
  deniedAfterExceptions,
  fisPodUser,
  FIS_SERVICE_ACCOUNT,
  slotConflict,
  withFisEphemeralContainer,
  type SlotConstraints,
} from "../../../components/chaos";
import type { KubeObject } from "../../../components/core";
import type { GovernanceConfig } from "../../../components/governance";
import { evaluate, type LabelledPolicy } from "./iam";
import { at, type PlanIndex } from "./model";
import { roleInlinePolicies } from "./identity";
import { clusterScope } from "./principals";
import type { ProvenPath, WiringFinding, ClusterScope } from "./types";

const TEMPLATE = "aws:fis/experimentTemplate:ExperimentTemplate";
const SCHEDULE = "aws:scheduler/schedule:Schedule";
const ALARMS = ["aws:cloudwatch/metricAlarm:MetricAlarm", "aws:cloudwatch/compositeAlarm:CompositeAlarm"];

/** What the schedule checks compare against (from the plan's calendar). */
export interface GameDayContext {
  /** Constraints per region (busy spans, practice runs, margin, horizon). */
  readonly constraints: Readonly<Record<string, SlotConstraints>>;
  /** The stack's governance, to replay FIS's ephemeral containers through the rules and the exceptions. */
  readonly governance?: GovernanceConfig;
}

type Json = Record<string, unknown>;
const list = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

function rolePolicies(
  idx: PlanIndex,
  roleArn: unknown,
): { role?: ReturnType<PlanIndex["find"]>; policies: LabelledPolicy[] } {
  const role = idx.find("aws:iam/role:Role", roleArn);
  if (role === undefined) return { policies: [] };
  return { role, policies: roleInlinePolicies(idx, role) };
}

function trusts(role: NonNullable<ReturnType<PlanIndex["find"]>>, service: string): boolean {
  const doc = JSON.parse(String(role.inputs.assumeRolePolicy ?? "{}")) as { Statement?: unknown };
  return list(doc.Statement).some(
    (s) => at(s, "Effect") === "Allow" && at(s, "Principal", "Service") === service,
  );
}

/** The calls one FIS action makes, with the neighbour each must not reach. */
function actionCalls(
  action: Json,
  target: Json | undefined,
  s: ClusterScope,
): {
  why: string;
  action: string;
  resource: string;
  context?: Record<string, string>;
  expect: "allow" | "deny";
}[] {
  const ec2 = (region: string, r: string) => `arn:${s.partition}:ec2:${region}:${s.accountId}:${r}`;
  const id = String(action.actionId);
  const eksArn = (region: string, name: string) =>
    `arn:${s.partition}:eks:${region}:${s.accountId}:cluster/${name}`;
  if (id.startsWith("aws:eks:pod-"))
    return [
      {
        why: "find the target cluster",
        action: "eks:DescribeCluster",
        resource: eksArn(s.region, s.clusterName),
        expect: "allow",
      },
      {
        why: "another cluster",
        action: "eks:DescribeCluster",
        resource: eksArn(s.neighbour.region, s.neighbour.clusterName),
        expect: "deny",
      },
    ];
  if (id === "aws:ec2:terminate-instances") {
    const tags = (c: string) => ({
      "aws:ResourceTag/eks:eks-cluster-name": c,
      "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "default",
    });
    return [
      {
        why: "terminate a Karpenter node",
        action: "ec2:TerminateInstances",
        resource: ec2(s.region, "instance/i-0aaaaaaaaaaaaaaaa"),
        context: tags(s.clusterName),
        expect: "allow",
      },
      {
        why: "another cluster's node",
        action: "ec2:TerminateInstances",
        resource: ec2(s.region, "instance/i-0bbbbbbbbbbbbbbbb"),
        context: tags(s.neighbour.clusterName),
        expect: "deny",
      },
    ];
  }
  if (id === "aws:ec2:stop-instances") {
    const tags = (c: string) => ({ [`aws:ResourceTag/kubernetes.io/cluster/${c}`]: "owned" });
    return [
      {
        why: "stop a node of the zone",
        action: "ec2:StopInstances",
        resource: ec2(s.region, "instance/i-0aaaaaaaaaaaaaaaa"),
        context: tags(s.clusterName),
        expect: "allow",
      },
      {
        why: "restart it",
        action: "ec2:StartInstances",
        resource: ec2(s.region, "instance/i-0aaaaaaaaaaaaaaaa"),
        context: tags(s.clusterName),
        expect: "allow",
      },
      {
        why: "another cluster's node",
        action: "ec2:StopInstances",
        resource: ec2(s.region, "instance/i-0bbbbbbbbbbbbbbbb"),
        context: tags(s.neighbour.clusterName),
        expect: "deny",
      },
    ];
  }
  if (id === "aws:network:disrupt-connectivity")
    return [
      {
        why: "swap a zone subnet's ACL",
        action: "ec2:ReplaceNetworkAclAssociation",
        resource: ec2(s.region, "subnet/subnet-0aaaaaaaaaaaaaaaa"),
        context: { "ec2:Vpc": ec2(s.region, `vpc/${s.vpcId}`) },
        expect: "allow",
      },
      {
        why: "another VPC's subnet",
        action: "ec2:ReplaceNetworkAclAssociation",
        resource: ec2(s.region, "subnet/subnet-0bbbbbbbbbbbbbbbb"),
        context: { "ec2:Vpc": ec2(s.region, `vpc/${s.neighbour.vpcId}`) },
        expect: "deny",
      },
    ];
  const arns = list(target ? [target] : []).flatMap((t) =>
    Array.isArray(t.resourceArns) ? (t.resourceArns as string[]) : [],
  );
  if (id === "aws:rds:failover-db-cluster")
    return arns.map((arn) => ({
      why: "fail Aurora over",
      action: "rds:FailoverDBCluster",
      resource: arn,
      expect: "allow" as const,
    }));
  if (id === "aws:elasticache:replicationgroup-interrupt-az-power")
    return arns.map((arn) => ({
      why: "power Redis off in the zone",
      action: "elasticache:InterruptClusterAzPower",
      resource: arn,
      expect: "allow" as const,
    }));
  return [];
}

/** The Kubernetes links of a pod fault: access entry → user → RoleBinding → Role verbs, and the service account. */
function podFaultLinks(
  idx: PlanIndex,
  region: string,
  roleArn: string,
  namespace: string,
  serviceAccount: string,
): string[] | string {
  const entry = idx
    .ofType("aws:eks/accessEntry:AccessEntry", region)
    .find((e) => e.inputs.principalArn === roleArn);
  if (entry === undefined) return `no EKS access entry maps role ${roleArn} into the cluster`;
  const user = String(entry.inputs.userName ?? "");
  if (user === "") return `access entry ${entry.name} names no Kubernetes user`;
  const bindings = idx.objects(region, "RoleBinding", namespace);
  const binding = bindings.find((b) =>
    list(at(b, "subjects")).some((s) => s.kind === "User" && s.name === user),
  );
  if (binding === undefined) return `no RoleBinding in ${namespace} binds user ${user}`;
  if (!list(at(binding, "subjects")).some((s) => s.kind === "ServiceAccount" && s.name === serviceAccount))
    return `RoleBinding ${namespace}/${binding.metadata.name} does not bind service account ${serviceAccount}`;
  const role = idx
    .objects(region, "Role", namespace)
    .find((r) => r.metadata.name === at(binding, "roleRef", "name"));
  if (role === undefined)
    return `RoleBinding ${namespace}/${binding.metadata.name} names a Role the plan does not create`;
  const grants = (resource: string, verb: string) =>
    list(at(role, "rules")).some(
      (r) =>
        (r.resources as string[] | undefined)?.includes(resource) &&
        (r.verbs as string[] | undefined)?.includes(verb),
    );
  for (const [resource, verb] of [
    ["pods", "create"],
    ["pods", "delete"],
    ["pods/ephemeralcontainers", "update"],
    ["pods/exec", "create"],
    ["configmaps", "create"],
  ] as const)
    if (!grants(resource, verb))
      return `Role ${namespace}/${role.metadata.name} does not grant ${verb} on ${resource}`;
  if (!idx.objects(region, "ServiceAccount", namespace).some((o) => o.metadata.name === serviceAccount))
    return `no ServiceAccount ${namespace}/${serviceAccount}`;
  return [
    entry.name,
    `user ${user}`,
    `RoleBinding ${namespace}/${binding.metadata.name}`,
    `Role ${namespace}/${role.metadata.name}`,
    `ServiceAccount ${namespace}/${serviceAccount}`,
  ];
}

function templateChecks(idx: PlanIndex, proven: ProvenPath[], findings: WiringFinding[]): void {
  const alarmArns = new Set(ALARMS.flatMap((t) => idx.ofType(t)).map((a) => String(a.outputs?.arn ?? "")));
  for (const t of idx.ofType(TEMPLATE)) {
    const region = t.region ?? "unknown";
    const subject = `${region}/fis/${t.name}`;
    const base = { kind: "identity" as const, region, subject };
    const stops = list(t.inputs.stopConditions);
    const alarm = stops.find((s) => s.source === "aws:cloudwatch:alarm" && alarmArns.has(String(s.value)));
    if (stops.length === 0 || stops.some((s) => s.source === "none"))
      findings.push({
        ...base,
        path: "its stop condition",
        missing:
          "the experiment has no stop condition (a GameDay must stop on the region's SLO burn-rate alarm)",
      });
    else if (alarm === undefined)
      findings.push({
        ...base,
        path: "its stop condition",
        missing: `no CloudWatch alarm of the plan is named by ${JSON.stringify(stops.map((s) => s.value))}`,
      });
    else proven.push({ ...base, path: "its stop condition", via: [String(alarm.value)] });

    const logArn = String(
      at(t.inputs.logConfiguration, "cloudwatchLogsConfiguration", "logGroupArn") ?? "",
    ).replace(/:\*$/, "");
    const logGroup = idx.ofType("aws:cloudwatch/logGroup:LogGroup").find((g) => g.outputs?.arn === logArn);
    if (logGroup === undefined)
      findings.push({ ...base, path: "its log group", missing: `no log group ${logArn || "configured"}` });
    else if (logGroup.inputs.kmsKeyId === undefined)
      findings.push({
        ...base,
        path: "its log group",
        missing: `log group ${logGroup.name} is not KMS-encrypted`,
      });
    else
      proven.push({ ...base, path: "its log group", via: [logGroup.name, String(logGroup.inputs.kmsKeyId)] });

    const { role, policies } = rolePolicies(idx, t.inputs.roleArn);
    const scope = clusterScope(idx, region);
    if (role === undefined || !trusts(role, "fis.amazonaws.com")) {
      findings.push({
        ...base,
        path: "its role",
        missing: `role ${String(t.inputs.roleArn)} is not in the plan or does not trust fis.amazonaws.com`,
      });
      continue;
    }
    if (scope === undefined) continue;
    const targets = list(t.inputs.targets);
    for (const action of list(t.inputs.actions)) {
      const target = targets.find((x) => x.name === at(action, "target", "value"));
      for (const call of actionCalls(action, target, scope)) {
        const result = evaluate(policies, {
          action: call.action,
          resource: call.resource,
          ...(call.context ? { context: call.context } : {}),
        });
        const path = `${call.expect === "allow" ? "" : "not "}${call.action} on ${call.resource} (${String(action.name)}: ${call.why})`;
        const ok = call.expect === "allow" ? result.decision === "allow" : result.decision !== "allow";
        if (ok) proven.push({ ...base, path, via: [role.name, ...result.decidedBy] });
        else
          findings.push({
            ...base,
            path,
            missing: `role ${role.name} ${call.expect === "allow" ? "does not allow" : "allows"} it`,
          });
      }
      if (String(action.actionId).startsWith("aws:eks:pod-") && target !== undefined) {
        const params = list(action.parameters);
        const sa = String(params.find((p) => p.key === "kubernetesServiceAccount")?.value ?? "");
        const namespace = String(at(target, "parameters", "namespace") ?? "");
        const links = podFaultLinks(
          idx,
          region,
          String(role.outputs?.arn ?? t.inputs.roleArn),
          namespace,
          sa,
        );
        const path = `Kubernetes access for ${String(action.name)} in ${namespace}`;
        if (typeof links === "string") findings.push({ ...base, path, missing: links });
        else proven.push({ ...base, path, via: links });
      }
    }
  }
}

function scheduleChecks(
  idx: PlanIndex,
  context: GameDayContext | undefined,
  proven: ProvenPath[],
  findings: WiringFinding[],
): void {
  for (const s of idx.ofType(SCHEDULE)) {
    const region = s.region ?? "unknown";
    const subject = `${region}/scheduler/${s.name}`;
    const base = { kind: "identity" as const, region, subject };
    const scope = clusterScope(idx, region);
    const { role, policies } = rolePolicies(idx, at(s.inputs.target, "roleArn"));
    const input = JSON.parse(String(at(s.inputs.target, "input") ?? "{}")) as {
      ExperimentTemplateId?: string;
    };
    const template = idx.ofType(TEMPLATE, region).find((t) => t.id === input.ExperimentTemplateId);
    if (
      role === undefined ||
      !trusts(role, "scheduler.amazonaws.com") ||
      template === undefined ||
      scope === undefined
    ) {
      findings.push({
        ...base,
        path: "its target",
        missing:
          "no scheduler role trusting scheduler.amazonaws.com, or no FIS template with the id it starts",
      });
      continue;
    }
    const tpl = (id: string) =>
      `arn:${scope.partition}:fis:${region}:${scope.accountId}:experiment-template/${id}`;
    for (const [resource, expect, why] of [
      [tpl(String(template.id)), "allow", "start its GameDay"],
      [
        `arn:${scope.partition}:fis:${region}:${scope.accountId}:experiment/EXP0000`,
        "allow",
        "the experiment it creates",
      ],
      [tpl("EXTneighbour00000"), "deny", "another experiment template"],
    ] as const) {
      const r = evaluate(policies, { action: "fis:StartExperiment", resource });
      const path = `${expect === "allow" ? "" : "not "}fis:StartExperiment on ${resource} (${why})`;
      if ((expect === "allow") === (r.decision === "allow"))
        proven.push({ ...base, path, via: [role.name, ...r.decidedBy] });
      else
        findings.push({
          ...base,
          path,
          missing: `role ${role.name} ${expect === "allow" ? "does not allow" : "allows"} it`,
        });
    }
    const c = context?.constraints[region];
    const m = /^at\((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\)$/.exec(String(s.inputs.scheduleExpression));
    const range = /\((\S+Z)\.\.(\S+Z)\)/.exec(String(s.inputs.description ?? ""));
    if (c !== undefined && m !== null) {
      const start = Date.parse(`${m[1]}Z`);
      // The run lasts what its description says, from whenever the expression starts it.
      const end = start + (range !== null ? Date.parse(range[2]!) - Date.parse(range[1]!) : 0);
      const conflict = slotConflict(start, end, c);
      const path = `its instant ${m[1]}Z clear of calendar windows and practice runs`;
      if (conflict === undefined)
        proven.push({
          ...base,
          kind: "dependency",
          path,
          via: ["busy spans of the calendar", "practice-run windows"],
        });
      else findings.push({ ...base, kind: "dependency", path, missing: `it would run ${conflict}` });
    }
  }
}

/**
 * Governance agrees with FIS: the ephemeral container a network fault injects into a target pod is admitted for
 * FIS's service account (every policy it breaks is lifted by an exception) and denied for anyone else.
 */
function admissionChecks(
  idx: PlanIndex,
  governance: GovernanceConfig,
  proven: ProvenPath[],
  findings: WiringFinding[],
): void {
  for (const t of idx.ofType(TEMPLATE)) {
    const region = t.region ?? "unknown";
    const actions = list(t.inputs.actions).filter((a) => a.actionId === "aws:eks:pod-network-latency");
    if (actions.length === 0) continue;
    const objects = idx.objects(region);
    const exceptions = objects.filter((o) => o.kind === "PolicyException");
    const policyNames = objects.filter((o) => o.kind === "ValidatingPolicy").map((o) => o.metadata.name);
    for (const target of list(t.inputs.targets).filter((x) => x.resourceType === "aws:eks:pod")) {
      const namespace = String(at(target, "parameters", "namespace"));
      const service = String(at(target, "parameters", "selectorValue")).split("=")[1] ?? "";
      const workload = objects.find(
        (o) =>
          ["Deployment", "Rollout"].includes(o.kind) &&
          o.metadata.namespace === namespace &&
          o.metadata.name === service,
      );
      const subject = `${region}/fis/${t.name}`;
      const path = `admission of FIS's ephemeral container into ${namespace}/${service}`;
      const base = { kind: "dependency" as const, region, subject, path };
      if (workload === undefined) {
        findings.push({ ...base, missing: `no workload ${namespace}/${service} to inject into` });
        continue;
      }
      const pod = withFisEphemeralContainer({
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          name: `${service}-target`,
          namespace,
          labels: at(workload, "spec", "template", "metadata", "labels") as Record<string, string>,
        },
        spec: at(workload, "spec", "template", "spec"),
      } as KubeObject);
      const request = (username: string) => ({
        username,
        operation: "UPDATE" as const,
        subResource: "ephemeralcontainers",
        namespace,
      });
      const fis = deniedAfterExceptions(
        pod,
        request(fisPodUser(namespace)),
        exceptions,
        governance,
        policyNames,
      );
      const other = deniedAfterExceptions(
        pod,
        request(`system:serviceaccount:${namespace}:default`),
        exceptions,
        governance,
        policyNames,
      );
      if (fis.length > 0)
        findings.push({
          ...base,
          missing: `governance denies it for ${FIS_SERVICE_ACCOUNT}: ${fis.join("; ")}`,
        });
      else if (other.length === 0)
        findings.push({
          ...base,
          missing: "the exception is too broad: governance admits the same container for any service account",
        });
      else
        proven.push({
          ...base,
          via: [
            ...exceptions.map((e) => `PolicyException ${e.metadata.name}`),
            `denied for others (${other.length} violations)`,
          ],
        });
    }
  }
}

/** Every GameDay link of the plan. */
export function chaosChecks(
  idx: PlanIndex,
  context?: GameDayContext,
): { proven: ProvenPath[]; findings: WiringFinding[] } {
  const proven: ProvenPath[] = [];
  const findings: WiringFinding[] = [];
  templateChecks(idx, proven, findings);
  scheduleChecks(idx, context, proven, findings);
  if (context?.governance !== undefined) admissionChecks(idx, context.governance, proven, findings);
  return { proven, findings };
}
