/**
 * The calendar's change freeze: no update changes a critical service's image or Rollout spec during one of its
 * calendar windows, nor a cluster's Kubernetes version or a managed node group's nodes (version, release, AMI type,
 * launch template: `node-changes.ts`) during a critical span of its region, unless an override (reason and who) is
 * given explicitly.
 *
 * CrossGuard sees the proposed state only, so the policy gets what it lacks from outside the program:
 * - the windows: the program publishes each region's freeze windows (the critical services' calendar spans,
 *   lead and tail included) in the ConfigMap `kube-system/semester-change-freeze` (key `windows.json`), which the
 *   policy reads from the proposed resources of the same cluster (same Kubernetes provider);
 * - the previous state: `SEMESTER_PREVIOUS_STATE`, the path of `pulumi stack export` taken just before;
 * - now: `SEMESTER_NOW` (ISO), else the clock;
 * - an override: `SEMESTER_FREEZE_OVERRIDE='{"reason":"...","by":"..."}'` turns the violations into advisories.
 * The program itself stays deterministic (no clock in its output: the windows follow the calendar's horizon).
 */
import * as fs from "fs";
import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import {
  CHANGE_FREEZE_CONFIG_MAP,
  type FreezeWindow,
  type GovernanceConfig,
} from "../../components/governance";
import { cloudLevel, regionOf, stableJson, type SemesterPolicy } from "./common";
import { EKS_CLUSTER_TYPE, NODE_CHANGE_TYPES, NODE_GROUP_TYPE, nodeChange } from "./node-changes";

export const ROLLOUT_TYPE = "kubernetes:argoproj.io/v1alpha1:Rollout";
const CONFIG_MAP_TYPE = "kubernetes:core/v1:ConfigMap";

/** Who may break the freeze, and why. */
export interface FreezeOverride {
  readonly reason: string;
  readonly by: string;
}

export interface ChangeFreezeOptions {
  /** `pulumi stack export` before the update (parsed), or undefined when none was given. */
  readonly previousState?: unknown;
  /** Epoch ms. */
  readonly now: number;
  readonly override?: FreezeOverride;
}

/** A finding: mandatory unless overridden. */
export interface FreezeFinding {
  readonly urn: string;
  readonly level: "mandatory" | "advisory";
  readonly message: string;
}

type Resource = Pick<PolicyResource, "urn" | "type" | "props"> & {
  readonly provider?: { readonly urn: string; readonly props?: Record<string, unknown> };
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The windows a freeze ConfigMap carries (none for anything else). */
export function windowsOf(resource: Resource): FreezeWindow[] {
  if (resource.type !== CONFIG_MAP_TYPE) return [];
  const meta = isRecord(resource.props.metadata) ? resource.props.metadata : {};
  if (meta.name !== CHANGE_FREEZE_CONFIG_MAP.name || meta.namespace !== CHANGE_FREEZE_CONFIG_MAP.namespace)
    return [];
  const data = isRecord(resource.props.data) ? resource.props.data : {};
  const text = data[CHANGE_FREEZE_CONFIG_MAP.key];
  if (typeof text !== "string") return [];
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? (parsed as FreezeWindow[]) : [];
}

/** The resources of a `pulumi stack export`, by URN. */
export function previousResources(exported: unknown): Map<string, Record<string, unknown>> {
  const deployment = isRecord(exported) && isRecord(exported.deployment) ? exported.deployment : {};
  const resources = Array.isArray(deployment.resources) ? deployment.resources : [];
  const out = new Map<string, Record<string, unknown>>();
  for (const r of resources) if (isRecord(r) && typeof r.urn === "string") out.set(r.urn, r);
  return out;
}

/** A Rollout's images, and its spec without `replicas` (KEDA owns those). */
function rolloutShape(props: unknown): { images: string[]; spec: string } {
  const spec = isRecord(props) && isRecord(props.spec) ? { ...props.spec } : {};
  delete spec.replicas;
  const template = isRecord(spec.template) && isRecord(spec.template.spec) ? spec.template.spec : {};
  const containers = Array.isArray(template.containers) ? template.containers : [];
  return {
    images: containers.map((c) => (isRecord(c) ? String(c.image) : "")),
    spec: stableJson(spec),
  };
}

/** What changed in a Rollout, in words, or undefined when nothing frozen did. */
export function rolloutChange(previous: unknown, proposed: unknown): string | undefined {
  const a = rolloutShape(previous);
  const b = rolloutShape(proposed);
  if (a.images.join(",") !== b.images.join(","))
    return `image ${a.images.join(", ")} → ${b.images.join(", ")}`;
  return a.spec !== b.spec ? "Rollout spec changed" : undefined;
}

const HOW_TO_OVERRIDE = `SEMESTER_FREEZE_OVERRIDE='{"reason":"<why>","by":"<who>"}'`;

const NO_PREVIOUS_STATE =
  "cannot be compared (no previous state: set SEMESTER_PREVIOUS_STATE to `pulumi stack export`)";

/** What changed since the previous state; a resource created now changes nothing that serves learners. */
function changeSince(
  previous: Map<string, Record<string, unknown>> | undefined,
  r: Resource,
  diff: (before: unknown, after: unknown) => string | undefined,
): string | undefined {
  if (previous === undefined) return NO_PREVIOUS_STATE;
  const before = previous.get(r.urn);
  return before === undefined ? undefined : diff(before.inputs, r.props);
}

/** The finding for a frozen change: mandatory, or advisory under an override. */
function frozen(
  urn: string,
  subject: string,
  change: string,
  span: { text: string; end: string },
  override: FreezeOverride | undefined,
): FreezeFinding {
  return override !== undefined
    ? {
        urn,
        level: "advisory",
        message: `${subject}: ${change} during ${span.text}, allowed by override from ${override.by}: ${override.reason}`,
      }
    : {
        urn,
        level: "mandatory",
        message: `${subject}: ${change} during ${span.text}; deploy after ${span.end}, or override with ${HOW_TO_OVERRIDE}`,
      };
}

/** Every freeze finding of a proposed stack: critical Rollouts in their windows, nodes and control planes in their region's. Pure. */
export function changeFreezeFindings(
  resources: readonly Resource[],
  options: ChangeFreezeOptions,
): FreezeFinding[] {
  const byCluster = new Map<string, Resource[]>();
  for (const r of resources) {
    const key = r.provider?.urn ?? "";
    byCluster.set(key, [...(byCluster.get(key) ?? []), r]);
  }
  const previous = options.previousState === undefined ? undefined : previousResources(options.previousState);
  const findings: FreezeFinding[] = [];
  for (const cluster of byCluster.values()) {
    const active = cluster
      .flatMap(windowsOf)
      .filter((w) => Date.parse(w.start) <= options.now && options.now < Date.parse(w.end));
    if (active.length === 0) continue;
    for (const r of cluster.filter((x) => x.type === ROLLOUT_TYPE)) {
      const meta = isRecord(r.props.metadata) ? r.props.metadata : {};
      const window = active.find((w) => w.service === meta.name && w.namespace === meta.namespace);
      if (window === undefined) continue;
      const change = changeSince(previous, r, rolloutChange);
      if (change === undefined) continue;
      const span = {
        text: `its calendar window ${window.region} ${window.start}–${window.end} (${window.occurrences.join(", ")})`,
        end: window.end,
      };
      findings.push(
        frozen(
          r.urn,
          `Rollout ${String(meta.namespace)}/${String(meta.name)}`,
          change,
          span,
          options.override,
        ),
      );
    }
  }
  findings.push(...nodeFreezeFindings(resources, options, previous));
  return findings;
}

/**
 * A Kubernetes version update of a cluster, or a node group update (version, release, AMI type, launch template),
 * during a critical span of its region: the merged span of that region's freeze windows that holds `now`.
 */
function nodeFreezeFindings(
  resources: readonly Resource[],
  options: ChangeFreezeOptions,
  previous: Map<string, Record<string, unknown>> | undefined,
): FreezeFinding[] {
  const windows = resources.flatMap(windowsOf);
  const findings: FreezeFinding[] = [];
  for (const r of resources.filter((x) => NODE_CHANGE_TYPES.has(x.type))) {
    const region = regionOf({
      props: r.props,
      ...(r.provider?.props !== undefined ? { provider: { props: r.provider.props } } : {}),
    });
    const span = criticalSpanAt(
      windows.filter((w) => w.region === region),
      options.now,
    );
    if (span === undefined) continue;
    const change = changeSince(previous, r, (before, after) => nodeChange(r.type, before, after));
    if (change === undefined) continue;
    const kind =
      { [EKS_CLUSTER_TYPE]: "EKS cluster", [NODE_GROUP_TYPE]: "node group" }[r.type] ?? "launch template";
    findings.push(
      frozen(r.urn, `${kind} ${r.urn.split("::").pop() ?? r.urn}`, change, span, options.override),
    );
  }
  return findings;
}

/** The region's critical span holding `now`: its windows merged where they overlap or touch. */
function criticalSpanAt(
  windows: readonly FreezeWindow[],
  now: number,
): { text: string; end: string } | undefined {
  const sorted = [...windows].sort((a, b) => a.start.localeCompare(b.start));
  let group: FreezeWindow[] = [];
  let end = -Infinity;
  for (const w of [...sorted, undefined]) {
    if (w === undefined || Date.parse(w.start) > end) {
      const start = group[0] === undefined ? Infinity : Date.parse(group[0].start);
      if (start <= now && now < end) {
        const occurrences = [...new Set(group.flatMap((g) => g.occurrences))].sort();
        const endIso = new Date(end).toISOString();
        return {
          text: `critical span ${group[0]!.region} ${group[0]!.start}–${endIso} (${occurrences.join(", ")})`,
          end: endIso,
        };
      }
      group = [];
      end = -Infinity;
    }
    if (w !== undefined) {
      group.push(w);
      end = Math.max(end, Date.parse(w.end));
    }
  }
  return undefined;
}

/** The options from the environment the pack runs in (see the module comment). @throws on unreadable input */
export function changeFreezeOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ChangeFreezeOptions {
  const statePath = env.SEMESTER_PREVIOUS_STATE;
  const now = env.SEMESTER_NOW !== undefined ? Date.parse(env.SEMESTER_NOW) : Date.now();
  if (Number.isNaN(now)) throw new Error(`SEMESTER_NOW: ${env.SEMESTER_NOW} is not an ISO instant`);
  let override: FreezeOverride | undefined;
  if (env.SEMESTER_FREEZE_OVERRIDE !== undefined) {
    const o: unknown = JSON.parse(env.SEMESTER_FREEZE_OVERRIDE);
    if (!isRecord(o) || typeof o.reason !== "string" || typeof o.by !== "string" || !o.reason || !o.by) {
      throw new Error(
        `SEMESTER_FREEZE_OVERRIDE: expected {"reason": "<why>", "by": "<who>"}, both non-empty`,
      );
    }
    override = { reason: o.reason, by: o.by };
  }
  return {
    ...(statePath !== undefined ? { previousState: JSON.parse(fs.readFileSync(statePath, "utf8")) } : {}),
    now,
    ...(override !== undefined ? { override } : {}),
  };
}

/** The change freeze as a CrossGuard stack policy. */
export function changeFreezePolicy(config: GovernanceConfig, options: ChangeFreezeOptions): SemesterPolicy {
  return {
    name: "change-freeze",
    description:
      "No update may change a critical service's image or Rollout spec during its calendar windows, or a cluster's version or node group's nodes during its region's critical spans, without an explicit override.",
    severity: "high",
    enforcementLevel: cloudLevel(config, "change-freeze"),
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
      for (const f of changeFreezeFindings(args.resources, options)) {
        // An overridden change is reported for the record, not as a violation.
        if (f.level === "advisory") console.warn(`[change-freeze] ${f.message}`);
        else report(`[change-freeze] ${f.message}`, f.urn);
      }
    },
  };
}
