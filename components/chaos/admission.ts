/**
 * The FIS exceptions as Kyverno would apply them, offline: an ephemeral-containers UPDATE (or a pod CREATE) is
 * reviewed by the governance rules exactly as `evaluateRule` reviews the pod, and each policy's violations are lifted
 * only when a PolicyException names that policy and all its CEL `matchConditions` hold for the request (Kyverno
 * evaluates them with `object` and `request`, the AdmissionRequest: `userInfo.username`, `subResource`, `operation`,
 * `kind.kind`, `namespace`). Pure.
 */
import type * as CelModule from "@marcbachmann/cel-js";
import type { KubeObject } from "../core";
import {
  EPHEMERAL_CONTAINERS_SUFFIX,
  evaluateRule,
  kubernetesRules,
  toCel,
  type GovernanceConfig,
} from "../governance";

/** The admission request a policy exception sees. */
export interface AdmissionRequest {
  readonly username: string;
  readonly operation: "CREATE" | "UPDATE";
  /** `ephemeralcontainers` for `kubectl debug` and FIS's injection; "" for the pod itself. */
  readonly subResource: string;
  readonly namespace: string;
}

type Compiled = (context: Record<string, unknown>) => unknown;
let env: { parse(expression: string): Compiled } | undefined;

function cel(expression: string): Compiled {
  if (env === undefined) {
    // cel-js is ESM-only; Node 20.19+ can require() it synchronously (as governance does).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require("@marcbachmann/cel-js") as typeof CelModule;
    env = new mod.Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false })
      .registerVariable("object", "dyn")
      .registerVariable("request", "dyn") as unknown as { parse(expression: string): Compiled };
  }
  return env.parse(expression);
}

/** Whether the exception lifts `policy` for this request on this object. */
export function exceptionApplies(
  exception: KubeObject,
  policy: string,
  object: KubeObject,
  request: AdmissionRequest,
): boolean {
  const spec = (
    exception as { spec?: { policyRefs?: { name: string }[]; matchConditions?: { expression: string }[] } }
  ).spec;
  if (!(spec?.policyRefs ?? []).some((r) => r.name === policy)) return false;
  const context = {
    object: toCel(object),
    request: {
      userInfo: { username: request.username },
      operation: request.operation,
      subResource: request.subResource,
      namespace: request.namespace,
      kind: { kind: object.kind },
    },
  };
  return (spec?.matchConditions ?? []).every((c) => cel(c.expression)(context) === true);
}

/**
 * What governance denies of a request on `pod` after the exceptions: `<policy>: <message>` per violation no exception
 * lifts. Ephemeral-container updates are reviewed by the `*-ephemeral-containers` policies, pod creations by the
 * rules' own policies.
 */
export function deniedAfterExceptions(
  pod: KubeObject,
  request: AdmissionRequest,
  exceptions: readonly KubeObject[],
  config: GovernanceConfig,
  policyNames: readonly string[],
): string[] {
  const out: string[] = [];
  for (const rule of kubernetesRules(config)) {
    const policy =
      request.subResource === "ephemeralcontainers"
        ? `${rule.name}${EPHEMERAL_CONTAINERS_SUFFIX}`
        : rule.name;
    if (!policyNames.includes(policy)) continue;
    const violations = evaluateRule(rule, pod, config);
    if (violations.length === 0) continue;
    if (exceptions.some((e) => exceptionApplies(e, policy, pod, request))) continue;
    out.push(...violations.map((v) => `${policy}: ${v}`));
  }
  return out;
}

/**
 * A pod of the target as FIS's network actions leave it: the workload's pod template with the ephemeral container
 * FIS adds, running as root with NET_ADMIN (what `tc`/`iptables` need; the FIS guide says these actions need root).
 */
export function withFisEphemeralContainer(pod: KubeObject): KubeObject {
  const spec = (pod as { spec?: Record<string, unknown> }).spec ?? {};
  return {
    ...pod,
    spec: {
      ...spec,
      ephemeralContainers: [
        {
          name: "fis-network-latency",
          image: "public.ecr.aws/aws-fis/aws-fis-pod:latest",
          securityContext: { runAsUser: 0, runAsNonRoot: false, capabilities: { add: ["NET_ADMIN"] } },
        },
      ],
    },
  } as KubeObject;
}
