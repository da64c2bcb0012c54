/**
 * Governance in the offline plan: the CrossGuard policies run against the recorded resources with the
 * argument shapes the Pulumi engine passes (see @pulumi/policy server.js), the CEL rules against the
 * Kubernetes objects, and the findings are written to `<out>/policy-report.json`.
 */
import type {
  PolicyProviderResource,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import * as fs from "node:fs";
import * as path from "node:path";
import type { PlannedObject, PlannedResource } from "./record";
import { semesterPolicies } from "../../policies/pack";
import {
  evaluateObjects,
  type GovernanceConfig,
  type Finding,
  sortFindings,
} from "../../components/governance";

/**
 * A recorded resource, optionally with what the engine would also know: the mock id, the provider URN
 * and the dependencies. With them the stack policies trace references exactly; without ids or
 * dependencies they can match references only by value.
 */
export type PlannedResourceWithGraph = PlannedResource & {
  readonly id?: string;
  readonly provider?: string;
  readonly dependencies?: readonly string[];
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
};

export interface PolicyRunInput {
  readonly resources: readonly PlannedResourceWithGraph[];
  readonly objects: readonly PlannedObject[];
  readonly config: GovernanceConfig;
}

export interface PolicyRunResult {
  /** Every finding in the report's stable order. */
  readonly findings: Finding[];
  /** How many findings are mandatory: the plan fails when this is not 0. */
  readonly mandatoryViolations: number;
}

/** What `args.notApplicable()` throws, as the engine's own NotApplicableError. */
class NotApplicableError extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "Policy does not apply");
  }
}

function throwNotApplicable(reason?: string): never {
  throw new NotApplicableError(reason);
}

function options(r: PlannedResourceWithGraph): PolicyResourceOptions {
  return {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...(r.parent ? { parent: r.parent } : {}),
  };
}

/** `isType`/`asType` as the engine implements them: compare the class's Pulumi type token. */
function typeChecks(type: string, props: Record<string, unknown>) {
  const matches = (cls: unknown): boolean => {
    const token = (cls as { __pulumiType?: string }).__pulumiType;
    if (typeof token === "string") return token === type;
    const isInstance = (cls as { isInstance?: (o: unknown) => boolean }).isInstance;
    return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
  };
  return {
    isType: (cls: unknown) => matches(cls),
    asType: (cls: unknown) => (matches(cls) ? props : undefined),
  };
}

/** The provider each resource gets: the recorded one, else the package's provider of the same region. */
function providers(
  resources: readonly PlannedResourceWithGraph[],
): (r: PlannedResourceWithGraph) => PolicyProviderResource | undefined {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const real = resources.filter((r) => r.type.startsWith("pulumi:providers:"));
  const toProvider = (p: PlannedResource): PolicyProviderResource => ({
    type: p.type,
    props: { ...p.inputs, ...(p.region ? { region: p.region } : {}) },
    urn: p.urn,
    name: p.name,
  });
  return (r) => {
    if (r.type.startsWith("pulumi:providers:")) return undefined;
    // A provider reference is `<urn>::<id>`.
    const recorded = r.provider
      ? (byUrn.get(r.provider) ?? byUrn.get(r.provider.slice(0, r.provider.lastIndexOf("::"))))
      : undefined;
    if (recorded) return toProvider(recorded);
    const pkg = r.type.split(":")[0]!;
    const same = real.find(
      (p) => p.type === `pulumi:providers:${pkg}` && (p.inputs.region ?? p.region) === r.region,
    );
    if (same) return toProvider(same);
    if (r.region === null) return undefined;
    return {
      type: `pulumi:providers:${pkg}`,
      props: { region: r.region },
      urn: `urn:pulumi:plan::semester::pulumi:providers:${pkg}::${pkg}-${r.region}`,
      name: `${pkg}-${r.region}`,
    };
  };
}

/** Property dependencies: recorded ones, else inferred from values equal to another resource's recorded id. */
function propertyDependencies(
  r: PlannedResourceWithGraph,
  ids: ReadonlyMap<string, string>,
): Record<string, string[]> {
  if (r.propertyDependencies) {
    return Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, v]) => [k, [...v]]));
  }
  const out: Record<string, string[]> = {};
  if (ids.size === 0) return out;
  const strings = (v: unknown): string[] =>
    typeof v === "string"
      ? [v]
      : Array.isArray(v)
        ? v.flatMap(strings)
        : v !== null && typeof v === "object"
          ? Object.values(v).flatMap(strings)
          : [];
  for (const [key, value] of Object.entries(r.inputs)) {
    const urns = [...new Set(strings(value).flatMap((s) => (ids.has(s) ? [ids.get(s)!] : [])))].filter(
      (u) => u !== r.urn,
    );
    if (urns.length > 0) out[key] = urns;
  }
  return out;
}

/** The stack's resources as the engine passes them to stack policies (parent, dependencies linked). */
export function policyResources(resources: readonly PlannedResourceWithGraph[]): PolicyResource[] {
  const providerOf = providers(resources);
  const ids = new Map(resources.flatMap((r) => (r.id ? [[r.id, r.urn] as const] : [])));
  const byUrn = new Map<string, PolicyResource>();
  const graph = resources.map((r) => {
    const props = { ...r.inputs };
    const provider = providerOf(r);
    const resource: PolicyResource = {
      type: r.type,
      props,
      urn: r.urn,
      name: r.name,
      opts: options(r),
      dependencies: [],
      propertyDependencies: {},
      ...typeChecks(r.type, props),
      ...(provider ? { provider } : {}),
    } as PolicyResource;
    byUrn.set(r.urn, resource);
    return { r, resource, deps: propertyDependencies(r, ids) };
  });
  for (const { r, resource, deps } of graph) {
    if (r.parent) {
      const parent = byUrn.get(r.parent);
      if (parent) resource.parent = parent;
    }
    const direct = r.dependencies ?? [...new Set(Object.values(deps).flat())];
    resource.dependencies = direct.flatMap((u) => (byUrn.has(u) ? [byUrn.get(u)!] : []));
    for (const [k, urns] of Object.entries(deps)) {
      resource.propertyDependencies[k] = urns.flatMap((u) => (byUrn.has(u) ? [byUrn.get(u)!] : []));
    }
  }
  return graph.map((g) => g.resource);
}

function resourceLabel(r: { type: string; name: string }): string {
  return `${r.type}::${r.name}`;
}

/**
 * Runs the CrossGuard policies against the recorded resources and the CEL rules against the objects.
 * The pack's `kubernetes-cel-rules` policy is the same evaluator over the same objects, so it is not run
 * twice: the objects' findings carry their region and rule name instead.
 */
export async function runPolicies(input: PolicyRunInput): Promise<PolicyRunResult> {
  const { resources, objects, config } = input;
  const findings: Finding[] = [];
  const stackTags: ReadonlyMap<string, string> = new Map();
  const all = policyResources(resources);
  const regionByUrn = new Map(resources.map((r) => [r.urn, r.region]));
  const labelByUrn = new Map(resources.map((r) => [r.urn, resourceLabel(r)]));
  const policies = semesterPolicies(config).filter((p) => p.name !== "kubernetes-cel-rules");
  for (const policy of policies) {
    const level = policy.enforcementLevel ?? "mandatory";
    if (level === "disabled") continue;
    const reported = level === "advisory" ? "advisory" : "mandatory";
    const validateResource = (policy as ResourceValidationPolicy).validateResource;
    if (validateResource) {
      const validations = Array.isArray(validateResource) ? validateResource : [validateResource];
      for (const r of all) {
        const args: ResourceValidationArgs = {
          type: r.type,
          props: r.props,
          urn: r.urn,
          name: r.name,
          opts: r.opts,
          stackTags,
          isType: r.isType,
          asType: r.asType as ResourceValidationArgs["asType"],
          getConfig: <T extends object>() => ({}) as T,
          notApplicable: throwNotApplicable,
          ...(r.provider ? { provider: r.provider } : {}),
        };
        for (const validate of validations) {
          try {
            await validate(args, (message) =>
              findings.push({
                rule: policy.name,
                resource: resourceLabel(r),
                region: regionByUrn.get(r.urn) ?? null,
                level: reported,
                message,
              }),
            );
          } catch (e) {
            if (!(e instanceof NotApplicableError)) throw e;
          }
        }
      }
    }
    const validateStack = (policy as StackValidationPolicy).validateStack;
    if (validateStack) {
      const args: StackValidationArgs = {
        resources: all,
        stackTags,
        getConfig: <T extends object>() => ({}) as T,
        notApplicable: throwNotApplicable,
      };
      try {
        await validateStack(args, (message, urn) =>
          findings.push({
            rule: policy.name,
            resource: urn ? (labelByUrn.get(urn) ?? urn) : "stack",
            region: urn ? (regionByUrn.get(urn) ?? null) : null,
            level: reported,
            message,
          }),
        );
      } catch (e) {
        if (!(e instanceof NotApplicableError)) throw e;
      }
    }
  }
  findings.push(...evaluateObjects(objects, config));
  const sorted = sortFindings(findings);
  return { findings: sorted, mandatoryViolations: sorted.filter((f) => f.level === "mandatory").length };
}

/** The text of `policy-report.json`: counts and the findings in stable order (two runs give identical bytes). */
export function policyReport(result: PolicyRunResult): string {
  const report = {
    mandatoryViolations: result.mandatoryViolations,
    advisoryFindings: result.findings.length - result.mandatoryViolations,
    findings: sortFindings(result.findings).map((f) => ({
      rule: f.rule,
      resource: f.resource,
      region: f.region,
      level: f.level,
      message: f.message,
    })),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Writes `policy-report.json` (see `policyReport`). */
export function writePolicyReport(file: string, result: PolicyRunResult): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, policyReport(result));
}
