/**
 * The database role bootstrap of one region, wired (the objects and policy are built by
 * `data/postgres/role-bootstrap.ts`). In order, on the region's cluster:
 *
 * 1. the `semester-data` namespace (restricted, default-deny, DNS), after the cluster is ready: in every region,
 *    since the shard-map ConfigMaps live there;
 * 2. where the region owns primary writers: a Pod Identity role allowed `secretsmanager:GetSecretValue` on exactly
 *    their master secrets, then the ServiceAccount, the Job's NetworkPolicy and ConfigMap;
 * 3. the Job, after the association and every primary's instances exist.
 *
 * The Kubernetes provider waits for a Job to complete (`.status.conditions` Complete, failing on Failed, 10
 * minutes by default), so `pulumi up` fails there when the roles cannot be created, and whatever depends on
 * `servicesDependOn` (the region's services) waits for it.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { applyObjects } from "../cluster/apply-objects";
import type { ClusterHandle, ServiceAccountBinding } from "../cluster/handle";
import type { RegionConfig, SemesterConfig } from "../config/schema";
import type { DataTier, PostgresPrimary } from "../data/data-tier";
import {
  dataNamespaceObjects,
  roleBootstrapObjects,
  roleBootstrapPolicy,
} from "../data/postgres/role-bootstrap";
import type { KubeObject } from "../core/kube-object";

export interface DatabaseRolesArgs {
  readonly cluster: ClusterHandle;
  /** The region's VPC range (the writers' addresses). */
  readonly vpcCidr: string;
  /** `semester:data.postgres.databaseName`. */
  readonly database: string;
  /** `semester:data.postgres.masterUsername`. */
  readonly masterUsername: string;
  /** The primary writers in this region (`DataTier.postgresPrimaries[region]`). @default [] (namespace only) */
  readonly primaries?: readonly PostgresPrimary[];
}

export class DatabaseRoles extends pulumi.ComponentResource {
  /** The Job's name (`semester-db-roles-<hash>`), when the region owns primaries. */
  public readonly jobName: string | undefined;
  /** The Job's Pod Identity binding, when the region owns primaries. */
  public readonly binding: ServiceAccountBinding | undefined;
  /** What must exist before the region's services: the namespace's objects and the completed Job. */
  public readonly servicesDependOn: readonly pulumi.Input<pulumi.Resource>[];

  constructor(name: string, args: DatabaseRolesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("semester:platform:DatabaseRoles", name, {}, opts);
    const { cluster } = args;
    const primaries = args.primaries ?? [];
    const on = { parent: this, provider: cluster.kubernetesProvider };
    // Validate before registering anything.
    const plan =
      primaries.length > 0
        ? roleBootstrapObjects({
            region: cluster.region,
            vpcCidr: args.vpcCidr,
            database: args.database,
            masterUsername: args.masterUsername,
            shards: primaries.map((p) => ({
              shard: p.shard,
              name: p.name,
              host: p.writerEndpoint,
              secretArn: p.masterUserSecretArn,
            })),
          })
        : undefined;
    const namespaceObjects = dataNamespaceObjects(plan?.namespace);
    const namespace = applyObjects(`${name}-namespace`, namespaceObjects, {
      ...on,
      dependsOn: cluster.readiness,
    });
    // Copies, never one shared array: dependsOn is read after the constructor returns.
    const namespaceMembers = members(namespace, `${name}-namespace`, namespaceObjects);

    if (plan !== undefined) {
      this.binding = cluster.bindServiceAccount(`${name}-job`, {
        namespace: plan.namespace,
        serviceAccount: plan.serviceAccount,
        inlinePolicy: pulumi
          .all(primaries.map((p) => p.masterUserSecretArn))
          .apply((arns) => roleBootstrapPolicy(cluster.region, arns)),
      });
      const access = applyObjects(`${name}-access`, plan.accessObjects, {
        ...on,
        dependsOn: [...namespaceMembers],
      });
      const job = applyObjects(`${name}-job`, plan.jobObjects, {
        ...on,
        dependsOn: [
          ...members(access, `${name}-access`, plan.accessObjects),
          this.binding.association,
          ...primaries.flatMap((p) => p.instances),
        ],
      });
      this.servicesDependOn = [...namespaceMembers, ...members(job, `${name}-job`, plan.jobObjects)];
    } else {
      this.servicesDependOn = [...namespaceMembers];
    }
    this.jobName = plan?.jobName;
    this.registerOutputs({ jobName: this.jobName });
  }
}

/** One region's bootstrap in a platform: its primaries from the data tier, names from the stack config. */
export function databaseRoles(
  name: string,
  cluster: ClusterHandle,
  region: RegionConfig,
  config: SemesterConfig,
  data: DataTier,
  parent: pulumi.Resource,
): DatabaseRoles {
  return new DatabaseRoles(
    `${name}-database-roles`,
    {
      cluster,
      vpcCidr: region.vpcCidr,
      database: config.data.postgres.databaseName,
      masterUsername: config.data.postgres.masterUsername,
      primaries: data.postgresPrimaries[region.region] ?? [],
    },
    { parent },
  );
}

/**
 * The resources a ConfigGroup registers for `objects`, one Input each. A ConfigGroup (v1) creates its children
 * asynchronously, so waiting on the group itself could miss children not yet registered; these resolve to them.
 */
function members(
  group: k8s.yaml.ConfigGroup,
  prefix: string,
  objects: readonly KubeObject[],
): pulumi.Output<pulumi.Resource>[] {
  return objects.map((o) => {
    const { name, namespace } = o.metadata as { name: string; namespace?: string };
    const key = `${String(o.apiVersion)}/${String(o.kind)}::${prefix}-${namespace === undefined ? "" : `${namespace}/`}${name}`;
    return group.resources.apply((resources) => {
      const resource = resources[key];
      if (resource === undefined) {
        console.error("MISSING", key, Object.keys(resources));
        throw new Error(`DatabaseRoles: ${key} was not registered by ${prefix}`);
      }
      return resource;
    });
  });
}
