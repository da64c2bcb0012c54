/**
 * The network side of the CQRS bindings: for each region and binding, the endpoints its services must reach, as
 * egress allows (the store's private subnets, in whatever region the binding points at, and its port). Computed
 * from the stack config alone, with the same routing rule (`writeTargets`) and subnet plan (`planSubnets`) the data
 * tier and the VPCs use, so the NetworkPolicies allow exactly the paths that deploy.
 */
import type { SemesterConfig } from "../config";
import { writeTargets, STRIMZI_TLS_PORT, DataPorts, resolveDataTier } from "../data";
import type { DataEgress } from "../kubernetes";
import { planSubnets } from "../network";
import { InputError } from "../core";

/** @internal */
export interface BindingNetwork {
  /** Egress allows per binding. */
  readonly egress: Readonly<Record<"write" | "read", readonly DataEgress[]>>;
  /** The region of each binding's Kafka brokers (lag triggers sign MSK IAM tokens for it). */
  readonly kafkaRegions: Readonly<Record<"write" | "read", string>>;
}

/** @internal What the bindings of `region` need from the network. Pure. */
export function bindingNetwork(config: SemesterConfig, region: string): BindingNetwork {
  const { settings } = resolveDataTier({
    environment: config.environment,
    homeRegion: config.homeRegion,
    regions: Object.fromEntries(config.regions.map((r) => [r.region, { region: r.region }])),
    config: config.data,
  });
  const subnets = (of: string): string[] => {
    const r = config.regions.find((x) => x.region === of);
    if (r === undefined) {
      throw new InputError("bindingNetwork", [
        {
          path: "region",
          value: of,
          rule: `must be one of semester:regions: ${config.regions.map((x) => x.region).join(", ")}`,
        },
      ]);
    }
    return planSubnets(r.vpcCidr, r.availabilityZones).private;
  };
  const targets = writeTargets(region, config.homeRegion, settings);
  const { strimzi, backend } = config.data.kafka;
  const kafka = (at: string): DataEgress =>
    backend === "msk"
      ? { store: "kafka", port: DataPorts.mskIam, cidrs: subnets(at) }
      : {
          store: "kafka",
          port: STRIMZI_TLS_PORT,
          namespace: strimzi.namespace,
          podLabels: { "strimzi.io/cluster": strimzi.clusterName },
        };
  return {
    egress: {
      write: [
        { store: "postgres", port: DataPorts.postgres, cidrs: subnets(targets.postgres) },
        kafka(targets.kafka),
      ],
      read: [
        { store: "postgres", port: DataPorts.postgres, cidrs: subnets(region) },
        { store: "redis", port: DataPorts.redis, cidrs: subnets(region) },
        kafka(region),
      ],
    },
    kafkaRegions: { write: targets.kafka, read: region },
  };
}
