/**
 * The dependency part of the wiring analysis: per region, from the recorded plan alone,
 * - every Ingress's class is served by an installed controller, and that controller has a Pod Identity binding it
 *   waits for (the AWS Load Balancer Controller's chart creates IngressClass `alb` by default: `ingressClass: alb`,
 *   `createIngressClassResource: true` in its values.yaml);
 * - every StorageClass's provisioner has its CSI driver installed in that region's cluster, bound to a role;
 * - every claim (PersistentVolumeClaim, StatefulSet volumeClaimTemplate, Strimzi persistent-claim storage) names a
 *   StorageClass that exists in that cluster (or there is a default class);
 * - every custom resource has its CRD installed in that cluster by a Helm release or a CRD object, and its operator,
 *   and waits for both.
 *
 * "Waits for" follows the engine's ordering as the recorder shows it: a resource's `dependencies` (a dependency on a
 * component stands for all its children), transitively, and those of its ancestors: the objects a v1 ConfigGroup
 * expands have no dependencies of their own, they are ordered by their ConfigGroup's `dependsOn`.
 */
import type { PlannedResource } from "../record";
import {
  ALB_CONTROLLER,
  BUILT_IN_GROUPS,
  CHARTS,
  CSI_DRIVERS,
  DEFAULT_CLASS_ANNOTATION,
  DEFAULT_STORAGE_CLASS_ANNOTATION,
} from "./dependency-catalogue";
import { at, PlanIndex } from "./model";
import type { ProvenPath, WiringFinding } from "./types";

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } } & Record<
  string,
  unknown
>;

const NOT_CLUSTER_OBJECTS =
  /^(kubernetes:yaml:|kubernetes:helm\.sh\/|kubernetes:kustomize:|pulumi:providers:)/;

interface Release {
  readonly resource: PlannedResource;
  readonly releaseName: string;
  readonly chart: string;
  readonly namespace: string;
  readonly values: Record<string, unknown>;
}

interface ClusterObject {
  readonly resource: PlannedResource;
  readonly object: Obj;
}

export function dependencyFindings(
  plan: { readonly resources: readonly PlannedResource[] },
  index: PlanIndex = new PlanIndex({ resources: plan.resources, objects: [] }),
): {
  proven: ProvenPath[];
  findings: WiringFinding[];
} {
  const waitsFor = (r: PlannedResource, dep: PlannedResource) => index.waitsFor(r).has(dep.urn);
  const proven: ProvenPath[] = [];
  const findings: WiringFinding[] = [];
  const clusters = plan.resources.filter((r) => r.type === "aws:eks/cluster:Cluster" && r.region);
  for (const cluster of clusters) {
    const region = cluster.region!;
    const clusterName = String(cluster.inputs.name ?? cluster.outputs?.name ?? "");
    const inRegion = plan.resources.filter((r) => r.region === region);
    const objects: ClusterObject[] = inRegion
      .filter((r) => r.custom && r.type.startsWith("kubernetes:") && !NOT_CLUSTER_OBJECTS.test(r.type))
      .map((r) => ({ resource: r, object: r.inputs as Obj }));
    const releases: Release[] = inRegion
      .filter((r) => r.type === "kubernetes:helm.sh/v3:Release")
      .map((r) => ({
        resource: r,
        releaseName: String(r.inputs.name ?? r.name),
        chart:
          String(r.inputs.chart ?? "")
            .split("/")
            .pop() ?? "",
        namespace: String(r.inputs.namespace ?? "default"),
        values: (r.inputs.values ?? {}) as Record<string, unknown>,
      }));
    const associations = inRegion.filter(
      (r) =>
        r.type === "aws:eks/podIdentityAssociation:PodIdentityAssociation" &&
        r.inputs.clusterName === clusterName,
    );
    const addons = inRegion.filter(
      (r) => r.type === "aws:eks/addon:Addon" && r.inputs.clusterName === clusterName,
    );
    const ctx: RegionContext = {
      region,
      objects,
      releases,
      associations,
      addons,
      waitsFor,
      proven,
      findings,
    };
    checkIngresses(ctx);
    checkStorageClasses(ctx);
    checkClaims(ctx);
    checkCustomResources(ctx);
  }
  return { proven, findings };
}

interface RegionContext {
  readonly region: string;
  readonly objects: readonly ClusterObject[];
  readonly releases: readonly Release[];
  readonly associations: readonly PlannedResource[];
  readonly addons: readonly PlannedResource[];
  /** Whether one resource is created only after another, as the engine orders them (`PlanIndex.waitsFor`). */
  readonly waitsFor: (r: PlannedResource, dep: PlannedResource) => boolean;
  readonly proven: ProvenPath[];
  readonly findings: WiringFinding[];
}

/** Records the verdict on one subject's path: a missing link, or the links that prove it. */
function verdict(ctx: RegionContext, subject: string, path: string) {
  const { region } = ctx;
  return {
    missing: (missing: string) => ctx.findings.push({ kind: "dependency", region, subject, path, missing }),
    proved: (via: string[]) => ctx.proven.push({ kind: "dependency", region, subject, path, via }),
  };
}

function subjectOf(region: string, o: Obj): string {
  return o.metadata.namespace
    ? `${region}/${o.metadata.namespace}/${o.metadata.name}`
    : `${region}/${o.metadata.name}`;
}

function annotation(o: Obj, key: string): string | undefined {
  const v = at(o, "metadata", "annotations", key);
  return typeof v === "string" ? v : undefined;
}

// ---- Ingress -> IngressClass -> controller -> identity

function checkIngresses(ctx: RegionContext): void {
  const { region } = ctx;
  const albReleases = ctx.releases.filter((r) => r.chart === "aws-load-balancer-controller");
  const classObjects = ctx.objects.filter((o) => o.object.kind === "IngressClass");
  // Classes the controllers' charts create, and IngressClass objects naming the controller.
  const served = new Map<string, Release>();
  for (const rel of albReleases) {
    if (rel.values.createIngressClassResource !== false) {
      served.set(typeof rel.values.ingressClass === "string" ? rel.values.ingressClass : "alb", rel);
    }
  }
  for (const c of classObjects) {
    if (at(c.object, "spec", "controller") === ALB_CONTROLLER && albReleases[0]) {
      served.set(c.object.metadata.name, albReleases[0]);
    }
  }
  const defaultClass = classObjects.find((c) => annotation(c.object, DEFAULT_CLASS_ANNOTATION) === "true")
    ?.object.metadata.name;
  for (const ing of ctx.objects.filter((o) => o.object.kind === "Ingress")) {
    const subject = subjectOf(region, ing.object);
    const named =
      at(ing.object, "spec", "ingressClassName") ?? annotation(ing.object, "kubernetes.io/ingress.class");
    const className = typeof named === "string" ? named : defaultClass;
    const path = `IngressClass ${className ?? "(default)"}`;
    const { missing: finding, proved } = verdict(ctx, subject, path);
    if (className === undefined) {
      finding("no ingressClassName and no default IngressClass in the cluster");
      continue;
    }
    const release = served.get(className);
    if (!release) {
      finding(`no controller serves IngressClass ${className}`);
      continue;
    }
    const sa = at(release.values, "serviceAccount", "name");
    const serviceAccount = `${release.namespace}/${typeof sa === "string" ? sa : "aws-load-balancer-controller"}`;
    const binding = ctx.associations.find(
      (a) => `${String(a.inputs.namespace)}/${String(a.inputs.serviceAccount)}` === serviceAccount,
    );
    if (!binding) {
      finding(`controller ${release.releaseName} has no Pod Identity association for ${serviceAccount}`);
      continue;
    }
    if (!ctx.waitsFor(release.resource, binding)) {
      finding(
        `controller ${release.releaseName} does not wait for its Pod Identity association ${serviceAccount}`,
      );
      continue;
    }
    if (!ctx.waitsFor(ing.resource, release.resource)) {
      finding(`not ordered after controller ${release.releaseName}`);
      continue;
    }
    proved([
      `Helm release ${release.releaseName} (${release.chart})`,
      `Pod Identity association ${serviceAccount}`,
    ]);
  }
}

// ---- StorageClass -> CSI driver -> identity

function checkStorageClasses(ctx: RegionContext): void {
  const { region } = ctx;
  for (const sc of ctx.objects.filter((o) => o.object.kind === "StorageClass")) {
    const provisioner = String(at(sc.object, "provisioner") ?? "");
    const subject = subjectOf(region, sc.object);
    const path = `CSI driver ${provisioner}`;
    const { missing: finding, proved } = verdict(ctx, subject, path);
    const driver = CSI_DRIVERS[provisioner];
    const addon = driver ? ctx.addons.find((a) => a.inputs.addonName === driver.addon) : undefined;
    if (!driver || !addon) {
      finding(`no CSI driver ${provisioner}`);
      continue;
    }
    const [namespace, name] = driver.serviceAccount.split("/");
    const inAddon = ((addon.inputs.podIdentityAssociations ?? []) as { serviceAccount?: string }[]).some(
      (a) => a.serviceAccount === name,
    );
    const separate = ctx.associations.some(
      (a) => a.inputs.namespace === namespace && a.inputs.serviceAccount === name,
    );
    if (!inAddon && !separate && addon.inputs.serviceAccountRoleArn === undefined) {
      finding(`CSI driver ${provisioner} has no Pod Identity association for ${driver.serviceAccount}`);
      continue;
    }
    proved([`EKS add-on ${driver.addon}`, `Pod Identity association ${driver.serviceAccount}`]);
  }
}

// ---- claims -> StorageClass

/** The storage classes an object's claims ask for: `{ where, className }` (undefined: the default class). */
function claimsOf(o: Obj): { where: string; className: string | undefined }[] {
  const out: { where: string; className: string | undefined }[] = [];
  const fromClaimSpec = (where: string, spec: unknown) => {
    const cls = at(spec, "storageClassName");
    if (cls === "") return; // static binding to a pre-provisioned volume
    out.push({ where, className: typeof cls === "string" ? cls : undefined });
  };
  const fromStrimzi = (where: string, storage: unknown) => {
    const type = at(storage, "type");
    if (type === "persistent-claim") {
      const cls = at(storage, "class");
      out.push({ where, className: typeof cls === "string" ? cls : undefined });
    } else if (type === "jbod") {
      const volumes = at(storage, "volumes");
      if (Array.isArray(volumes)) volumes.forEach((v, i) => fromStrimzi(`${where} volume ${i}`, v));
    }
  };
  const group = o.apiVersion.includes("/") ? o.apiVersion.split("/")[0] : "";
  if (o.kind === "PersistentVolumeClaim" && group === "")
    fromClaimSpec("PersistentVolumeClaim", at(o, "spec"));
  if (o.kind === "StatefulSet" && group === "apps") {
    const templates = at(o, "spec", "volumeClaimTemplates");
    if (Array.isArray(templates)) {
      for (const t of templates)
        fromClaimSpec(`volumeClaimTemplate ${String(at(t, "metadata", "name"))}`, at(t, "spec"));
    }
  }
  if (group === "kafka.strimzi.io" && o.kind === "KafkaNodePool")
    fromStrimzi("storage", at(o, "spec", "storage"));
  if (group === "kafka.strimzi.io" && o.kind === "Kafka") {
    fromStrimzi("kafka storage", at(o, "spec", "kafka", "storage"));
    fromStrimzi("zookeeper storage", at(o, "spec", "zookeeper", "storage"));
  }
  return out;
}

function checkClaims(ctx: RegionContext): void {
  const { region } = ctx;
  const classes = ctx.objects.filter((o) => o.object.kind === "StorageClass");
  const defaultClass = classes.find((c) => annotation(c.object, DEFAULT_STORAGE_CLASS_ANNOTATION) === "true");
  for (const o of ctx.objects) {
    for (const claim of claimsOf(o.object)) {
      const subject = subjectOf(region, o.object);
      const path = claim.className === undefined ? "default StorageClass" : `StorageClass ${claim.className}`;
      const found =
        claim.className === undefined
          ? defaultClass
          : classes.find((c) => c.object.metadata.name === claim.className);
      const { missing, proved } = verdict(ctx, subject, path);
      if (!found) {
        missing(
          claim.className === undefined
            ? "no default StorageClass in the cluster"
            : `no StorageClass ${claim.className} in the cluster`,
        );
        continue;
      }
      proved([
        `${o.object.kind} ${claim.where}`,
        `StorageClass ${found.object.metadata.name} (${String(at(found.object, "provisioner"))})`,
      ]);
    }
  }
}

// ---- custom resources -> CRD and operator

function checkCustomResources(ctx: RegionContext): void {
  const { region } = ctx;
  const crdObjects = ctx.objects.filter((o) => o.object.kind === "CustomResourceDefinition");
  for (const o of ctx.objects) {
    const [group, version] = o.object.apiVersion.includes("/")
      ? o.object.apiVersion.split("/")
      : ["", o.object.apiVersion];
    if (BUILT_IN_GROUPS.has(group!)) continue;
    const subject = subjectOf(region, o.object);
    const kind = `${group}/${o.object.kind}`;
    const path = `CRD and operator of ${kind}`;
    const { missing: finding, proved } = verdict(ctx, subject, path);

    const crdObject = crdObjects.find(
      (c) =>
        at(c.object, "spec", "group") === group && at(c.object, "spec", "names", "kind") === o.object.kind,
    );
    const crdRelease = ctx.releases.find((r) => {
      const chart = CHARTS[r.chart];
      return (
        chart !== undefined &&
        chart.crds.includes(group!) &&
        !(chart.crdsInCrdsDir && r.resource.inputs.skipCrds === true)
      );
    });
    const installer = crdObject?.resource ?? crdRelease?.resource;
    const installerName = crdObject
      ? `CRD ${crdObject.object.metadata.name}`
      : `Helm release ${crdRelease?.releaseName}`;
    if (!installer) {
      finding(`no CRD for ${kind} (${version}) in the cluster`);
      continue;
    }
    if (!ctx.waitsFor(o.resource, installer)) {
      finding(`not ordered after ${installerName}, which installs its CRD`);
      continue;
    }
    const operator = ctx.releases.find((r) => CHARTS[r.chart]?.operates.includes(group!));
    if (!operator) {
      finding(`no operator for ${group} in the cluster`);
      continue;
    }
    if (!ctx.waitsFor(o.resource, operator.resource)) {
      finding(`not ordered after operator Helm release ${operator.releaseName}`);
      continue;
    }
    proved([installerName, `operator Helm release ${operator.releaseName} (${operator.chart})`]);
  }
}
