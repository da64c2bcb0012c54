/**
 * The Kubernetes rules evaluated offline with a real CEL engine (@marcbachmann/cel-js), the way Kyverno
 * evaluates the emitted ValidatingPolicies: autogen rewrite for pod controllers, system namespaces
 * excluded by match condition, `variables` bound lazily, Kyverno's `resource.List` answered from the
 * objects the plan would apply to the same cluster, JSON integers bound as CEL ints.
 */
import type * as CelModule from "@marcbachmann/cel-js";
import type { KubeObject, RegionObject } from "../../core";
import { type GovernanceConfig, kubernetesDefaultLevel, levelOf } from "../config";
import type { Finding } from "../findings";
import { kubernetesRules, ruleMatchConditions } from "../rules";
import type { KubernetesRule } from "../rules/types";
import { isNamespacedRule, ruleFor } from "./autogen";

/** @internal What Kyverno's `resource` library sees: the other objects of the same cluster. */
export class ResourceContext {
  constructor(private readonly objects: readonly KubeObject[]) {}

  /** `resource.List(apiVersion, resource, namespace)`: `{items}` of that resource in the namespace ("" = all). */
  list(apiVersion: string, resource: string, namespace: string): { items: unknown[] } {
    return {
      items: this.objects
        .filter(
          (o) =>
            o.apiVersion === apiVersion &&
            pluralOf(o.kind) === resource &&
            (namespace === "" || (o.metadata.namespace ?? "default") === namespace),
        )
        .map(toCel),
    };
  }
}

/** @internal The lower-case plural Kubernetes uses as the resource name of a kind. */
export function pluralOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  return `${lower}s`;
}

/**
 * JSON to CEL values: integral numbers become BigInt (CEL `int`, as Kubernetes binds them), other
 * numbers stay `double`; arrays and objects are copied recursively.
 */
export function toCel(value: unknown): unknown {
  if (typeof value === "number") return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  }
  return value;
}

type Compiled = (context: Record<string, unknown>) => unknown;

interface Engine {
  compile(expression: string): Compiled;
}

let engine: Engine | undefined;

/** The CEL environment of a Kyverno ValidatingPolicy: dynamic `object`, `oldObject`, `request`, `variables`, `resource`. */
function celEngine(): Engine {
  if (engine) return engine;
  // cel-js is ESM-only; Node 20.19+ can require() it synchronously and jest transforms it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cel = require("@marcbachmann/cel-js") as typeof CelModule;
  const env = new cel.Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false })
    .registerType("ResourceContext", ResourceContext)
    .registerVariable("object", "dyn")
    .registerVariable("oldObject", "dyn")
    .registerVariable("request", "dyn")
    .registerVariable("variables", "dyn")
    .registerVariable("resource", "ResourceContext")
    .registerFunction({
      name: "List",
      receiverType: "ResourceContext",
      returnType: "dyn",
      params: [
        { name: "apiVersion", type: "string" },
        { name: "resource", type: "string" },
        { name: "namespace", type: "string" },
      ],
      handler: (self: ResourceContext, apiVersion: string, resource: string, namespace: string) =>
        self.list(apiVersion, resource, namespace),
    });
  const cache = new Map<string, Compiled>();
  engine = {
    compile(expression) {
      let fn = cache.get(expression);
      if (!fn) {
        fn = env.parse(expression) as Compiled;
        cache.set(expression, fn);
      }
      return fn;
    },
  };
  return engine;
}

/** @internal Parses an expression with the offline engine; throws the engine's error when it is not valid CEL. */
export function compileCel(expression: string): void {
  celEngine().compile(expression);
}

function describe(object: KubeObject): string {
  const ns = object.metadata.namespace;
  return ns === undefined
    ? `${object.kind}/${object.metadata.name}`
    : `${object.kind}/${ns}/${object.metadata.name}`;
}

function errorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0]!;
}

/** One rule's result on one object. */
export interface RuleOutcome {
  /**
   * What the rule reports (empty when the object passes or the rule does not apply): violation messages,
   * and expressions that failed, which deny as well under `failurePolicy: Fail`.
   */
  readonly violations: string[];
  /** Every expression that failed to evaluate, message expressions included: `<where>: <engine error>`. */
  readonly errors: string[];
}

type Cel = ReturnType<typeof celEngine>;

/** The activation of one review: the object as admission sees it, and lazily bound variables. */
function reviewContext(
  cel: Cel,
  rule: KubernetesRule,
  applied: KubernetesRule,
  object: KubeObject,
  cluster: readonly KubeObject[],
): Record<string, unknown> {
  // What reaches the API server: a namespaced object without a namespace lands in `default`.
  const reviewed =
    isNamespacedRule(rule) && object.metadata.namespace === undefined
      ? { ...object, metadata: { ...object.metadata, namespace: "default" } }
      : object;
  const variables: Record<string, unknown> = {};
  const context: Record<string, unknown> = {
    object: toCel(reviewed),
    oldObject: null,
    request: {
      operation: "CREATE",
      namespace: reviewed.metadata.namespace ?? "",
      name: reviewed.metadata.name,
    },
    variables,
    resource: new ResourceContext(cluster),
  };
  for (const v of applied.variables ?? []) {
    let memo: { value: unknown } | undefined;
    Object.defineProperty(variables, v.name, {
      enumerable: true,
      get: () => (memo ??= { value: cel.compile(v.expression)(context) }).value,
    });
  }
  return context;
}

/** The message of a failed validation: its message expression's value, else the static message. */
function violationMessage(
  cel: Cel,
  validation: KubernetesRule["validations"][number],
  context: Record<string, unknown>,
): { message: string; error?: string } {
  if (validation.messageExpression === undefined) return { message: validation.message };
  try {
    const m = cel.compile(validation.messageExpression)(context);
    return { message: typeof m === "string" && m !== "" ? m : validation.message };
  } catch (e) {
    // Kyverno then reports only "failed to evaluate message expression"; the static message says more.
    return {
      message: `${validation.message} (message expression error: ${errorText(e)})`,
      error: errorText(e),
    };
  }
}

/** One rule on one object, with every evaluation error named (see `RuleOutcome`). */
export function evaluateRuleOutcome(
  rule: KubernetesRule,
  object: KubeObject,
  config: GovernanceConfig,
  cluster: readonly KubeObject[] = [object],
): RuleOutcome {
  const violations: string[] = [];
  const errors: string[] = [];
  const applied = ruleFor(rule, object);
  if (!applied) return { violations, errors };
  const cel = celEngine();
  const context = reviewContext(cel, rule, applied, object, cluster);
  for (const condition of ruleMatchConditions(applied, config)) {
    try {
      if (cel.compile(condition.expression)(context) !== true) return { violations, errors };
    } catch (e) {
      errors.push(`match condition ${condition.name}: ${errorText(e)}`);
      violations.push(
        `${describe(object)}: match condition ${condition.name} of ${rule.name} failed: ${errorText(e)}`,
      );
      return { violations, errors };
    }
  }
  applied.validations.forEach((validation, index) => {
    let passed: unknown;
    try {
      passed = cel.compile(validation.expression)(context);
    } catch (e) {
      errors.push(`validation ${index}: ${errorText(e)}`);
      violations.push(`${describe(object)}: ${validation.message} (CEL error: ${errorText(e)})`);
      return;
    }
    if (passed === true) return;
    const { message, error } = violationMessage(cel, validation, context);
    if (error !== undefined) errors.push(`message expression ${index}: ${error}`);
    violations.push(message);
  });
  return { violations, errors };
}

/** One rule's violations on one object (empty when it passes or does not apply). */
export function evaluateRule(
  rule: KubernetesRule,
  object: KubeObject,
  config: GovernanceConfig,
  cluster: readonly KubeObject[] = [object],
): string[] {
  return evaluateRuleOutcome(rule, object, config, cluster).violations;
}

/** Every enabled rule against every object; findings in a stable order (region, resource, rule, message). */
export function evaluateObjects(objects: readonly RegionObject[], config: GovernanceConfig): Finding[] {
  const rules = kubernetesRules(config);
  const byRegion = new Map<string, KubeObject[]>();
  for (const o of objects) byRegion.set(o.region, [...(byRegion.get(o.region) ?? []), o.object]);
  const findings: Finding[] = [];
  for (const { region, object } of objects) {
    for (const rule of rules) {
      const level = levelOf(config, rule.name, kubernetesDefaultLevel(config));
      if (level === "disabled") continue;
      for (const message of evaluateRule(rule, object, config, byRegion.get(region))) {
        findings.push({ rule: rule.name, resource: describe(object), region, level, message });
      }
    }
  }
  return findings;
}
