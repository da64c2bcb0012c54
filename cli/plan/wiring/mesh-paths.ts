/**
 * The mesh's links, per region, for every workload in a namespace labelled for sidecar injection:
 * - ordering: the workload waits for the istiod release (its injection webhook), or its first pods start without a
 *   sidecar and STRICT mTLS refuses them;
 * - authorization vs network: the principals its ALLOW AuthorizationPolicies admit are exactly the pods its
 *   NetworkPolicies admit (mapped to their service accounts); a peer only one of them admits is a finding, and so is
 *   an ipBlock peer (outside the mesh, so plaintext, which STRICT mTLS refuses);
 * - the network path: each admitted caller's (and the gateway's) egress reaches the workload's port.
 */
import type { PlannedResource } from "../record";
import { chartName } from "../observability/helm-values";
import { at, type PlanIndex } from "./model";
import { egressAllowed } from "./network";
import type { ProvenPath, WiringFinding } from "./types";
import { INJECTION_LABEL, principal } from "../../../components/mesh";
import { optedOut } from "../mesh-injection";

type Labels = Record<string, string>;
type Obj = ReturnType<PlanIndex["objects"]>[number];

/** How the plan records an Argo Rollout (the workload kind of every delivered service). */
const ROLLOUT_TYPE = "kubernetes:argoproj.io/v1alpha1:Rollout";

const matches = (selector: unknown, labels: Labels): boolean =>
  Object.entries((at(selector, "matchLabels") ?? {}) as Labels).every(([k, v]) => labels[k] === v);

const podLabels = (d: Obj): Labels => (at(d, "spec", "template", "metadata", "labels") ?? {}) as Labels;
const serviceAccount = (d: Obj): string =>
  String(at(d, "spec", "template", "spec", "serviceAccountName") ?? "default");

/** The labels Istio's gateway chart gives its pods: `app: <release>`, `istio: <release without "istio-">`. */
const releasePodLabels = (release: string): Labels => ({
  app: release,
  istio: release.replace(/^istio-/, ""),
});

export function meshPathChecks(idx: PlanIndex): { proven: ProvenPath[]; findings: WiringFinding[] } {
  const proven: ProvenPath[] = [];
  const findings: WiringFinding[] = [];
  const [key, value] = Object.entries(INJECTION_LABEL)[0]!;
  for (const region of idx.regions()) {
    const meshed = idx
      .objects(region, "Namespace")
      .filter((n) => (n.metadata as { labels?: Labels }).labels?.[key] === value)
      .map((n) => n.metadata.name);
    if (meshed.length === 0) continue;
    // A pod that opts out of injection (the node placeholders) is not in the mesh.
    const workloads = meshed
      .flatMap((ns) => idx.workloads(region, ns))
      .filter((d) => !optedOut(podLabels(d)));
    const istiod = idx
      .ofType("kubernetes:helm.sh/v3:Release", region)
      .find((r) => chartName(String(r.inputs.chart ?? "")) === "istiod");
    const deploymentResource = (d: Obj): PlannedResource | undefined =>
      [...idx.ofType("kubernetes:apps/v1:Deployment", region), ...idx.ofType(ROLLOUT_TYPE, region)].find(
        (r) =>
          at(r.inputs, "metadata", "name") === d.metadata.name &&
          at(r.inputs, "metadata", "namespace") === d.metadata.namespace,
      );
    /** The principal of the pods a NetworkPolicy peer selects, or why it has none. */
    const peerPrincipals = (peer: unknown): { principals: string[]; outside?: string } => {
      const block = at(peer, "ipBlock", "cidr");
      if (typeof block === "string") return { principals: [], outside: block };
      const ns = at(peer, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name");
      const selector = at(peer, "podSelector");
      const candidates = idx
        .workloads(region)
        .filter((d) => (ns === undefined || d.metadata.namespace === ns) && matches(selector, podLabels(d)));
      if (candidates.length > 0)
        return { principals: candidates.map((d) => principal(d.metadata.namespace!, serviceAccount(d))) };
      // Pods the plan does not render (a Helm release's): their release names their service account.
      const release = idx
        .ofType("kubernetes:helm.sh/v3:Release", region)
        .find((r) => r.inputs.namespace === ns && matches(selector, releasePodLabels(String(r.inputs.name))));
      return { principals: release ? [principal(String(ns), String(release.inputs.name))] : [] };
    };

    for (const d of workloads) {
      const ns = d.metadata.namespace!;
      const subject = `${region}/${ns}/${d.metadata.name}`;
      const labels = podLabels(d);
      const res = deploymentResource(d);
      if (istiod === undefined) {
        findings.push({
          kind: "dependency",
          region,
          subject,
          path: "sidecar injection",
          missing: "no istiod Helm release in the cluster",
        });
      } else if (res === undefined || !idx.waitsFor(res).has(istiod.urn)) {
        findings.push({
          kind: "dependency",
          region,
          subject,
          path: "sidecar injection",
          missing: `not ordered after Helm release ${String(istiod.inputs.name)} (its injection webhook)`,
        });
      } else {
        proven.push({
          kind: "dependency",
          region,
          subject,
          path: "sidecar injection",
          via: [`Helm release ${String(istiod.inputs.name)} (istiod)`],
        });
      }

      const policies = idx
        .objects(region, "AuthorizationPolicy", ns)
        .filter(
          (p) =>
            (at(p, "spec", "action") ?? "ALLOW") === "ALLOW" &&
            matches(at(p, "spec", "selector"), labels) &&
            at(p, "spec", "selector") !== undefined,
        );
      const allowed = new Map<string, { policy: string; ports: string[] }>();
      for (const p of policies) {
        const rules = at(p, "spec", "rules");
        for (const rule of Array.isArray(rules) ? rules : []) {
          const ports =
            (at(rule, "to") as unknown[] | undefined)?.flatMap(
              (t) => (at(t, "operation", "ports") as string[] | undefined) ?? [],
            ) ?? [];
          for (const from of (at(rule, "from") as unknown[] | undefined) ?? [])
            for (const pr of (at(from, "source", "principals") as string[] | undefined) ?? [])
              allowed.set(pr, { policy: `AuthorizationPolicy ${ns}/${p.metadata.name}`, ports });
        }
      }
      const admitted = new Map<string, string>();
      for (const np of idx.objects(region, "NetworkPolicy", ns)) {
        if (!(at(np, "spec", "policyTypes") as string[] | undefined)?.includes("Ingress")) continue;
        if (!matches(at(np, "spec", "podSelector"), labels)) continue;
        for (const rule of (at(np, "spec", "ingress") as unknown[] | undefined) ?? []) {
          for (const peer of (at(rule, "from") as unknown[] | undefined) ?? []) {
            const { principals, outside } = peerPrincipals(peer);
            if (outside !== undefined)
              findings.push({
                kind: "network",
                region,
                subject,
                path: `mTLS from ${outside}`,
                missing: `NetworkPolicy ${ns}/${np.metadata.name} admits ${outside}, which is outside the mesh: STRICT mTLS refuses its plaintext`,
              });
            for (const pr of principals) admitted.set(pr, `NetworkPolicy ${ns}/${np.metadata.name}`);
          }
        }
      }
      for (const [pr, via] of admitted) {
        const path = `mesh caller ${pr}`;
        const allow = allowed.get(pr);
        if (allow === undefined) {
          findings.push({
            kind: "network",
            region,
            subject,
            path,
            missing: `${via} admits it but no AuthorizationPolicy allows ${pr}`,
          });
          continue;
        }
        const [, callerNs, , sa] = pr.split("/").slice(1);
        const caller = idx.workloads(region, callerNs).find((c) => serviceAccount(c) === sa);
        const callerLabels = caller ? podLabels(caller) : releasePodLabels(String(sa));
        const port = Number(allow.ports[0] ?? NaN);
        const egress = Number.isFinite(port)
          ? egressAllowed(idx, region, String(callerNs), callerLabels, {
              namespace: ns,
              podLabels: labels,
              port,
            })
          : ({ ok: false, missing: "the AuthorizationPolicy names no port" } as const);
        if (!egress.ok) {
          findings.push({
            kind: "network",
            region,
            subject,
            path,
            missing: `caller egress: ${egress.missing}`,
          });
          continue;
        }
        proven.push({ kind: "network", region, subject, path, via: [via, allow.policy, egress.via] });
      }
      for (const [pr, allow] of allowed) {
        if (admitted.has(pr)) continue;
        findings.push({
          kind: "network",
          region,
          subject,
          path: `mesh caller ${pr}`,
          missing: `${allow.policy} allows it but no NetworkPolicy admits its pods`,
        });
      }
    }
  }
  return { proven, findings };
}
