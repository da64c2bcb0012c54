/**
 * Chaos Mesh 2.8.3 for the faults FIS lacks: its Helm values (pinned, HA, namespace-scoped to the one namespace it
 * may target) and one `Schedule` per GameDay slot. Pure.
 *
 * What this relies on (chart 2.8.3 `values.yaml`, the Schedule CRD at v2.8.3, and chaos-mesh's
 * `pkg/.../schedule` controller which parses `spec.schedule` with robfig/cron v3's standard 5-field parser in the
 * controller's time zone, `timezone: UTC` here): a date-specific spec `M H D Mon *` fires once a year, so within
 * the calendar's horizon (under a year) it fires exactly at its slot; `startingDeadlineSeconds` drops a firing the
 * controller missed instead of running it late (possibly into a window); `concurrencyPolicy: Forbid` never lets
 * two runs overlap. `clusterScoped: false` with `controllerManager.targetNamespace` makes the controller act on
 * that namespace only. The privileged chaos-daemon runs in the release's own namespace (`chaos-mesh`).
 */
import type { KubeObject } from "../core";
import { LABELS, type ServicesConfig } from "../kubernetes";
import type { ExperimentConfig } from "./config";
import type { PlannedSlot } from "./scheduling";

export const CHAOS_MESH_CHART = {
  name: "chaos-mesh",
  version: "2.8.3",
  repository: "https://charts.chaos-mesh.org",
};
export const CHAOS_MESH_NAMESPACE = "chaos-mesh";
/** A firing the controller missed by more than this is skipped. */
export const STARTING_DEADLINE_SECONDS = 300;

/** The release's values. */
export function chaosMeshValues(targetNamespace: string): Record<string, unknown> {
  return {
    clusterScoped: false,
    timezone: "UTC",
    enableProfiling: false,
    controllerManager: {
      replicaCount: 3,
      targetNamespace,
      leaderElection: { enabled: true },
    },
    chaosDaemon: {
      runtime: "containerd",
      socketPath: "/run/containerd/containerd.sock",
    },
    dashboard: { create: false },
    dnsServer: { create: false },
  };
}

/** The date-specific UTC cron firing at `instant` (a whole minute). */
export function cronAt(instant: number): string {
  const d = new Date(instant);
  return `${d.getUTCMinutes()} ${d.getUTCHours()} ${d.getUTCDate()} ${d.getUTCMonth() + 1} *`;
}

function chaosSpec(
  exp: ExperimentConfig,
  services: ServicesConfig,
): { type: string; key: string; spec: object } {
  const service = exp.target.service;
  const selector = {
    namespaces: [services[service].namespace],
    labelSelectors: { [LABELS.name]: service },
  };
  const common = {
    mode: "fixed-percent",
    value: String(exp.target.percent),
    selector,
    duration: `${exp.durationMinutes}m`,
  };
  const fault = exp.fault;
  switch (fault.kind) {
    case "http-abort":
    case "http-delay":
      return {
        type: "HTTPChaos",
        key: "httpChaos",
        spec: {
          ...common,
          target: "Request",
          port: fault.port ?? services[service].port,
          path: fault.path,
          ...(fault.kind === "http-abort" ? { abort: true } : { delay: `${fault.delayMs}ms` }),
        },
      };
    case "time-skew":
      return {
        type: "TimeChaos",
        key: "timeChaos",
        spec: { ...common, timeOffset: `${fault.offsetSeconds}s` },
      };
    default:
      throw new Error(`${fault.kind} is a FIS fault, not a Chaos Mesh one`);
  }
}

/** One Schedule per slot of a Chaos Mesh experiment, named `<experiment>-<MMDD>`. */
export function chaosMeshSchedules(
  name: string,
  exp: ExperimentConfig,
  slots: readonly PlannedSlot[],
  services: ServicesConfig,
): KubeObject[] {
  const { type, key, spec } = chaosSpec(exp, services);
  return slots.map((slot) => {
    const d = new Date(slot.start);
    const day = `${String(d.getUTCMonth() + 1).padStart(2, "0")}${String(d.getUTCDate()).padStart(2, "0")}`;
    return {
      apiVersion: "chaos-mesh.org/v1alpha1",
      kind: "Schedule",
      metadata: {
        name: `${name}-${day}`,
        namespace: services[exp.target.service].namespace,
        labels: {
          [LABELS.managedBy]: "semester",
          [LABELS.partOf]: "game-days",
          "semester.dev/game-day": name,
        },
        annotations: {
          "semester.dev/hypothesis": exp.hypothesis,
          "semester.dev/slo": `${exp.slo.service} ${exp.slo.objective}`,
          "semester.dev/at": d.toISOString(),
        },
      },
      spec: {
        schedule: cronAt(slot.start),
        type,
        historyLimit: 1,
        concurrencyPolicy: "Forbid",
        startingDeadlineSeconds: STARTING_DEADLINE_SECONDS,
        [key]: spec,
      },
    };
  });
}

/** Pod-security rules the chaos-daemon breaks by design (privileged, host PID and paths, root, capabilities). */
export const CHAOS_DAEMON_EXCEPTED_RULES = [
  "disallow-host-namespaces",
  "disallow-privileged-containers",
  "disallow-privilege-escalation",
  "restrict-capabilities",
  "require-run-as-non-root",
  "require-seccomp-profile",
  "disallow-host-path",
  "restrict-volume-types",
] as const;
/** Add-on rules Chaos Mesh's pods (chart images from ghcr.io, its own labels, no NetworkPolicy) do not meet. */
export const CHAOS_MESH_ADDON_EXCEPTED_RULES = [
  "restrict-image-registries",
  "require-pinned-images",
  "require-labels",
  "require-probes",
  "require-requests-limits",
  "require-default-deny-network-policy",
] as const;

/**
 * The governance exceptions of Chaos Mesh, as the other add-ons get by namespace exclusion, but narrower: the
 * add-on rules for every workload of the `chaos-mesh` namespace, and the pod-security rules for the chaos-daemon
 * only (label `app.kubernetes.io/component: chaos-daemon`, the chart's); its controller and webhook stay under
 * them. `policyNames`: the ValidatingPolicies governance emits (a disabled rule has nothing to except).
 */
export function chaosMeshExceptions(policyNames: readonly string[]): KubeObject[] {
  const refs = (names: readonly string[]) =>
    names.filter((n) => policyNames.includes(n)).map((name) => ({ kind: "ValidatingPolicy", name }));
  const inNamespace = {
    name: "chaos-mesh-namespace",
    expression: `request.namespace == "${CHAOS_MESH_NAMESPACE}"`,
  };
  const meta = (name: string, why: string) => ({
    name,
    namespace: "kyverno",
    labels: { [LABELS.managedBy]: "semester", [LABELS.partOf]: "game-days" },
    annotations: { "semester.dev/why": why },
  });
  return [
    {
      apiVersion: "policies.kyverno.io/v1beta1",
      kind: "PolicyException",
      metadata: meta(
        "chaos-mesh-addon",
        "Chaos Mesh's chart pods, like every add-on's: registry, labels, probes, requests",
      ),
      spec: { policyRefs: refs(CHAOS_MESH_ADDON_EXCEPTED_RULES), matchConditions: [inNamespace] },
    },
    {
      apiVersion: "policies.kyverno.io/v1beta1",
      kind: "PolicyException",
      metadata: meta(
        "chaos-mesh-daemon",
        "the chaos-daemon injects faults from the host: privileged, host PID and paths",
      ),
      spec: {
        policyRefs: refs(CHAOS_DAEMON_EXCEPTED_RULES),
        matchConditions: [
          inNamespace,
          {
            name: "chaos-daemon-only",
            expression: `object.?metadata.?labels[?"app.kubernetes.io/component"].orValue("") == "chaos-daemon"`,
          },
        ],
      },
    },
  ];
}
