/**
 * The wiring analysis' shared vocabulary: what it proves (paths), what it finds missing (findings), and the IAM
 * calls a principal must (and must not) be able to make. Every check module speaks these types.
 */
import type { IamRequest } from "./iam";

/** The three things a deploy needs beyond valid objects. */
export type WiringKind = "identity" | "network" | "dependency";

/** A path the plan proves: `subject` reaches `path` through every link in `via`. */
export interface ProvenPath {
  readonly kind: WiringKind;
  /** Region whose cluster or VPC the subject lives in. */
  readonly region: string;
  /** Who needs the path, e.g. `eu-west-2/assessment-engine` or `us-east-1/kube-system/karpenter`. */
  readonly subject: string;
  /** Where to, e.g. `us-east-1 MSK brokers :9098` or `ec2:RunInstances on launch-template/*`. */
  readonly path: string;
  /** The links that prove it, in order (resource names, rules, statements). */
  readonly via: readonly string[];
}

/** A broken path: mandatory, the plan exits non-zero. */
export interface WiringFinding {
  readonly kind: WiringKind;
  readonly region: string;
  readonly subject: string;
  readonly path: string;
  /** The missing link, e.g. `no route from 10.1.0.0/16 to 10.0.0.0/16`. */
  readonly missing: string;
}

/** `eu-west-2/assessment-engine → us-east-1 Aurora writer :5432: no route from ... to ...` */
export function findingMessage(f: WiringFinding): string {
  return `${f.subject} → ${f.path}: ${f.missing}`;
}

/** One IAM call a principal's role must allow (`allow`), or must not (`deny`: an obvious neighbour). */
export interface CallCheck {
  /** Why the call matters, e.g. `launch a node` or `another cluster's instance`. */
  readonly why: string;
  readonly request: IamRequest;
  readonly expect: "allow" | "deny";
}

export interface WiringReport {
  readonly proven: readonly ProvenPath[];
  readonly findings: readonly WiringFinding[];
}

/** Where a cluster's principals act, and the neighbour their roles must not reach. */
export interface ClusterScope {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
  readonly clusterName: string;
  readonly vpcId: string;
  /** Another cluster of the same account (the plan's other region, or a made-up one in a single-region stack). */
  readonly neighbour: { readonly region: string; readonly clusterName: string; readonly vpcId: string };
}

/** A call the principal must be able to make. */
export function mustAllow(
  why: string,
  action: string,
  resource: string,
  context?: IamRequest["context"],
): CallCheck {
  return { why, request: { action, resource, ...(context ? { context } : {}) }, expect: "allow" };
}

/** A neighbour the principal must not reach. */
export function mustDeny(
  why: string,
  action: string,
  resource: string,
  context?: IamRequest["context"],
): CallCheck {
  return { why, request: { action, resource, ...(context ? { context } : {}) }, expect: "deny" };
}
