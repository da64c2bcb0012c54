/**
 * Every dashboard of a region, the PromQL in a dashboard, and the ConfigMaps that provision them. The dashboards
 * are code in the repo: `dashboards()` builds their JSON models from the stack's services and objectives, and
 * Grafana's dashboard sidecar (kube-prometheus-stack's `grafana.sidecar.dashboards`, label `grafana_dashboard:
 * "1"`, searching all namespaces) loads every ConfigMap so labelled as a file. Pure.
 */
import { SERVICE_NAMES, type ServiceName, type ServicesConfig } from "../../kubernetes";
import { isDnsLabel, throwIfProblems, type Environment, type KubeObject, type Problem } from "../../core";
import { resolveObjective, type Objective, type ObservabilityConfig } from "../config";
import type { Dashboard } from "../types";
import { MAX_UID_LENGTH } from "./model";
import { platformDashboard } from "./platform";
import { regionDashboard } from "./region";
import { serviceDashboard } from "./service";

/** @internal kube-prometheus-stack 88.5.3 values: `grafana.sidecar.dashboards.label` / `labelValue`. */
export const GRAFANA_DASHBOARD_LABEL = { key: "grafana_dashboard", value: "1" } as const;

/** @internal A ConfigMap holds at most 1 MiB of data (the API server's limit on an object). */
export const MAX_DASHBOARD_BYTES = 1024 * 1024;

export interface DashboardsInput {
  readonly services: ServicesConfig;
  readonly config: ObservabilityConfig;
  readonly region: string;
  readonly environment: Environment;
  /** Objectives per service, replacing the resolved ones. @default - `resolveObjective` for each service */
  readonly objectives?: Readonly<Partial<Record<ServiceName, Objective>>>;
}

/**
 * The region's dashboards: one per service, the region's, and the platform's; none when `dashboards.enabled` is
 * off.
 */
export function dashboards(input: DashboardsInput): Dashboard[] {
  if (!input.config.dashboards.enabled) return [];
  const objective = (s: ServiceName) =>
    input.objectives?.[s] ?? resolveObjective(input.config, s, input.services[s].tier);
  const common = { region: input.region, environment: input.environment };
  return [
    ...SERVICE_NAMES.map((service) =>
      serviceDashboard({
        ...common,
        service,
        config: input.services[service],
        objective: objective(service),
      }),
    ),
    regionDashboard({
      ...common,
      services: SERVICE_NAMES.map((service) => ({
        service,
        namespace: input.services[service].namespace,
        objective: objective(service),
      })),
    }),
    platformDashboard(common),
  ];
}

/** Every PromQL expression in a dashboard: its panels' targets and its annotation queries, in order. */
export function dashboardQueries(d: Dashboard): string[] {
  const out: string[] = [];
  const annotations = (d.model.annotations as { list?: unknown[] } | undefined)?.list ?? [];
  for (const a of annotations) collectExprs(a, out);
  for (const p of (d.model.panels as unknown[] | undefined) ?? []) collectExprs(p, out);
  return out;
}

function collectExprs(node: unknown, out: string[]): void {
  if (Array.isArray(node)) {
    for (const n of node) collectExprs(n, out);
  } else if (node !== null && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "expr" && typeof v === "string") out.push(v);
      else collectExprs(v, out);
    }
  }
}

/** @internal The ConfigMap name of a dashboard. */
export function dashboardConfigMapName(d: Dashboard): string {
  return `grafana-dashboard-${d.uid}`;
}

const UID = /^[a-zA-Z0-9_-]+$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+\.json$/;

/**
 * One ConfigMap per dashboard, labelled for Grafana's sidecar, its JSON model under its file name.
 * @throws InputError (source `dashboardObjects`) when a uid or file is invalid or used twice, a model's uid
 * disagrees with its dashboard's, a model exceeds a ConfigMap, or the namespace is not a DNS label.
 */
export function dashboardObjects(list: readonly Dashboard[], namespace: string): KubeObject[] {
  const problems: Problem[] = [];
  if (!isDnsLabel(namespace))
    problems.push({ path: "namespace", value: namespace, rule: "must be a DNS label" });
  const uids = new Map<string, number>();
  const files = new Map<string, number>();
  const texts = list.map((d, i) => {
    const path = `dashboards[${i}]`;
    if (!UID.test(d.uid) || d.uid.length > MAX_UID_LENGTH)
      problems.push({
        path: `${path}.uid`,
        value: d.uid,
        rule: `must be 1..${MAX_UID_LENGTH} letters, digits, - or _ (Grafana's limit)`,
      });
    if (d.model.uid !== d.uid)
      problems.push({
        path: `${path}.model.uid`,
        value: d.model.uid,
        rule: `must equal the dashboard's uid ${d.uid}`,
      });
    if (!CONFIG_MAP_KEY.test(d.file))
      problems.push({ path: `${path}.file`, value: d.file, rule: "must be a ConfigMap key ending in .json" });
    const firstUid = uids.get(d.uid);
    if (firstUid !== undefined)
      problems.push({ path: `${path}.uid`, value: d.uid, rule: `used twice (dashboards[${firstUid}])` });
    else uids.set(d.uid, i);
    const firstFile = files.get(d.file);
    if (firstFile !== undefined)
      problems.push({ path: `${path}.file`, value: d.file, rule: `used twice (dashboards[${firstFile}])` });
    else files.set(d.file, i);
    const text = JSON.stringify(d.model);
    const bytes = Buffer.byteLength(text, "utf8");
    if (bytes > MAX_DASHBOARD_BYTES)
      problems.push({
        path: `${path}.model`,
        value: `${bytes} bytes`,
        rule: `must fit a ConfigMap (${MAX_DASHBOARD_BYTES} bytes)`,
        fix: "split the dashboard",
      });
    return text;
  });
  throwIfProblems("dashboardObjects", problems);
  return list.map((d, i) => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: dashboardConfigMapName(d),
      namespace,
      labels: {
        [GRAFANA_DASHBOARD_LABEL.key]: GRAFANA_DASHBOARD_LABEL.value,
        "app.kubernetes.io/part-of": "semester",
        "app.kubernetes.io/component": "dashboard",
      },
    },
    data: { [d.file]: texts[i]! },
  }));
}
