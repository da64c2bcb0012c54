/**
 * The rules of a regional cluster's own settings, defined once: `RegionalCluster` checks its arguments with them
 * and the stack config loader checks `semester:cluster` and each `semester:regions[i]` with them, each under its
 * own key path. Pure.
 */
import { AWS_REGIONS, isAwsRegion, joinPath, type Problem, type Environment } from "../core";
import { parseCidr } from "../network";
import type { ResolvedClusterSettings } from "./defaults";
import { KARPENTER_MAX_BUDGETS } from "./karpenter/window-budgets";

/** Rules across resolved cluster settings; `prefix` is where the settings sit (`semester:cluster`, or ""). */
export function clusterSettingsProblems(settings: ResolvedClusterSettings, prefix: string): Problem[] {
  const at = (...path: (string | number)[]) => joinPath(prefix, path);
  const problems: Problem[] = [];
  const group = settings.systemNodeGroup;
  if (group.minSize > group.maxSize) {
    problems.push({
      path: at("systemNodeGroup", "minSize"),
      value: group.minSize,
      rule: `must not exceed systemNodeGroup.maxSize (${group.maxSize})`,
    });
  } else if (group.desiredSize < group.minSize || group.desiredSize > group.maxSize) {
    problems.push({
      path: at("systemNodeGroup", "desiredSize"),
      value: group.desiredSize,
      rule: `must be within minSize..maxSize (${group.minSize}..${group.maxSize})`,
    });
  }
  settings.endpointPublicAccessCidrs.forEach((text, i) => {
    const parsed = parseCidr(text);
    if (!parsed) {
      problems.push({
        path: at("endpointPublicAccessCidrs", i),
        value: text,
        rule: "expected an IPv4 CIDR, e.g. 203.0.113.0/24",
      });
    } else if (parsed.prefix === 0) {
      problems.push({
        path: at("endpointPublicAccessCidrs", i),
        value: text,
        rule: "the whole internet is not an allow-list; name your networks, or leave the list empty for a private endpoint",
      });
    }
  });
  return problems;
}

/** @internal How one region's network is laid out: what a stack's `regions[i]` and `RegionalCluster`'s arguments share. */
export interface RegionLayout {
  readonly region: string;
  readonly availabilityZones: number;
  readonly natGateways: "perZone" | "single";
}

/**
 * Zones the region offers, and prod's zonal resilience (three zones, a NAT gateway per zone). `prefix` is where
 * the layout's keys sit (`semester:regions[0]`, or "" for a component's own arguments).
 */
export function regionLayoutProblems(
  layout: RegionLayout,
  environment: Environment,
  prefix: string,
): Problem[] {
  const problems: Problem[] = [];
  const offered = isAwsRegion(layout.region) ? AWS_REGIONS[layout.region].length : 0;
  if (offered > 0 && layout.availabilityZones > offered) {
    problems.push({
      path: joinPath(prefix, ["availabilityZones"]),
      value: layout.availabilityZones,
      rule: `${layout.region} offers ${offered} zones; use at most ${offered}`,
    });
  }
  if (environment === "prod" && layout.availabilityZones < 3) {
    problems.push({
      path: joinPath(prefix, ["availabilityZones"]),
      value: layout.availabilityZones,
      rule: "prod needs at least 3 Availability Zones per region to survive the loss of a zone",
    });
  }
  if (environment === "prod" && layout.natGateways === "single") {
    problems.push({
      path: joinPath(prefix, ["natGateways"]),
      value: layout.natGateways,
      rule: 'prod needs "perZone": a single NAT gateway is a zonal single point of failure',
    });
  }
  return problems;
}

/**
 * Karpenter allows at most 50 disruption budgets per NodePool: a pool's own budgets plus the `extra` ones the
 * calendar adds must fit. `prefix` is where the cluster settings sit; `extraFrom` names what decides `extra`.
 */
export function nodePoolBudgetProblems(
  nodePools: ResolvedClusterSettings["karpenter"]["nodePools"],
  extra: number,
  prefix: string,
  extraFrom: string,
): Problem[] {
  return Object.entries(nodePools)
    .sort(([a], [b]) => a.localeCompare(b))
    .filter(([, pool]) => pool.budgets.length + extra > KARPENTER_MAX_BUDGETS)
    .map(([name, pool]) => ({
      path: joinPath(prefix, ["karpenter", "nodePools", name, "budgets"]),
      value: pool.budgets.length,
      rule:
        `with the calendar's ${extra} (${extraFrom}) the pool would have ${pool.budgets.length + extra} budgets; ` +
        `Karpenter allows at most ${KARPENTER_MAX_BUDGETS} per NodePool: remove budgets or lower ${extraFrom}`,
    }));
}
