import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig, readStackConfig, stackFile, type SemesterConfig } from "../../components/config";

export { readStackConfig };
import { definePlatform } from "../../components/program";
import type { Platform } from "../../components/platform";
import type { PlannedObject, PlannedResource } from "./record";
import { PlanRecorder } from "./recorder";

export interface PlanOptions {
  readonly stack: string;
  /** Start of the calendar horizon, epoch ms. @default the stack's `calendar.now`, else today 00:00 UTC */
  readonly now?: number;
  /** The project root (where stacks/ is). @default the current directory */
  readonly root?: string;
}

export interface Plan {
  readonly stack: string;
  readonly config: SemesterConfig;
  readonly resources: PlannedResource[];
  /** Every Kubernetes object per region, in a stable order. */
  readonly objects: PlannedObject[];
  /** The program's root component, for what it computed without creating resources. */
  readonly platform: Platform;
}

/** Types of Kubernetes resources that are not objects in a cluster (components, releases, providers). */
const NOT_CLUSTER_OBJECTS =
  /^(kubernetes:yaml:|kubernetes:helm\.sh\/|kubernetes:kustomize:|pulumi:providers:)/;

/**
 * Runs the real program in-process under the SDK's mock monitor and records what a deploy would create.
 * Config is validated first: a bad stack file throws its InputError before any resource exists.
 */
export async function runPlan(options: PlanOptions): Promise<Plan> {
  const root = options.root ?? process.cwd();
  const raw = readStackConfig(root, options.stack);
  const config = parseStackConfig(raw, stackFile(options.stack));
  const recorder = new PlanRecorder();
  await recorder.install("semester", options.stack);
  pulumi.runtime.setAllConfig(raw);
  const platform = await withPlainStackTraces(async () => {
    const defined = definePlatform(config, {
      name: `semester-${options.stack}`,
      ...(options.now !== undefined ? { now: options.now } : {}),
    });
    await PlanRecorder.settle();
    return defined;
  });
  const resources = recorder.resources();
  return { stack: options.stack, config, resources, objects: clusterObjects(resources), platform };
}

/**
 * Runs `work` with plain stack formatting (V8's frame strings, no source maps). The SDK formats a full stack for
 * every resource (its source position) and every promise it creates; under ts-node or jest each of those goes
 * through source-map support, which was most of the plan's time. Offline, source positions are never used, so
 * errors carry no frames unless SEMESTER_PLAN_STACKS is set (then unmapped ones). A function, not `undefined`: Node falls back to the main realm's hook, which
 * is jest's source-map support inside a test.
 */
export async function withPlainStackTraces<T>(work: () => Promise<T>): Promise<T> {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  Error.prepareStackTrace = (error, frames) =>
    `${String(error)}${frames.map((frame) => `\n    at ${frame.toString()}`).join("")}`;
  // The SDK captures a stack for every promise it makes (debuggable.js, for leak reports a plan never prints):
  // capturing none saves about a quarter of the plan. Semester's own errors say everything in their message;
  // SEMESTER_PLAN_STACKS=1 keeps the frames for debugging a crash.
  if (process.env.SEMESTER_PLAN_STACKS === undefined) Error.stackTraceLimit = 0;
  try {
    return await work();
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
}
/** The Kubernetes objects among the resources, each with its cluster's region, in a stable order. */
export function clusterObjects(resources: readonly PlannedResource[]): PlannedObject[] {
  return resources
    .filter((r) => r.custom && r.type.startsWith("kubernetes:") && !NOT_CLUSTER_OBJECTS.test(r.type))
    .map((r) => ({ region: r.region ?? "unknown", object: r.inputs as PlannedObject["object"] }))
    .sort((a, b) => objectKey(a).localeCompare(objectKey(b)));
}

function objectKey(o: PlannedObject): string {
  const { apiVersion, kind, metadata } = o.object;
  return [o.region, metadata.namespace ?? "", kind, metadata.name, apiVersion].join("\u0000");
}
