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
import * as pulumi from "@pulumi/pulumi";
import { appliedResources, applyObjects, checkObjects } from "../objects";
import type { ClusterHandle, ServiceAccountBinding } from "../cluster";
import type { RegionConfig, SemesterConfig } from "../config";
import {
  type DataTier,
  type PostgresPrimary,
  dataNamespaceObjects,
  roleBootstrapObjects,
  roleBootstrapPolicy,
} from "../data";

/** @internal */
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

/** @internal */
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
    const namespaceObjects = checkObjects(
      dataNamespaceObjects(plan?.namespace),
      `the data namespace of ${name}`,
    );
    const bootstrap = plan && {
      access: checkObjects(plan.accessObjects, `the role bootstrap access of ${name}`),
      job: checkObjects(plan.jobObjects, `the role bootstrap Job of ${name}`),
    };

    const namespace = applyObjects(
      `${name}-namespace`,
      { objects: namespaceObjects },
      { ...on, dependsOn: cluster.readiness },
    );
    // Copies, never one shared array: dependsOn is read after the constructor returns.
    const namespaceMembers = appliedResources(namespace, namespaceObjects.objects, `${name}-namespace`);

    if (plan !== undefined && bootstrap !== undefined) {
      this.binding = cluster.bindServiceAccount(`${name}-job`, {
        namespace: plan.namespace,
        serviceAccount: plan.serviceAccount,
        inlinePolicy: pulumi
          .all(primaries.map((p) => p.masterUserSecretArn))
          .apply((arns) => roleBootstrapPolicy(cluster.region, arns)),
      });
      const accessGroup = applyObjects(
        `${name}-access`,
        { objects: bootstrap.access },
        { ...on, dependsOn: [...namespaceMembers] },
      );
      const job = applyObjects(
        `${name}-job`,
        { objects: bootstrap.job },
        {
          ...on,
          dependsOn: [
            ...appliedResources(accessGroup, bootstrap.access.objects, `${name}-access`),
            this.binding.association,
            ...primaries.flatMap((p) => p.instances),
          ],
        },
      );
      this.servicesDependOn = [
        ...namespaceMembers,
        ...appliedResources(job, bootstrap.job.objects, `${name}-job`),
      ];
    } else {
      this.servicesDependOn = [...namespaceMembers];
    }
    this.jobName = plan?.jobName;
    this.registerOutputs({ jobName: this.jobName });
  }
}

/** @internal One region's bootstrap in a platform: its primaries from the data tier, names from the stack config. */
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
