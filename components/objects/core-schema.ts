/**
 * Core Kubernetes objects checked against the schemas bundled in `kubernetes-models` 4.5 (types, required fields,
 * enums). Those schemas leave objects open, so unknown fields are found by watching which properties the
 * generated validator reads: it reads every property its schema defines, and enumerates the keys only of maps
 * (labels, resources, selectors). A key it never read is a field Kubernetes does not define.
 */
import type { ErrorObject } from "ajv";
import * as admissionV1 from "kubernetes-models/admissionregistration.k8s.io/v1";
import * as appsV1 from "kubernetes-models/apps/v1";
import * as autoscalingV2 from "kubernetes-models/autoscaling/v2";
import * as batchV1 from "kubernetes-models/batch/v1";
import * as coreV1 from "kubernetes-models/v1";
import * as networkingV1 from "kubernetes-models/networking.k8s.io/v1";
import * as policyV1 from "kubernetes-models/policy/v1";
import * as rbacV1 from "kubernetes-models/rbac.authorization.k8s.io/v1";
import * as schedulingV1 from "kubernetes-models/scheduling.k8s.io/v1";
import * as storageV1 from "kubernetes-models/storage.k8s.io/v1";

type ModelClass = { prototype: { validate(): void } };

const MODULES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  v1: coreV1,
  "apps/v1": appsV1,
  "autoscaling/v2": autoscalingV2,
  "batch/v1": batchV1,
  "networking.k8s.io/v1": networkingV1,
  "policy/v1": policyV1,
  "rbac.authorization.k8s.io/v1": rbacV1,
  "scheduling.k8s.io/v1": schedulingV1,
  "storage.k8s.io/v1": storageV1,
  "admissionregistration.k8s.io/v1": admissionV1,
};

/**
 * Fields the bundled schemas lose: kubernetes-models strips every key named `description` from the OpenAPI
 * document, which also drops real fields of that name.
 */
const DROPPED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  "scheduling.k8s.io/v1 PriorityClass": ["/description"],
};

/** @internal The API versions whose core kinds can be checked. */
export const CORE_API_VERSIONS: readonly string[] = Object.keys(MODULES);

function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
  const candidate = MODULES[apiVersion]?.[kind] as (ModelClass & { kind?: string }) | undefined;
  return candidate !== undefined && candidate.kind === kind ? candidate : undefined;
}

/** @internal Whether `apiVersion` and `kind` name a core object this module can check. */
export function isCoreKind(apiVersion: string, kind: string): boolean {
  return modelFor(apiVersion, kind) !== undefined;
}

/** @internal */
export interface CoreProblem {
  readonly path: string;
  readonly error?: ErrorObject;
  readonly reason?: string;
}

/** @internal Validates one core object; returns its problems (empty when valid). Throws if the kind is not core. */
export function validateCoreObject(obj: Record<string, unknown>): CoreProblem[] {
  const model = modelFor(String(obj.apiVersion), String(obj.kind));
  if (model === undefined)
    throw new Error(`no core schema for ${String(obj.apiVersion)} ${String(obj.kind)}`);
  const touched = new Set<string>();
  const enumerated = new Set<string>();
  const problems: CoreProblem[] = [];
  try {
    model.prototype.validate.call(track(obj, "", touched, enumerated));
  } catch (e) {
    const errors = (e as { errors?: ErrorObject[] }).errors;
    if (errors === undefined) throw e;
    problems.push(...errors.map((error) => ({ path: error.instancePath, error })));
  }
  for (const field of DROPPED_FIELDS[`${String(obj.apiVersion)} ${String(obj.kind)}`] ?? [])
    touched.add(field);
  for (const path of unknownFields(obj, "", touched, enumerated))
    problems.push({ path, reason: "unknown field" });
  return problems;
}

function track(value: unknown, path: string, touched: Set<string>, enumerated: Set<string>): unknown {
  if (value === null || typeof value !== "object") return value;
  return new Proxy(value as object, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver);
      if (typeof key !== "string") return v;
      touched.add(`${path}/${key}`);
      return track(v, `${path}/${key}`, touched, enumerated);
    },
    has(target, key) {
      if (typeof key === "string") touched.add(`${path}/${key}`);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      enumerated.add(path);
      return Reflect.ownKeys(target);
    },
  });
}

function unknownFields(
  value: unknown,
  path: string,
  touched: Set<string>,
  enumerated: Set<string>,
): string[] {
  if (value === null || typeof value !== "object") return [];
  const out: string[] = [];
  const isArray = Array.isArray(value);
  // A map (additionalProperties schema) is enumerated by the validator: all of its keys are allowed.
  const isMap = !isArray && enumerated.has(path);
  for (const [key, child] of Object.entries(value as object)) {
    const childPath = `${path}/${key}`;
    if (!isArray && !isMap && !touched.has(childPath)) {
      out.push(childPath);
      continue;
    }
    out.push(...unknownFields(child, childPath, touched, enumerated));
  }
  return out;
}
