/**
 * Kyverno's autogen for ValidatingPolicies, mimicked: a rule written against a Pod is rewritten for each
 * pod controller by replacing `object.spec` and `object.metadata` (and the `oldObject.` forms) with the
 * pod template's paths, except where the path continues with `.namespace` (that stays on the controller's
 * own metadata; `.name` does not). Same replacement pairs, order and protection as kyverno/kyverno v1.19.0
 * pkg/cel/autogen (data.go `ReplacementsMap`, replacement.go `replace`/`isProtected`), and the same
 * eligibility test (support.go `CanAutoGen`).
 */
import {
  ALL_POD_CONTROLLERS,
  CUSTOM_POD_CONTROLLERS,
  type CustomPodController,
  type KubernetesRule,
  MATCH_KINDS,
  type MatchKind,
  type NamedExpression,
  POD_CONTROLLERS,
  type PodController,
} from "../rules/types";

/** @internal One `matchConstraints.resourceRules` entry of a ValidatingPolicy (admissionregistration NamedRuleWithOperations). */
export interface ResourceRule {
  readonly apiGroups: readonly string[];
  readonly apiVersions: readonly string[];
  readonly operations: readonly string[];
  readonly resources: readonly string[];
  readonly scope: "Namespaced" | "Cluster";
}

/** @internal The resource rules a rule's policy matches: its kinds, grouped by API group and version, on CREATE and UPDATE. */
export function resourceRulesOf(rule: KubernetesRule): ResourceRule[] {
  const groups = new Map<string, { apiGroup: string; apiVersion: string; resources: string[] }>();
  for (const kind of rule.match) {
    const m = MATCH_KINDS[kind];
    const key = `${m.apiGroup}/${m.apiVersion}`;
    const entry = groups.get(key) ?? { apiGroup: m.apiGroup, apiVersion: m.apiVersion, resources: [] };
    entry.resources.push(m.resource);
    groups.set(key, entry);
  }
  return [...groups.values()].map((g) => ({
    apiGroups: [g.apiGroup],
    apiVersions: [g.apiVersion],
    operations: ["CREATE", "UPDATE"],
    resources: g.resources,
    scope: isNamespacedRule(rule) ? "Namespaced" : "Cluster",
  }));
}

/**
 * The resource rule of the `pods/ephemeralcontainers` subresource: `kubectl debug` adds a container with an
 * UPDATE of it (the API server sends the whole Pod), which a rule on `pods` alone never sees.
 * @internal
 */
export const EPHEMERAL_CONTAINERS_RESOURCE_RULE: ResourceRule = {
  apiGroups: [""],
  apiVersions: ["v1"],
  operations: ["UPDATE"],
  resources: ["pods/ephemeralcontainers"],
  scope: "Namespaced",
};

/**
 * Whether Kyverno autogenerates a policy with these resource rules (support.go `CanAutoGen`): exactly one
 * rule, on core v1 `pods` alone, without resource names. Adding the ephemeralcontainers subresource to it
 * (or a second rule) silently turns autogen off, which is why that subresource gets a policy of its own.
 */
export function canAutogen(rules: readonly ResourceRule[]): boolean {
  const only = (list: readonly string[], value: string) => list.length === 1 && list[0] === value;
  const r = rules[0];
  return (
    rules.length === 1 &&
    r !== undefined &&
    only(r.apiGroups, "") &&
    only(r.apiVersions, "v1") &&
    only(r.resources, "pods")
  );
}

interface Replacement {
  readonly from: string;
  readonly to: string;
}

/** @internal Kyverno's two replacement sets: `defaults` for template controllers, `cronjobs` for CronJobs. */
export const REPLACEMENTS: Record<"defaults" | "cronjobs", readonly Replacement[]> = {
  defaults: [
    { from: "spec", to: "spec.template.spec" },
    { from: "metadata", to: "spec.template.metadata" },
  ],
  cronjobs: [
    { from: "spec", to: "spec.jobTemplate.spec.template.spec" },
    { from: "metadata", to: "spec.jobTemplate.spec.template.metadata" },
  ],
};

const PROTECTED_SUFFIXES = [".namespace"];

function isIdentifierChar(ch: string): boolean {
  return /[A-Za-z0-9_]/.test(ch);
}

function isProtected(rest: string): boolean {
  return PROTECTED_SUFFIXES.some(
    (suffix) =>
      rest.startsWith(suffix) && (rest.length === suffix.length || !isIdentifierChar(rest[suffix.length]!)),
  );
}

function replaceAll(text: string, from: string, to: string): string {
  let out = "";
  let rest = text;
  for (let idx = rest.indexOf(from); idx >= 0; idx = rest.indexOf(from)) {
    out += rest.slice(0, idx);
    const after = rest.slice(idx + from.length);
    out += isProtected(after) ? from : to;
    rest = after;
  }
  return out + rest;
}

/** Rewrites one CEL expression written against a Pod for the given pod controller. */
export function rewriteForController(expression: string, controller: PodController): string {
  const set = controller === "cronjobs" ? REPLACEMENTS.cronjobs : REPLACEMENTS.defaults;
  return set.reduce(
    (text, r) =>
      replaceAll(
        replaceAll(text, `object.${r.from}`, `object.${r.to}`),
        `oldObject.${r.from}`,
        `oldObject.${r.to}`,
      ),
    expression,
  );
}

function rewriteNamed(
  list: readonly NamedExpression[] | undefined,
  controller: PodController,
): NamedExpression[] {
  return (list ?? []).map((e) => ({
    name: e.name,
    expression: rewriteForController(e.expression, controller),
  }));
}

/** The rule as Kyverno autogenerates it for `controller`: every expression rewritten. */
export function autogenRule(rule: KubernetesRule, controller: PodController): KubernetesRule {
  return {
    ...rule,
    matchConditions: rewriteNamed(rule.matchConditions, controller),
    variables: rewriteNamed(rule.variables, controller),
    validations: rule.validations.map((v) => ({
      expression: rewriteForController(v.expression, controller),
      message: v.message,
      ...(v.messageExpression === undefined
        ? {}
        : { messageExpression: rewriteForController(v.messageExpression, controller) }),
    })),
  };
}

/** @internal The pod controller an object is, if any (by apiVersion and kind). */
export function podControllerOf(object: { apiVersion: string; kind: string }): PodController | undefined {
  return ALL_POD_CONTROLLERS.find(
    (c) => POD_CONTROLLERS[c].apiVersion === object.apiVersion && POD_CONTROLLERS[c].kind === object.kind,
  );
}

function matchKindOf(object: { apiVersion: string; kind: string }): MatchKind | undefined {
  return (Object.keys(MATCH_KINDS) as MatchKind[]).find((k) => {
    const m = MATCH_KINDS[k];
    return (
      k === object.kind &&
      (m.apiGroup === "" ? m.apiVersion : `${m.apiGroup}/${m.apiVersion}`) === object.apiVersion
    );
  });
}

/** @internal The custom pod controller (Argo Rollout) an object is, if any. */
export function customPodControllerOf(object: {
  apiVersion: string;
  kind: string;
}): CustomPodController | undefined {
  return (Object.keys(CUSTOM_POD_CONTROLLERS) as CustomPodController[]).find((c) => {
    const m = CUSTOM_POD_CONTROLLERS[c];
    return `${m.apiGroup}/${m.apiVersion}` === object.apiVersion && m.kind === object.kind;
  });
}

/** @internal Whether a Pod rule is emitted for a custom pod controller (it is for every Deployment it covers). */
export function appliesToCustomController(rule: KubernetesRule, controller: CustomPodController): boolean {
  return (
    canAutogen(resourceRulesOf(rule)) &&
    (rule.autogen ?? ALL_POD_CONTROLLERS).includes(CUSTOM_POD_CONTROLLERS[controller].rewriteAs)
  );
}

/** @internal The resource rule of a custom pod controller's explicit policy. */
export function customControllerResourceRule(controller: CustomPodController): ResourceRule {
  const m = CUSTOM_POD_CONTROLLERS[controller];
  return {
    apiGroups: [m.apiGroup],
    apiVersions: [m.apiVersion],
    operations: ["CREATE", "UPDATE"],
    resources: [m.resource],
    scope: "Namespaced",
  };
}

/**
 * The form of `rule` that applies to `object`: the rule itself when the object is of a matched kind,
 * its autogenerated form when the rule is a Pod rule and the object one of its pod controllers (or a custom
 * one, an Argo Rollout, rewritten as a Deployment), or undefined when the rule does not apply.
 */
export function ruleFor(
  rule: KubernetesRule,
  object: { apiVersion: string; kind: string },
): KubernetesRule | undefined {
  const kind = matchKindOf(object);
  if (kind !== undefined && rule.match.includes(kind)) return rule;
  const controller = podControllerOf(object);
  if (
    controller !== undefined &&
    canAutogen(resourceRulesOf(rule)) &&
    (rule.autogen ?? ALL_POD_CONTROLLERS).includes(controller)
  ) {
    return autogenRule(rule, controller);
  }
  const custom = customPodControllerOf(object);
  if (custom !== undefined && appliesToCustomController(rule, custom)) {
    return autogenRule(rule, CUSTOM_POD_CONTROLLERS[custom].rewriteAs);
  }
  return undefined;
}

/** @internal Whether the rule's objects are namespaced (then system namespaces are excluded). */
export function isNamespacedRule(rule: KubernetesRule): boolean {
  return rule.match.every((k) => MATCH_KINDS[k].namespaced);
}
