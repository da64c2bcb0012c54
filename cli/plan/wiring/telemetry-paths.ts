/**
 * The path an instrumented service's telemetry takes, proven from the plan: every Deployment whose pod template
 * asks the OpenTelemetry Operator to inject an agent (`instrumentation.opentelemetry.io/inject-<language>:
 * <namespace>/<name>`) names an Instrumentation that exists and is created before it (the webhook injects only
 * when the pod is created; a pod created first starts uninstrumented until its next restart); the
 * Instrumentation's exporter endpoint is the Service of a collector the plan declares; and the pods'
 * NetworkPolicies let them reach that collector's pods on the endpoint's port (the learning namespaces deny by
 * default, so without an egress allow every span and metric is dropped and the request-rate triggers fall back).
 *
 * The operator names a collector's Service `<name>-collector` and labels its pods with the
 * `app.kubernetes.io/{name,component,managed-by,instance,part-of}` set below (opentelemetry-operator v0.158.0,
 * `internal/naming/main.go` and `internal/manifests/manifestutils/labels.go`).
 */
import { egressAllowed } from "./network";
import { at, type PlanIndex } from "./model";
import type { ProvenPath, WiringFinding } from "./types";

const INJECT = /^instrumentation\.opentelemetry\.io\/inject-([a-z]+)$/;

/** The labels the operator puts on a collector's pods. */
export function collectorPodLabels(namespace: string, name: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": `${name}-collector`,
    "app.kubernetes.io/component": "opentelemetry-collector",
    "app.kubernetes.io/managed-by": "opentelemetry-operator",
    "app.kubernetes.io/instance": `${namespace}.${name}`,
    "app.kubernetes.io/part-of": "opentelemetry",
  };
}

type Obj = ReturnType<PlanIndex["objects"]>[number];

/** The plan's resource of a Kubernetes object (to read what it waits for). */
function resourceOf(idx: PlanIndex, region: string, o: Obj) {
  const [group, version] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : ["core", o.apiVersion];
  const type = `kubernetes:${group}/${version}:${o.kind}`;
  return idx
    .ofType(type, region)
    .find(
      (r) =>
        at(r.inputs, "metadata", "name") === o.metadata.name &&
        at(r.inputs, "metadata", "namespace") === o.metadata.namespace,
    );
}

export function telemetryPathChecks(idx: PlanIndex): { proven: ProvenPath[]; findings: WiringFinding[] } {
  const proven: ProvenPath[] = [];
  const findings: WiringFinding[] = [];
  for (const region of idx.regions()) {
    for (const deployment of idx.workloads(region)) {
      const annotations = (at(deployment, "spec", "template", "metadata", "annotations") ?? {}) as Record<
        string,
        string
      >;
      const podLabels = (at(deployment, "spec", "template", "metadata", "labels") ?? {}) as Record<
        string,
        string
      >;
      const namespace = deployment.metadata.namespace ?? "default";
      const subject = `${region}/${deployment.metadata.name}`;
      for (const [key, value] of Object.entries(annotations)) {
        const language = INJECT.exec(key)?.[1];
        if (language === undefined) continue;
        const [instNs, instName] = value.includes("/") ? value.split("/") : [namespace, value];
        const path = `${language} auto-instrumentation ${instNs}/${instName}`;
        const instrumentation = idx
          .objects(region, "Instrumentation", instNs)
          .find((i) => i.metadata.name === instName);
        if (instrumentation === undefined) {
          findings.push({
            kind: "dependency",
            region,
            subject,
            path,
            missing: `no Instrumentation ${instNs}/${instName} in the cluster`,
          });
          continue;
        }
        const instRes = resourceOf(idx, region, instrumentation);
        const depRes = resourceOf(idx, region, deployment);
        if (instRes !== undefined && depRes !== undefined && !idx.waitsFor(depRes).has(instRes.urn)) {
          findings.push({
            kind: "dependency",
            region,
            subject,
            path,
            missing: `the ${deployment.kind} is not created after Instrumentation ${instNs}/${instName}: its first pods would start uninstrumented`,
          });
          continue;
        }
        proven.push({
          kind: "dependency",
          region,
          subject,
          path,
          via: [
            `Instrumentation ${instNs}/${instName}`,
            ...(instRes ? [`${depRes?.name} waits for ${instRes.name}`] : []),
          ],
        });

        const endpoint = String(at(instrumentation, "spec", "exporter", "endpoint") ?? "");
        let url: URL;
        try {
          url = new URL(endpoint);
        } catch {
          findings.push({
            kind: "network",
            region,
            subject,
            path: `OTLP endpoint of ${instNs}/${instName}`,
            missing: `not a URL: ${JSON.stringify(endpoint)}`,
          });
          continue;
        }
        const [service, svcNs] = url.hostname.split(".");
        const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
        const target = `${url.host} (OTLP)`;
        const collector = idx
          .objects(region, "OpenTelemetryCollector", svcNs)
          .find((c) => `${c.metadata.name}-collector` === service);
        if (collector === undefined || svcNs === undefined) {
          findings.push({
            kind: "dependency",
            region,
            subject,
            path: target,
            missing: `no OpenTelemetryCollector whose Service is ${url.hostname}`,
          });
          continue;
        }
        const link = egressAllowed(idx, region, namespace, podLabels, {
          namespace: svcNs,
          podLabels: collectorPodLabels(svcNs, collector.metadata.name),
          port,
        });
        if (link.ok)
          proven.push({
            kind: "network",
            region,
            subject,
            path: target,
            via: [`OpenTelemetryCollector ${svcNs}/${collector.metadata.name}`, link.via],
          });
        else findings.push({ kind: "network", region, subject, path: target, missing: link.missing });
      }
    }
  }
  return { proven, findings };
}
