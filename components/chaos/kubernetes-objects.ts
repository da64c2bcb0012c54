/**
 * What the GameDays put into a cluster. Pure: plain objects, validated with the region's others.
 *
 * FIS pod actions (FIS user guide, "Use the aws:eks:pod actions"): the experiment role is mapped to a Kubernetes
 * user through an EKS access entry; that user creates the FIS pod in the target namespace, which runs as the
 * template's `kubernetesServiceAccount` and adds ephemeral containers to the target pods. Both need, in the target
 * namespace, the Role AWS documents: configmaps get/create/patch/delete; pods create/list/get/delete/deletecollection;
 * pods/ephemeralcontainers update; pods/exec create; deployments get.
 *
 * Governance: the ephemeral containers FIS injects run as root (the network actions need it) and outside the
 * restricted profile, so every `*-ephemeral-containers` ValidatingPolicy would deny them. One Kyverno
 * `policies.kyverno.io` PolicyException (the exception mechanism Kyverno 1.14+ offers for its CEL policies:
 * `policyRefs` plus CEL `matchConditions` over the admission request) lifts exactly those policies for exactly
 * that request: user `system:serviceaccount:<ns>:<fis account>`, subresource `ephemeralcontainers`. The FIS pod
 * itself (created by the mapped user, its spec FIS's own) gets a second exception from the workload-hygiene rules
 * only (labels, probes, requests, pinned images), never from a pod-security rule: should FIS's pod need more, the
 * experiment fails at admission, which is the safe way round (to be confirmed on staging). Exceptions live in the `kyverno` namespace, the only one
 * Kyverno is told to read them from.
 */
import type { KubeObject } from "../core";
import { EPHEMERAL_CONTAINERS_SUFFIX } from "../governance";
import { LABELS } from "../kubernetes";

/** The Kubernetes user the FIS experiment role is mapped to (its EKS access entry's username). */
export const FIS_USERNAME = "fis-experiment";
/** The service account FIS pods run as, in every namespace FIS targets. */
export const FIS_SERVICE_ACCOUNT = "fis-experiment";
/** Where Kyverno reads PolicyExceptions from (`features.policyExceptions.namespace`). */
export const EXCEPTION_NAMESPACE = "kyverno";
/** The workload-hygiene rules the FIS pod is excepted from (no pod-security rule). */
export const FIS_POD_EXCEPTED_RULES = [
  "require-labels",
  "require-probes",
  "require-requests-limits",
  "require-pinned-images",
] as const;

const LABELS_OF = { [LABELS.managedBy]: "semester", [LABELS.partOf]: "game-days" };

/** The username FIS pods act as in a namespace. */
export function fisPodUser(namespace: string): string {
  return `system:serviceaccount:${namespace}:${FIS_SERVICE_ACCOUNT}`;
}

/** ServiceAccount, Role and RoleBinding for FIS in one target namespace. */
export function fisNamespaceObjects(namespace: string): KubeObject[] {
  const metadata = { name: FIS_SERVICE_ACCOUNT, namespace, labels: { ...LABELS_OF } };
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata,
      rules: [
        { apiGroups: [""], resources: ["configmaps"], verbs: ["get", "create", "patch", "delete"] },
        {
          apiGroups: [""],
          resources: ["pods"],
          verbs: ["create", "list", "get", "delete", "deletecollection"],
        },
        { apiGroups: [""], resources: ["pods/ephemeralcontainers"], verbs: ["update"] },
        { apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] },
        { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata,
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: FIS_SERVICE_ACCOUNT },
      subjects: [
        { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: FIS_USERNAME },
        { kind: "ServiceAccount", name: FIS_SERVICE_ACCOUNT, namespace },
      ],
    },
  ];
}

const celList = (values: readonly string[]) => `[${values.map((v) => JSON.stringify(v)).join(", ")}]`;

/**
 * The two PolicyExceptions for FIS, given the names of the ValidatingPolicies governance emits and the namespaces
 * FIS targets. `undefined` entries are left out (a policy that is disabled has nothing to except).
 */
export function fisPolicyExceptions(
  policyNames: readonly string[],
  namespaces: readonly string[],
): KubeObject[] {
  const ephemeral = policyNames.filter((n) => n.endsWith(EPHEMERAL_CONTAINERS_SUFFIX)).sort();
  const hygiene = FIS_POD_EXCEPTED_RULES.filter((n) => policyNames.includes(n));
  const ref = (name: string) => ({ kind: "ValidatingPolicy", name });
  const out: KubeObject[] = [];
  if (ephemeral.length > 0) {
    out.push({
      apiVersion: "policies.kyverno.io/v1beta1",
      kind: "PolicyException",
      metadata: {
        name: "fis-ephemeral-containers",
        namespace: EXCEPTION_NAMESPACE,
        labels: { ...LABELS_OF },
        annotations: {
          "semester.dev/why":
            "FIS pod faults inject root ephemeral containers; only FIS's service account, only that subresource",
        },
      },
      spec: {
        policyRefs: ephemeral.map(ref),
        matchConditions: [
          {
            name: "fis-service-account",
            expression: `request.userInfo.username in ${celList(namespaces.map(fisPodUser))}`,
          },
          { name: "ephemeral-containers-only", expression: 'request.subResource == "ephemeralcontainers"' },
        ],
      },
    });
  }
  if (hygiene.length > 0) {
    out.push({
      apiVersion: "policies.kyverno.io/v1beta1",
      kind: "PolicyException",
      metadata: {
        name: "fis-experiment-pod",
        namespace: EXCEPTION_NAMESPACE,
        labels: { ...LABELS_OF },
        annotations: {
          "semester.dev/why":
            "the FIS pod's spec is FIS's own: workload-hygiene rules only, pod-security rules still apply",
        },
      },
      spec: {
        policyRefs: hygiene.map(ref),
        matchConditions: [
          { name: "fis-user", expression: `request.userInfo.username == ${JSON.stringify(FIS_USERNAME)}` },
          {
            name: "pod-create-only",
            expression: 'request.operation == "CREATE" && request.kind.kind == "Pod"',
          },
          { name: "fis-namespaces", expression: `request.namespace in ${celList(namespaces)}` },
        ],
      },
    });
  }
  return out;
}
