/**
 * Publishes the shard map with every shard's endpoints where workloads read them: an SSM parameter per region
 * (for jobs and tools outside the cluster) and a ConfigMap object (applied by the Kubernetes layer).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DataPorts } from "./network";
import { ShardMap, shardRanges } from "./postgres/shard-map";
import { type Environment, DATA_NAMESPACE, InputError, type ResolvedKubeObject } from "../core";

/** @internal Endpoints of one shard as the region's services should use them. */
export interface ShardEndpoints {
  readonly shard: number;
  readonly writer: pulumi.Input<string>;
  readonly reader: pulumi.Input<string>;
}

/** The document workloads read (key `shard-map.json`). */
export interface ShardMapDocument {
  readonly version: 1;
  readonly hash: "fnv1a-32";
  readonly buckets: number;
  readonly database: string;
  readonly port: number;
  readonly shards: { shard: number; ranges: (readonly [number, number])[]; writer: string; reader: string }[];
  /** While a reshard runs: the shard count before it (owners per the same rule). */
  readonly previousShards?: number;
}

/** The ConfigMap a region's workloads mount, with endpoint values still as outputs. */
export interface ConfigMapObject extends ResolvedKubeObject {
  readonly apiVersion: "v1";
  readonly kind: "ConfigMap";
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
  };
  readonly data: Readonly<Record<string, pulumi.Output<string>>>;
}

/** @internal */
export interface ShardMapPublicationArgs {
  readonly provider: aws.Provider;
  readonly environment: Environment;
  readonly shardMap: ShardMap;
  readonly endpoints: readonly ShardEndpoints[];
  readonly database: string;
  /** @default - none */
  readonly previousShards?: number;
  /** Namespace of the ConfigMap. @default "semester-data" */
  readonly namespace?: string;
  /** @default "data-shard-map" */
  readonly configMapName?: string;
  /** @default - `/semester/<environment>/data/postgres/shard-map` */
  readonly parameterName?: string;
}

/** Builds the document from resolved endpoint strings. Pure. */
export function shardMapDocument(
  map: ShardMap,
  endpoints: readonly { shard: number; writer: string; reader: string }[],
  database: string,
  previousShards?: number,
): ShardMapDocument {
  const ranges = shardRanges(map);
  const byShard = new Map(endpoints.map((e) => [e.shard, e]));
  const shardCount = Math.max(map.shards, previousShards ?? 0);
  return {
    version: 1,
    hash: "fnv1a-32",
    buckets: map.buckets,
    database,
    port: DataPorts.postgres,
    shards: Array.from({ length: shardCount }, (_, s) => ({
      shard: s,
      ranges: s < map.shards ? ranges[s] : [],
      writer: byShard.get(s)?.writer ?? "",
      reader: byShard.get(s)?.reader ?? "",
    })),
    ...(previousShards !== undefined && previousShards !== map.shards ? { previousShards } : {}),
  };
}

export class ShardMapPublication extends pulumi.ComponentResource {
  public readonly parameterName: string;
  public readonly document: pulumi.Output<string>;
  public readonly configMap: ConfigMapObject;

  constructor(name: string, args: ShardMapPublicationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("semester:data:ShardMapPublication", name, {}, opts);
    const namespace = args.namespace ?? DATA_NAMESPACE;
    const configMapName = args.configMapName ?? "data-shard-map";
    const parameterName = args.parameterName ?? `/semester/${args.environment}/data/postgres/shard-map`;
    const shards = new Set(args.endpoints.map((e) => e.shard));
    if (
      shards.size !== args.endpoints.length ||
      [...shards].some((s) => s < 0 || s >= Math.max(args.shardMap.shards, args.previousShards ?? 0))
    ) {
      throw new InputError(`ShardMapPublication ${name}`, [
        {
          path: "endpoints[].shard",
          value: args.endpoints.map((e) => e.shard),
          rule: `must be distinct and below the shard count ${Math.max(args.shardMap.shards, args.previousShards ?? 0)}`,
        },
      ]);
    }

    this.document = pulumi
      .all(
        args.endpoints.map((e) =>
          pulumi.all([e.writer, e.reader]).apply(([writer, reader]) => ({ shard: e.shard, writer, reader })),
        ),
      )
      .apply((resolved) =>
        JSON.stringify(shardMapDocument(args.shardMap, resolved, args.database, args.previousShards)),
      );
    new aws.ssm.Parameter(
      `${name}-parameter`,
      {
        name: parameterName,
        type: "String",
        // Large maps exceed the standard tier's 4 KB; intelligent tiering picks the advanced tier only then.
        tier: "Intelligent-Tiering",
        value: this.document,
        description: "Postgres shard map: bucket ranges and writer/reader endpoints per shard",
      },
      { parent: this, provider: args.provider },
    );
    this.parameterName = parameterName;
    this.configMap = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: configMapName,
        namespace,
        labels: { "app.kubernetes.io/part-of": "semester", "semester/data": "shard-map" },
      },
      data: { "shard-map.json": this.document },
    };
    this.registerOutputs({ parameterName: this.parameterName, document: this.document });
  }
}
