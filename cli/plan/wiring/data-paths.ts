/**
 * The network half of the analysis: every endpoint a binding hands a service is reachable from that service's
 * pods (NetworkPolicy egress, routes across regions, the store's security group), writes land on a store that
 * takes them (a global secondary only with write forwarding, a Redis secondary never), and every KEDA Kafka
 * trigger signs for, and can reach, the brokers it reads.
 */
import type { PlannedObject } from "../record";
import { serviceBindings, type BoundEndpoint, type ServiceBinding } from "./bindings";
import { at, jobEnv, PlanIndex } from "./model";
import {
  admitted,
  clusterNetwork,
  egressAllowed,
  envFromConfigMaps,
  routed,
  storeEndpoint,
  type ClusterNetwork,
  type Link,
  type StoreEndpoint,
} from "./network";
import type { ProvenPath, WiringFinding } from "./types";
import { DATA_ENV } from "../../../components/core";

type Obj = PlannedObject["object"];

export interface Checked {
  readonly proven: ProvenPath[];
  readonly findings: WiringFinding[];
}

const vpcCidrOf = (idx: PlanIndex, store: StoreEndpoint): string => {
  const vpc = idx.find("aws:ec2/vpc:Vpc", store.subnets[0]?.vpcId);
  return vpc ? String(vpc.inputs.cidrBlock) : "its VPC";
};

/** Checks the links of one pods → store path and records the verdict. */
function checkPath(
  idx: PlanIndex,
  out: Checked,
  subject: string,
  source: ClusterNetwork,
  pods: { namespace: string; labels: Readonly<Record<string, string>> },
  store: StoreEndpoint,
  extra: readonly Link[] = [],
  label: string = store.label,
): void {
  const path = `${label} :${store.port}`;
  const links: Link[] = [
    egressAllowed(idx, source.region, pods.namespace, pods.labels, {
      cidrs: store.subnets.map((s) => s.cidr),
      port: store.port,
    }),
    routed(idx, source, store, vpcCidrOf(idx, store)),
    admitted(idx, source, store),
    ...extra,
  ];
  record(out, "network", source.region, subject, path, links);
}

function record(
  out: Checked,
  kind: "network" | "identity",
  region: string,
  subject: string,
  path: string,
  links: readonly Link[],
): void {
  const missing = links.filter((l): l is Extract<Link, { ok: false }> => !l.ok);
  if (missing.length > 0) {
    for (const m of missing) out.findings.push({ kind, region, subject, path, missing: m.missing });
  } else {
    out.proven.push({
      kind,
      region,
      subject,
      path,
      via: links.map((l) => (l as Extract<Link, { ok: true }>).via),
    });
  }
}

/** A global database's secondary takes writes only when it forwards them; a Global Datastore secondary never. */
function writeAccepted(
  idx: PlanIndex,
  binding: ServiceBinding,
  endpoint: BoundEndpoint,
  store: StoreEndpoint,
): Link {
  if (!binding.write) return { ok: true, via: "read binding" };
  const r = store.resource;
  if (endpoint.kind === "postgres" && typeof r.inputs.globalClusterIdentifier === "string") {
    const global = idx.find("aws:rds/globalCluster:GlobalCluster", r.inputs.globalClusterIdentifier);
    const primary = global !== undefined && global.region === r.region;
    if (primary) return { ok: true, via: "global database primary" };
    if (r.inputs.enableGlobalWriteForwarding !== true) {
      return { ok: false, missing: `a global secondary without write forwarding rejects writes` };
    }
    if (binding.data[DATA_ENV.postgresWriteForwarding] !== "true") {
      return {
        ok: false,
        missing: `the binding does not tell the service to forward writes (POSTGRES_WRITE_FORWARDING)`,
      };
    }
    return { ok: true, via: `global write forwarding on ${r.name}` };
  }
  return { ok: true, via: "takes writes" };
}

function redisWritable(idx: PlanIndex, binding: ServiceBinding, store: StoreEndpoint): Link {
  if (binding.data[DATA_ENV.redisWritable] !== "true") return { ok: true, via: "read-only use" };
  const global = idx
    .ofType("aws:elasticache/globalReplicationGroup:GlobalReplicationGroup")
    .find((g) => g.outputs?.globalReplicationGroupId === store.resource.inputs.globalReplicationGroupId);
  const secondary =
    global !== undefined &&
    idx.find("aws:elasticache/replicationGroup:ReplicationGroup", global.inputs.primaryReplicationGroupId) !==
      store.resource;
  return secondary
    ? { ok: false, missing: "REDIS_WRITABLE is true, but a Global Datastore secondary is read-only" }
    : { ok: true, via: "writable group" };
}

function checkBinding(idx: PlanIndex, out: Checked, binding: ServiceBinding): void {
  const source = clusterNetwork(idx, binding.region);
  if (source === undefined) return;
  const subject = `${binding.region}/${binding.service}`;
  const pods = { namespace: binding.namespace, labels: binding.podLabels };
  const seen = new Set<string>();
  for (const endpoint of binding.endpoints) {
    if (endpoint.inCluster !== undefined) {
      const { namespace, cluster } = endpoint.inCluster;
      const path = `Strimzi ${namespace}/${cluster} :${endpoint.port}`;
      if (seen.has(path)) continue;
      seen.add(path);
      const link = egressAllowed(idx, binding.region, pods.namespace, pods.labels, {
        namespace,
        podLabels: { "strimzi.io/cluster": cluster },
        port: endpoint.port,
      });
      const exists = idx.objects(binding.region, "Kafka", namespace).some((k) => k.metadata.name === cluster)
        ? ({ ok: true, via: `Kafka ${namespace}/${cluster}` } as const)
        : ({ ok: false, missing: `no Kafka ${namespace}/${cluster} in the cluster` } as const);
      record(out, "network", binding.region, subject, path, [link, exists]);
      continue;
    }
    const store = endpoint.store;
    if (store === undefined) {
      out.findings.push({
        kind: "network",
        region: binding.region,
        subject,
        path: `${endpoint.host}:${endpoint.port}`,
        missing: `${binding.configMap} names a host no store of the plan serves`,
      });
      continue;
    }
    const key = `${store.resource.urn}:${store.port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const semantics =
      endpoint.kind === "redis"
        ? [redisWritable(idx, binding, store)]
        : [writeAccepted(idx, binding, endpoint, store)];
    // A write binding that names a reader endpoint writes through a global secondary (forwarded, or refused).
    const label =
      binding.write && endpoint.kind === "postgres" && store.label.endsWith(" reader")
        ? `${store.region} Aurora secondary (writes)`
        : store.label;
    checkPath(idx, out, subject, source, pods, store, semantics, label);
  }
}

/** The brokers a ScaledObject's Kafka trigger reads: literal, or from its target's env. */
function triggerBrokers(
  idx: PlanIndex,
  region: string,
  scaledObject: Obj,
  trigger: Record<string, unknown>,
): string[] {
  const metadata = (trigger.metadata ?? {}) as Record<string, string>;
  if (metadata.bootstrapServers) return metadata.bootstrapServers.split(",");
  const env = metadata.bootstrapServersFromEnv;
  const target = idx
    .workloads(region, scaledObject.metadata.namespace)
    .find(
      (d) =>
        d.kind === (at(scaledObject, "spec", "scaleTargetRef", "kind") ?? "Deployment") &&
        d.metadata.name === at(scaledObject, "spec", "scaleTargetRef", "name"),
    );
  if (env === undefined || target === undefined) return [];
  const value = envFromConfigMaps(idx, region, target)
    .map((c) => c.data?.[env])
    .find((v) => v !== undefined);
  return value ? value.split(",") : [];
}

function checkKedaTriggers(idx: PlanIndex, out: Checked, region: string): void {
  const source = clusterNetwork(idx, region);
  if (source === undefined) return;
  for (const so of idx.objects(region, "ScaledObject")) {
    const triggers = at(so, "spec", "triggers");
    for (const t of (Array.isArray(triggers) ? triggers : []) as Record<string, unknown>[]) {
      if (t.type !== "apache-kafka") continue;
      const metadata = (t.metadata ?? {}) as Record<string, string>;
      const subject = `${region}/keda/keda-operator`;
      const brokers = triggerBrokers(idx, region, so, t);
      const first = brokers[0]?.split(":") ?? [];
      const store = first[0] ? storeEndpoint(idx, first[0], Number(first[1])) : undefined;
      if (store === undefined) {
        out.findings.push({
          kind: "network",
          region,
          subject,
          path: `brokers of ScaledObject ${so.metadata.namespace}/${so.metadata.name}`,
          missing: `the trigger's brokers (${brokers.join(",") || "none"}) are no MSK cluster of the plan`,
        });
        continue;
      }
      const signing: Link =
        metadata.sasl !== "aws_msk_iam" || metadata.awsRegion === store.region
          ? { ok: true, via: `signs for ${store.region}` }
          : {
              ok: false,
              missing: `the trigger of ${so.metadata.namespace}/${so.metadata.name} signs for ${metadata.awsRegion}; the brokers are in ${store.region}`,
            };
      checkPath(
        idx,
        out,
        subject,
        source,
        { namespace: "keda", labels: { "app.kubernetes.io/name": "keda-operator" } },
        store,
        [signing],
      );
    }
  }
}

/** The database-role Job reaches every primary writer it names (`SEMESTER_SHARD_<n>_HOST`). */
function checkRoleBootstrap(idx: PlanIndex, out: Checked, region: string): void {
  const source = clusterNetwork(idx, region);
  if (source === undefined) return;
  for (const job of idx.objects(region, "Job")) {
    if (at(job, "metadata", "labels", "app.kubernetes.io/component") !== "database-roles") continue;
    const env = jobEnv(job);
    const labels = (at(job, "spec", "template", "metadata", "labels") ?? {}) as Record<string, string>;
    const subject = `${region}/${job.metadata.namespace}/${String(at(job, "metadata", "labels", "app.kubernetes.io/name"))}`;
    for (const [key, host] of Object.entries(env).filter(([k]) => /^SEMESTER_SHARD_\d+_HOST$/.test(k))) {
      const store = storeEndpoint(idx, host, 5432);
      if (store === undefined) {
        out.findings.push({
          kind: "network",
          region,
          subject,
          path: `${host}:5432`,
          missing: `${key} names a host no store of the plan serves`,
        });
        continue;
      }
      checkPath(idx, out, subject, source, { namespace: job.metadata.namespace ?? "default", labels }, store);
    }
  }
}

/** Every data path of the plan, per region. */
export function dataPathChecks(
  idx: PlanIndex,
  bindings: readonly ServiceBinding[] = serviceBindings(idx),
): Checked {
  const out: Checked = { proven: [], findings: [] };
  for (const binding of bindings) checkBinding(idx, out, binding);
  for (const region of idx.regions()) {
    checkKedaTriggers(idx, out, region);
    checkRoleBootstrap(idx, out, region);
  }
  // One path per subject and store: the KEDA operator reads several triggers of the same brokers.
  const unique = (xs: ProvenPath[]) => [
    ...new Map(xs.map((p) => [`${p.subject}\u0000${p.path}`, p])).values(),
  ];
  const uniqueFindings = [
    ...new Map(out.findings.map((f) => [`${f.subject}\u0000${f.path}\u0000${f.missing}`, f])).values(),
  ];
  return { proven: unique(out.proven), findings: uniqueFindings };
}
