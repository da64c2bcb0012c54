import type { ClusterHandle } from "../cluster";

/** @internal The regions a data tier spans, as each of its `createX` helpers reads them. */
export interface TierRegions {
  /** The home region first, then the others sorted. */
  readonly regions: readonly string[];
  /** The region holding the writers and primaries. */
  readonly homeRegion: string;
  /** The regional clusters by region. */
  readonly clusters: Readonly<Record<string, ClusterHandle>>;
}
