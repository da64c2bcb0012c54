/**
 * The identity half of the analysis: a principal (a service account in a region's cluster) runs with an IAM
 * role only if the whole chain exists in the plan: an EKS Pod Identity association for exactly that namespace and
 * service account on that cluster (a `PodIdentityAssociation` or an EKS add-on's `podIdentityAssociations`), a
 * role with that ARN trusting `pods.eks.amazonaws.com` for `sts:AssumeRole` and `sts:TagSession`, and the role's
 * policies. The policies are then evaluated (`./iam`) against the calls the principal must make (each must be
 * allowed) and its obvious neighbours (each must be denied).
 */
import { evaluate, policyProblems, type LabelledPolicy } from "./iam";
import { at, field, PlanIndex } from "./model";
import type { CallCheck, ProvenPath, WiringFinding } from "./types";

/** A principal and what it must be able to do. */
export interface Principal {
  readonly region: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Its checks; built once the principal's role is resolved (some need the role's own ARN). */
  readonly checks: readonly CallCheck[];
  /** Links outside IAM the principal needs (its workload runs as the service account), already decided. */
  readonly runsAs?:
    { readonly ok: true; readonly via: string } | { readonly ok: false; readonly missing: string };
}

export interface ResolvedRole {
  readonly association: string;
  readonly roleName: string;
  readonly roleArn: string;
  readonly policies: readonly LabelledPolicy[];
  /** Managed policies the analysis has no document for (AWS-managed): their calls are not evaluated. */
  readonly opaque: readonly string[];
}

const TRUST_ACTIONS = ["sts:AssumeRole", "sts:TagSession"];

/** The role a service account assumes in a region's cluster, or what is missing on the way. */
export function resolveRole(
  idx: PlanIndex,
  region: string,
  namespace: string,
  serviceAccount: string,
): ResolvedRole | { missing: string } {
  const eks = idx.ofType("aws:eks/cluster:Cluster", region)[0];
  const clusterName = eks ? field(eks, "name") : undefined;
  const direct = idx
    .ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation", region)
    .find(
      (a) =>
        a.inputs.clusterName === clusterName &&
        a.inputs.namespace === namespace &&
        a.inputs.serviceAccount === serviceAccount,
    );
  // EKS add-ons associate their own service accounts, in kube-system.
  const viaAddon =
    namespace === "kube-system"
      ? idx
          .ofType("aws:eks/addon:Addon", region)
          .flatMap((addon) =>
            ((addon.inputs.podIdentityAssociations ?? []) as Record<string, unknown>[]).map((p) => ({
              addon,
              p,
            })),
          )
          .find(({ p }) => p.serviceAccount === serviceAccount)
      : undefined;
  const roleArn = direct ? direct.inputs.roleArn : viaAddon?.p.roleArn;
  const association = direct ? direct.name : viaAddon ? `${viaAddon.addon.name} (add-on)` : undefined;
  if (roleArn === undefined || association === undefined) {
    return {
      missing: `no Pod Identity association for ${namespace}/${serviceAccount} on cluster ${clusterName}`,
    };
  }
  const role = idx.find("aws:iam/role:Role", roleArn);
  if (role === undefined)
    return {
      missing: `association ${association} names role ${String(roleArn)}, which the plan does not create`,
    };
  const trust = JSON.parse(String(role.inputs.assumeRolePolicy ?? "{}")) as { Statement?: unknown };
  const trusted = (Array.isArray(trust.Statement) ? trust.Statement : [trust.Statement]).some(
    (s) =>
      at(s, "Effect") === "Allow" &&
      at(s, "Principal", "Service") === "pods.eks.amazonaws.com" &&
      TRUST_ACTIONS.every((a) => [at(s, "Action")].flat().includes(a)),
  );
  if (!trusted)
    return {
      missing: `role ${role.name} does not trust pods.eks.amazonaws.com for ${TRUST_ACTIONS.join(" and ")}`,
    };
  const names = roleNames(role);
  const policies = roleInlinePolicies(idx, role);
  const attached = idx
    .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    .filter((p) => names.has(String(p.inputs.role)))
    .map((p) => String(p.inputs.policyArn));
  const customer = attached.map((arn) => ({ arn, policy: idx.find("aws:iam/policy:Policy", arn) }));
  return {
    association,
    roleName: role.name,
    roleArn: String(roleArn),
    policies: [
      ...policies,
      ...customer.flatMap(({ policy }) =>
        policy ? [{ label: policy.name, document: String(policy.inputs.policy) }] : [],
      ),
    ],
    opaque: customer.filter((c) => c.policy === undefined).map((c) => c.arn),
  };
}

const describe = (c: CallCheck): string => `${c.request.action} on ${c.request.resource}`;

/** Resolves each principal's role and evaluates its checks: one proven path or one finding per check. */
export function identityChecks(
  idx: PlanIndex,
  principals: readonly Principal[],
): { proven: ProvenPath[]; findings: WiringFinding[] } {
  const proven: ProvenPath[] = [];
  const findings: WiringFinding[] = [];
  for (const p of principals) {
    const subject = `${p.region}/${p.namespace}/${p.serviceAccount}`;
    const base = { kind: "identity" as const, region: p.region, subject };
    if (p.runsAs !== undefined && !p.runsAs.ok) {
      findings.push({ ...base, path: "its workload", missing: p.runsAs.missing });
      continue;
    }
    const role = resolveRole(idx, p.region, p.namespace, p.serviceAccount);
    if ("missing" in role) {
      findings.push({ ...base, path: "an IAM role", missing: role.missing });
      continue;
    }
    // A policy AWS would reject, or an action no service has, is broken whatever the checks say.
    const problems = role.policies.flatMap((policy) => policyProblems(policy.label, policy.document));
    if (problems.length > 0) {
      for (const problem of problems)
        findings.push({ ...base, path: `the policies of role ${role.roleName}`, missing: problem });
      continue;
    }
    for (const check of p.checks) {
      const result = evaluate(role.policies, check.request);
      const path = `${check.expect === "allow" ? "" : "not "}${describe(check)} (${check.why})`;
      if (check.expect === "allow" && result.decision !== "allow") {
        const opaque =
          role.opaque.length > 0 ? `; managed policies not evaluated: ${role.opaque.join(", ")}` : "";
        findings.push({
          ...base,
          path,
          missing: `role ${role.roleName} does not allow it (${result.decision})${opaque}`,
        });
      } else if (check.expect === "deny" && result.decision === "allow") {
        findings.push({
          ...base,
          path,
          missing: `role ${role.roleName} allows it (${result.decidedBy.join(", ")})`,
        });
      } else {
        proven.push({
          ...base,
          path,
          via: [
            ...(p.runsAs?.ok ? [p.runsAs.via] : []),
            role.association,
            role.roleName,
            ...(result.decidedBy.length > 0 ? result.decidedBy : [result.decision]),
          ],
        });
      }
    }
  }
  return { proven, findings };
}

/** Whether a Deployment (or Rollout) in the region runs its pods as the service account (and the account exists). */
export function deploymentRunsAs(
  idx: PlanIndex,
  region: string,
  namespace: string,
  deployment: string,
  serviceAccount: string,
): Principal["runsAs"] {
  const d = idx.workloads(region, namespace).find((o) => o.metadata.name === deployment);
  if (d === undefined) return { ok: false, missing: `no Deployment or Rollout ${namespace}/${deployment}` };
  const sa = at(d, "spec", "template", "spec", "serviceAccountName");
  if (sa !== serviceAccount)
    return {
      ok: false,
      missing: `${d.kind} ${namespace}/${deployment} runs as ${String(sa ?? "default")}, not ${serviceAccount}`,
    };
  const exists = idx
    .objects(region, "ServiceAccount", namespace)
    .some((o) => o.metadata.name === serviceAccount);
  return exists
    ? { ok: true, via: `${d.kind} ${namespace}/${deployment} as ServiceAccount ${serviceAccount}` }
    : { ok: false, missing: `no ServiceAccount ${namespace}/${serviceAccount}` };
}

/** Whether a Helm release in the region creates the service account its pods run as (from the values). */
export function releaseRunsAs(
  idx: PlanIndex,
  region: string,
  release: string,
  namespace: string,
  serviceAccount: string,
  valuesPath: readonly string[] = ["serviceAccount", "name"],
): Principal["runsAs"] {
  const r = idx
    .ofType("kubernetes:helm.sh/v3:Release", region)
    .find((x) => x.inputs.name === release && x.inputs.namespace === namespace);
  if (r === undefined) return { ok: false, missing: `no Helm release ${namespace}/${release}` };
  const name = at(r.inputs.values, ...valuesPath);
  return name === serviceAccount
    ? { ok: true, via: `Helm release ${namespace}/${release} as ${serviceAccount}` }
    : {
        ok: false,
        missing: `Helm release ${namespace}/${release} names service account ${String(name)}, not ${serviceAccount}`,
      };
}

/**
 * KEDA's operator in a region, as a principal without its checks: the `keda` release's namespace (`keda` when
 * there is no release, which `runsAs` then reports missing) and its `keda-operator` service account.
 */
export function kedaOperator(idx: PlanIndex, region: string): Omit<Principal, "checks"> {
  const release = idx.ofType("kubernetes:helm.sh/v3:Release", region).find((r) => r.inputs.name === "keda");
  const namespace = String(release?.inputs.namespace ?? "keda");
  return {
    region,
    namespace,
    serviceAccount: "keda-operator",
    runsAs: releaseRunsAs(idx, region, "keda", namespace, "keda-operator", [
      "serviceAccount",
      "operator",
      "name",
    ]),
  };
}

/** The names a role's policies may refer to it by: its name input, its id, its name output. */
function roleNames(role: NonNullable<ReturnType<PlanIndex["find"]>>): Set<string> {
  return new Set(
    [field(role, "name"), role.id, role.outputs?.name].filter((n): n is string => typeof n === "string"),
  );
}

/** The inline policies (RolePolicy) the plan attaches to a role, labelled by resource name. */
export function roleInlinePolicies(
  idx: PlanIndex,
  role: NonNullable<ReturnType<PlanIndex["find"]>>,
): LabelledPolicy[] {
  const names = roleNames(role);
  return idx
    .ofType("aws:iam/rolePolicy:RolePolicy")
    .filter((p) => names.has(String(p.inputs.role)))
    .map((p) => ({ label: p.name, document: String(p.inputs.policy) }));
}
