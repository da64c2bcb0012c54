/** Shared shapes and helpers for the Semester CrossGuard policies. */
import type {
  EnforcementLevel,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  Severity,
  StackValidationPolicy,
} from "@pulumi/policy";
import { type GovernanceConfig, levelOf, type CloudPolicyName } from "../../components/governance";

export type SemesterPolicy = (ResourceValidationPolicy | StackValidationPolicy) & {
  readonly name: CloudPolicyName;
};

/** The enforcement level of a cloud policy: `mandatory` unless the config overrides it. */
export function cloudLevel(config: GovernanceConfig, name: CloudPolicyName): EnforcementLevel {
  return levelOf(config, name, "mandatory");
}

type Props = Record<string, unknown>;

/** The definition of a resource policy over one or more AWS type tokens. */
export interface ResourcePolicySpec {
  readonly name: CloudPolicyName;
  readonly description: string;
  readonly severity: Severity;
  /** Pulumi type tokens the policy checks, for example `aws:eks/cluster:Cluster`. */
  readonly types: readonly string[];
  /** Reports each problem as `requirement; fix` (the resource is named by the helper). */
  readonly check: (props: Props, args: ResourceValidationArgs, report: (text: string) => void) => void;
}

/** A resource policy: runs `check` on resources of the given types; each message starts with the resource. */
export function resourcePolicy(
  config: GovernanceConfig,
  spec: ResourcePolicySpec,
): ResourceValidationPolicy & {
  name: CloudPolicyName;
} {
  return {
    name: spec.name,
    description: spec.description,
    severity: spec.severity,
    enforcementLevel: cloudLevel(config, spec.name),
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      if (!spec.types.includes(args.type)) return;
      spec.check(args.props, args, (text) => reportViolation(`${args.type} ${args.name}: ${text}`));
    },
  };
}

/** `value` as a list (absent → empty). */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** A nested property (`get(props, "vpcConfig", "endpointPrivateAccess")`). */
export function get(props: unknown, ...path: string[]): unknown {
  let current: unknown = props;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Props)[key];
  }
  return current;
}

/** True for `true` and the string "true" (launch template EBS flags are strings). */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

/** The region of a resource: its provider's `region`, else its own `region` input. */
export function regionOf(resource: { props: Props; provider?: { props: Props } }): string | undefined {
  const fromProvider = resource.provider?.props.region;
  if (typeof fromProvider === "string") return fromProvider;
  return typeof resource.props.region === "string" ? resource.props.region : undefined;
}

/** Every string inside a value (deeply), for matching references by value. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(stringsIn);
  return [];
}

/**
 * The resources a property of `resource` refers to: the engine's property dependencies, plus resources
 * whose `id` or `arn` output equals a value of the property.
 */
export function referenced(
  resource: PolicyResource,
  property: string,
  all: readonly PolicyResource[],
): PolicyResource[] {
  const found = new Set<PolicyResource>(resource.propertyDependencies[property] ?? []);
  const values = new Set(stringsIn(resource.props[property]));
  if (values.size > 0) {
    for (const r of all) {
      const id = r.props.id;
      const arn = r.props.arn;
      if ((typeof id === "string" && values.has(id)) || (typeof arn === "string" && values.has(arn)))
        found.add(r);
    }
  }
  return [...found];
}

/** JSON with object keys sorted, so two values compare equal whatever their key order. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (typeof v === "object" && v !== null)
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Props)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v);
}
